// The scheduling service, wired: log, projections, writers, commands, queries, reactions, the
// agreement planner and the gRPC server. main() parses flags into SchedulingServerOptions; tests
// start it in-process on port 0.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/server/config.h"
#include "jobledger/server/server.h"

namespace jobledger::job {
class JobsPort;
}  // namespace jobledger::job

namespace jobledger::scheduling {

using job::JobsPort;

struct SchedulingServerOptions {
  server::ServerConfig server;
  eventlog::EventLog* log = nullptr;  // embedded or Kafka; owned by the caller
  std::string scheduling_topic = "jobledger.scheduling.events";
  std::string job_topic = "jobledger.job.events";
  // The job service (host:port), moved along by reactions and asked to create agreements' jobs;
  // or a port of one's own (tests).
  std::string job_address;
  JobsPort* jobs = nullptr;
  absl::TimeZone time_zone = absl::UTCTimeZone();
  absl::Duration topic_wait = absl::InfiniteDuration();
  size_t projection_cache_bytes = 64 << 20;
  absl::Duration agreement_planning_interval = absl::Hours(1);
};

class SchedulingServer {
 public:
  static absl::StatusOr<std::unique_ptr<SchedulingServer>> Start(SchedulingServerOptions options);
  ~SchedulingServer();

  int port() const;
  server::Server& grpc_server();
  int Run(server::ShutdownSignals& signals);
  absl::Status Shutdown();
  // Plans agreements' due visits now (tests; the planner also runs on its interval).
  void WakePlanner();

 private:
  struct Parts;
  explicit SchedulingServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace jobledger::scheduling
