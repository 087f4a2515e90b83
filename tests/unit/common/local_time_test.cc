// Tenant-local days and wall-clock times across time zones and DST changes.
#include "jobledger/common/local_time.h"

#include "gtest/gtest.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger {
namespace {

absl::TimeZone Zone(const char* name) { return *LoadTenantTimeZone(name); }

TEST(LocalTime, UnknownZoneIsAnError) {
  auto zone = LoadTenantTimeZone("Mars/Olympus_Mons");
  EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(zone.status().message().find("Mars/Olympus_Mons"), std::string::npos);
  EXPECT_FALSE(LoadTenantTimeZone("").ok());
}

TEST(LocalTime, TheSameInstantIsADifferentDayPerZone) {
  // 2026-11-21 03:30 UTC is still the 20th in Chicago.
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2026, 11, 21, 3, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(LocalDay(t, Zone("America/Chicago")), absl::CivilDay(2026, 11, 20));
  EXPECT_EQ(LocalDay(t, Zone("Europe/Berlin")), absl::CivilDay(2026, 11, 21));
}

TEST(LocalTime, DstDaysAreShortAndLong) {
  const absl::TimeZone new_york = Zone("America/New_York");
  EXPECT_EQ(LocalDayRange(absl::CivilDay(2026, 3, 8), new_york).length(), absl::Hours(23));
  EXPECT_EQ(LocalDayRange(absl::CivilDay(2026, 11, 1), new_york).length(), absl::Hours(25));
  EXPECT_EQ(LocalDayRange(absl::CivilDay(2026, 6, 1), new_york).length(), absl::Hours(24));
  // Consecutive days tile time with no gap or overlap.
  EXPECT_EQ(LocalDayRange(absl::CivilDay(2026, 3, 8), new_york).end,
            LocalDayRange(absl::CivilDay(2026, 3, 9), new_york).start);
}

TEST(LocalTime, SkippedAndRepeatedWallTimesResolveDeterministically) {
  const absl::TimeZone new_york = Zone("America/New_York");
  // 02:30 does not exist on 2026-03-08: it resolves to 03:30 EDT (07:30Z).
  EXPECT_EQ(AtLocalTime(absl::CivilSecond(2026, 3, 8, 2, 30, 0), new_york),
            absl::FromCivil(absl::CivilSecond(2026, 3, 8, 7, 30, 0), absl::UTCTimeZone()));
  // 01:30 happens twice on 2026-11-01: the first one, in EDT (05:30Z).
  EXPECT_EQ(AtLocalTime(absl::CivilSecond(2026, 11, 1, 1, 30, 0), new_york),
            absl::FromCivil(absl::CivilSecond(2026, 11, 1, 5, 30, 0), absl::UTCTimeZone()));
}

TEST(LocalTime, ParsesAndFormatsDates) {
  EXPECT_EQ(*ParseLocalDate("2026-11-21"), absl::CivilDay(2026, 11, 21));
  EXPECT_EQ(*ParseLocalDate("2028-02-29"), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(FormatLocalDate(absl::CivilDay(2026, 1, 5)), "2026-01-05");
  for (const char* bad : {"2026-02-30", "2027-02-29", "2026-13-01", "2026-1-05", "2026/01/05",
                          "26-01-05", "2026-01-0x", "+026-01-05", ""}) {
    EXPECT_EQ(ParseLocalDate(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(LocalTime, RoundTripsDatesThroughProto) {
  common::v1::LocalDate proto;
  LocalDateToProto(absl::CivilDay(2026, 12, 31), &proto);
  EXPECT_EQ(*LocalDateFromProto(proto), absl::CivilDay(2026, 12, 31));
  proto.set_day(32);
  EXPECT_FALSE(LocalDateFromProto(proto).ok());
}

}  // namespace
}  // namespace jobledger
