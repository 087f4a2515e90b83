// Recurrence rules: validation, occurrence dates (month-end clamping, leap days, weekend moves)
// and the occurrences an agreement generates through a date.
#include "domain/recurrence.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// INVALID_ARGUMENT whose message starts with "<field>: ".
MATCHER_P(InvalidField, field, absl::StrCat("is INVALID_ARGUMENT naming ", field)) {
  const absl::Status& status = arg;
  *result_listener << "status is " << status;
  return status.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(status.message(), absl::StrCat(field, ": "));
}

v1::RecurrenceRule Rule(v1::Frequency frequency, int interval,
                        v1::WeekendRule weekend = v1::WEEKEND_RULE_UNSPECIFIED) {
  v1::RecurrenceRule rule;
  rule.set_frequency(frequency);
  rule.set_interval(interval);
  rule.set_weekend(weekend);
  return rule;
}

absl::CivilDay Day(int64_t year, int month, int day) { return absl::CivilDay(year, month, day); }

// "n@YYYY-MM-DD" per occurrence, so a failure shows the dates.
std::vector<std::string> Described(const std::vector<DatedOccurrence>& occurrences) {
  std::vector<std::string> described;
  for (const DatedOccurrence& occurrence : occurrences) {
    described.push_back(absl::StrCat(occurrence.n, "@", absl::FormatCivilTime(occurrence.date)));
  }
  return described;
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

constexpr v1::WeekendRule kNext = v1::WEEKEND_RULE_NEXT_WEEKDAY;
constexpr v1::WeekendRule kPrevious = v1::WEEKEND_RULE_PREVIOUS_WEEKDAY;

// --- ValidateRule ------------------------------------------------------------------------------

TEST(ValidateRule, AcceptsEveryFrequencyAndWeekendRuleWithinTheIntervalRange) {
  for (v1::Frequency frequency :
       {v1::FREQUENCY_DAILY, v1::FREQUENCY_WEEKLY, v1::FREQUENCY_MONTHLY, v1::FREQUENCY_YEARLY}) {
    for (v1::WeekendRule weekend : {v1::WEEKEND_RULE_UNSPECIFIED, kNext, kPrevious}) {
      for (int interval : {1, 2, 366}) {
        EXPECT_TRUE(ValidateRule(Rule(frequency, interval, weekend)).ok())
            << frequency << " " << interval << " " << weekend;
      }
    }
  }
}

TEST(ValidateRule, UnspecifiedOrUnknownFrequencyNamesTheFrequency) {
  EXPECT_THAT(ValidateRule(Rule(v1::FREQUENCY_UNSPECIFIED, 1)), InvalidField("rule.frequency"));
  EXPECT_THAT(ValidateRule(Rule(static_cast<v1::Frequency>(9), 1)), InvalidField("rule.frequency"));
  EXPECT_THAT(ValidateRule(v1::RecurrenceRule()), InvalidField("rule.frequency"));
}

TEST(ValidateRule, IntervalOutsideOneTo366NamesTheInterval) {
  for (int interval : {0, -1, 367, std::numeric_limits<int>::max()}) {
    EXPECT_THAT(ValidateRule(Rule(v1::FREQUENCY_MONTHLY, interval)), InvalidField("rule.interval"))
        << interval;
  }
}

TEST(ValidateRule, UnknownWeekendRuleNamesTheWeekendRule) {
  EXPECT_THAT(ValidateRule(Rule(v1::FREQUENCY_WEEKLY, 1, static_cast<v1::WeekendRule>(7))),
              InvalidField("rule.weekend"));
}

// --- Occurrence --------------------------------------------------------------------------------

TEST(Occurrence, DailyAdvancesByIntervalDaysAcrossMonthAndYearEnds) {
  const v1::RecurrenceRule every_day = Rule(v1::FREQUENCY_DAILY, 1);
  EXPECT_EQ(Occurrence(every_day, Day(2026, 12, 30), 0), Day(2026, 12, 30));
  EXPECT_EQ(Occurrence(every_day, Day(2026, 12, 30), 2), Day(2027, 1, 1));
  const v1::RecurrenceRule every_third_day = Rule(v1::FREQUENCY_DAILY, 3);
  EXPECT_EQ(Occurrence(every_third_day, Day(2028, 2, 26), 1), Day(2028, 2, 29));
  EXPECT_EQ(Occurrence(every_third_day, Day(2028, 2, 26), 2), Day(2028, 3, 3));
}

TEST(Occurrence, WeeklyAdvancesByIntervalWeeks) {
  const v1::RecurrenceRule fortnightly = Rule(v1::FREQUENCY_WEEKLY, 2);
  EXPECT_EQ(Occurrence(fortnightly, Day(2026, 3, 10), 0), Day(2026, 3, 10));
  EXPECT_EQ(Occurrence(fortnightly, Day(2026, 3, 10), 1), Day(2026, 3, 24));
  EXPECT_EQ(Occurrence(fortnightly, Day(2026, 3, 10), 3), Day(2026, 4, 21));
  EXPECT_EQ(Occurrence(fortnightly, Day(2026, 12, 22), 1), Day(2027, 1, 5));
}

TEST(Occurrence, MonthlyFromTheThirtyFirstClampsEachMonthWithoutDrift) {
  const v1::RecurrenceRule monthly = Rule(v1::FREQUENCY_MONTHLY, 1);
  const absl::CivilDay start = Day(2026, 1, 31);
  std::vector<absl::CivilDay> dates;
  for (int n = 0; n <= 13; ++n) dates.push_back(Occurrence(monthly, start, n));
  EXPECT_THAT(dates,
              ElementsAre(Day(2026, 1, 31), Day(2026, 2, 28), Day(2026, 3, 31), Day(2026, 4, 30),
                          Day(2026, 5, 31), Day(2026, 6, 30), Day(2026, 7, 31), Day(2026, 8, 31),
                          Day(2026, 9, 30), Day(2026, 10, 31), Day(2026, 11, 30), Day(2026, 12, 31),
                          Day(2027, 1, 31), Day(2027, 2, 28)));
  // A leap year's February has its 29th.
  EXPECT_EQ(Occurrence(monthly, start, 25), Day(2028, 2, 29));
  EXPECT_EQ(Occurrence(monthly, Day(2028, 1, 31), 1), Day(2028, 2, 29));
  EXPECT_EQ(Occurrence(monthly, Day(2028, 1, 30), 1), Day(2028, 2, 29));
  EXPECT_EQ(Occurrence(monthly, Day(2028, 1, 29), 1), Day(2028, 2, 29));
  EXPECT_EQ(Occurrence(monthly, Day(2028, 1, 28), 1), Day(2028, 2, 28));
}

TEST(Occurrence, MonthlyEveryThreeMonthsClampsOnlyTheShortMonths) {
  const v1::RecurrenceRule quarterly = Rule(v1::FREQUENCY_MONTHLY, 3);
  EXPECT_EQ(Occurrence(quarterly, Day(2026, 11, 30), 1), Day(2027, 2, 28));
  EXPECT_EQ(Occurrence(quarterly, Day(2026, 11, 30), 2), Day(2027, 5, 30));
  EXPECT_EQ(Occurrence(quarterly, Day(2026, 11, 30), 3), Day(2027, 8, 30));
  EXPECT_EQ(Occurrence(quarterly, Day(2026, 5, 15), 4), Day(2027, 5, 15));
}

TEST(Occurrence, YearlyFromFebruary29thIsFebruary28thInCommonYears) {
  const v1::RecurrenceRule yearly = Rule(v1::FREQUENCY_YEARLY, 1);
  const absl::CivilDay leap_day = Day(2028, 2, 29);
  EXPECT_EQ(Occurrence(yearly, leap_day, 0), leap_day);
  EXPECT_EQ(Occurrence(yearly, leap_day, 1), Day(2029, 2, 28));
  EXPECT_EQ(Occurrence(yearly, leap_day, 3), Day(2031, 2, 28));
  EXPECT_EQ(Occurrence(yearly, leap_day, 4), Day(2032, 2, 29));
  EXPECT_EQ(Occurrence(yearly, leap_day, 72), Day(2100, 2, 28));  // not a leap year
  EXPECT_EQ(Occurrence(yearly, leap_day, 372), Day(2400, 2, 29));
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_YEARLY, 2), Day(2026, 7, 4), 3), Day(2032, 7, 4));
}

TEST(Occurrence, EveryThreeMonthsOnAWeekdayMovesSaturdayAndSundayToMonday) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_MONTHLY, 3, kNext);
  const absl::CivilDay start = Day(2026, 1, 3);             // a Saturday
  EXPECT_EQ(Occurrence(rule, start, 0), Day(2026, 1, 5));   // Saturday → Monday
  EXPECT_EQ(Occurrence(rule, start, 1), Day(2026, 4, 3));   // Friday stays
  EXPECT_EQ(Occurrence(rule, start, 2), Day(2026, 7, 3));   // Friday stays
  EXPECT_EQ(Occurrence(rule, start, 3), Day(2026, 10, 5));  // Saturday → Monday
  EXPECT_EQ(Occurrence(rule, start, 4), Day(2027, 1, 4));   // Sunday → Monday
}

TEST(Occurrence, PreviousWeekdayMovesSaturdayAndSundayToTheFridayBefore) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_MONTHLY, 3, kPrevious);
  const absl::CivilDay start = Day(2026, 1, 3);             // a Saturday
  EXPECT_EQ(Occurrence(rule, start, 0), Day(2026, 1, 2));   // Saturday → Friday
  EXPECT_EQ(Occurrence(rule, start, 1), Day(2026, 4, 3));   // Friday stays
  EXPECT_EQ(Occurrence(rule, start, 3), Day(2026, 10, 2));  // Saturday → Friday
  EXPECT_EQ(Occurrence(rule, start, 4), Day(2027, 1, 1));   // Sunday → Friday, a year back
}

TEST(Occurrence, WeekendMoveCrossesAMonthEndButTheNextDateStillComesFromStart) {
  const absl::CivilDay start = Day(2026, 1, 31);  // a Saturday
  const v1::RecurrenceRule next = Rule(v1::FREQUENCY_MONTHLY, 1, kNext);
  EXPECT_EQ(Occurrence(next, start, 0), Day(2026, 2, 2));
  EXPECT_EQ(Occurrence(next, start, 1), Day(2026, 3, 2));  // Feb 28 is a Saturday
  EXPECT_EQ(Occurrence(next, start, 2), Day(2026, 3, 31));
  EXPECT_EQ(Occurrence(next, start, 4), Day(2026, 6, 1));  // May 31 is a Sunday
  const v1::RecurrenceRule previous = Rule(v1::FREQUENCY_MONTHLY, 1, kPrevious);
  EXPECT_EQ(Occurrence(previous, start, 0), Day(2026, 1, 30));
  EXPECT_EQ(Occurrence(previous, start, 1), Day(2026, 2, 27));
  EXPECT_EQ(Occurrence(previous, start, 3), Day(2026, 4, 30));
  EXPECT_EQ(Occurrence(previous, start, 4), Day(2026, 5, 29));
}

TEST(Occurrence, WeekdaysAndUnspecifiedWeekendRuleKeepTheDate) {
  const absl::CivilDay saturday = Day(2026, 2, 28);
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_DAILY, 1), saturday, 0), saturday);
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_DAILY, 1), saturday, 1), Day(2026, 3, 1));
  const absl::CivilDay wednesday = Day(2026, 3, 4);
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_WEEKLY, 1, kNext), wednesday, 5), Day(2026, 4, 8));
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_WEEKLY, 1, kPrevious), wednesday, 5), Day(2026, 4, 8));
}

TEST(Occurrence, LargeIndexesAreComputedDirectly) {
  // 146,097 days = 20,871 weeks = 400 Gregorian years, after which the calendar repeats.
  const absl::CivilDay start = Day(2026, 3, 15);
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_DAILY, 1), start, 146097 * 10000), Day(4002026, 3, 15));
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_WEEKLY, 1), start, 20871 * 100000), Day(40002026, 3, 15));
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_MONTHLY, 1), Day(2026, 1, 31), 1200000000),
            Day(100002026, 1, 31));
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_MONTHLY, 1), Day(2026, 1, 31), 1200000001),
            Day(100002026, 2, 28));
  const v1::RecurrenceRule yearly = Rule(v1::FREQUENCY_YEARLY, 1);
  EXPECT_EQ(Occurrence(yearly, Day(2028, 2, 29), 2000000000), Day(2000002028, 2, 29));
  EXPECT_EQ(Occurrence(yearly, Day(2028, 2, 29), 2000000001), Day(2000002029, 2, 28));
  const int max_n = std::numeric_limits<int>::max();
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_DAILY, 366), start, max_n), start + int64_t{max_n} * 366);
}

TEST(Occurrence, InvalidRuleGivesTheStart) {
  EXPECT_EQ(Occurrence(v1::RecurrenceRule(), Day(2026, 3, 15), 4), Day(2026, 3, 15));
  EXPECT_EQ(Occurrence(Rule(v1::FREQUENCY_DAILY, 0), Day(2026, 3, 15), 4), Day(2026, 3, 15));
}

// --- OccurrencesThrough ------------------------------------------------------------------------

TEST(OccurrencesThrough, ListsEachOccurrenceThroughUntilInclusive) {
  const v1::RecurrenceRule monthly = Rule(v1::FREQUENCY_MONTHLY, 1);
  EXPECT_THAT(
      Described(
          OccurrencesThrough(monthly, Day(2026, 1, 31), std::nullopt, 0, Day(2026, 5, 31), 100)),
      ElementsAre("0@2026-01-31", "1@2026-02-28", "2@2026-03-31", "3@2026-04-30", "4@2026-05-31"));
  EXPECT_THAT(Described(OccurrencesThrough(monthly, Day(2026, 1, 31), std::nullopt, 0,
                                           Day(2026, 5, 30), 100)),
              ElementsAre("0@2026-01-31", "1@2026-02-28", "2@2026-03-31", "3@2026-04-30"));
}

TEST(OccurrencesThrough, StartsAtFirstNAndStopsAtLimit) {
  const v1::RecurrenceRule weekly = Rule(v1::FREQUENCY_WEEKLY, 1);
  const absl::CivilDay start = Day(2026, 3, 4);
  EXPECT_THAT(Described(OccurrencesThrough(weekly, start, std::nullopt, 2, Day(2027, 1, 1), 3)),
              ElementsAre("2@2026-03-18", "3@2026-03-25", "4@2026-04-01"));
  EXPECT_THAT(OccurrencesThrough(weekly, start, std::nullopt, 2, Day(2027, 1, 1), 0), IsEmpty());
  EXPECT_THAT(OccurrencesThrough(weekly, start, std::nullopt, 2, Day(2027, 1, 1), -1), IsEmpty());
  // Nothing left through `until`.
  EXPECT_THAT(OccurrencesThrough(weekly, start, std::nullopt, 2, Day(2026, 3, 17), 10), IsEmpty());
  EXPECT_THAT(Described(OccurrencesThrough(weekly, start, std::nullopt, -5, Day(2026, 3, 11), 10)),
              ElementsAre("0@2026-03-04", "1@2026-03-11"));
}

TEST(OccurrencesThrough, EndBoundsLikeUntilWhicheverIsEarlier) {
  const v1::RecurrenceRule weekly = Rule(v1::FREQUENCY_WEEKLY, 1);
  const absl::CivilDay start = Day(2026, 3, 4);
  EXPECT_THAT(
      Described(OccurrencesThrough(weekly, start, Day(2026, 3, 11), 0, Day(2027, 1, 1), 10)),
      ElementsAre("0@2026-03-04", "1@2026-03-11"));
  EXPECT_THAT(
      Described(OccurrencesThrough(weekly, start, Day(2027, 1, 1), 0, Day(2026, 3, 17), 10)),
      ElementsAre("0@2026-03-04", "1@2026-03-11"));
  EXPECT_THAT(OccurrencesThrough(weekly, start, Day(2026, 3, 3), 0, Day(2027, 1, 1), 10),
              IsEmpty());
}

TEST(OccurrencesThrough, InvalidRuleGivesNothing) {
  EXPECT_THAT(OccurrencesThrough(v1::RecurrenceRule(), Day(2026, 3, 4), std::nullopt, 0,
                                 Day(2027, 1, 1), 10),
              IsEmpty());
  EXPECT_THAT(OccurrencesThrough(Rule(v1::FREQUENCY_DAILY, 0), Day(2026, 3, 4), std::nullopt, 0,
                                 Day(2027, 1, 1), 10),
              IsEmpty());
}

// The bounds compare the visit's date, after the weekend rule.
TEST(OccurrencesThrough, NextWeekdayComparesTheMovedDateWithUntilAndEnd) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_MONTHLY, 3, kNext);
  const absl::CivilDay start = Day(2026, 1, 3);  // occurrence 3 is Saturday Oct 3 → Monday Oct 5
  for (absl::CivilDay bound : {Day(2026, 10, 3), Day(2026, 10, 4)}) {
    EXPECT_THAT(Described(OccurrencesThrough(rule, start, std::nullopt, 0, bound, 10)),
                ElementsAre("0@2026-01-05", "1@2026-04-03", "2@2026-07-03"))
        << bound;
    EXPECT_THAT(Described(OccurrencesThrough(rule, start, bound, 0, Day(2030, 1, 1), 10)),
                ElementsAre("0@2026-01-05", "1@2026-04-03", "2@2026-07-03"))
        << bound;
  }
  EXPECT_THAT(Described(OccurrencesThrough(rule, start, std::nullopt, 3, Day(2026, 10, 5), 10)),
              ElementsAre("3@2026-10-05"));
  EXPECT_THAT(Described(OccurrencesThrough(rule, start, Day(2026, 10, 5), 3, Day(2030, 1, 1), 10)),
              ElementsAre("3@2026-10-05"));
}

TEST(OccurrencesThrough, PreviousWeekdayIncludesADateMovedBackOntoTheBound) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_MONTHLY, 3, kPrevious);
  const absl::CivilDay start = Day(2026, 1, 3);  // occurrence 3 is Saturday Oct 3 → Friday Oct 2
  EXPECT_THAT(Described(OccurrencesThrough(rule, start, std::nullopt, 3, Day(2026, 10, 2), 10)),
              ElementsAre("3@2026-10-02"));
  EXPECT_THAT(Described(OccurrencesThrough(rule, start, Day(2026, 10, 2), 3, Day(2030, 1, 1), 10)),
              ElementsAre("3@2026-10-02"));
  EXPECT_THAT(OccurrencesThrough(rule, start, std::nullopt, 3, Day(2026, 10, 1), 10), IsEmpty());
  EXPECT_THAT(OccurrencesThrough(rule, start, Day(2026, 10, 1), 3, Day(2030, 1, 1), 10), IsEmpty());
}

// Daily with a weekend rule folds Saturday, Sunday and Monday onto one date: the lowest index on
// each date is kept, the others are left out.
TEST(OccurrencesThrough, DailyNextWeekdayKeepsOneOccurrencePerMonday) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_DAILY, 1, kNext);
  const absl::CivilDay friday = Day(2026, 1, 2);
  EXPECT_EQ(Occurrence(rule, friday, 1), Day(2026, 1, 5));
  EXPECT_EQ(Occurrence(rule, friday, 2), Day(2026, 1, 5));
  EXPECT_EQ(Occurrence(rule, friday, 3), Day(2026, 1, 5));
  EXPECT_THAT(Described(OccurrencesThrough(rule, friday, std::nullopt, 0, Day(2026, 1, 12), 100)),
              ElementsAre("0@2026-01-02", "1@2026-01-05", "4@2026-01-06", "5@2026-01-07",
                          "6@2026-01-08", "7@2026-01-09", "8@2026-01-12"));
}

TEST(OccurrencesThrough, DailyPreviousWeekdayKeepsOneOccurrencePerFriday) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_DAILY, 1, kPrevious);
  const absl::CivilDay friday = Day(2026, 1, 2);
  EXPECT_THAT(Described(OccurrencesThrough(rule, friday, std::nullopt, 0, Day(2026, 1, 9), 100)),
              ElementsAre("0@2026-01-02", "3@2026-01-05", "4@2026-01-06", "5@2026-01-07",
                          "6@2026-01-08", "7@2026-01-09"));
}

TEST(OccurrencesThrough, EveryOtherDayFromSaturdayLeavesOutTheMondayRepeat) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_DAILY, 2, kNext);
  EXPECT_THAT(
      Described(OccurrencesThrough(rule, Day(2026, 1, 3), std::nullopt, 0, Day(2026, 1, 13), 100)),
      ElementsAre("0@2026-01-05", "2@2026-01-07", "3@2026-01-09", "4@2026-01-12", "5@2026-01-13"));
}

// An agreement generates a few visits at a time, continuing from the last index it recorded;
// a repeat of that visit's date is not generated again.
TEST(OccurrencesThrough, ContinuingFromTheLastIndexNeverRepeatsItsDate) {
  const v1::RecurrenceRule rule = Rule(v1::FREQUENCY_DAILY, 1, kNext);
  const absl::CivilDay friday = Day(2026, 1, 2);
  EXPECT_THAT(Described(OccurrencesThrough(rule, friday, std::nullopt, 0, Day(2026, 1, 30), 2)),
              ElementsAre("0@2026-01-02", "1@2026-01-05"));
  EXPECT_THAT(Described(OccurrencesThrough(rule, friday, std::nullopt, 2, Day(2026, 1, 30), 2)),
              ElementsAre("4@2026-01-06", "5@2026-01-07"));
  EXPECT_THAT(Described(OccurrencesThrough(rule, friday, std::nullopt, 3, Day(2026, 1, 30), 1)),
              ElementsAre("4@2026-01-06"));
}

TEST(OccurrencesThrough, LargeFirstNStartsThereWithoutWalkingFromZero) {
  const v1::RecurrenceRule yearly = Rule(v1::FREQUENCY_YEARLY, 1);
  EXPECT_THAT(Described(OccurrencesThrough(yearly, Day(2028, 2, 29), std::nullopt, 2000000000,
                                           Day(3000000000, 1, 1), 3)),
              ElementsAre("2000000000@2000002028-02-29", "2000000001@2000002029-02-28",
                          "2000000002@2000002030-02-28"));
  // The index stops at the largest int instead of overflowing.
  const int max_n = std::numeric_limits<int>::max();
  const std::vector<DatedOccurrence> last =
      OccurrencesThrough(Rule(v1::FREQUENCY_DAILY, 1), Day(2026, 1, 1), std::nullopt, max_n - 1,
                         Day(9999999, 1, 1), 10);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].n, max_n - 1);
  EXPECT_EQ(last[1].n, max_n);
  EXPECT_EQ(last[1].date, Day(2026, 1, 1) + int64_t{max_n});
}

// For every kind of rule: dates strictly increase, each is its index's Occurrence and off the
// weekend when a weekend rule is set, an index is left out only when it repeats the previous
// index's date, and generating one at a time gives the same list as one call.
TEST(OccurrencesThrough, InvariantsHoldForEveryKindOfRule) {
  std::vector<absl::CivilDay> starts;
  for (int day = 0; day < 14; ++day) starts.push_back(Day(2026, 1, 24) + day);
  for (absl::CivilDay extra : {Day(2026, 1, 31), Day(2026, 5, 31), Day(2028, 2, 29)}) {
    starts.push_back(extra);
  }
  for (v1::Frequency frequency :
       {v1::FREQUENCY_DAILY, v1::FREQUENCY_WEEKLY, v1::FREQUENCY_MONTHLY, v1::FREQUENCY_YEARLY}) {
    for (int interval : {1, 2, 3, 7}) {
      for (v1::WeekendRule weekend : {v1::WEEKEND_RULE_UNSPECIFIED, kNext, kPrevious}) {
        const v1::RecurrenceRule rule = Rule(frequency, interval, weekend);
        for (absl::CivilDay start : starts) {
          SCOPED_TRACE(
              absl::StrCat(rule.ShortDebugString(), " from ", absl::FormatCivilTime(start)));
          const absl::CivilDay until = start + 3 * 366;
          const std::vector<DatedOccurrence> all =
              OccurrencesThrough(rule, start, std::nullopt, 0, until, 100000);
          ASSERT_FALSE(all.empty());
          EXPECT_EQ(all.front().n, 0);
          int expected_n = 0;
          for (size_t i = 0; i < all.size(); ++i) {
            for (; expected_n < all[i].n; ++expected_n) {
              EXPECT_GT(expected_n, 0);
              EXPECT_EQ(Occurrence(rule, start, expected_n),
                        Occurrence(rule, start, expected_n - 1))
                  << "index " << expected_n << " left out";
            }
            ++expected_n;
            EXPECT_EQ(all[i].date, Occurrence(rule, start, all[i].n));
            EXPECT_LE(all[i].date, until);
            if (i > 0) {
              EXPECT_LT(all[i - 1].date, all[i].date);
            }
            if (weekend != v1::WEEKEND_RULE_UNSPECIFIED) {
              EXPECT_FALSE(IsWeekend(all[i].date));
            }
          }
          // Past the repeats of the last date, the next one is past `until`.
          while (Occurrence(rule, start, expected_n) == all.back().date) ++expected_n;
          EXPECT_GT(Occurrence(rule, start, expected_n), until);

          std::vector<DatedOccurrence> one_at_a_time;
          int next_n = 0;
          for (;;) {
            const std::vector<DatedOccurrence> piece =
                OccurrencesThrough(rule, start, std::nullopt, next_n, until, 1);
            if (piece.empty()) break;
            one_at_a_time.push_back(piece.front());
            next_n = piece.front().n + 1;
          }
          EXPECT_EQ(Described(one_at_a_time), Described(all));
        }
      }
    }
  }
}

}  // namespace
}  // namespace jobledger::scheduling
