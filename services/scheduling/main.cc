// jobledger-scheduling: the scheduling service process. Wiring only; see scheduling_server.h.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "jobledger/eventlog/service_log.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/server/log.h"
#include "scheduling_server.h"

namespace {

using jobledger::server::Level;
using jobledger::server::Log;

struct SchedulingFlags {
  std::string kafka_bootstrap;
  std::string log_dir;
  std::string job_address = "127.0.0.1:7101";
  std::string time_zone = "UTC";
  int partitions = jobledger::eventlog::kDefaultPartitions;
  int projection_cache_mb = 64;
  std::string planning_interval = "1h";
};

}  // namespace

int main(int argc, char** argv) {
  // Few malloc arenas: memory freed by one thread stays reusable by the others (see the job
  // service's main for the measurement).
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7102";
  defaults.metrics_listen = "0.0.0.0:9102";
  SchedulingFlags flags;
  jobledger::scheduling::SchedulingServerOptions options;
  options.server = jobledger::server::ParseServerConfigOrExit(
      argc, argv, "scheduling", defaults, [&](CLI::App& app) {
        app.add_option("--kafka-bootstrap", flags.kafka_bootstrap,
                       "Kafka bootstrap servers; the embedded log when empty")
            ->envname("JOBLEDGER_KAFKA_BOOTSTRAP");
        app.add_option("--log-dir", flags.log_dir,
                       "embedded log directory shared by all services (default <data-dir>/../log)")
            ->envname("JOBLEDGER_LOG_DIR");
        app.add_option("--job-address", flags.job_address,
                       "job service host:port, moved along by dispatch and asked for agreements' "
                       "jobs")
            ->envname("JOBLEDGER_JOB_ADDRESS")
            ->capture_default_str();
        app.add_option("--time-zone", flags.time_zone, "the tenants' time zone (IANA name)")
            ->envname("JOBLEDGER_TIME_ZONE");
        app.add_option("--partitions", flags.partitions,
                       "partitions of the scheduling topic when the embedded log creates it")
            ->envname("JOBLEDGER_PARTITIONS")
            ->check(CLI::Range(1, 256));
        app.add_option("--projection-cache-mb", flags.projection_cache_mb,
                       "memory of the projection stores, in MiB")
            ->envname("JOBLEDGER_PROJECTION_CACHE_MB")
            ->check(CLI::Range(8, 65536));
        app.add_option("--planning-interval", flags.planning_interval,
                       "how often agreements' due visits are created (e.g. 1h, 10m)")
            ->envname("JOBLEDGER_PLANNING_INTERVAL")
            ->capture_default_str();
      });
  if (options.server.data_dir.empty()) {
    std::fprintf(stderr, "%s: --data-dir: required (the projections live there)\n", argv[0]);
    return 2;
  }
  if (!absl::LoadTimeZone(flags.time_zone, &options.time_zone)) {
    std::fprintf(stderr, "%s: --time-zone: unknown zone \"%s\"\n", argv[0],
                 flags.time_zone.c_str());
    return 2;
  }
  if (!absl::ParseDuration(flags.planning_interval, &options.agreement_planning_interval) ||
      options.agreement_planning_interval < absl::Seconds(1)) {
    std::fprintf(stderr, "%s: --planning-interval: a duration of at least 1s such as 1h\n",
                 argv[0]);
    return 2;
  }
  jobledger::eventlog::ServiceLogOptions log_options;
  log_options.kafka_bootstrap = flags.kafka_bootstrap;
  log_options.client_id = "jobledger-scheduling";
  log_options.log_dir =
      flags.log_dir.empty()
          ? (std::filesystem::path(options.server.data_dir).parent_path() / "log").string()
          : flags.log_dir;
  log_options.owned_topic = std::string(jobledger::eventlog::kSchedulingTopic);
  log_options.partitions = flags.partitions;
  auto log = jobledger::eventlog::OpenServiceLog(log_options);
  if (!log.ok()) {
    Log(Level::kError, log.status().message());
    return 1;
  }
  options.log = log->get();
  options.job_address = flags.job_address;
  options.projection_cache_bytes = static_cast<size_t>(flags.projection_cache_mb) << 20;
  auto server = jobledger::scheduling::SchedulingServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
