// The open-loop schedule: intended times at a fixed rate, independent of when calls return.
#include "jobledger/loadgen/schedule.h"

#include <gtest/gtest.h>

namespace jobledger::loadgen {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

TEST(OpenLoopScheduleTest, IntendedTimesAreEvenlySpaced) {
  OpenLoopSchedule schedule(kStart, 2000, kStart + absl::Seconds(1));
  EXPECT_EQ(schedule.IntendedTime(0), kStart);
  EXPECT_EQ(schedule.IntendedTime(1), kStart + absl::Microseconds(500));
  EXPECT_EQ(schedule.IntendedTime(1999), kStart + absl::Microseconds(999'500));
}

TEST(OpenLoopScheduleTest, RunsUntilTheEndExclusive) {
  OpenLoopSchedule schedule(kStart, 100, kStart + absl::Seconds(2));
  EXPECT_EQ(schedule.planned(), 200);
  int64_t count = 0;
  absl::Time last = absl::InfinitePast();
  while (auto next = schedule.Next()) {
    EXPECT_EQ(next->first, count);
    EXPECT_GT(next->second, last);
    EXPECT_LT(next->second, kStart + absl::Seconds(2));
    last = next->second;
    ++count;
  }
  EXPECT_EQ(count, 200);
  EXPECT_FALSE(schedule.Next().has_value());
}

TEST(OpenLoopScheduleTest, StopsAtTheRequestCap) {
  OpenLoopSchedule schedule(kStart, 1000, absl::InfiniteFuture(), 25);
  EXPECT_EQ(schedule.planned(), 25);
  int64_t count = 0;
  while (schedule.Next()) ++count;
  EXPECT_EQ(count, 25);
}

TEST(OpenLoopScheduleTest, NoDriftOverLongRuns) {
  // 3 per second does not divide a second evenly; a million steps must still land on time.
  OpenLoopSchedule schedule(kStart, 3, absl::InfiniteFuture());
  EXPECT_LE(
      absl::AbsDuration(schedule.IntendedTime(3'000'000) - (kStart + absl::Seconds(1'000'000))),
      absl::Microseconds(1));
}

TEST(OpenLoopScheduleTest, TheScheduleDoesNotWaitForReplies) {
  // Whatever happened to earlier calls, request i is due at start + i / rate: a caller that
  // fell behind sends at once and its latency counts from the intended time.
  OpenLoopSchedule schedule(kStart, 10, kStart + absl::Seconds(10));
  for (int i = 0; i < 50; ++i) schedule.Next();
  auto next = schedule.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->second, kStart + absl::Seconds(5));
}

}  // namespace
}  // namespace jobledger::loadgen
