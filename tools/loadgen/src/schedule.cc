// The open-loop schedule.
#include "jobledger/loadgen/schedule.h"

#include <algorithm>
#include <cmath>

namespace jobledger::loadgen {

OpenLoopSchedule::OpenLoopSchedule(absl::Time start, double rate_per_second, absl::Time end,
                                   int64_t max_requests)
    : start_(start),
      rate_(std::max(rate_per_second, 1e-9)),
      interval_(absl::Seconds(1) / rate_),
      end_(end),
      max_requests_(max_requests) {}

absl::Time OpenLoopSchedule::IntendedTime(int64_t index) const {
  // From the index (not by adding up intervals, each rounded): no drift over long runs.
  return start_ + absl::Seconds(static_cast<double>(index) / rate_);
}

std::optional<std::pair<int64_t, absl::Time>> OpenLoopSchedule::Next() {
  if (max_requests_ > 0 && next_ >= max_requests_) return std::nullopt;
  const absl::Time when = IntendedTime(next_);
  if (when >= end_) return std::nullopt;
  return std::make_pair(next_++, when);
}

int64_t OpenLoopSchedule::planned() const {
  int64_t by_time = 0;
  if (end_ != absl::InfiniteFuture()) {
    by_time = static_cast<int64_t>(std::ceil(absl::FDivDuration(end_ - start_, interval_)));
  }
  if (max_requests_ > 0) return by_time > 0 ? std::min(by_time, max_requests_) : max_requests_;
  return by_time;
}

}  // namespace jobledger::loadgen
