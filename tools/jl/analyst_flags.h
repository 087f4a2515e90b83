// The flags `jl replay`, `jl export` and `jl verify` share: where the log is, and what to read.
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "event_selection.h"
#include "log_source.h"

namespace jobledger::cli {

struct LogSourceFlags {
  LogSourceOptions options;
  std::vector<std::string> kafka_properties;  // KEY=VALUE
};

struct SelectionFlags {
  LogSourceFlags source;
  SelectionOptions selection;
  std::string from_time;  // as given; checked by the parser, converted by ToSelectionOptions
  std::string until_time;
};

// A count or offset: 0 or more.
CLI::Validator NotNegative();

// --data-dir, --log-dir, --kafka, --kafka-property, --kafka-properties-file.
void AddLogSourceFlags(CLI::App& command, LogSourceFlags& flags);
// --topic (repeatable).
void AddTopicFlag(CLI::App& command, std::vector<std::string>& topics);
// The source, --topic, --from-offset, --from-time, --until-time, --type, --job, --tenant, --limit.
void AddSelectionFlags(CLI::App& command, SelectionFlags& flags);

// The source's options with the parsed --kafka-property pairs.
LogSourceOptions ToLogSourceOptions(const LogSourceFlags& flags);
// The selection with the parsed times (the parser has already refused malformed ones).
SelectionOptions ToSelectionOptions(const SelectionFlags& flags);

}  // namespace jobledger::cli
