// The progress line of long CLI work.
#include "progress.h"

#include "gtest/gtest.h"

namespace jobledger::cli {
namespace {

TEST(FormatProgress, ShowsBarPercentCountsRateAndEta) {
  EXPECT_EQ(FormatProgress(400'000, 1'000'000, absl::Seconds(2)),
            "[########------------]  40.0%  400,000/1,000,000 events  200,000 ev/s  ETA 0:03");
}

TEST(FormatProgress, HandlesTheEdges) {
  EXPECT_EQ(FormatProgress(0, 0, absl::ZeroDuration()),
            "[####################] 100.0%  0/0 events  0 ev/s  ETA --:--");
  EXPECT_EQ(FormatProgress(0, 10, absl::Seconds(1)),
            "[--------------------]   0.0%  0/10 events  0 ev/s  ETA --:--");
  EXPECT_EQ(FormatProgress(1, 7'201, absl::Seconds(1)),
            "[--------------------]   0.0%  1/7,201 events  1 ev/s  ETA 2:00:00");
}

}  // namespace
}  // namespace jobledger::cli
