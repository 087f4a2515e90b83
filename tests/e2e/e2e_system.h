// The whole system as `jl up` runs it, for end-to-end tests: the five service processes on the
// embedded log or on a dev broker (`jl devbroker`), started, stopped, killed and started again;
// tokens signed with the system's key; gRPC stubs on its ports; what the local SMS sink recorded.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jl_run.h"
#include "jobledger/auth/roles.h"
#include "jobledger/billing/v1/billing_service.grpc.pb.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/notification/v1/notification_service.grpc.pb.h"
#include "jobledger/reporting/v1/reporting_service.grpc.pb.h"
#include "jobledger/scheduling/v1/scheduling_service.grpc.pb.h"
#include "jobledger/testing/child_process.h"

namespace jobledger::e2e {

enum class Backend { kEmbedded, kKafka };

std::string BackendName(Backend backend);

// One SMS the local provider accepted (a line of <data-dir>/outbox/sms/messages.jsonl).
struct Sms {
  std::string key;  // the Idempotency-Key the notification service sent
  std::string to;
  std::string body;
};

// One email the local SMTP provider stored (<data-dir>/outbox/mail/accepted/<seq>.json).
struct Email {
  std::string message_id;
  std::string to;
  std::string subject;
  std::string body;
};

// "code N: message", for failure messages.
std::string Describe(const grpc::Status& status);

// A process `jl up` started, from <data-dir>/run/system.json.
struct StartedProcess {
  std::string name;
  int pid = 0;
  long long start_ticks = 0;
};

// The services' names, in the order `jl up` starts them.
const std::vector<std::string>& ServiceNames();

class System {
 public:
  // `data_dir` must not exist yet or be a directory the system owns. Ports are the defaults
  // plus `port_offset`. `up_flags` are added to every `jl up` (e.g. --smtp-url).
  System(Backend backend, std::string data_dir, int port_offset,
         std::vector<std::string> up_flags = {});
  ~System();  // `jl down`, and the dev broker stopped

  System(const System&) = delete;
  System& operator=(const System&) = delete;

  Backend backend() const { return backend_; }
  const std::string& data_dir() const { return data_dir_; }

  // `jl up --no-demo` (the dev broker first, on the Kafka backend): returns once every service
  // answers. Fails with jl's output. On a partly running system it starts only what is missing.
  absl::Status Up();
  // `jl down`: every process stopped gracefully.
  absl::Status Down();
  // SIGKILL to every process `jl up` started (services and providers), as a power cut would;
  // returns once they are all gone. <data-dir>/run/system.json is left as it was.
  absl::Status KillAll();
  // SIGKILL to the one process `jl up` started as `name`; returns once it is gone.
  absl::Status Kill(const std::string& name);
  // The dev broker (Kafka backend) refuses and drops every connection until BrokerUp(), keeping
  // what it stores, as a broker outage would (`jl devbroker`'s SIGUSR1 and SIGUSR2).
  absl::Status BrokerDown();
  absl::Status BrokerUp();
  // System down: `jl projections verify` of every service, which rebuilds each projection from
  // the log (on disk, or the dev broker's topics: the broker keeps running) and compares it with
  // the store. Fails with jl's output.
  absl::Status VerifyProjections() const;
  absl::StatusOr<std::vector<StartedProcess>> Processes() const;

  // `jl ARGS` (a command taking --data-dir gets this system's).
  cli::testing::JlRun Jl(std::vector<std::string> args) const;

  // A bearer token for `subject` acting as `role` in tenant "acme".
  std::string Token(auth::Role role, const std::string& subject) const;
  std::string Address(const std::string& service) const;

  job::v1::CustomerService::Stub& customers() { return *customers_; }
  job::v1::JobService::Stub& jobs() { return *jobs_; }
  scheduling::v1::TechnicianService::Stub& technicians() { return *technicians_; }
  scheduling::v1::DispatchService::Stub& dispatch() { return *dispatch_; }
  billing::v1::BillingService::Stub& billing() { return *billing_; }
  notification::v1::NotificationService::Stub& notifications() { return *notifications_; }
  reporting::v1::ReportingService::Stub& reporting() { return *reporting_; }

  // Every text the local SMS provider accepted, in order.
  std::vector<Sms> SmsSent() const;
  // Every email the local SMTP provider stored, in order (a repeated Message-ID is not stored).
  std::vector<Email> EmailsSent() const;

 private:
  void Connect();

  const Backend backend_;
  const std::string data_dir_;
  const int port_offset_;
  const std::vector<std::string> up_flags_;
  std::string bootstrap_;  // the dev broker's, on the Kafka backend
  std::unique_ptr<testing::ChildProcess> broker_;
  std::string key_;

  std::unique_ptr<job::v1::CustomerService::Stub> customers_;
  std::unique_ptr<job::v1::JobService::Stub> jobs_;
  std::unique_ptr<scheduling::v1::TechnicianService::Stub> technicians_;
  std::unique_ptr<scheduling::v1::DispatchService::Stub> dispatch_;
  std::unique_ptr<billing::v1::BillingService::Stub> billing_;
  std::unique_ptr<notification::v1::NotificationService::Stub> notifications_;
  std::unique_ptr<reporting::v1::ReportingService::Stub> reporting_;
};

// Calls `method` with `token`, retrying UNAVAILABLE (a service still starting or catching up)
// for up to 60 s; the final status is returned as is.
template <typename Stub, typename Request, typename Reply>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                  const std::string& token, const Request& request, Reply* reply) {
  const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(60);
  auto backoff = std::chrono::milliseconds(50);
  while (true) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    context.set_wait_for_ready(true);
    reply->Clear();
    grpc::Status status = (stub.*method)(&context, request, reply);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        std::chrono::system_clock::now() + backoff >= deadline) {
      return status;
    }
    std::this_thread::sleep_for(backoff);  // a retry's back-off, not a wait for a condition
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace jobledger::e2e
