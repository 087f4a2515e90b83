// The latency histogram: exact small values, bounded relative error, percentiles by rank.
#include "jobledger/loadgen/histogram.h"

#include <gtest/gtest.h>

#include <random>

namespace jobledger::loadgen {
namespace {

TEST(LatencyHistogramTest, EmptyReportsZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0);
  EXPECT_EQ(histogram.PercentileMicros(0.99), 0);
  EXPECT_EQ(histogram.min_micros(), 0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  for (int64_t v = 0; v < LatencyHistogram::kSubBuckets; ++v) {
    EXPECT_EQ(LatencyHistogram::BucketUpperBound(LatencyHistogram::BucketIndex(v)), v);
  }
}

TEST(LatencyHistogramTest, BucketsAreContiguousAndBoundRelativeError) {
  int previous = -1;
  for (int64_t v = 0; v < (int64_t{1} << 30); v = v < 4096 ? v + 1 : v + v / 97) {
    const int index = LatencyHistogram::BucketIndex(v);
    EXPECT_GE(index, previous) << v;
    previous = index;
    const int64_t upper = LatencyHistogram::BucketUpperBound(index);
    ASSERT_GE(upper, v);
    EXPECT_LE(static_cast<double>(upper - v), static_cast<double>(v) / 32.0 + 1) << v;
    // The next value past the bound lands in the next bucket.
    EXPECT_EQ(LatencyHistogram::BucketIndex(upper + 1), index + 1) << v;
  }
}

TEST(LatencyHistogramTest, PercentilesOfAUniformSpread) {
  LatencyHistogram histogram;
  for (int64_t v = 1; v <= 10'000; ++v) histogram.RecordMicros(v);
  EXPECT_EQ(histogram.count(), 10'000);
  EXPECT_EQ(histogram.min_micros(), 1);
  EXPECT_EQ(histogram.max_micros(), 10'000);
  EXPECT_NEAR(histogram.mean_micros(), 5000.5, 0.01);
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = q * 10'000;
    const auto got = static_cast<double>(histogram.PercentileMicros(q));
    EXPECT_GE(got, exact) << q;  // never understated
    EXPECT_LE(got, exact * (1 + 1.0 / 32) + 1) << q;
  }
  EXPECT_EQ(histogram.PercentileMicros(1.0), 10'000);
}

TEST(LatencyHistogramTest, ATailShowsInTheHighPercentilesOnly) {
  LatencyHistogram histogram;
  for (int i = 0; i < 990; ++i) histogram.Record(absl::Microseconds(500));
  for (int i = 0; i < 10; ++i) histogram.Record(absl::Milliseconds(80));
  EXPECT_LE(histogram.PercentileMicros(0.5), 510);
  EXPECT_LE(histogram.PercentileMicros(0.99), 510);
  EXPECT_GE(histogram.PercentileMicros(0.991), 80'000);
  EXPECT_EQ(histogram.PercentileMicros(0.999), 80'000);  // clamped to the largest value
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 random(7);
  LatencyHistogram a;
  LatencyHistogram b;
  LatencyHistogram both;
  for (int i = 0; i < 5'000; ++i) {
    const auto v = static_cast<int64_t>(random() % 1'000'000);
    (i % 2 == 0 ? a : b).RecordMicros(v);
    both.RecordMicros(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), both.count());
  for (double q : {0.1, 0.5, 0.9, 0.99, 0.999}) {
    EXPECT_EQ(a.PercentileMicros(q), both.PercentileMicros(q));
  }
  EXPECT_EQ(a.max_micros(), both.max_micros());
}

TEST(LatencyHistogramTest, NegativeAndHugeValuesAreClamped) {
  LatencyHistogram histogram;
  histogram.RecordMicros(-5);
  histogram.RecordMicros(int64_t{1} << 60);
  EXPECT_EQ(histogram.count(), 2);
  EXPECT_EQ(histogram.PercentileMicros(0.5), 0);
  EXPECT_EQ(histogram.PercentileMicros(1.0), int64_t{1} << 60);
}

}  // namespace
}  // namespace jobledger::loadgen
