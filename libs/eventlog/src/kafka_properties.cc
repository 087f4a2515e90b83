#include "jobledger/eventlog/kafka_properties.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace jobledger::eventlog {

absl::StatusOr<std::pair<std::string, std::string>> ParseKafkaProperty(absl::string_view text) {
  const size_t equals = text.find('=');
  const absl::string_view key =
      absl::StripAsciiWhitespace(text.substr(0, std::min(equals, text.size())));
  if (equals == absl::string_view::npos || key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Kafka property \"", text, "\" is not KEY=VALUE"));
  }
  return std::make_pair(std::string(key),
                        std::string(absl::StripLeadingAsciiWhitespace(text.substr(equals + 1))));
}

absl::StatusOr<KafkaProperties> ReadKafkaPropertiesFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read Kafka properties file ", path));
  KafkaProperties properties;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty() || content.front() == '#') continue;
    auto property = ParseKafkaProperty(content);
    if (!property.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", property.status().message()));
    }
    properties[property->first] = std::move(property->second);
  }
  return properties;
}

}  // namespace jobledger::eventlog
