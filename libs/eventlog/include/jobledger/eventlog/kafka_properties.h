// librdkafka properties given by operators: `KEY=VALUE` flags, and properties files (what a
// Kubernetes Secret mounts, so that SASL passwords and key paths never appear in a command line).
#pragma once

#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::eventlog {

using KafkaProperties = std::map<std::string, std::string>;

// "KEY=VALUE" (the value may contain '='; spaces around the '=' are dropped): INVALID_ARGUMENT
// quoting the text when there is no '=' or no key.
absl::StatusOr<std::pair<std::string, std::string>> ParseKafkaProperty(absl::string_view text);

// One property per line as KEY=VALUE; blank lines and lines starting with '#' are skipped.
// INVALID_ARGUMENT naming the file and line of a malformed one; NOT_FOUND when it cannot be read.
absl::StatusOr<KafkaProperties> ReadKafkaPropertiesFile(const std::string& path);

}  // namespace jobledger::eventlog
