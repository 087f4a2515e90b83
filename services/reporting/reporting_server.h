// The reporting service, wired: log, projection, dispatch views, reports, history and the gRPC
// server. main() parses flags into ReportingServerOptions; tests start it in-process on port 0.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "board_snapshots.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/config.h"
#include "jobledger/server/server.h"

namespace jobledger::reporting {

struct ReportingServerOptions {
  server::ServerConfig server;
  eventlog::EventLog* log = nullptr;  // embedded or Kafka; owned by the caller
  std::string job_topic = "jobledger.job.events";
  std::string scheduling_topic = "jobledger.scheduling.events";
  std::string billing_topic = "jobledger.billing.events";
  std::string notification_topic = "jobledger.notification.events";
  // The tenants' local days: "today", visit days, revenue dates. Changing it needs a rebuild of
  // the projection (delete <data-dir>/projections).
  absl::TimeZone time_zone = absl::UTCTimeZone();
  const Clock* clock = &SystemClock();
  absl::Duration topic_wait = absl::InfiniteDuration();
  size_t projection_cache_bytes = 64 << 20;
  // Past dispatch boards (`as_of`), built under <data-dir>/board-snapshots.
  BoardSnapshotLimits board_snapshots;
};

class ReportingServer {
 public:
  static absl::StatusOr<std::unique_ptr<ReportingServer>> Start(ReportingServerOptions options);
  ~ReportingServer();

  int port() const;
  server::Server& grpc_server();
  // The reporting projection (tests wait on it).
  const projection::ProjectionRunner& projection() const;
  int Run(server::ShutdownSignals& signals);
  absl::Status Shutdown();

 private:
  struct Parts;
  explicit ReportingServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace jobledger::reporting
