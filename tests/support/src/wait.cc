// Condition waits for tests.
#include "jobledger/testing/wait.h"

#include "absl/time/clock.h"

namespace jobledger::testing {

bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration pause = absl::Microseconds(100);
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return condition();
    absl::SleepFor(pause);  // back off between checks, up to 10 ms
    pause = std::min(pause * 2, absl::Milliseconds(10));
  }
}

}  // namespace jobledger::testing
