// Opening the log for the analyst commands.
#include "log_source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/status.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/kafka_log.h"
#include "jobledger/eventlog/kafka_properties.h"
#include "jobledger/eventlog/topics.h"

namespace jobledger::cli {
namespace {

std::string EmbeddedLogDir(const LogSourceOptions& options) {
  if (!options.log_dir.empty()) return options.log_dir;
  const std::filesystem::path data_dir(options.data_dir);
  std::error_code error;
  if (std::filesystem::exists(data_dir / "log", error)) return (data_dir / "log").string();
  return (data_dir.parent_path() / "log").string();
}

}  // namespace

absl::StatusOr<std::unique_ptr<eventlog::EventLog>> OpenLogSource(const LogSourceOptions& options) {
  if (!options.kafka_bootstrap.empty()) {
    eventlog::KafkaLogOptions kafka;
    kafka.bootstrap_servers = options.kafka_bootstrap;
    kafka.client_id = "jobledger-jl";
    if (!options.kafka_properties_file.empty()) {
      JL_ASSIGN_OR_RETURN(kafka.properties,
                          eventlog::ReadKafkaPropertiesFile(options.kafka_properties_file));
    }
    for (const auto& [name, value] : options.kafka_properties) kafka.properties[name] = value;
    JL_ASSIGN_OR_RETURN(auto log, eventlog::KafkaLog::Create(std::move(kafka)));
    return std::unique_ptr<eventlog::EventLog>(std::move(log));
  }
  eventlog::EmbeddedLogOptions embedded;
  embedded.directory = EmbeddedLogDir(options);
  std::error_code error;
  if (!std::filesystem::is_directory(embedded.directory, error)) {
    return absl::NotFoundError(absl::StrCat("no embedded log at ", embedded.directory,
                                            " (give --data-dir, --log-dir or --kafka)"));
  }
  JL_ASSIGN_OR_RETURN(auto log, eventlog::EmbeddedLog::Open(std::move(embedded)));
  return std::unique_ptr<eventlog::EventLog>(std::move(log));
}

absl::StatusOr<std::vector<eventlog::TopicSpec>> SelectTopics(
    eventlog::EventLog& log, const std::vector<std::string>& wanted) {
  std::vector<eventlog::TopicSpec> selected;
  if (!wanted.empty()) {
    for (const std::string& topic : wanted) {
      if (std::any_of(selected.begin(), selected.end(),
                      [&](const eventlog::TopicSpec& spec) { return spec.name == topic; })) {
        continue;
      }
      JL_ASSIGN_OR_RETURN(const int32_t partitions, log.PartitionCount(topic));  // names it
      selected.push_back({topic, partitions});
    }
    return selected;
  }
  JL_ASSIGN_OR_RETURN(const std::vector<eventlog::TopicSpec> existing, log.ListTopics());
  for (absl::string_view topic : eventlog::kAllTopics) {
    for (const eventlog::TopicSpec& spec : existing) {
      if (spec.name == topic) selected.push_back(spec);
    }
  }
  if (selected.empty()) {
    return absl::NotFoundError("the log has none of the jobledger topics yet");
  }
  return selected;
}

}  // namespace jobledger::cli
