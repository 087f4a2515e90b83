// The pure parts of past boards: the instant a snapshot stands for and the cache of recent ones.
#include "board_snapshots.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "snapshot_cache.h"

namespace jobledger::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kNoon = absl::FromUnixSeconds(1'795'000'000);

TEST(SnapshotInstantTest, InstantsWithinOneMillisecondShareASnapshot) {
  EXPECT_EQ(SnapshotInstant(kNoon), kNoon);
  EXPECT_EQ(SnapshotInstant(kNoon + absl::Microseconds(999)), kNoon);
  EXPECT_EQ(SnapshotInstant(kNoon + absl::Milliseconds(1)), kNoon + absl::Milliseconds(1));
  // Towards the past, also before 1970: a record stamped at that millisecond counts.
  EXPECT_EQ(SnapshotInstant(absl::UnixEpoch() - absl::Microseconds(1)),
            absl::UnixEpoch() - absl::Milliseconds(1));
}

TEST(SnapshotCacheTest, KeepsTheMostRecentlyUsedUpToItsCapacity) {
  SnapshotCache<std::string> cache(2);
  EXPECT_EQ(cache.Find(kNoon), std::nullopt);
  EXPECT_THAT(cache.Put(kNoon, "noon"), IsEmpty());
  EXPECT_THAT(cache.Put(kNoon + absl::Hours(1), "one"), IsEmpty());
  EXPECT_EQ(cache.Find(kNoon), "noon");  // now the most recently used
  EXPECT_THAT(cache.Put(kNoon + absl::Hours(2), "two"), ElementsAre("one"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find(kNoon + absl::Hours(1)), std::nullopt);
  EXPECT_EQ(cache.Find(kNoon + absl::Hours(2)), "two");
  EXPECT_EQ(cache.Find(kNoon), "noon");
}

TEST(SnapshotCacheTest, ReplacesTheSnapshotOfTheSameInstant) {
  SnapshotCache<std::string> cache(2);
  cache.Put(kNoon, "first");
  EXPECT_THAT(cache.Put(kNoon, "second"), ElementsAre("first"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find(kNoon), "second");
}

TEST(SnapshotCacheTest, WithNoCapacityKeepsNothing) {
  SnapshotCache<std::string> cache(0);
  EXPECT_THAT(cache.Put(kNoon, "noon"), ElementsAre("noon"));
  EXPECT_EQ(cache.Find(kNoon), std::nullopt);
}

}  // namespace
}  // namespace jobledger::reporting
