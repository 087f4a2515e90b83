// The service chassis: a gRPC server with TLS, health (liveness and readiness), reflection,
// authentication and role checks on every RPC, metrics, access logs, trace propagation, and an
// orderly shutdown on SIGTERM. A service's main() is a few lines of wiring:
//
//   int main(int argc, char** argv) {
//     jobledger::server::ShutdownSignals signals;  // first, before any thread starts
//     ServerFlags defaults;
//     defaults.listen = "0.0.0.0:7001";
//     ServerOptions options;
//     options.config = ParseServerConfigOrExit(argc, argv, "job", defaults);
//     options.metrics = std::make_shared<prometheus::Registry>();
//     // ... start projections with RunnerOptions::metrics = options.metrics.get() ...
//     options.AddService<JobService>(&job_service)
//         .AddReadinessCheck("job_list", [&] { return runner->caught_up(); });
//     options.method_roles.Allow("/jobledger.job.v1.JobService/CreateJob",
//                                {Role::kDispatcher});
//     auto server = Server::Start(std::move(options));
//     if (!server.ok()) {
//       Log(Level::kError, server.status().message());
//       return 1;
//     }
//     (*server)->AddShutdownHook("projections", [&] { return runner->Stop(); });
//     return (*server)->Run(signals);
//   }
#pragma once

#include <signal.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/auth/method_roles.h"
#include "jobledger/server/config.h"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace jobledger::server {

// Health service names. The empty name (overall) follows readiness.
inline constexpr char kLivenessService[] = "liveness";
inline constexpr char kReadinessService[] = "readiness";

struct ReadinessCheck {
  std::string name;             // what is waited for, e.g. a projection's name (logged)
  std::function<bool()> ready;  // called from the readiness thread; must be quick and thread-safe
};

struct ServiceRegistration {
  grpc::Service* service = nullptr;
  std::string full_name;  // protobuf service name, "package.Service"
};

struct ServerOptions {
  ServerConfig config;
  // Generated synchronous services (`<Name>::Service` implementations); they must outlive the
  // server. Every method is behind authentication and the role table.
  std::vector<ServiceRegistration> services;
  // Which roles may call which method; a method not in the table is refused for everyone.
  auth::MethodRoles method_roles;
  // All must hold for readiness to be SERVING (e.g. ProjectionRunner::caught_up).
  std::vector<ReadinessCheck> readiness_checks;
  // The process's metrics registry (shared with projections); Start makes one when null.
  std::shared_ptr<prometheus::Registry> metrics;
  // How often readiness checks are re-evaluated.
  absl::Duration readiness_interval = absl::Milliseconds(100);

  // `Generated` is the protoc-generated class (e.g. JobService), named explicitly:
  // `options.AddService<JobService>(&impl)` where impl derives from JobService::Service.
  template <typename Generated>
  ServerOptions& AddService(typename Generated::Service* service) {
    services.push_back({service, Generated::service_full_name()});
    return *this;
  }
  ServerOptions& AddReadinessCheck(std::string name, std::function<bool()> ready) {
    readiness_checks.push_back({std::move(name), std::move(ready)});
    return *this;
  }
};

// SIGINT and SIGTERM, taken by a thread through sigtimedwait instead of an async-signal handler.
// Construct it first thing in main(): it blocks both signals in the calling thread, and threads
// started later inherit the mask, so no thread is ever interrupted by them.
class ShutdownSignals {
 public:
  ShutdownSignals();
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // The number of a pending SIGINT or SIGTERM, waiting at most `timeout`; 0 when none came.
  int Wait(absl::Duration timeout);

 private:
  sigset_t signals_;
  sigset_t previous_mask_;
};

class Server {
 public:
  // Validates the role table against the services, binds the gRPC and metrics ports and starts
  // serving with readiness NOT_SERVING until every readiness check holds.
  static absl::StatusOr<std::unique_ptr<Server>> Start(ServerOptions options);
  ~Server();  // shuts down (without waiting for a signal) if that has not happened
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  int metrics_port() const;
  const std::shared_ptr<prometheus::Registry>& metrics() const { return options_.metrics; }
  // What the readiness health service reports.
  bool ready() const ABSL_LOCKS_EXCLUDED(mu_);

  // Runs at shutdown after the RPCs have drained, in the order added (e.g. flush the producer,
  // then stop projections). A failing hook is logged, the others still run.
  void AddShutdownHook(std::string name, std::function<absl::Status()> hook)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Serves until SIGTERM or SIGINT (or RequestShutdown), then shuts down. Returns the process exit
  // code: 0 after an orderly shutdown, 1 when a shutdown hook failed. A second signal exits the
  // process at once with 128 + the signal number.
  int Run(ShutdownSignals& signals);
  // Makes Run return (through Shutdown) as a signal would.
  void RequestShutdown() ABSL_LOCKS_EXCLUDED(mu_);

  // Readiness NOT_SERVING, then drain: new RPCs are refused, in-flight ones get up to
  // config.shutdown_grace to finish and are cancelled after it; then the hooks run. Idempotent;
  // returns the first hook failure.
  absl::Status Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Internals;

  explicit Server(ServerOptions options);
  void ReadinessLoop() ABSL_LOCKS_EXCLUDED(mu_);
  void SetReady(bool ready, absl::string_view waiting_for) ABSL_LOCKS_EXCLUDED(mu_);

  ServerOptions options_;
  std::unique_ptr<Internals> internals_;
  int port_ = 0;
  bool started_ = false;  // Start completed; only then is there anything to shut down

  mutable absl::Mutex mu_;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_started_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status shutdown_result_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, std::function<absl::Status()>>> hooks_ ABSL_GUARDED_BY(mu_);
  std::thread readiness_thread_;
};

}  // namespace jobledger::server
