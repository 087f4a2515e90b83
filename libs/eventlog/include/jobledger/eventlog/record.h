// A log record: what both log backends store and return (Kafka's key, value and headers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jobledger::eventlog {

struct Header {
  std::string key;
  std::string value;
  friend bool operator==(const Header&, const Header&) = default;
};

struct Record {
  std::string key;
  std::string value;
  std::vector<Header> headers;
  // Set by the log on read: where the record is, and when it was appended.
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  absl::Time timestamp = absl::InfinitePast();

  // The first header named `name`, or nullptr.
  const std::string* FindHeader(absl::string_view name) const {
    for (const Header& header : headers) {
      if (header.key == name) return &header.value;
    }
    return nullptr;
  }
};

}  // namespace jobledger::eventlog
