// The analyst commands' shared flags.
#include "analyst_flags.h"

#include <cstdint>
#include <limits>

#include "event_filter.h"
#include "jobledger/eventlog/kafka_properties.h"

namespace jobledger::cli {
namespace {

// Refuses what ParseTimeFlag cannot read while CLI11 parses, so a typo is a usage error.
CLI::Validator TimeValidator() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        absl::Time time;
        std::string error;
        if (ParseTimeFlag(text, &time, &error)) return "";
        return "expected RFC 3339 (2026-03-01T08:00:00Z) or a date (2026-03-01): " + error;
      },
      "TIME");
}

absl::Time ParsedTime(const std::string& text) {
  absl::Time time;
  std::string ignored;
  static_cast<void>(ParseTimeFlag(text, &time, &ignored));  // TimeValidator accepted it already
  return time;
}

}  // namespace

CLI::Validator NotNegative() { return CLI::Range(int64_t{0}, std::numeric_limits<int64_t>::max()); }

void AddLogSourceFlags(CLI::App& command, LogSourceFlags& flags) {
  command
      .add_option("--data-dir", flags.options.data_dir,
                  "Data directory; the embedded log is <dir>/log, else <dir>/../log")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command.add_option("--log-dir", flags.options.log_dir, "The embedded log directory itself")
      ->envname("JOBLEDGER_LOG_DIR");
  command
      .add_option("--kafka", flags.options.kafka_bootstrap,
                  "Read Kafka at these bootstrap servers (host:port,...) instead of the embedded "
                  "log")
      ->envname("JOBLEDGER_KAFKA_BOOTSTRAP");
  command
      .add_option("--kafka-property", flags.kafka_properties,
                  "A librdkafka property for Kafka, e.g. security.protocol=SASL_SSL (repeatable)")
      ->check(
          [](const std::string& text) -> std::string {
            const absl::Status parsed = eventlog::ParseKafkaProperty(text).status();
            return parsed.ok() ? "" : std::string(parsed.message());
          },
          "KEY=VALUE");
  command
      .add_option("--kafka-properties-file", flags.options.kafka_properties_file,
                  "librdkafka properties for Kafka, one KEY=VALUE per line (# comments)")
      ->envname("JOBLEDGER_KAFKA_PROPERTIES_FILE")
      ->check(CLI::ExistingFile);
}

void AddTopicFlag(CLI::App& command, std::vector<std::string>& topics) {
  command.add_option("--topic", topics,
                     "Topic to read (repeatable; default: all jobledger topics)");
}

void AddSelectionFlags(CLI::App& command, SelectionFlags& flags) {
  AddLogSourceFlags(command, flags.source);
  AddTopicFlag(command, flags.selection.topics);
  SelectionOptions& selection = flags.selection;
  command
      .add_option("--from-offset", selection.from_offset, "Start every partition at this offset")
      ->check(NotNegative());
  command.add_option("--from-time", flags.from_time, "Only events that occurred at or after TIME")
      ->check(TimeValidator());
  command.add_option("--until-time", flags.until_time, "Only events that occurred before TIME")
      ->check(TimeValidator());
  command.add_option("--type", selection.filter.types,
                     "Only events of this type: full (jobledger.job.v1.JobCreated) or short "
                     "(JobCreated) name (repeatable)");
  command.add_option(
      "--job", selection.filter.job_id,
      "Only events about this job: its aggregate id, or a job_id in the payload equal to it");
  command.add_option("--tenant", selection.filter.tenant, "Only events of this tenant");
  command.add_option("--limit", selection.limit, "At most N events (0: all)")->check(NotNegative());
}

LogSourceOptions ToLogSourceOptions(const LogSourceFlags& flags) {
  LogSourceOptions options = flags.options;
  for (const std::string& text : flags.kafka_properties) {
    auto property = eventlog::ParseKafkaProperty(text);  // the parser has refused bad ones
    if (property.ok()) options.kafka_properties[property->first] = property->second;
  }
  return options;
}

SelectionOptions ToSelectionOptions(const SelectionFlags& flags) {
  SelectionOptions options = flags.selection;
  if (!flags.from_time.empty()) options.filter.from_time = ParsedTime(flags.from_time);
  if (!flags.until_time.empty()) options.filter.until_time = ParsedTime(flags.until_time);
  return options;
}

}  // namespace jobledger::cli
