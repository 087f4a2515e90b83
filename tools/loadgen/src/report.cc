// Reports: a table for people, JSON for scripts.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "jobledger/loadgen/loadgen.h"
#include "nlohmann/json.hpp"

namespace jobledger::loadgen {
namespace {

std::string Millis(int64_t micros) { return absl::StrFormat("%.2f", micros / 1000.0); }

std::string Errors(const RpcStats& stats) {
  return absl::StrJoin(stats.errors, " ", absl::PairFormatter("="));
}

nlohmann::json ToJson(const LoadReport& report) {
  nlohmann::json rpcs = nlohmann::json::array();
  for (const RpcStats& stats : report.rpcs) {
    rpcs.push_back({{"rpc", stats.name},
                    {"ok", stats.ok},
                    {"refused", stats.refused},
                    {"errors", stats.errors},
                    {"rate_per_s", static_cast<double>(stats.ok + stats.refused) /
                                       absl::ToDoubleSeconds(report.measured)},
                    {"p50_ms", stats.latency.PercentileMicros(0.50) / 1000.0},
                    {"p90_ms", stats.latency.PercentileMicros(0.90) / 1000.0},
                    {"p99_ms", stats.latency.PercentileMicros(0.99) / 1000.0},
                    {"p999_ms", stats.latency.PercentileMicros(0.999) / 1000.0},
                    {"max_ms", stats.latency.max_micros() / 1000.0},
                    {"mean_ms", stats.latency.mean_micros() / 1000.0}});
  }
  return {{"label", report.label},
          {"mode", report.mode},
          {"clients", report.clients},
          {"target_rate_per_s", report.target_rate},
          {"mix", report.mix},
          {"measured_s", absl::ToDoubleSeconds(report.measured)},
          {"ok", report.ok},
          {"refused", report.refused},
          {"errors", report.errors},
          {"throughput_per_s", report.throughput},
          {"late_sends", report.late_sends},
          {"rpcs", rpcs}};
}

}  // namespace

std::string FormatReport(const LoadReport& report) {
  std::string out = absl::StrFormat(
      "%s: %s loop, %d clients%s, mix %s, measured %.1f s\n", report.label, report.mode,
      report.clients,
      report.mode == "open" ? absl::StrFormat(", %.0f requests/s offered", report.target_rate) : "",
      report.mix, absl::ToDoubleSeconds(report.measured));
  // A REFUSED column only when some call was refused by design (the job mix never is).
  const bool refusals = report.refused > 0;
  absl::StrAppendFormat(&out, "  %-28s %9s%s %7s %9s %8s %8s %8s %8s %8s  %s\n", "RPC", "OK",
                        refusals ? absl::StrFormat(" %9s", "REFUSED") : "", "ERR", "RATE/S",
                        "P50 MS", "P90 MS", "P99 MS", "P999 MS", "MAX MS", "ERRORS");
  for (const RpcStats& stats : report.rpcs) {
    int64_t errors = 0;
    for (const auto& [code, count] : stats.errors) errors += count;
    const LatencyHistogram& h = stats.latency;
    absl::StrAppendFormat(
        &out, "  %-28s %9d%s %7d %9.0f %8s %8s %8s %8s %8s  %s\n", stats.name, stats.ok,
        refusals ? absl::StrFormat(" %9d", stats.refused) : "", errors,
        static_cast<double>(stats.ok + stats.refused) / absl::ToDoubleSeconds(report.measured),
        Millis(h.PercentileMicros(0.5)), Millis(h.PercentileMicros(0.9)),
        Millis(h.PercentileMicros(0.99)), Millis(h.PercentileMicros(0.999)), Millis(h.max_micros()),
        Errors(stats));
  }
  absl::StrAppendFormat(&out, "  throughput %.0f calls/s", report.throughput);
  if (refusals) {
    absl::StrAppendFormat(&out, " (%.1f%% refused by design, counted as completed)",
                          100.0 * static_cast<double>(report.refused) /
                              static_cast<double>(report.ok + report.refused));
  }
  if (report.mode == "open") {
    absl::StrAppendFormat(&out, ", %d sends more than 1 ms late", report.late_sends);
  }
  out += "\n";
  return out;
}

std::string FormatComparison(const LoadReport& measured, const LoadReport& baseline) {
  return absl::StrFormat("ratio: %s %.0f/s ÷ %s %.0f/s = %.2f×; p99 %s ms against %s ms\n",
                         measured.label, measured.throughput, baseline.label, baseline.throughput,
                         baseline.throughput > 0 ? measured.throughput / baseline.throughput : 0.0,
                         Millis(measured.all().latency.PercentileMicros(0.99)),
                         Millis(baseline.all().latency.PercentileMicros(0.99)));
}

std::string ReportsToJson(const std::vector<LoadReport>& reports) {
  nlohmann::json document;
  document["reports"] = nlohmann::json::array();
  for (const LoadReport& report : reports) document["reports"].push_back(ToJson(report));
  if (reports.size() == 2 && reports[1].throughput > 0) {
    document["throughput_ratio"] = reports[0].throughput / reports[1].throughput;
  }
  return document.dump(2);
}

}  // namespace jobledger::loadgen
