// The job service, wired: log, projection, writers, commands, queries, content store and the
// gRPC server. main() parses flags into JobServerOptions; tests start it in-process on port 0.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/server/config.h"
#include "jobledger/server/server.h"

namespace jobledger::job {

class InvoiceLookup;

struct JobServerOptions {
  server::ServerConfig server;
  eventlog::EventLog* log = nullptr;  // embedded or Kafka; owned by the caller
  std::string job_topic = "jobledger.job.events";
  std::string scheduling_topic = "jobledger.scheduling.events";
  // The billing service, asked before a completed job is reopened (host:port); or a lookup of
  // one's own (tests).
  std::string billing_address;
  InvoiceLookup* invoices = nullptr;
  absl::TimeZone time_zone = absl::UTCTimeZone();
  // How long to wait for the topics this service reads to exist (another service creates its
  // own); readiness stays NOT_SERVING meanwhile.
  absl::Duration topic_wait = absl::InfiniteDuration();
  int64_t max_attachment_bytes = 100 << 20;
  // The projection stores' memory budget: one block cache that their blocks, index and filter
  // blocks and memtables are all charged to (--projection-cache-mb).
  size_t projection_cache_bytes = 64 << 20;
};

class JobServer {
 public:
  static absl::StatusOr<std::unique_ptr<JobServer>> Start(JobServerOptions options);
  ~JobServer();

  int port() const;
  server::Server& grpc_server();
  // Serves until SIGTERM/SIGINT; returns the process exit code.
  int Run(server::ShutdownSignals& signals);
  absl::Status Shutdown();

 private:
  struct Parts;
  explicit JobServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace jobledger::job
