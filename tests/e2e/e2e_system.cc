// The system as `jl up` runs it, driven from an end-to-end test.
#include "e2e_system.h"

#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "demo_seed.h"  // DevTokenSource
#include "jobledger/testing/wait.h"
#include "nlohmann/json.hpp"

namespace jobledger::e2e {
namespace {

constexpr char kTenant[] = "acme";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The default gRPC port of each service (`jl up` adds the offset).
int GrpcPort(const std::string& service) {
  const std::vector<std::string>& names = ServiceNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == service) return 7101 + static_cast<int>(i);
  }
  return 0;
}

// Field 22 of /proc/PID/stat (the start time in clock ticks), or -1 when there is no such
// process; a zombie counts as gone.
long long StartTicks(int pid) {
  const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  const size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return -1;
  const std::vector<std::string> fields =
      absl::StrSplit(stat.substr(close_paren + 2), ' ', absl::SkipEmpty());
  // fields[0] is the state (field 3), so field 22 is fields[19].
  if (fields.size() < 20 || fields[0] == "Z" || fields[0] == "X") return -1;
  long long ticks = 0;
  if (!absl::SimpleAtoi(fields[19], &ticks)) return -1;
  return ticks;
}

// SIGKILL to each of `processes` still running as `jl up` started it; returns once all are gone.
absl::Status KillAndWait(const std::vector<StartedProcess>& processes) {
  std::vector<StartedProcess> killed;
  for (const StartedProcess& process : processes) {
    // Only the process `jl up` started: a pid the kernel has since given to another is left.
    if (process.pid <= 0 || StartTicks(process.pid) != process.start_ticks) continue;
    if (kill(process.pid, SIGKILL) != 0 && errno != ESRCH) {
      return absl::InternalError(absl::StrCat("kill ", process.name, " (", process.pid, ")"));
    }
    killed.push_back(process);
  }
  const bool gone = testing::WaitUntil(
      [&] {
        for (const StartedProcess& process : killed) {
          if (StartTicks(process.pid) == process.start_ticks) return false;
        }
        return true;
      },
      absl::Seconds(30));
  if (!gone) return absl::DeadlineExceededError("killed processes still running after 30 s");
  return absl::OkStatus();
}

}  // namespace

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", static_cast<int>(status.error_code()), ": ", status.error_message());
}

std::string BackendName(Backend backend) {
  return backend == Backend::kEmbedded ? "embedded" : "kafka";
}

const std::vector<std::string>& ServiceNames() {
  static const auto* const kNames =
      new std::vector<std::string>{"job", "scheduling", "billing", "notification", "reporting"};
  return *kNames;
}

System::System(Backend backend, std::string data_dir, int port_offset,
               std::vector<std::string> up_flags)
    : backend_(backend),
      data_dir_(std::move(data_dir)),
      port_offset_(port_offset),
      up_flags_(std::move(up_flags)) {
  Connect();
}

System::~System() {
  Jl({"down"});
  if (broker_ != nullptr) {
    broker_->Signal(SIGTERM);
    broker_->Wait();
  }
}

void System::Connect() {
  const auto channel = [&](const std::string& service) {
    return grpc::CreateChannel(Address(service), grpc::InsecureChannelCredentials());
  };
  const auto job_channel = channel("job");
  customers_ = job::v1::CustomerService::NewStub(job_channel);
  jobs_ = job::v1::JobService::NewStub(job_channel);
  const auto scheduling_channel = channel("scheduling");
  technicians_ = scheduling::v1::TechnicianService::NewStub(scheduling_channel);
  dispatch_ = scheduling::v1::DispatchService::NewStub(scheduling_channel);
  billing_ = billing::v1::BillingService::NewStub(channel("billing"));
  notifications_ = notification::v1::NotificationService::NewStub(channel("notification"));
  reporting_ = reporting::v1::ReportingService::NewStub(channel("reporting"));
}

std::string System::Address(const std::string& service) const {
  return absl::StrCat("127.0.0.1:", GrpcPort(service) + port_offset_);
}

cli::testing::JlRun System::Jl(std::vector<std::string> args) const {
  args.insert(args.begin() + 1, {"--data-dir", data_dir_});
  return cli::testing::RunJl(args);
}

absl::Status System::Up() {
  if (backend_ == Backend::kKafka && broker_ == nullptr) {
    auto broker = testing::ChildProcess::Spawn({JL_CLI_PATH, "devbroker"});
    if (!broker.ok()) return broker.status();
    broker_ = *std::move(broker);
    while (auto line = broker_->ReadLine(absl::Seconds(60))) {
      if (absl::StartsWith(*line, "bootstrap servers: ")) {
        bootstrap_ = line->substr(std::string("bootstrap servers: ").size());
        break;
      }
    }
    if (bootstrap_.empty()) return absl::InternalError("jl devbroker printed no bootstrap servers");
  }
  std::vector<std::string> args = {
      "up", "--no-demo", "--port-offset", absl::StrCat(port_offset_), "--ready-timeout-seconds",
      "600"};
  if (backend_ == Backend::kKafka) args.insert(args.end(), {"--kafka", bootstrap_});
  args.insert(args.end(), up_flags_.begin(), up_flags_.end());
  const cli::testing::JlRun up = Jl(args);
  if (up.exit_code != 0) {
    return absl::InternalError(absl::StrCat("jl up exited ", up.exit_code, ":\n", up.out));
  }
  key_ = std::string(absl::StripTrailingAsciiWhitespace(ReadFile(data_dir_ + "/jwt-hs256.key")));
  if (key_.empty()) return absl::InternalError("no key in jwt-hs256.key");
  return absl::OkStatus();
}

absl::Status System::Down() {
  const cli::testing::JlRun down = Jl({"down"});
  if (down.exit_code != 0) {
    return absl::InternalError(absl::StrCat("jl down exited ", down.exit_code, ":\n", down.out));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StartedProcess>> System::Processes() const {
  const nlohmann::json state =
      nlohmann::json::parse(ReadFile(data_dir_ + "/run/system.json"), nullptr, false);
  if (!state.is_object() || !state.contains("processes")) {
    return absl::NotFoundError("no readable run/system.json");
  }
  std::vector<StartedProcess> processes;
  for (const nlohmann::json& process : state["processes"]) {
    processes.push_back({.name = process.value("name", ""),
                         .pid = process.value("pid", 0),
                         .start_ticks = process.value("start_ticks", 0LL)});
  }
  return processes;
}

absl::Status System::KillAll() {
  absl::StatusOr<std::vector<StartedProcess>> processes = Processes();
  if (!processes.ok()) return processes.status();
  return KillAndWait(*processes);
}

absl::Status System::Kill(const std::string& name) {
  absl::StatusOr<std::vector<StartedProcess>> processes = Processes();
  if (!processes.ok()) return processes.status();
  for (const StartedProcess& process : *processes) {
    if (process.name == name) return KillAndWait({process});
  }
  return absl::NotFoundError(absl::StrCat("no process ", name, " in run/system.json"));
}

absl::Status System::BrokerDown() {
  if (broker_ == nullptr) return absl::FailedPreconditionError("no dev broker running");
  broker_->Signal(SIGUSR1);
  return absl::OkStatus();
}

absl::Status System::BrokerUp() {
  if (broker_ == nullptr) return absl::FailedPreconditionError("no dev broker running");
  broker_->Signal(SIGUSR2);
  return absl::OkStatus();
}

absl::Status System::VerifyProjections() const {
  std::string failures;
  for (const std::string& service : ServiceNames()) {
    std::vector<std::string> args = {"projections", "verify", service, "--data-dir",
                                     absl::StrCat(data_dir_, "/", service)};
    if (backend_ == Backend::kKafka) args.insert(args.end(), {"--kafka", bootstrap_});
    const cli::testing::JlRun verify = cli::testing::RunJl(args);
    if (verify.exit_code != 0) {
      absl::StrAppend(&failures, service, " (exit ", verify.exit_code, "):\n", verify.out, "\n");
    }
  }
  if (!failures.empty()) return absl::DataLossError(failures);
  return absl::OkStatus();
}

std::string System::Token(auth::Role role, const std::string& subject) const {
  absl::StatusOr<std::string> token =
      cli::DevTokenSource(key_, kTenant, absl::Hours(2))(role, subject);
  return token.ok() ? *token : "";
}

std::vector<Sms> System::SmsSent() const {
  std::vector<Sms> sent;
  std::ifstream in(data_dir_ + "/outbox/sms/messages.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object()) continue;  // a line still being written
    sent.push_back({.key = record.value("key", ""),
                    .to = record.value("to", ""),
                    .body = record.value("body", "")});
  }
  return sent;
}

std::vector<Email> System::EmailsSent() const {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(data_dir_ + "/outbox/mail/accepted", error)) {
    const std::string name = entry.path().filename().string();
    // <seq>.json appear whole (renamed from a hidden temporary).
    if (!absl::StartsWith(name, ".") && absl::EndsWith(name, ".json")) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Email> sent;
  for (const std::string& file : files) {
    const nlohmann::json summary = nlohmann::json::parse(ReadFile(file), nullptr, false);
    if (!summary.is_object()) continue;
    const auto text = [&](const char* field) {
      return summary.contains(field) && summary[field].is_string()
                 ? summary[field].get<std::string>()
                 : std::string();
    };
    sent.push_back({.message_id = text("message_id"),
                    .to = text("to"),
                    .subject = text("subject"),
                    .body = text("body")});
  }
  return sent;
}

}  // namespace jobledger::e2e
