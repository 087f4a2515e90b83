// UUID text/bytes round trips and UUIDv7 ordering under real and injected clocks.
#include "jobledger/common/uuid.h"

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace jobledger {
namespace {

TEST(Uuid, ParsesAndFormatsCanonicalText) {
  auto id = Uuid::Parse("01890A5D-AC96-774B-BCCE-B302099A8057");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->ToString(), "01890a5d-ac96-774b-bcce-b302099a8057");
  EXPECT_EQ(id->version(), 7);
  EXPECT_EQ(*id->Timestamp(), absl::FromUnixMillis(0x01890a5dac96));
  auto again = Uuid::FromBytes(id->AsBytes());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id);
}

TEST(Uuid, RefusesMalformedText) {
  for (const char* text : {"", "01890a5d-ac96-774b-bcce-b302099a805",  // short
                           "01890a5d-ac96-774b-bcce-b302099a80577",    // long
                           "01890a5dxac96-774b-bcce-b302099a8057",     // dash missing
                           "01890a5d-ac96-774b-bcce-b302099a805g",     // non-hex
                           "01890a5d-ac9-6774b-bcce-b302099a8057"}) {  // dash misplaced
    EXPECT_EQ(Uuid::Parse(text).status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_EQ(Uuid::FromBytes("short").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Uuid, NilAndNonV7) {
  EXPECT_TRUE(Uuid().is_nil());
  EXPECT_EQ(Uuid().ToString(), "00000000-0000-0000-0000-000000000000");
  auto v4 = Uuid::Parse("f47ac10b-58cc-4372-a567-0e02b2c3d479");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->version(), 4);
  EXPECT_FALSE(v4->Timestamp().has_value());
}

TEST(UuidV7Generator, SetsVersionVariantAndTimestamp) {
  FakeClock clock(absl::FromUnixMillis(1'767'225'600'123));
  UuidV7Generator generator(clock, /*seed=*/1);
  const Uuid id = generator.NewId();
  EXPECT_EQ(id.version(), 7);
  EXPECT_EQ(id.bytes()[8] & 0xc0, 0x80);  // RFC 9562 variant
  EXPECT_EQ(*id.Timestamp(), absl::FromUnixMillis(1'767'225'600'123));
}

TEST(UuidV7Generator, StrictlyIncreasesWithinOneMillisecond) {
  FakeClock clock;  // never advances: every id lands in the same millisecond
  UuidV7Generator generator(clock, /*seed=*/7);
  Uuid previous = generator.NewId();
  // More ids than the 12-bit counter holds, so the timestamp must borrow ahead.
  for (int i = 0; i < 10'000; ++i) {
    const Uuid next = generator.NewId();
    ASSERT_LT(previous, next) << "at " << i;
    previous = next;
  }
  EXPECT_GT(*previous.Timestamp(), clock.Now());
}

TEST(UuidV7Generator, StaysOrderedWhenTheClockStepsBack) {
  FakeClock clock(absl::FromUnixSeconds(2'000'000'000));
  UuidV7Generator generator(clock, /*seed=*/3);
  const Uuid before = generator.NewId();
  clock.Advance(-absl::Seconds(5));
  const Uuid after = generator.NewId();
  EXPECT_LT(before, after);
}

TEST(UuidV7Generator, OrdersByTimeAcrossMilliseconds) {
  FakeClock clock;
  UuidV7Generator generator(clock, /*seed=*/5);
  std::vector<Uuid> ids;
  for (int i = 0; i < 100; ++i) {
    ids.push_back(generator.NewId());
    clock.Advance(absl::Milliseconds(1));
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(*ids.back().Timestamp() - *ids.front().Timestamp(), absl::Milliseconds(99));
}

TEST(UuidV7Generator, UniqueAcrossThreadsOnTheRealClock) {
  UuidV7Generator generator;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5'000;
  std::vector<std::vector<Uuid>> produced(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) produced[t].push_back(generator.NewId());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<Uuid> all;
  for (const auto& ids : produced) {
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // each caller sees increasing ids
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(UuidV7Generator, SeededGeneratorsAreReproducible) {
  FakeClock clock;
  UuidV7Generator a(clock, 11);
  UuidV7Generator b(clock, 11);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.NewId(), b.NewId());
}

}  // namespace
}  // namespace jobledger
