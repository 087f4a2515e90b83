// `jl bench`'s judging: Google Benchmark's JSON read, figures evaluated against baselines and
// targets, the markdown table.
#include "bench_report.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::cli {
namespace {

using ::testing::HasSubstr;

// As Google Benchmark writes it (trimmed): a rate, a time in ms, a counter, an errored run.
constexpr char kJson[] = R"({
  "context": {"date": "2026-11-22", "num_cpus": 2},
  "benchmarks": [
    {"name": "BM_RawWriteBatchPuts/min_time:3.000/real_time", "run_type": "iteration",
     "real_time": 500.0, "cpu_time": 480.0, "time_unit": "ns", "items_per_second": 2000000.0},
    {"name": "BM_JobListRebuild/1000000/iterations:1/manual_time", "run_type": "iteration",
     "real_time": 5000.0, "time_unit": "ms", "items_per_second": 200000.0, "cpu_seconds": 5.5},
    {"name": "BM_TimeAndMaterials/1000000/min_time:3.000/real_time", "run_type": "iteration",
     "real_time": 68000.0, "time_unit": "us", "items_per_second": 14700.0},
    {"name": "BM_ExportCsv/1000000/iterations:1/manual_time", "run_type": "iteration",
     "error_occurred": true, "error_message": "the export missed rows"}
  ]
})";

BenchFigure Rebuild() {
  return {.area = "Projections",
          .name = "rebuild",
          .binary = "projection_bench",
          .benchmark = "^BM_JobListRebuild/1000000",
          .baseline = "^BM_RawWriteBatchPuts",
          .unit = "events/s",
          .min_value = 150'000,
          .min_ratio = 0.3,
          .target = "t"};
}

TEST(BenchReport, ReadsEveryNumericFieldWithTimesInMilliseconds) {
  BenchResults results;
  ASSERT_TRUE(AddGoogleBenchmarkJson("projection_bench", kJson, results).ok());
  const auto& of_binary = results.at("projection_bench");
  EXPECT_EQ(of_binary.size(), 3u);  // the errored run is left out
  EXPECT_DOUBLE_EQ(
      of_binary.at("BM_JobListRebuild/1000000/iterations:1/manual_time").at("cpu_seconds"), 5.5);
  EXPECT_DOUBLE_EQ(
      of_binary.at("BM_TimeAndMaterials/1000000/min_time:3.000/real_time").at("real_time"), 68.0);
  EXPECT_DOUBLE_EQ(of_binary.at("BM_RawWriteBatchPuts/min_time:3.000/real_time").at("real_time"),
                   0.0005);
}

TEST(BenchReport, RefusesWhatIsNotGoogleBenchmarksJson) {
  BenchResults results;
  EXPECT_EQ(AddGoogleBenchmarkJson("x", "not json", results).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AddGoogleBenchmarkJson("x", R"({"benchmarks": 3})", results).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BenchReport, AFigureMeetsItsTargetOnlyWhenEveryBoundHolds) {
  BenchResults results;
  ASSERT_TRUE(AddGoogleBenchmarkJson("projection_bench", kJson, results).ok());
  FigureOutcome outcome = Evaluate(Rebuild(), results);
  ASSERT_TRUE(outcome.value.has_value());
  EXPECT_DOUBLE_EQ(*outcome.value, 200'000);
  EXPECT_DOUBLE_EQ(*outcome.baseline, 2'000'000);
  EXPECT_DOUBLE_EQ(*outcome.ratio, 0.1);
  EXPECT_EQ(outcome.met, false);  // 200,000/s meets 150,000/s, but 0.1x misses 0.3x

  BenchFigure rate_only = Rebuild();
  rate_only.min_ratio = 0;
  EXPECT_EQ(Evaluate(rate_only, results).met, true);

  BenchFigure time = {.binary = "projection_bench",
                      .benchmark = "^BM_TimeAndMaterials",
                      .metric = "real_time",
                      .unit = "ms",
                      .max_value = 100};
  EXPECT_EQ(Evaluate(time, results).met, true);
  time.max_value = 50;
  EXPECT_EQ(Evaluate(time, results).met, false);
}

TEST(BenchReport, AFigureThatDidNotRunIsSaidSo) {
  BenchResults results;
  ASSERT_TRUE(AddGoogleBenchmarkJson("projection_bench", kJson, results).ok());
  BenchFigure errored = {.area = "Reporting",
                         .name = "export",
                         .binary = "projection_bench",
                         .benchmark = "^BM_ExportCsv",
                         .unit = "rows/s",
                         .min_value = 1};
  EXPECT_FALSE(Evaluate(errored, results).value.has_value());
  EXPECT_FALSE(Evaluate(errored, results).met.has_value());
  const std::string table = FormatBenchTable({Rebuild(), errored}, results);
  EXPECT_THAT(table, HasSubstr("| Projections | rebuild | 200,000 events/s | 2,000,000 events/s | "
                               "0.1x | t | **no** |"));
  EXPECT_THAT(table, HasSubstr("| Reporting | export | — | — | — | — | not run |"));
}

}  // namespace
}  // namespace jobledger::cli
