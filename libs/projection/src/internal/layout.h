// How a projection's directory is laid out: <root>/<name>/CURRENT names the serving store,
// a sibling directory v<version>-<generation>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jobledger::projection::internal {

struct StoreName {
  int32_t version = 0;
  int generation = 0;
  std::string ToString() const;
  static std::optional<StoreName> Parse(absl::string_view name);
};

// The store named by <projection_root>/CURRENT, if that file and the store exist.
std::optional<StoreName> ReadCurrent(const std::string& projection_root);

// Replaces CURRENT durably and atomically (write, fsync, rename, fsync the directory).
absl::Status WriteCurrent(const std::string& projection_root, const StoreName& store);

}  // namespace jobledger::projection::internal
