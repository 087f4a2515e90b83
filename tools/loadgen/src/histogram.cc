// The log-bucketed latency histogram.
#include "jobledger/loadgen/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace jobledger::loadgen {

int LatencyHistogram::BucketIndex(int64_t micros) {
  if (micros < kSubBuckets) return static_cast<int>(std::max<int64_t>(micros, 0));
  // Values in [2^e, 2^(e+1)) with e ≥ kSubBucketBits keep their top kSubBucketBits bits.
  const int exponent = 63 - std::countl_zero(static_cast<uint64_t>(micros));
  const int shift = exponent - (kSubBucketBits - 1);
  const int64_t sub = (micros >> shift) - kSubBuckets / 2;  // 0 .. kSubBuckets/2 - 1
  const int index = static_cast<int>(kSubBuckets + (shift - 1) * (kSubBuckets / 2) + sub);
  return std::min(index, kBuckets - 1);
}

int64_t LatencyHistogram::BucketUpperBound(int index) {
  if (index < kSubBuckets) return index;
  const int shift = (index - kSubBuckets) / (kSubBuckets / 2) + 1;
  const int64_t sub = (index - kSubBuckets) % (kSubBuckets / 2) + kSubBuckets / 2;
  return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::Record(absl::Duration latency) {
  RecordMicros(absl::ToInt64Microseconds(latency));
}

void LatencyHistogram::RecordMicros(int64_t micros) {
  micros = std::max<int64_t>(micros, 0);
  ++counts_[BucketIndex(micros)];
  ++count_;
  sum_ += micros;
  min_ = std::min(min_, micros);
  max_ = std::max(max_, micros);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

int64_t LatencyHistogram::PercentileMicros(double quantile) const {
  if (count_ == 0) return 0;
  quantile = std::clamp(quantile, 0.0, 1.0);
  // The rank of the value: the smallest value with at least quantile × count values ≤ it.
  const int64_t rank =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(quantile * static_cast<double>(count_))));
  int64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    // The last bucket also holds every value beyond the range: report the largest seen.
    if (seen >= rank) return i == kBuckets - 1 ? max_ : std::min(BucketUpperBound(i), max_);
  }
  return max_;
}

}  // namespace jobledger::loadgen
