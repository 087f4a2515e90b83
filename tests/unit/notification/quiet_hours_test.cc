// Tenant quiet hours: same-day and overnight windows, boundaries, validation, DST days.
#include "domain/quiet_hours.h"

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::notification {
namespace {

using ::testing::HasSubstr;

constexpr QuietWindow kLunch{13 * 60, 14 * 60};
constexpr QuietWindow kNight{21 * 60, 8 * 60};

// Times in UTC keep the non-DST tests independent of tzdata.
absl::Time Utc(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone());
}

TEST(QuietHoursTest, SameDayWindowIsHalfOpen) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_FALSE(InQuietHours(Utc(2026, 5, 4, 12, 59), kLunch, utc));
  EXPECT_TRUE(InQuietHours(Utc(2026, 5, 4, 13, 0), kLunch, utc));
  EXPECT_TRUE(InQuietHours(Utc(2026, 5, 4, 13, 59), kLunch, utc));
  EXPECT_FALSE(InQuietHours(Utc(2026, 5, 4, 14, 0), kLunch, utc));
}

TEST(QuietHoursTest, SameDayWindowReleasesAtItsEnd) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 4, 13, 20), kLunch, utc), Utc(2026, 5, 4, 14, 0));
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 4, 15, 0), kLunch, utc), Utc(2026, 5, 4, 15, 0));
}

TEST(QuietHoursTest, OvernightWindowSpansMidnight) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_TRUE(InQuietHours(Utc(2026, 5, 4, 21, 0), kNight, utc));
  EXPECT_TRUE(InQuietHours(Utc(2026, 5, 4, 23, 59), kNight, utc));
  EXPECT_TRUE(InQuietHours(Utc(2026, 5, 5, 0, 0), kNight, utc));
  EXPECT_TRUE(InQuietHours(Utc(2026, 5, 5, 7, 59), kNight, utc));
  EXPECT_FALSE(InQuietHours(Utc(2026, 5, 5, 8, 0), kNight, utc));
  EXPECT_FALSE(InQuietHours(Utc(2026, 5, 5, 20, 59), kNight, utc));
}

TEST(QuietHoursTest, OvernightWindowReleasesAtTheNextEnd) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  // Evening: held until tomorrow morning.
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 4, 22, 30), kNight, utc), Utc(2026, 5, 5, 8, 0));
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 4, 21, 0), kNight, utc), Utc(2026, 5, 5, 8, 0));
  // Small hours: held until this morning.
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 5, 2, 0), kNight, utc), Utc(2026, 5, 5, 8, 0));
  // The end itself and daytime go out as due.
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 5, 8, 0), kNight, utc), Utc(2026, 5, 5, 8, 0));
  EXPECT_EQ(ReleaseTime(Utc(2026, 5, 5, 12, 0), kNight, utc), Utc(2026, 5, 5, 12, 0));
}

TEST(QuietHoursTest, ReleaseKeepsSecondsOfDueOutsideQuietHours) {
  const absl::Time due = Utc(2026, 5, 5, 12, 0) + absl::Seconds(17);
  EXPECT_EQ(ReleaseTime(due, kNight, absl::UTCTimeZone()), due);
}

TEST(QuietHoursTest, EqualStartAndEndMeansNoQuietHours) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (const QuietWindow window : {QuietWindow{}, QuietWindow{9 * 60, 9 * 60}}) {
    for (int hour = 0; hour < 24; ++hour) {
      const absl::Time at = Utc(2026, 5, 4, hour, 0);
      EXPECT_FALSE(InQuietHours(at, window, utc)) << hour;
      EXPECT_EQ(ReleaseTime(at, window, utc), at) << hour;
    }
  }
}

TEST(QuietHoursTest, WindowFollowsTheZonesLocalTime) {
  const absl::TimeZone utc_minus_5 = absl::FixedTimeZone(-5 * 60 * 60);
  // 10:00 UTC is 05:00 at UTC-5: quiet there, daytime in UTC.
  const absl::Time due = Utc(2026, 5, 5, 10, 0);
  EXPECT_TRUE(InQuietHours(due, kNight, utc_minus_5));
  EXPECT_FALSE(InQuietHours(due, kNight, absl::UTCTimeZone()));
  EXPECT_EQ(ReleaseTime(due, kNight, utc_minus_5), Utc(2026, 5, 5, 13, 0));
}

TEST(ValidateQuietWindowTest, AcceptsEveryMinuteOfTheDay) {
  EXPECT_TRUE(ValidateQuietWindow({}).ok());
  EXPECT_TRUE(ValidateQuietWindow(kNight).ok());
  EXPECT_TRUE(ValidateQuietWindow({0, kMinutesPerDay - 1}).ok());
}

TEST(ValidateQuietWindowTest, NamesTheBadField) {
  const absl::Status start = ValidateQuietWindow({kMinutesPerDay, 0});
  EXPECT_EQ(start.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(start.message(), HasSubstr("quiet_hours.start_minute must be in [0, 1440)"));

  const absl::Status end = ValidateQuietWindow({0, -1});
  EXPECT_EQ(end.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(end.message(), HasSubstr("quiet_hours.end_minute must be in [0, 1440)"));
}

class QuietHoursDstTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!absl::LoadTimeZone("America/New_York", &new_york_)) {
      GTEST_SKIP() << "tzdata for America/New_York is not installed";
    }
  }
  absl::Time NewYork(int year, int month, int day, int hour, int minute) const {
    return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), new_york_);
  }

  absl::TimeZone new_york_;
  // On 2026-03-08 02:00–03:00 does not exist; on 2026-11-01 01:00–02:00 happens twice.
  static constexpr QuietWindow kEarlyHours{1 * 60, 2 * 60 + 30};
};

TEST_F(QuietHoursDstTest, SkippedEndReleasesWhenTheGapEnds) {
  const absl::Time due = NewYork(2026, 3, 8, 1, 30);  // 06:30 UTC, EST
  ASSERT_EQ(due, Utc(2026, 3, 8, 6, 30));
  EXPECT_TRUE(InQuietHours(due, kEarlyHours, new_york_));
  // 02:30 never happens; the clocks jump from 02:00 EST to 03:00 EDT, which is 07:00 UTC.
  EXPECT_EQ(ReleaseTime(due, kEarlyHours, new_york_), Utc(2026, 3, 8, 7, 0));
  EXPECT_FALSE(InQuietHours(Utc(2026, 3, 8, 7, 0), kEarlyHours, new_york_));
}

TEST_F(QuietHoursDstTest, RepeatedHourIsQuietBothTimes) {
  const absl::Time first_130 = Utc(2026, 11, 1, 5, 30);   // 01:30 EDT
  const absl::Time second_130 = Utc(2026, 11, 1, 6, 30);  // 01:30 EST
  EXPECT_TRUE(InQuietHours(first_130, kEarlyHours, new_york_));
  EXPECT_TRUE(InQuietHours(second_130, kEarlyHours, new_york_));
  // 02:30 happens once, in EST: 07:30 UTC.
  EXPECT_EQ(ReleaseTime(first_130, kEarlyHours, new_york_), Utc(2026, 11, 1, 7, 30));
  EXPECT_EQ(ReleaseTime(second_130, kEarlyHours, new_york_), Utc(2026, 11, 1, 7, 30));
}

TEST_F(QuietHoursDstTest, RepeatedEndReleasesAtItsEarlierOccurrence) {
  const QuietWindow until_130{0, 1 * 60 + 30};
  // 00:30 EDT; 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
  EXPECT_EQ(ReleaseTime(NewYork(2026, 11, 1, 0, 30), until_130, new_york_),
            Utc(2026, 11, 1, 5, 30));
}

TEST_F(QuietHoursDstTest, RepeatedEndAlreadyPassedReleasesAtItsLaterOccurrence) {
  const QuietWindow until_130{0, 1 * 60 + 30};
  // 01:15 EST, after the first 01:30 (EDT) has gone by: the wall clock reads quiet hours again.
  const absl::Time due = Utc(2026, 11, 1, 6, 15);
  EXPECT_TRUE(InQuietHours(due, until_130, new_york_));
  EXPECT_EQ(ReleaseTime(due, until_130, new_york_), Utc(2026, 11, 1, 6, 30));
}

TEST_F(QuietHoursDstTest, OvernightWindowAcrossSpringForward) {
  // 22:30 EST on 03-07; 08:00 EDT on 03-08 is 12:00 UTC, only 8.5 hours later.
  const absl::Time due = NewYork(2026, 3, 7, 22, 30);
  EXPECT_EQ(ReleaseTime(due, kNight, new_york_), Utc(2026, 3, 8, 12, 0));
  EXPECT_EQ(ReleaseTime(due, kNight, new_york_) - due, absl::Hours(8) + absl::Minutes(30));
}

}  // namespace
}  // namespace jobledger::notification
