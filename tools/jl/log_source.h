// The log the analyst commands read: the embedded log on this machine, or Kafka. Read-only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::cli {

struct LogSourceOptions {
  std::string data_dir = "./data";
  // Empty: <data-dir>/log, or else <data-dir>/../log (a service's data dir sits beside the log).
  std::string log_dir;
  // Non-empty: read Kafka at these bootstrap servers instead of the embedded log.
  std::string kafka_bootstrap;
  // librdkafka properties (security.protocol, sasl.*, ssl.*) for Kafka: those of the file, then
  // these (which win).
  std::string kafka_properties_file;
  std::map<std::string, std::string> kafka_properties;
};

// Opens the log without owning any topic, so it never writes; a missing embedded log directory is
// NOT_FOUND rather than an empty log being created.
absl::StatusOr<std::unique_ptr<eventlog::EventLog>> OpenLogSource(const LogSourceOptions& options);

// The topics to read with their partition counts: `wanted`, each of which must exist, or when
// `wanted` is empty every jobledger topic the log has.
absl::StatusOr<std::vector<eventlog::TopicSpec>> SelectTopics(
    eventlog::EventLog& log, const std::vector<std::string>& wanted);

}  // namespace jobledger::cli
