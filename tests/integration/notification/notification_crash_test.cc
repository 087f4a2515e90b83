// Exactly once across crashes: the notification service runs as its own process and is SIGKILLed
// again and again at the worst moment, after the SMS provider has taken a message and before the
// service has recorded that it did. Each restart sends the unrecorded message again with the same
// idempotency key, and the provider (tools/dev-providers/sms_sink.py, which honours the key as
// real providers do) recognises the repeat. The count in the sink: one text per cause, never two,
// never none.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "job_test_env.h"
#include "jobledger/notification/v1/notification_service.grpc.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/python_peer.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "nlohmann/json.hpp"

namespace jobledger::notification {
namespace {

using job::testing::IsOk;
using jobledger::testing::ChildProcess;
using jobledger::testing::WaitUntil;
namespace sched = scheduling::v1;

constexpr char kAnaPhone[] = "+15551230001";
constexpr int kEnRouteEvents = 30;
constexpr int kKills = 16;

std::vector<nlohmann::json> JsonLines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

size_t LineCount(const std::string& path) {
  std::ifstream in(path);
  size_t count = 0;
  for (std::string line; std::getline(in, line);) count += line.empty() ? 0 : 1;
  return count;
}

class NotificationProcess {
 public:
  NotificationProcess(std::string data_dir, std::string log_dir, int sms_port)
      : data_dir_(std::move(data_dir)), log_dir_(std::move(log_dir)), sms_port_(sms_port) {}
  ~NotificationProcess() {
    if (process_ != nullptr) Kill();
  }

  // Starts the service and returns its gRPC port once it serves.
  int Start() {
    auto process =
        ChildProcess::Spawn({JL_NOTIFICATION_PATH,
                             "--listen",
                             "127.0.0.1:0",
                             "--metrics-listen",
                             "127.0.0.1:0",
                             "--jwt-hs256-key",
                             job::testing::kKey,
                             "--data-dir",
                             data_dir_,
                             "--log-dir",
                             log_dir_,
                             "--partitions",
                             "4",
                             "--log-level",
                             "info",
                             "--sms-endpoint",
                             absl::StrCat("http://127.0.0.1:", sms_port_, "/v1/messages"),
                             "--sms-token",
                             "crash-token",
                             "--sms-from",
                             "+15550000000",
                             "--shutdown-grace",
                             "1s"});
    EXPECT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    while (auto line = process_->ReadLine(absl::Seconds(60))) {
      nlohmann::json parsed = nlohmann::json::parse(*line, nullptr, false);
      if (!parsed.is_discarded() && parsed.value("msg", "") == "serving") {
        // Keep reading its log, so a full pipe never blocks it.
        drain_ = std::thread([process = process_.get()] {
          while (process->ReadLine(absl::Seconds(600)).has_value()) {
          }
        });
        return parsed.value("port", 0);
      }
    }
    ADD_FAILURE() << "the notification service did not start";
    return 0;
  }

  void Kill() {
    process_->Signal(SIGKILL);
    EXPECT_EQ(process_->Wait(), 128 + SIGKILL);
    if (drain_.joinable()) drain_.join();
    process_.reset();
  }

 private:
  std::string data_dir_;
  std::string log_dir_;
  int sms_port_;
  std::unique_ptr<ChildProcess> process_;
  std::thread drain_;
};

TEST(NotificationCrash, KilledBetweenSendingAndRecordingNeverTextsTwice) {
  job::testing::JobServiceEnv jobs;  // the real job service, in this process
  jobledger::testing::TempDir dir;
  const std::string sink_dir = dir.Sub("sms");
  std::filesystem::create_directories(sink_dir);
  // A slow provider: each text is recorded 150 ms before the answer, the window a kill aims at.
  auto sink =
      jobledger::testing::StartPythonPeer(absl::StrCat(JL_TEST_PEERS_DIR, "/sms_sink.py"),
                                          {"--port", "0", "--record-dir", sink_dir, "--token",
                                           "crash-token", "--delay-seconds", "0.15"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  const std::string texts = sink_dir + "/messages.jsonl";

  job::v1::CreateCustomerRequest customer_request;
  customer_request.set_name("Maria Gonzalez");
  job::v1::Contact& ana = *customer_request.add_contacts();
  ana.set_name("Ana");
  ana.set_phone(kAnaPhone);
  ana.set_accepts_sms(true);
  job::v1::CustomerReply customer;
  ASSERT_TRUE(IsOk(jobs.customers().CreateCustomer(
      jobs.As("dispatcher-1", auth::Role::kDispatcher).get(), customer_request, &customer)));
  const std::string job_id =
      jobs.CreateJob(customer.customer().customer_id(), "Water heater").job().job_id();
  // The visit, then a technician on the way 30 times over (each a new event: a new cause).
  sched::AppointmentScheduled scheduled;
  scheduled.set_appointment_id("appointment-1");
  scheduled.set_job_id(job_id);
  const absl::Time start = absl::Now() + absl::Hours(2);
  scheduled.mutable_window()->mutable_start()->set_seconds(absl::ToUnixSeconds(start));
  scheduled.mutable_window()->mutable_end()->set_seconds(absl::ToUnixSeconds(start) + 7200);
  jobs.AppendScheduling("acme", "job_schedule", job_id, scheduled);
  for (int i = 0; i < kEnRouteEvents; ++i) {
    sched::DispatchStateChanged en_route;
    en_route.set_appointment_id("appointment-1");
    en_route.set_job_id(job_id);
    en_route.set_technician_id("sam");
    en_route.set_state(sched::DISPATCH_STATE_EN_ROUTE);
    jobs.AppendScheduling("acme", "job_schedule", job_id, en_route);
  }
  const size_t expected = 1 + kEnRouteEvents;

  NotificationProcess service(dir.Sub("notification"), jobs.log_dir(), sink->port);
  for (int kill = 0; kill < kKills; ++kill) {
    const size_t before = LineCount(texts);
    ASSERT_GT(service.Start(), 0);
    // Kill the moment the provider has a new text: its answer is still on the way.
    ASSERT_TRUE(WaitUntil([&] { return LineCount(texts) > before; }, absl::Seconds(60)))
        << "no progress after restart " << kill;
    service.Kill();
  }
  const int port = service.Start();
  ASSERT_GT(port, 0);
  auto stub = v1::NotificationService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  std::vector<v1::Message> messages;
  ASSERT_TRUE(WaitUntil(
      [&] {
        v1::ListJobMessagesRequest request;
        request.set_job_id(job_id);
        request.set_page_size(500);
        v1::ListMessagesResponse response;
        if (!stub->ListJobMessages(jobs.As("dispatcher-1", auth::Role::kDispatcher).get(), request,
                                   &response)
                 .ok()) {
          return false;
        }
        messages.assign(response.messages().begin(), response.messages().end());
        if (messages.size() < expected) return false;
        for (const v1::Message& message : messages) {
          if (message.status() != v1::MESSAGE_STATUS_SENT) return false;
        }
        return true;
      },
      absl::Seconds(120)))
      << [&] {
           std::string states = absl::StrCat(messages.size(), " messages:");
           for (const v1::Message& message : messages) {
             absl::StrAppend(&states, " ", v1::MessageStatus_Name(message.status()), "/",
                             message.attempts_size(), "/", message.failure_reason());
           }
           return states;
         }();
  ASSERT_EQ(messages.size(), expected);

  // One text per message in the provider, each under the message's own key.
  const std::vector<nlohmann::json> received = JsonLines(texts);
  EXPECT_EQ(received.size(), expected);
  std::set<std::string> keys;
  for (const nlohmann::json& text : received) keys.insert(text["key"].get<std::string>());
  EXPECT_EQ(keys.size(), expected);
  for (const v1::Message& message : messages) {
    EXPECT_TRUE(keys.contains(message.provider_key())) << message.message_id();
  }
  // The kills did land between sending and recording: the provider saw the same key again (each
  // kill aims at that window; the odd one may land just after the record).
  EXPECT_GE(LineCount(sink_dir + "/replays.txt"), static_cast<size_t>(kKills / 2));
  std::cout << "kills: " << kKills
            << ", repeats the provider recognised: " << LineCount(sink_dir + "/replays.txt")
            << "\n";
}

}  // namespace
}  // namespace jobledger::notification
