// Composite keys sort exactly as their parts do and decode back to them.
#include "jobledger/projection/key_codec.h"

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace jobledger::projection {
namespace {

TEST(KeyCodec, StringsSortBytewiseAndArePrefixFree) {
  const std::vector<std::string> ordered = {"",
                                            std::string("\0", 1),
                                            "a",
                                            std::string("a\0", 2),
                                            std::string("a\0\0", 3),
                                            std::string("a\x01", 2),
                                            "ab",
                                            "b",
                                            "\xff"};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    const std::string left = KeyBuilder().String(ordered[i]).String("zzz").key();
    const std::string right = KeyBuilder().String(ordered[i + 1]).String("").key();
    EXPECT_LT(left, right) << i;  // the first part decides, whatever follows
  }
}

TEST(KeyCodec, IntegersAndTimesSortNumerically) {
  const std::vector<int64_t> ordered = {INT64_MIN, -1'000'000, -1, 0, 1, 255, 256, INT64_MAX};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(KeyBuilder().Int64(ordered[i]).key(), KeyBuilder().Int64(ordered[i + 1]).key());
    EXPECT_GT(KeyBuilder().Int64Descending(ordered[i]).key(),
              KeyBuilder().Int64Descending(ordered[i + 1]).key());
  }
  const absl::Time earlier = absl::FromUnixSeconds(1'700'000'000);
  const absl::Time later = earlier + absl::Microseconds(1);
  EXPECT_LT(KeyBuilder().Time(earlier).key(), KeyBuilder().Time(later).key());
  EXPECT_GT(KeyBuilder().TimeDescending(earlier).key(), KeyBuilder().TimeDescending(later).key());
}

TEST(KeyCodec, CompositeKeysSortLikeTuples) {
  std::mt19937 random(7);
  const std::vector<std::string> words = {"", "a", "ab", std::string("a\0b", 3), "b", "job"};
  using Tuple = std::tuple<std::string, int64_t, std::string>;
  std::vector<Tuple> tuples;
  for (int i = 0; i < 300; ++i) {
    tuples.emplace_back(words[random() % words.size()], static_cast<int64_t>(random() % 7) - 3,
                        words[random() % words.size()]);
  }
  std::vector<std::pair<std::string, Tuple>> encoded;
  for (const Tuple& t : tuples) {
    encoded.emplace_back(
        KeyBuilder().String(std::get<0>(t)).Int64(std::get<1>(t)).String(std::get<2>(t)).key(), t);
  }
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 0; i + 1 < encoded.size(); ++i) {
    EXPECT_LE(encoded[i].second, encoded[i + 1].second);
  }
}

TEST(KeyCodec, DecodesWhatItEncoded) {
  const absl::Time when = absl::FromUnixMicros(1'795'000'000'123'456);
  const std::string key = KeyBuilder()
                              .String(std::string("ten\0ant", 7))
                              .Int64(-42)
                              .Int64Descending(7)
                              .Time(when)
                              .TimeDescending(when)
                              .String("")
                              .key();
  KeyReader reader(key);
  EXPECT_EQ(*reader.String(), std::string("ten\0ant", 7));
  EXPECT_EQ(*reader.Int64(), -42);
  EXPECT_EQ(*reader.Int64Descending(), 7);
  EXPECT_EQ(*reader.Time(), when);
  EXPECT_EQ(*reader.TimeDescending(), when);
  EXPECT_EQ(*reader.String(), "");
  EXPECT_TRUE(reader.done());
}

TEST(KeyCodec, MalformedKeysAreErrorsNotCrashes) {
  EXPECT_FALSE(KeyReader("abc").String().ok());                      // no terminator
  EXPECT_FALSE(KeyReader(std::string("a\0\x02", 3)).String().ok());  // bad escape
  EXPECT_FALSE(KeyReader("1234567").Int64().ok());                   // too short
}

TEST(KeyCodec, PrefixEndBoundsEveryKeyWithThePrefix) {
  const std::string prefix = KeyBuilder().String("tenant-1").key();
  const std::string end = PrefixEnd(prefix);
  EXPECT_LT(KeyBuilder().String("tenant-1").String("\xff\xff").key(), end);
  EXPECT_GE(KeyBuilder().String("tenant-10").key(), end);
  EXPECT_EQ(PrefixEnd("a\xff\xff"), "b");
  EXPECT_EQ(PrefixEnd("\xff"), "");
}

}  // namespace
}  // namespace jobledger::projection
