// Counters in a projection's state: an int64 stored as 8 big-endian bytes (0 when absent).
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/projection/state.h"

namespace jobledger::projection {

absl::StatusOr<int64_t> ReadCounter(const StateReader& state, absl::string_view key);
void WriteCounter(StateWriter& state, absl::string_view key, int64_t value);

}  // namespace jobledger::projection
