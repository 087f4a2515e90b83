// The billing service, wired: log, projection, writers, commands, queries, chargeback reactions
// and the gRPC server. main() parses flags into BillingServerOptions; tests start it in-process on
// port 0.
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

namespace jobledger::billing {

struct BillingServerOptions {
  server::ServerConfig server;
  eventlog::EventLog* log = nullptr;  // embedded or Kafka; owned by the caller
  std::string billing_topic = "jobledger.billing.events";
  std::string job_topic = "jobledger.job.events";
  // The job service (host:port), asked to create the jobs of converted estimates; or a port of
  // one's own (tests).
  std::string job_address;
  job::JobsPort* jobs = nullptr;
  absl::TimeZone time_zone = absl::UTCTimeZone();
  std::string business_name;  // on invoice PDFs
  absl::Duration topic_wait = absl::InfiniteDuration();
  size_t projection_cache_bytes = 64 << 20;
};

class BillingServer {
 public:
  static absl::StatusOr<std::unique_ptr<BillingServer>> Start(BillingServerOptions options);
  ~BillingServer();

  int port() const;
  server::Server& grpc_server();
  int Run(server::ShutdownSignals& signals);
  absl::Status Shutdown();

 private:
  struct Parts;
  explicit BillingServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace jobledger::billing
