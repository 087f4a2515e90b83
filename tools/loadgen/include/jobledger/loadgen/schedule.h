// When each request of an open-loop run is meant to be sent: a fixed rate from a start time.
// Latency is measured from these intended times, not from when a call actually left, so a
// server (or client) that falls behind shows its queueing in the percentiles instead of hiding
// it (coordinated omission).
#pragma once

#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace jobledger::loadgen {

class OpenLoopSchedule {
 public:
  // `rate_per_second` > 0. Requests stop at `end` (exclusive) or after `max_requests` (0: none).
  OpenLoopSchedule(absl::Time start, double rate_per_second, absl::Time end,
                   int64_t max_requests = 0);

  // The intended send time of request `index` (0-based).
  absl::Time IntendedTime(int64_t index) const;
  // The next request's index and intended time, or nothing once the run is over.
  std::optional<std::pair<int64_t, absl::Time>> Next();
  // How many requests the whole run plans (its length divided by the interval, or the cap).
  int64_t planned() const;

 private:
  absl::Time start_;
  double rate_;
  absl::Duration interval_;
  absl::Time end_;
  int64_t max_requests_;
  int64_t next_ = 0;
};

}  // namespace jobledger::loadgen
