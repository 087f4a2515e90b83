// What every service process's main() shares: the flags of its log (Kafka or the embedded one),
// the tenants' time zone, its topic's partitions and its projections' memory, turned into an
// open log; and the process settings all services run with.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/server/config.h"

namespace jobledger::server {

struct ServiceProcessFlags {
  std::string kafka_bootstrap;
  std::vector<std::string> kafka_properties;  // KEY=VALUE
  std::string kafka_properties_file;
  std::string log_dir;
  std::string time_zone = "UTC";
  int partitions = eventlog::kDefaultPartitions;
  int projection_cache_mb = 64;

  // --kafka-bootstrap, --kafka-property, --kafka-properties-file, --log-dir, --time-zone,
  // --partitions, --projection-cache-mb.
  void AddTo(CLI::App& app);
};

struct ServiceProcess {
  std::unique_ptr<eventlog::EventLog> log;
  absl::TimeZone time_zone;
  size_t projection_cache_bytes = 0;
};

// Checks the flags (INVALID_ARGUMENT naming the flag) and opens the service's log: Kafka with
// client id "jobledger-<service>", or the embedded log in --log-dir (default <data-dir>/../log),
// where the service owns `owned_topic`.
absl::StatusOr<ServiceProcess> OpenServiceProcess(const ServiceProcessFlags& flags,
                                                  const ServerConfig& server,
                                                  absl::string_view service,
                                                  absl::string_view owned_topic);

// Process-wide settings every service's main() makes first:
// - Few malloc arenas: glibc gives each allocating thread its own (up to 8 per core), and memory
//   freed in one (list pages, evicted cache blocks) stays there; with 1M jobs that held 100 MiB of
//   free memory, half the RSS. Two arenas keep it at the projection cache plus ~100 MiB at no
//   measured latency cost (docs/performance.md). MALLOC_ARENA_MAX still wins.
// - No mutex deadlock detection: Debian's abseil is built with it on, and its lock graph costs
//   every Mutex::Lock (2 – 4% of a loaded service's CPU); the tests keep it.
void SetUpServiceProcess();

}  // namespace jobledger::server
