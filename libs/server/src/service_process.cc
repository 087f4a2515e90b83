#include "jobledger/server/service_process.h"

#include <malloc.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/eventlog/kafka_properties.h"
#include "jobledger/eventlog/service_log.h"

namespace jobledger::server {

void ServiceProcessFlags::AddTo(CLI::App& app) {
  app.add_option("--kafka-bootstrap", kafka_bootstrap,
                 "Kafka bootstrap servers; the embedded log when empty")
      ->envname("JOBLEDGER_KAFKA_BOOTSTRAP");
  app.add_option("--kafka-property", kafka_properties,
                 "a librdkafka property, e.g. security.protocol=SASL_SSL (repeatable; wins over "
                 "the file's)");
  app.add_option("--kafka-properties-file", kafka_properties_file,
                 "librdkafka properties, one KEY=VALUE per line (# comments): TLS and SASL "
                 "settings and secrets")
      ->envname("JOBLEDGER_KAFKA_PROPERTIES_FILE");
  app.add_option("--log-dir", log_dir,
                 "embedded log directory shared by all services (default <data-dir>/../log)")
      ->envname("JOBLEDGER_LOG_DIR");
  app.add_option("--time-zone", time_zone, "the tenants' time zone (IANA name)")
      ->envname("JOBLEDGER_TIME_ZONE")
      ->capture_default_str();
  app.add_option("--partitions", partitions,
                 "partitions of the service's topic when the embedded log creates it")
      ->envname("JOBLEDGER_PARTITIONS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--projection-cache-mb", projection_cache_mb,
                 "memory of the projection stores (block cache and memtables), in MiB")
      ->envname("JOBLEDGER_PROJECTION_CACHE_MB")
      ->check(CLI::Range(8, 65536))
      ->capture_default_str();
}

absl::StatusOr<ServiceProcess> OpenServiceProcess(const ServiceProcessFlags& flags,
                                                  const ServerConfig& server,
                                                  absl::string_view service,
                                                  absl::string_view owned_topic) {
  if (server.data_dir.empty()) {
    return absl::InvalidArgumentError("--data-dir: required (the projections live there)");
  }
  ServiceProcess process;
  if (!absl::LoadTimeZone(flags.time_zone, &process.time_zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--time-zone: unknown zone \"", flags.time_zone, "\""));
  }
  process.projection_cache_bytes = static_cast<size_t>(flags.projection_cache_mb) << 20;
  eventlog::ServiceLogOptions log_options;
  log_options.kafka_bootstrap = flags.kafka_bootstrap;
  log_options.client_id = absl::StrCat("jobledger-", service);
  if (!flags.kafka_properties_file.empty()) {
    auto properties = eventlog::ReadKafkaPropertiesFile(flags.kafka_properties_file);
    if (!properties.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--kafka-properties-file: ", properties.status().message()));
    }
    log_options.kafka_properties = *std::move(properties);
  }
  for (const std::string& text : flags.kafka_properties) {
    auto property = eventlog::ParseKafkaProperty(text);
    if (!property.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--kafka-property: ", property.status().message()));
    }
    log_options.kafka_properties[property->first] = std::move(property->second);
  }
  // "data/billing/" and "data/billing" both mean the log in "data/log".
  std::filesystem::path data_dir = std::filesystem::path(server.data_dir).lexically_normal();
  if (!data_dir.has_filename()) data_dir = data_dir.parent_path();
  log_options.log_dir =
      flags.log_dir.empty() ? (data_dir.parent_path() / "log").string() : flags.log_dir;
  log_options.owned_topic = std::string(owned_topic);
  log_options.partitions = flags.partitions;
  auto log = eventlog::OpenServiceLog(log_options);
  if (!log.ok()) return log.status();
  process.log = *std::move(log);
  return process;
}

void SetUpServiceProcess() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace jobledger::server
