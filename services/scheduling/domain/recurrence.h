// Recurring work: the dates a service agreement's visits fall on.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::scheduling {

// INVALID_ARGUMENT naming the field ("rule.frequency", "rule.interval", "rule.weekend") when the
// rule is unusable: frequency unspecified or unknown, interval outside 1..366, weekend rule
// unknown.
[[nodiscard]] absl::Status ValidateRule(const v1::RecurrenceRule& rule);

// The n-th occurrence (n >= 0) of a valid rule starting at `start`: start advanced by
// n × interval days / weeks / months / years (a month's day clamped to the target month's length,
// e.g. Jan 31 + 1 month = Feb 28/29, computed from `start` each time so it never drifts), then
// moved off a weekend by rule.weekend. Constant time in n. An invalid rule yields `start`.
absl::CivilDay Occurrence(const v1::RecurrenceRule& rule, absl::CivilDay start, int n);

struct DatedOccurrence {
  int n;
  absl::CivilDay date;
};

// The occurrences with index >= first_n whose date is <= until (and <= end when given), in order,
// at most `limit` of them.
//
// "Date" is always the visit's date, i.e. after the weekend rule: a Saturday moved to Monday is
// compared as Monday (so it is left out when `until` or `end` is that Saturday or Sunday), and a
// Saturday moved back to Friday is in when `until`/`end` is that Friday.
//
// Occurrence n is left out when its date equals occurrence n-1's, which happens when the weekend
// rule folds neighbouring days together (DAILY interval 1 or 2 with a weekend rule): the lowest
// index on each date is kept. This depends only on n, not on first_n or limit, so generating in
// pieces (first_n = the last index returned + 1) gives the same visits as one call, and the dates
// returned are strictly increasing. An invalid rule, limit <= 0 or an end before every date gives
// none; first_n < 0 counts as 0.
std::vector<DatedOccurrence> OccurrencesThrough(const v1::RecurrenceRule& rule,
                                                absl::CivilDay start,
                                                std::optional<absl::CivilDay> end, int first_n,
                                                absl::CivilDay until, int limit);

}  // namespace jobledger::scheduling
