// Key → partition: stable, in range, spread out, and the same as Kafka's Java default.
#include "jobledger/eventlog/partitioner.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace jobledger::eventlog {
namespace {

TEST(Partitioner, StableAndInRange) {
  for (int i = 0; i < 1000; ++i) {
    const std::string key = absl::StrCat("job-", i);
    const int32_t partition = PartitionForKey(key, 6);
    EXPECT_GE(partition, 0);
    EXPECT_LT(partition, 6);
    EXPECT_EQ(partition, PartitionForKey(key, 6));
  }
  EXPECT_EQ(PartitionForKey("anything", 1), 0);
}

TEST(Partitioner, SpreadsKeysOverAllPartitions) {
  std::vector<int> counts(12, 0);
  for (int i = 0; i < 12'000; ++i) ++counts[PartitionForKey(absl::StrCat("key", i), 12)];
  for (int count : counts) {
    EXPECT_GT(count, 700);
    EXPECT_LT(count, 1300);
  }
}

TEST(Partitioner, MatchesKafkaJavaClientMurmur2) {
  // murmur2 reference values from the Kafka Java client's and librdkafka's unit tests; the
  // partition is toPositive(murmur2(key)) % count, as in the Java client's default partitioner.
  struct Vector {
    const char* key;
    uint32_t murmur2;
  };
  const Vector vectors[] = {
      {"21", static_cast<uint32_t>(-973932308)},
      {"foobar", static_cast<uint32_t>(-790332482)},
      {"abc", 479470107},
      {"kafka", 0xd067cf64},
      {"giberish123456789", 0x8f552b0c},
      {"1234", 0x9fc97b14},
      {"234", 0xe7c009ca},
      {"PreAmbleWillBeRemoved,ThePrePartThatIs", 0x78424f1c},
      {"eAmbleWillBeRemoved,ThePrePartThatIs", 0xe0e4e09e},
  };
  for (int32_t count : {7, 100, 1000}) {
    for (const Vector& v : vectors) {
      EXPECT_EQ(PartitionForKey(v.key, count),
                static_cast<int32_t>((v.murmur2 & 0x7fffffff) % static_cast<uint32_t>(count)))
          << v.key << " over " << count;
    }
  }
}

}  // namespace
}  // namespace jobledger::eventlog
