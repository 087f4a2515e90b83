// Waiting on a condition with a deadline: what asynchronous tests do instead of sleeping.
#pragma once

#include <functional>

#include "absl/time/time.h"

namespace jobledger::testing {

// Re-checks `condition` until it holds (true) or `timeout` passes (false).
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(10));

}  // namespace jobledger::testing
