// The wall clock and the fake clock for tests.
#include "jobledger/common/clock.h"

namespace jobledger {
namespace {
class WallClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};
}  // namespace

Clock& SystemClock() {
  static WallClock* const clock = new WallClock();  // never destroyed: usable during exit
  return *clock;
}

FakeClock::FakeClock(absl::Time start) : now_(start) {}

absl::Time FakeClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void FakeClock::Set(absl::Time now) {
  absl::MutexLock lock(&mu_);
  now_ = now;
}

void FakeClock::Advance(absl::Duration by) {
  absl::MutexLock lock(&mu_);
  now_ += by;
}

}  // namespace jobledger
