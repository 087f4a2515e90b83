// Order-preserving composite keys: encoded keys compare bytewise (RocksDB's default order) exactly
// as their parts compare in turn, so one prefix scan serves "tenant, then status, then newest
// first" and similar orders.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jobledger::projection {

class KeyBuilder {
 public:
  // Strings sort bytewise; 0x00 bytes are escaped so a string never runs into the next part and a
  // shorter string sorts before any longer one that starts with it.
  KeyBuilder& String(absl::string_view value);
  KeyBuilder& Int64(int64_t value);
  // Reverse order: larger values first (e.g. newest first).
  KeyBuilder& Int64Descending(int64_t value);
  KeyBuilder& Time(absl::Time value);  // microseconds since the Unix epoch
  KeyBuilder& TimeDescending(absl::Time value);
  // Bytes already encoded by another KeyBuilder (a prefix or a whole key).
  KeyBuilder& Raw(absl::string_view encoded);

  const std::string& key() const { return key_; }
  std::string Build() && { return std::move(key_); }

 private:
  std::string key_;
};

// Reads the parts back in the order they were written.
class KeyReader {
 public:
  explicit KeyReader(absl::string_view key) : rest_(key) {}
  absl::StatusOr<std::string> String();
  absl::StatusOr<int64_t> Int64();
  absl::StatusOr<int64_t> Int64Descending();
  absl::StatusOr<absl::Time> Time();
  absl::StatusOr<absl::Time> TimeDescending();
  bool done() const { return rest_.empty(); }
  absl::string_view rest() const { return rest_; }

 private:
  absl::string_view rest_;
};

// The smallest key greater than every key that starts with `prefix` ("" when there is none),
// for use as an exclusive upper bound of a prefix scan.
std::string PrefixEnd(absl::string_view prefix);

}  // namespace jobledger::projection
