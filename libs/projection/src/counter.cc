#include "jobledger/projection/counter.h"

#include "absl/base/internal/endian.h"
#include "absl/status/status.h"

namespace jobledger::projection {

absl::StatusOr<int64_t> ReadCounter(const StateReader& state, absl::string_view key) {
  auto value = state.Get(key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return 0;
  if ((*value)->size() != 8) return absl::DataLossError("a counter is not 8 bytes");
  return static_cast<int64_t>(absl::big_endian::Load64((*value)->data()));
}

void WriteCounter(StateWriter& state, absl::string_view key, int64_t value) {
  char bytes[8];
  absl::big_endian::Store64(bytes, static_cast<uint64_t>(value));
  state.Put(key, absl::string_view(bytes, sizeof(bytes)));
}

}  // namespace jobledger::projection
