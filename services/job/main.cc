// jobledger-job: the job service process. Wiring only; see job_server.h.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "job_server.h"
#include "jobledger/eventlog/service_log.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/server/log.h"

namespace {

using jobledger::server::Level;
using jobledger::server::Log;

struct JobFlags {
  std::string kafka_bootstrap;
  std::string log_dir;
  std::string billing_address;
  std::string time_zone = "UTC";
  int partitions = jobledger::eventlog::kDefaultPartitions;
  int projection_cache_mb = 64;
};

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each thread that allocates its own arena (up to 8 per core), and memory freed in
  // one (list pages, evicted cache blocks) is kept there: with 1M jobs that held 100 MiB of free
  // memory, half the RSS. Two arenas keep it at the projection cache plus ~100 MiB, at no cost
  // measured in list or command latency (docs/performance.md). MALLOC_ARENA_MAX still wins.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7101";
  defaults.metrics_listen = "0.0.0.0:9101";
  JobFlags flags;
  jobledger::job::JobServerOptions options;
  options.server =
      jobledger::server::ParseServerConfigOrExit(argc, argv, "job", defaults, [&](CLI::App& app) {
        app.add_option("--kafka-bootstrap", flags.kafka_bootstrap,
                       "Kafka bootstrap servers; the embedded log when empty")
            ->envname("JOBLEDGER_KAFKA_BOOTSTRAP");
        app.add_option("--log-dir", flags.log_dir,
                       "embedded log directory shared by all services (default <data-dir>/../log)")
            ->envname("JOBLEDGER_LOG_DIR");
        app.add_option("--billing-address", flags.billing_address,
                       "billing service host:port, asked before reopening a job")
            ->envname("JOBLEDGER_BILLING_ADDRESS");
        app.add_option("--time-zone", flags.time_zone, "the tenants' time zone (IANA name)")
            ->envname("JOBLEDGER_TIME_ZONE");
        app.add_option("--partitions", flags.partitions,
                       "partitions of the job topic when the embedded log creates it")
            ->envname("JOBLEDGER_PARTITIONS")
            ->check(CLI::Range(1, 256));
        app.add_option("--projection-cache-mb", flags.projection_cache_mb,
                       "memory of the projection stores (block cache, index and filter blocks, "
                       "memtables), in MiB")
            ->envname("JOBLEDGER_PROJECTION_CACHE_MB")
            ->check(CLI::Range(8, 65536));
      });
  if (options.server.data_dir.empty()) {
    std::fprintf(stderr, "%s: --data-dir: required (the projection and attachments live there)\n",
                 argv[0]);
    return 2;
  }
  if (!absl::LoadTimeZone(flags.time_zone, &options.time_zone)) {
    std::fprintf(stderr, "%s: --time-zone: unknown zone \"%s\"\n", argv[0],
                 flags.time_zone.c_str());
    return 2;
  }
  jobledger::eventlog::ServiceLogOptions log_options;
  log_options.kafka_bootstrap = flags.kafka_bootstrap;
  log_options.client_id = "jobledger-job";
  log_options.log_dir =
      flags.log_dir.empty()
          ? (std::filesystem::path(options.server.data_dir).parent_path() / "log").string()
          : flags.log_dir;
  log_options.owned_topic = std::string(jobledger::eventlog::kJobTopic);
  log_options.partitions = flags.partitions;
  auto log = jobledger::eventlog::OpenServiceLog(log_options);
  if (!log.ok()) {
    Log(Level::kError, log.status().message());
    return 1;
  }
  options.log = log->get();
  options.billing_address = flags.billing_address;
  options.projection_cache_bytes = static_cast<size_t>(flags.projection_cache_mb) << 20;
  auto server = jobledger::job::JobServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
