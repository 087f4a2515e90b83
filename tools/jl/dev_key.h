// The HS256 key a local system (`jl up`) signs and checks tokens with: made once per data
// directory, readable by its owner only, and reused on every later start so tokens stay valid.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace jobledger::cli {

// Reads the key in `path`, or creates it (32 random bytes, hex) when the file does not exist.
absl::StatusOr<std::string> EnsureDevKey(const std::string& path);

}  // namespace jobledger::cli
