// The injectable clock.
#include "jobledger/common/clock.h"

#include "gtest/gtest.h"

namespace jobledger {
namespace {

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  clock.Advance(absl::Milliseconds(1500));
  EXPECT_EQ(clock.Now(), absl::FromUnixMillis(101'500));
  clock.Set(absl::FromUnixSeconds(7));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(7));
}

TEST(SystemClock, FollowsWallTime) {
  const absl::Time before = absl::Now();
  const absl::Time seen = SystemClock().Now();
  const absl::Time after = absl::Now();
  EXPECT_LE(before, seen);
  EXPECT_LE(seen, after);
}

// Code written against Clock& sees whichever clock it was given.
absl::Duration Age(const Clock& clock, absl::Time since) { return clock.Now() - since; }

TEST(Clock, InjectedIntoCallers) {
  FakeClock clock(absl::FromUnixSeconds(1000));
  EXPECT_EQ(Age(clock, absl::FromUnixSeconds(400)), absl::Seconds(600));
  clock.Advance(absl::Minutes(1));
  EXPECT_EQ(Age(clock, absl::FromUnixSeconds(400)), absl::Seconds(660));
}

}  // namespace
}  // namespace jobledger
