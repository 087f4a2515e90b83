// How long a failed notification send waits before the next attempt. Pure: no I/O, no clock.
#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jobledger::notification {

struct RetryPolicy {
  absl::Duration initial_delay = absl::Seconds(30);
  double multiplier = 2.0;
  absl::Duration max_delay = absl::Hours(1);
  int max_attempts = 8;  // attempts in all, the first included
};

// OK, or INVALID_ARGUMENT naming the field: delays must be positive and finite, multiplier >= 1,
// max_attempts >= 1.
[[nodiscard]] absl::Status ValidateRetryPolicy(const RetryPolicy& policy);

// The wait before the attempt that follows failed attempt number `failed_attempt` (1-based; lower
// values count as 1), or nullopt when no attempts are left (failed_attempt >= max_attempts).
//
// The base delay is initial_delay * multiplier^(failed_attempt - 1), capped at max_delay. The wait
// is "equal jitter": a value in [base / 2, base] picked by a stable hash of `jitter_key` and the
// attempt, so one message (keyed by its id) gets the same schedule in every process and on every
// replay, while different messages spread out. `policy` must be valid.
std::optional<absl::Duration> NextRetryDelay(const RetryPolicy& policy, int failed_attempt,
                                             absl::string_view jitter_key);

}  // namespace jobledger::notification
