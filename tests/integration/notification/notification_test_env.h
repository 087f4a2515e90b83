// The notification service with every service it listens to beside it, in-process on port 0 over
// one log (embedded in a temp directory, or Kafka through the dev broker): the real job, billing
// and scheduling services, a real SMTP server (python3-aiosmtpd) and a local SMS provider sink,
// both as child processes that record what they receive. The notification service runs on a
// FakeClock so tests move time for quiet hours and retries.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "billing_test_env.h"
#include "jobledger/common/clock.h"
#include "jobledger/notification/v1/notification_service.grpc.pb.h"
#include "jobledger/scheduling/v1/scheduling_service.grpc.pb.h"
#include "jobledger/testing/python_peer.h"
#include "nlohmann/json.hpp"
#include "notification_server.h"
#include "scheduling_server.h"

namespace jobledger::notification::testing {

using job::testing::Backend;
using job::testing::IsOk;

struct EnvOptions {
  Backend backend = Backend::kEmbedded;
  std::vector<std::string> smtp_args;  // extra smtp_sink.py flags, e.g. {"--fail-first", "2"}
  std::vector<std::string> sms_args;   // extra sms_sink.py flags
  RetryPolicy retry = {.initial_delay = absl::Seconds(30),
                       .multiplier = 2.0,
                       .max_delay = absl::Hours(1),
                       .max_attempts = 4};
  // How often the outbox sender looks for due messages unless woken.
  absl::Duration poll_interval = absl::Milliseconds(50);
};

// A customer contact for CustomerWithContacts.
struct ContactSpec {
  std::string name;
  std::string phone;
  std::string email;
  bool accepts_sms = true;
  bool accepts_email = true;
};

class NotificationEnv {
 public:
  explicit NotificationEnv(EnvOptions options = {});
  ~NotificationEnv();

  // Starts (or restarts) the notification server on the same directory; waits until ready.
  void Start();
  void Stop();

  std::unique_ptr<grpc::ClientContext> As(const std::string& user, auth::Role role,
                                          const std::string& tenant = "acme") const {
    return billing_env_.As(user, role, tenant);
  }
  std::unique_ptr<grpc::ClientContext> Dispatcher(const std::string& tenant = "acme") const {
    return As("dispatcher-1", auth::Role::kDispatcher, tenant);
  }
  std::unique_ptr<grpc::ClientContext> Manager(const std::string& tenant = "acme") const {
    return As("manager-1", auth::Role::kManager, tenant);
  }

  // Every automatic message of `tenant` off (a manager's SetNotificationSettings): its notification
  // topic then holds only what a test sends itself.
  grpc::Status TurnOffAutomaticMessages(const std::string& tenant = "acme");

  billing::testing::BillingEnv& billing_env() { return billing_env_; }
  job::testing::JobServiceEnv& jobs_env() { return billing_env_.jobs_env(); }
  job::v1::JobService::Stub& jobs() { return billing_env_.jobs(); }
  job::v1::CustomerService::Stub& customers() { return jobs_env().customers(); }
  billing::v1::BillingService::Stub& billing() { return billing_env_.billing(); }
  scheduling::v1::TechnicianService::Stub& technicians() { return *technician_stub_; }
  scheduling::v1::DispatchService::Stub& dispatch() { return *dispatch_stub_; }
  v1::NotificationService::Stub& notifications() { return *notification_stub_; }
  // host:port of the scheduling service, for clients of their own (the demo seeder).
  std::string scheduling_address() const {
    return "127.0.0.1:" + std::to_string(scheduling_->port());
  }
  std::string notification_address() const {
    return "127.0.0.1:" + std::to_string(server_->port());
  }
  // The SMS sink's record of every text it accepted (one JSON line each).
  std::string sms_record_file() const { return sms_dir_ + "/messages.jsonl"; }
  FakeClock& clock() { return clock_; }
  const std::string& data_dir() const { return data_dir_; }

  // What the sinks received: each email's parsed JSON (accepted/*.json, by arrival) and each
  // text's JSON line; and the repeats they recognised by Message-ID / Idempotency-Key.
  std::vector<nlohmann::json> Emails() const;
  int EmailRepeats() const;
  std::vector<nlohmann::json> Texts() const;
  int TextRepeats() const;
  std::string EmailDir() const { return smtp_dir_; }

  // A customer with these contacts; its id and the contacts' ids in order.
  job::v1::Customer CustomerWithContacts(const std::string& name,
                                         const std::vector<ContactSpec>& contacts,
                                         const std::string& tenant = "acme");
  std::string CreateJob(const std::string& customer_id, const std::string& title,
                        const std::string& tenant = "acme");
  void RegisterTechnician(const std::string& id, const std::string& name, const std::string& phone,
                          const std::string& email = "", const std::string& tenant = "acme");
  // A visit of `job_id` from `start` for `hours` with these technicians; its appointment id.
  std::string Schedule(const std::string& job_id, absl::Time start, int hours,
                       const std::vector<std::string>& technicians);

  // The job's messages once `count` of them exist (and every one satisfies `done`, when given);
  // what there is after the timeout otherwise.
  std::vector<v1::Message> WaitForJobMessages(
      const std::string& job_id, size_t count,
      const std::function<bool(const v1::Message&)>& done = nullptr,
      absl::Duration timeout = absl::Seconds(20));

 private:
  void StartSinks();

  EnvOptions options_;
  billing::testing::BillingEnv billing_env_;
  FakeClock clock_;
  std::string data_dir_;
  std::string scheduling_dir_;
  std::string smtp_dir_;
  std::string sms_dir_;
  jobledger::testing::PythonPeer smtp_;
  jobledger::testing::PythonPeer sms_;
  std::unique_ptr<scheduling::SchedulingServer> scheduling_;
  std::unique_ptr<NotificationServer> server_;
  std::unique_ptr<scheduling::v1::TechnicianService::Stub> technician_stub_;
  std::unique_ptr<scheduling::v1::DispatchService::Stub> dispatch_stub_;
  std::unique_ptr<v1::NotificationService::Stub> notification_stub_;
};

// The peers' scripts (tools/dev-providers).
std::string PeerScript(const std::string& name);

}  // namespace jobledger::notification::testing
