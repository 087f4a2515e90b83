// Waiting for a query's min_position.
#include "jobledger/server/read_your_writes.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace jobledger::server {

absl::Status WaitForMinPosition(const projection::ProjectionRunner& projection,
                                const Caller& caller, const common::v1::LogPosition& position,
                                absl::Time now, absl::Duration max_wait,
                                absl::string_view read_model) {
  if (position.topic().empty()) return absl::OkStatus();
  if (position.offset() < 0 || position.partition() < 0) {
    return absl::InvalidArgumentError("min_position: offsets and partitions are not negative");
  }
  const absl::Time deadline = std::min(caller.deadline, now + max_wait);
  absl::Status waited =
      projection.WaitFor({position.topic(), position.partition(), position.offset()}, deadline);
  if (absl::IsDeadlineExceeded(waited)) {
    return absl::DeadlineExceededError(
        absl::StrCat("min_position: ", read_model, " has not reached ", position.topic(), "/",
                     position.partition(), "@", position.offset(), " yet"));
  }
  return waited;
}

}  // namespace jobledger::server
