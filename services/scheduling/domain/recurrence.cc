// Recurring work: occurrence dates from a RecurrenceRule, with absl civil-time arithmetic.
#include "domain/recurrence.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"

namespace jobledger::scheduling {
namespace {

constexpr int kMinInterval = 1;
constexpr int kMaxInterval = 366;

// `day` of `month`, clamped to the month's last day (Jan 31 + 1 month = Feb 28 or 29).
absl::CivilDay ClampedDay(absl::CivilMonth month, int day) {
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  return absl::CivilDay(month.year(), month.month(), std::min(day, last.day()));
}

absl::CivilDay OffWeekend(v1::WeekendRule weekend, absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  const bool saturday = weekday == absl::Weekday::saturday;
  const bool sunday = weekday == absl::Weekday::sunday;
  if (!saturday && !sunday) return day;
  switch (weekend) {
    case v1::WEEKEND_RULE_NEXT_WEEKDAY:
      return day + (saturday ? 2 : 1);
    case v1::WEEKEND_RULE_PREVIOUS_WEEKDAY:
      return day - (saturday ? 1 : 2);
    default:
      return day;
  }
}

// The occurrence before the weekend rule. `steps` = n × interval, in the rule's unit.
absl::CivilDay RawOccurrence(v1::Frequency frequency, absl::CivilDay start, int64_t steps) {
  switch (frequency) {
    case v1::FREQUENCY_DAILY:
      return start + steps;
    case v1::FREQUENCY_WEEKLY:
      return start + 7 * steps;
    case v1::FREQUENCY_MONTHLY:
      return ClampedDay(absl::CivilMonth(start) + steps, start.day());
    case v1::FREQUENCY_YEARLY: {
      const absl::CivilYear year = absl::CivilYear(start) + steps;
      return ClampedDay(absl::CivilMonth(year.year(), start.month()), start.day());
    }
    default:
      return start;
  }
}

}  // namespace

absl::Status ValidateRule(const v1::RecurrenceRule& rule) {
  if (rule.frequency() == v1::FREQUENCY_UNSPECIFIED || !v1::Frequency_IsValid(rule.frequency())) {
    return absl::InvalidArgumentError(
        "rule.frequency: must be FREQUENCY_DAILY, FREQUENCY_WEEKLY, FREQUENCY_MONTHLY or "
        "FREQUENCY_YEARLY");
  }
  if (rule.interval() < kMinInterval || rule.interval() > kMaxInterval) {
    return absl::InvalidArgumentError(absl::StrCat("rule.interval: must be between ", kMinInterval,
                                                   " and ", kMaxInterval, ", got ",
                                                   rule.interval()));
  }
  if (!v1::WeekendRule_IsValid(rule.weekend())) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule.weekend: unknown weekend rule ", static_cast<int>(rule.weekend())));
  }
  return absl::OkStatus();
}

absl::CivilDay Occurrence(const v1::RecurrenceRule& rule, absl::CivilDay start, int n) {
  if (!ValidateRule(rule).ok()) return start;
  const int64_t steps = int64_t{n} * rule.interval();
  return OffWeekend(rule.weekend(), RawOccurrence(rule.frequency(), start, steps));
}

std::vector<DatedOccurrence> OccurrencesThrough(const v1::RecurrenceRule& rule,
                                                absl::CivilDay start,
                                                std::optional<absl::CivilDay> end, int first_n,
                                                absl::CivilDay until, int limit) {
  std::vector<DatedOccurrence> occurrences;
  if (limit <= 0 || !ValidateRule(rule).ok()) return occurrences;
  // Raw dates strictly increase with n and the weekend rule never reorders two dates, so the
  // adjusted dates never decrease: the first one past the bound ends the walk.
  const absl::CivilDay last = std::min(end.value_or(until), until);
  int n = std::max(first_n, 0);
  // The date of occurrence n-1 (meaningful only when n > 0), to leave out repeats of it.
  absl::CivilDay previous = n > 0 ? Occurrence(rule, start, n - 1) : start;
  for (;; ++n) {
    const absl::CivilDay date = Occurrence(rule, start, n);
    if (date > last) break;
    if (n == 0 || date != previous) {
      occurrences.push_back({n, date});
      if (static_cast<int>(occurrences.size()) >= limit) break;
    }
    previous = date;
    if (n == std::numeric_limits<int>::max()) break;
  }
  return occurrences;
}

}  // namespace jobledger::scheduling
