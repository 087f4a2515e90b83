// The figures `jl bench` reports: each one benchmark of tools/bench (or of the load generator
// against the running services), the baseline measured in the same run, and the target its issue
// set.
#pragma once

#include <string>
#include <vector>

namespace jobledger::cli {

struct BenchFigure {
  std::string area{};       // "Event log", "Projections", ...
  std::string name{};       // what is measured, in words
  std::string binary{};     // a tools/bench binary, or kLoadgenBinary
  std::string benchmark{};  // regular expression for the benchmark's name in the results
  std::string baseline{};   // the same for its baseline ("" when it has none)
  std::string metric = "items_per_second";  // the result field the figure is
  std::string unit{};                       // how the figure is printed: "events/s", "ms", ...
  double scale = 1;                         // metric × scale = the figure in `unit`
  double min_value = 0;                     // the target: at least this (0: no such bound)
  double max_value = 0;                     // at most this (0: no such bound)
  double min_ratio = 0;                     // at least this × the baseline (0: no such bound)
  std::string target{};                     // the target as the issue states it ("" for none)
};

// The results the load generator adds (`jl bench --services`) come under this binary's name.
inline constexpr char kLoadgenBinary[] = "loadgen";

// Every figure, in the order of the report.
const std::vector<BenchFigure>& BenchFigures();

}  // namespace jobledger::cli
