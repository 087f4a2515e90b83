// A process-wide "something was appended" signal, so one reader can wait on many partitions.
#pragma once

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jobledger::eventlog::internal {

class Activity {
 public:
  void Signal() {
    absl::MutexLock lock(&mu_);
    ++generation_;
  }
  uint64_t generation() const {
    absl::MutexLock lock(&mu_);
    return generation_;
  }
  // Returns once generation() differs from `seen`, or at `deadline`.
  void WaitForChange(uint64_t seen, absl::Time deadline) const {
    absl::MutexLock lock(&mu_);
    const auto changed = [this, seen]()
                             ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return generation_ != seen; };
    mu_.AwaitWithDeadline(absl::Condition(&changed), deadline);
  }

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobledger::eventlog::internal
