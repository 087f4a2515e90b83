// Reading Google Benchmark's JSON and judging each figure.
#include "bench_report.h"

#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace jobledger::cli {
namespace {

double MillisecondsPer(const std::string& time_unit) {
  if (time_unit == "ns") return 1e-6;
  if (time_unit == "us") return 1e-3;
  if (time_unit == "s") return 1e3;
  return 1;  // "ms"
}

// The first benchmark of `binary` whose name matches `pattern`, and its `metric`.
std::optional<double> Find(const BenchResults& results, const std::string& binary,
                           const std::string& pattern, const std::string& metric) {
  if (pattern.empty()) return std::nullopt;
  const auto of_binary = results.find(binary);
  if (of_binary == results.end()) return std::nullopt;
  const std::regex expression(pattern);
  for (const auto& [name, fields] : of_binary->second) {
    if (!std::regex_search(name, expression)) continue;
    const auto field = fields.find(metric);
    if (field != fields.end()) return field->second;
  }
  return std::nullopt;
}

// 1234567.8 → "1,234,568"; small values keep two decimals.
std::string Number(double value) {
  if (value < 100) return absl::StrFormat("%.2f", value);
  const std::string digits = absl::StrFormat("%.0f", value);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

}  // namespace

absl::Status AddGoogleBenchmarkJson(const std::string& binary, absl::string_view json,
                                    BenchResults& results) {
  const nlohmann::json document = nlohmann::json::parse(json, nullptr, false);
  if (document.is_discarded() || !document.contains("benchmarks") ||
      !document["benchmarks"].is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(binary, ": not Google Benchmark's JSON (no \"benchmarks\" array)"));
  }
  for (const nlohmann::json& benchmark : document["benchmarks"]) {
    if (!benchmark.is_object() || !benchmark.contains("name") ||
        benchmark.contains("error_message")) {
      continue;
    }
    if (benchmark.value("error_occurred", false)) continue;
    const double to_ms = MillisecondsPer(benchmark.value("time_unit", std::string("ns")));
    auto& fields = results[binary][benchmark["name"].get<std::string>()];
    for (const auto& [key, value] : benchmark.items()) {
      if (!value.is_number()) continue;
      const bool time = key == "real_time" || key == "cpu_time";
      fields[key] = value.get<double>() * (time ? to_ms : 1);
    }
  }
  return absl::OkStatus();
}

FigureOutcome Evaluate(const BenchFigure& figure, const BenchResults& results) {
  FigureOutcome outcome;
  const std::optional<double> value = Find(results, figure.binary, figure.benchmark, figure.metric);
  if (!value.has_value()) return outcome;
  outcome.value = *value * figure.scale;
  if (auto baseline = Find(results, figure.binary, figure.baseline, figure.metric)) {
    outcome.baseline = *baseline * figure.scale;
    if (*outcome.baseline != 0) outcome.ratio = *outcome.value / *outcome.baseline;
  }
  const bool has_target = figure.min_value > 0 || figure.max_value > 0 || figure.min_ratio > 0;
  if (!has_target) return outcome;
  bool met = true;
  if (figure.min_value > 0) met = met && *outcome.value >= figure.min_value;
  if (figure.max_value > 0) met = met && *outcome.value <= figure.max_value;
  if (figure.min_ratio > 0) {
    if (!outcome.ratio.has_value()) return outcome;  // the baseline did not run: cannot tell
    met = met && *outcome.ratio >= figure.min_ratio;
  }
  outcome.met = met;
  return outcome;
}

std::string FormatBenchTable(const std::vector<BenchFigure>& figures, const BenchResults& results) {
  std::string table =
      "| area | figure | measured | baseline (same run) | ratio | target | met? |\n"
      "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const BenchFigure& figure : figures) {
    const FigureOutcome outcome = Evaluate(figure, results);
    auto with_unit = [&](const std::optional<double>& v) {
      return v.has_value() ? absl::StrCat(Number(*v), " ", figure.unit) : std::string("—");
    };
    std::string met = "—";
    if (!outcome.value.has_value()) {
      met = "not run";
    } else if (outcome.met.has_value()) {
      met = *outcome.met ? "yes" : "**no**";
    }
    absl::StrAppend(&table, "| ", figure.area, " | ", figure.name, " | ", with_unit(outcome.value),
                    " | ", with_unit(outcome.baseline), " | ",
                    outcome.ratio.has_value() ? absl::StrFormat("%.3gx", *outcome.ratio) : "—",
                    " | ", figure.target.empty() ? "—" : figure.target, " | ", met, " |\n");
  }
  return table;
}

}  // namespace jobledger::cli
