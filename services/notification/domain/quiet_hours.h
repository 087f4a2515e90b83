// Tenant quiet hours: when a customer message must wait, and until when. Pure: no I/O, no clock.
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace jobledger::notification {

inline constexpr int kMinutesPerDay = 24 * 60;

// Quiet hours [start_minute, end_minute) in local minutes after midnight. start == end means no
// quiet hours; end < start spans midnight (21:00–08:00 is {21 * 60, 8 * 60}).
struct QuietWindow {
  int start_minute = 0;
  int end_minute = 0;
};

// OK, or INVALID_ARGUMENT naming the field, e.g.
// `quiet_hours.start_minute must be in [0, 1440), got 1500`.
[[nodiscard]] absl::Status ValidateQuietWindow(const QuietWindow& window);

// Whether the local wall-clock time of `at` in `zone` falls inside `window`. `window` must be
// valid.
bool InQuietHours(absl::Time at, const QuietWindow& window, absl::TimeZone zone);

// When a message due at `due` may go out: `due` itself outside quiet hours, otherwise the first
// instant after `due` at which the local time is `end_minute`. An end time skipped by a DST jump
// maps to the instant the jump ends (the quiet hours end with it); a repeated one maps to its
// earlier occurrence, or to the later one when `due` already lies between the two. `window` must be
// valid.
absl::Time ReleaseTime(absl::Time due, const QuietWindow& window, absl::TimeZone zone);

}  // namespace jobledger::notification
