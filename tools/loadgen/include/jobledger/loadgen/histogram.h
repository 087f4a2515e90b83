// A latency histogram in the manner of HdrHistogram: log-bucketed with linear sub-buckets, so
// every recorded value keeps about two significant digits (≤ 1/64 relative error) from 1 µs to
// hours in a few KiB, and histograms merge by adding counts.
#pragma once

#include <array>
#include <cstdint>

#include "absl/time/time.h"

namespace jobledger::loadgen {

class LatencyHistogram {
 public:
  void Record(absl::Duration latency);
  void RecordMicros(int64_t micros);
  void Merge(const LatencyHistogram& other);

  int64_t count() const { return count_; }
  int64_t min_micros() const { return count_ == 0 ? 0 : min_; }
  int64_t max_micros() const { return max_; }
  double mean_micros() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / count_; }
  // The value at `quantile` (0..1): the highest value of the bucket holding that rank, so a
  // percentile is never understated; clamped to the largest value seen. 0 when empty.
  int64_t PercentileMicros(double quantile) const;

  // Bucket layout, exposed for tests: values below kSubBuckets are exact; above, each power of
  // two is split into kSubBuckets / 2 equal parts.
  static constexpr int kSubBucketBits = 6;
  static constexpr int64_t kSubBuckets = int64_t{1} << kSubBucketBits;  // 64
  static int BucketIndex(int64_t micros);
  static int64_t BucketUpperBound(int index);  // the largest value that maps to `index`

 private:
  static constexpr int kMaxExponent = 40;  // values up to 2^46 µs (about two years)
  static constexpr int kBuckets = kSubBuckets + kMaxExponent * (kSubBuckets / 2);
  std::array<int64_t, kBuckets> counts_{};
  int64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t min_ = INT64_MAX;
  int64_t max_ = 0;
};

}  // namespace jobledger::loadgen
