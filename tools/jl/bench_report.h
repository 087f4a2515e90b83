// `jl bench`'s results and report: Google Benchmark's JSON read into one table of results per
// binary, each figure evaluated against its baseline and target, and the markdown table.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bench_catalog.h"

namespace jobledger::cli {

// binary → benchmark name → field → value. Times ("real_time", "cpu_time") are in milliseconds
// whatever unit the benchmark reported in.
using BenchResults = std::map<std::string, std::map<std::string, std::map<std::string, double>>>;

// Adds the benchmarks of one `--benchmark_format=json` output of `binary`: every numeric field of
// each (items_per_second, real_time, user counters …). Errored or skipped benchmarks are left out.
absl::Status AddGoogleBenchmarkJson(const std::string& binary, absl::string_view json,
                                    BenchResults& results);

struct FigureOutcome {
  std::optional<double> value;     // in the figure's unit; none when the benchmark did not run
  std::optional<double> baseline;  // the baseline's value of the same metric, scaled alike
  std::optional<double> ratio;     // value / baseline
  std::optional<bool> met;         // none when the figure has no target or did not run
};

FigureOutcome Evaluate(const BenchFigure& figure, const BenchResults& results);

// | area | figure | measured | baseline | ratio | target | met? |, one row per figure.
std::string FormatBenchTable(const std::vector<BenchFigure>& figures, const BenchResults& results);

}  // namespace jobledger::cli
