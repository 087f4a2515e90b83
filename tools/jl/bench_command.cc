// `jl bench`: runs the project's benchmarks (tools/bench) and, with --services, the load
// generator against a system it starts, then prints one markdown table: each figure, its
// baseline from the same run, the ratio and the target from the issues.
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bench_catalog.h"
#include "bench_report.h"
#include "commands.h"
#include "dev_key.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/loadgen/loadgen.h"
#include "jobledger/loadgen/sms_propagation.h"
#include "process_control.h"
#include "system_layout.h"
#include "system_state.h"

extern char** environ;

namespace jobledger::cli {
namespace {

struct BenchFlags {
  std::vector<std::string> only;  // areas or binaries (substrings, any case)
  std::string out;
  bool services = false;
  bool quick = false;  // without the 10M-event figures, which take most of the time
  int port_offset = 400;
  std::string duration = "10s";
};

bool Selected(const BenchFigure& figure, const BenchFlags& flags) {
  if (figure.binary == kLoadgenBinary && !flags.services) return false;
  if (flags.quick && absl::StrContains(figure.benchmark, "/10000000")) return false;
  if (flags.only.empty()) return true;
  for (const std::string& wanted : flags.only) {
    if (absl::StrContains(absl::AsciiStrToLower(figure.area), absl::AsciiStrToLower(wanted)) ||
        absl::StrContains(figure.binary, absl::AsciiStrToLower(wanted))) {
      return true;
    }
  }
  return false;
}

// A tools/bench binary: beside `jl` (installed), else in the build tree's tools/bench.
std::string FindBenchBinary(const std::string& name) {
  const std::filesystem::path dir = ExecutableDir();
  for (const std::filesystem::path& candidate : {dir / name, dir / ".." / "bench" / name}) {
    if (access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal().string();
  }
  return "";
}

// Runs argv with this process's output and environment; its exit status (-1: did not start).
int RunAndWait(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The benchmarks of `binary` that the figures name, into `results`.
absl::Status RunBenchBinary(const std::string& binary, const std::vector<BenchFigure>& figures,
                            const std::string& work_dir, BenchResults& results) {
  const std::string path = FindBenchBinary(binary);
  if (path.empty()) {
    return absl::NotFoundError(absl::StrCat(binary, " not found beside jl or in the build tree"));
  }
  std::set<std::string> patterns;
  for (const BenchFigure& figure : figures) {
    if (figure.binary != binary) continue;
    patterns.insert(absl::StrCat("(", figure.benchmark, ")"));
    if (!figure.baseline.empty()) patterns.insert(absl::StrCat("(", figure.baseline, ")"));
  }
  const std::string json_path = absl::StrCat(work_dir, "/", binary, ".json");
  std::cout << "\n== " << binary << "\n" << std::flush;
  const int status = RunAndWait({path, "--benchmark_filter=" + absl::StrJoin(patterns, "|"),
                                 "--benchmark_out=" + json_path, "--benchmark_out_format=json"});
  std::ifstream in(json_path);
  std::stringstream json;
  json << in.rdbuf();
  if (absl::Status s = AddGoogleBenchmarkJson(binary, json.str(), results); !s.ok()) {
    return absl::InternalError(absl::StrCat(binary, " exited with ", status, ": ", s.message()));
  }
  if (status != 0) return absl::InternalError(absl::StrCat(binary, " exited with ", status));
  return absl::OkStatus();
}

// The first line of a /proc file (cpuinfo, meminfo, <pid>/status) starting with `key`, after its
// colon.
std::string ProcField(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, key)) {
      return std::string(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
    }
  }
  return "unknown";
}

// The whole system started by `jl up` in a scratch directory (stopped again by the destructor).
class ScratchSystem {
 public:
  ScratchSystem(std::string data_dir, int port_offset)
      : data_dir_(std::move(data_dir)), port_offset_(port_offset) {}
  ~ScratchSystem() {
    if (up_) RunAndWait({Self(), "down", "--data-dir", data_dir_});
  }

  absl::Status Up() {
    up_ = true;
    const int status = RunAndWait({Self(), "up", "--no-demo", "--data-dir", data_dir_,
                                   "--port-offset", std::to_string(port_offset_)});
    if (status != 0) return absl::UnavailableError(absl::StrCat("jl up exited with ", status));
    return absl::OkStatus();
  }
  std::string Address(const std::string& service) const {
    for (const ServiceSpec& spec : SystemServices()) {
      if (spec.name == service) {
        return absl::StrCat("127.0.0.1:", spec.grpc_port + port_offset_);
      }
    }
    return "";
  }
  absl::StatusOr<std::string> Key() const { return EnsureDevKey(LayoutFor(data_dir_).key_file()); }
  // Each service's peak resident memory so far (VmHWM), in MiB.
  std::map<std::string, double> PeakRssMiB() const {
    std::map<std::string, double> peaks;
    auto state = ReadSystemState(LayoutFor(data_dir_).state_file());
    if (!state.ok()) return peaks;
    for (const RunningProcess& process : state->processes) {
      if (process.grpc_address.empty() || !IsRunning(process.process)) continue;
      const std::string kib = ProcField(absl::StrCat("/proc/", process.process.pid, "/status"),
                                        "VmHWM");  // "123456 kB"
      double value = 0;
      if (absl::SimpleAtod(kib.substr(0, kib.find(' ')), &value)) {
        peaks[process.name] = value / 1024;
      }
    }
    return peaks;
  }

 private:
  static std::string Self() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

  const std::string data_dir_;
  const int port_offset_;
  bool up_ = false;
};

// The job service's command path beside an echo baseline, propagation to reporting, customer
// texts from the notification service's OK to the SMS provider, and each service's peak RSS.
absl::Status RunServiceLoads(const BenchFlags& flags, const std::string& work_dir,
                             BenchResults& results) {
  std::cout << "\n== loadgen (jl up in " << work_dir << "/system)\n" << std::flush;
  ScratchSystem system(work_dir + "/system", flags.port_offset);
  if (absl::Status s = system.Up(); !s.ok()) return s;
  auto key = system.Key();
  if (!key.ok()) return key.status();
  auth::TokenClaims claims;
  claims.subject = "bench-dispatcher";
  claims.tenant = "bench";
  claims.roles = {auth::Role::kDispatcher};
  claims.issued_at = claims.not_before = absl::Now();
  claims.expires_at = absl::Now() + absl::Hours(4);
  auto token = auth::MintToken(claims, auth::JwtAlgorithm::kHs256, *key);
  if (!token.ok()) return token.status();

  loadgen::LoadOptions options;
  options.target = system.Address("job");
  options.token = *token;
  options.mix = *loadgen::CommandMix::Parse("create=1,status=2");
  options.clients = 32;
  options.warmup = absl::Seconds(2);
  if (!absl::ParseDuration(flags.duration, &options.duration)) {
    return absl::InvalidArgumentError("--duration: not a duration (e.g. 10s)");
  }
  options.propagation_target = system.Address("reporting");
  // Customer texts are measured while the command load runs (from the end of its warm-up, about
  // 20 a second): the notification service reads the same logs the load fills.
  loadgen::SmsPropagationOptions texts;
  texts.job_target = system.Address("job");
  texts.notification_target = system.Address("notification");
  texts.token = *token;
  texts.sms_record_file = LayoutFor(work_dir + "/system").outbox_dir("sms") + "/messages.jsonl";
  texts.messages = std::max(
      1, static_cast<int>(texts.rate * absl::ToDoubleSeconds(options.duration - absl::Seconds(1))));
  absl::StatusOr<loadgen::RpcStats> sms = absl::UnknownError("not measured");
  std::thread text_sender([&] {
    absl::SleepFor(options.warmup);  // pacing: start with the measured part of the load
    sms = loadgen::MeasureSmsPropagation(texts);
  });
  auto measured = loadgen::RunServiceLoad(options);
  text_sender.join();
  if (!measured.ok()) return measured.status();
  if (!sms.ok()) return sms.status();
  std::cout << loadgen::FormatReport(*measured);
  auto echo = loadgen::EchoBaseline::Start(*key);
  if (!echo.ok()) return echo.status();
  loadgen::LoadOptions echo_options = options;
  echo_options.target = absl::StrCat("127.0.0.1:", (*echo)->port());
  auto baseline = loadgen::RunEchoLoad(echo_options);
  if (!baseline.ok()) return baseline.status();
  std::cout << loadgen::FormatReport(*baseline);

  auto& loadgen_results = results[kLoadgenBinary];
  loadgen_results["job_commands"]["items_per_second"] = measured->throughput;
  loadgen_results["echo"]["items_per_second"] = baseline->throughput;
  std::cout << "\n"
            << loadgen::kSmsPropagation << ": " << sms->ok << " arrived, " << sms->errors.size()
            << " kinds of failure\n";
  if (sms->ok > 0) {
    loadgen_results["sms"]["p50_ms"] = sms->latency.PercentileMicros(0.5) / 1000.0;
    loadgen_results["sms"]["p99_ms"] = sms->latency.PercentileMicros(0.99) / 1000.0;
  }
  for (const auto& [service, mib] : system.PeakRssMiB()) {
    loadgen_results[absl::StrCat("rss_", service)]["peak_MiB"] = mib;
  }
  for (const loadgen::RpcStats& rpc : measured->rpcs) {
    if (rpc.name != loadgen::kPropagationRpc || rpc.ok == 0) continue;
    loadgen_results["propagation"]["p50_ms"] = rpc.latency.PercentileMicros(0.5) / 1000.0;
    loadgen_results["propagation"]["p99_ms"] = rpc.latency.PercentileMicros(0.99) / 1000.0;
  }
  return absl::OkStatus();
}

std::string MachineLine() {
  utsname name{};
  uname(&name);
  return absl::StrCat(
      "**Machine:** ", ProcField("/proc/cpuinfo", "model name"), ", ",
      sysconf(_SC_NPROCESSORS_ONLN), " CPUs online, ", ProcField("/proc/meminfo", "MemTotal"),
      " memory, ", name.sysname, " ", name.release, ". **Measured:** ",
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone()), ".\n");
}

int RunBench(const BenchFlags& flags, const std::string& command_line) {
  std::vector<BenchFigure> figures;
  for (const BenchFigure& figure : BenchFigures()) {
    if (Selected(figure, flags)) figures.push_back(figure);
  }
  if (figures.empty()) {
    std::cerr << "jl bench: --only matches no figure\n";
    return EXIT_FAILURE;
  }
  char scratch[] = "/tmp/jl-bench-XXXXXX";
  if (mkdtemp(scratch) == nullptr) {
    std::cerr << "jl bench: cannot make a scratch directory in /tmp\n";
    return EXIT_FAILURE;
  }
  BenchResults results;
  std::vector<std::string> failures;
  std::vector<std::string> binaries;
  for (const BenchFigure& figure : figures) {
    if (std::find(binaries.begin(), binaries.end(), figure.binary) == binaries.end()) {
      binaries.push_back(figure.binary);
    }
  }
  for (const std::string& binary : binaries) {
    absl::Status s = binary == kLoadgenBinary ? RunServiceLoads(flags, scratch, results)
                                              : RunBenchBinary(binary, figures, scratch, results);
    if (!s.ok()) failures.push_back(std::string(s.message()));
  }
  std::filesystem::remove_all(scratch);

  std::string report = absl::StrCat(MachineLine(), "**Command:** `", command_line, "`\n\n",
                                    FormatBenchTable(figures, results));
  for (const std::string& failure : failures) absl::StrAppend(&report, "\nFailed: ", failure, "\n");
  std::cout << "\n" << report;
  if (!flags.out.empty()) {
    std::ofstream out(flags.out);
    out << report;
    if (!out) {
      std::cerr << "jl bench: cannot write " << flags.out << "\n";
      return EXIT_FAILURE;
    }
  }
  return failures.empty() ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

void RegisterBenchCommand(CLI::App& app) {
  auto flags = std::make_shared<BenchFlags>();
  CLI::App* command = app.add_subcommand(
      "bench",
      "Run the project's benchmarks and print a markdown table: each figure, its baseline from "
      "the same run, the ratio and the target");
  command->footer(
      "The benchmark binaries are found beside jl or in the build tree (tools/bench). Everything "
      "takes about an hour on 2 CPUs\n(the reporting figures build a store from 11M events; "
      "REPORTING_BENCH_STORE=DIR keeps it for later runs).\n"
      "Example: jl bench --only 'event log' --only projections --out /tmp/bench.md\n"
      "         jl bench --services --only services   # starts the system with jl up");
  command->add_option("--only", flags->only, "Areas or binaries to run (repeatable, substring)");
  command->add_option("--out", flags->out, "Also write the report to this file");
  command->add_flag("--services", flags->services,
                    "Also start the system (jl up --no-demo in a scratch directory) and measure "
                    "the job command path and propagation to reporting with the load generator");
  command->add_flag("--quick", flags->quick,
                    "Leave out the 10M-event figures (most of the hour; the 1M ones stay)");
  command->add_option("--port-offset", flags->port_offset, "Port offset of that system")
      ->capture_default_str();
  command->add_option("--duration", flags->duration, "Measured time of each load")
      ->capture_default_str();
  command->callback([flags] {
    std::vector<std::string> words = {"jl bench"};
    for (const std::string& only : flags->only) words.push_back("--only '" + only + "'");
    if (flags->quick) words.push_back("--quick");
    if (flags->services) words.push_back("--services");
    std::exit(RunBench(*flags, absl::StrJoin(words, " ")));
  });
}

}  // namespace jobledger::cli
