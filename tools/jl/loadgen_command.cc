// `jl loadgen`: drives the job service with a command mix (closed- or open-loop) beside a plain
// echo baseline on the same chassis, and seeds a log with many jobs for the large-data figures.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "commands.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/loadgen/loadgen.h"
#include "jobledger/loadgen/seed.h"
#include "jobledger/server/log.h"
#include "progress.h"

namespace jobledger::cli {
namespace {

struct RunFlags {
  std::string target;
  std::string mix = "create=1,status=2";
  int clients = 32;
  double rate = 0;
  std::string duration = "10s";
  int64_t requests = 0;
  std::string warmup = "2s";
  std::string baseline = "echo";
  std::string baseline_log_level = "warning";
  std::string key;
  std::string tenant = "loadgen";
  std::string subject = "loadgen-dispatcher";
  int64_t seeded_jobs = 0;
  int seeded_customers = 2'000;
  int technicians = 50;
  std::string list_filters = "status,customer,technician,unassigned,dates,text,tag";
  uint64_t seed = 1;
  bool json = false;
  std::string propagation_target;
  int propagation_every = 10;
};

struct SeedFlags {
  std::string log_dir;
  int64_t jobs = 1'000'000;
  int customers = 2'000;
  int technicians = 50;
  int scheduling_technicians = 0;
  int partitions = 6;
  std::string tenant = "loadgen";
};

int Fail(absl::string_view message) {
  std::cerr << "jl loadgen: " << message << "\n";
  return EXIT_FAILURE;
}

int Run(const RunFlags& flags) {
  if (flags.key.empty()) return Fail("no key: pass --jwt-key or set JOBLEDGER_JWT_HS256_KEY");
  auto mix = loadgen::CommandMix::Parse(flags.mix);
  if (!mix.ok()) return Fail(absl::StrCat("--", mix.status().message()));
  loadgen::LoadOptions options;
  options.target = flags.target;
  options.mix = *mix;
  options.clients = flags.clients;
  options.rate = flags.rate;
  options.requests = flags.requests;
  options.seeded_jobs = flags.seeded_jobs;
  options.seeded_customers = flags.seeded_customers;
  options.seeded_technicians = flags.technicians;
  options.random_seed = flags.seed;
  options.propagation_target = flags.propagation_target;
  options.propagation_every = flags.propagation_every;
  options.list_filters = absl::StrSplit(flags.list_filters, ',', absl::SkipEmpty());
  if (!absl::ParseDuration(flags.duration, &options.duration) ||
      options.duration <= absl::ZeroDuration()) {
    return Fail("--duration: not a positive duration (e.g. 30s)");
  }
  if (!absl::ParseDuration(flags.warmup, &options.warmup) ||
      options.warmup < absl::ZeroDuration()) {
    return Fail("--warmup: not a duration (e.g. 2s)");
  }
  auth::TokenClaims claims;
  claims.subject = flags.subject;
  claims.tenant = flags.tenant;
  claims.name = "Load generator";
  claims.roles = {auth::Role::kDispatcher};
  claims.issued_at = claims.not_before = absl::Now();
  claims.expires_at = absl::Now() + absl::Hours(24);
  auto token = auth::MintToken(claims, auth::JwtAlgorithm::kHs256, flags.key);
  if (!token.ok()) return Fail(token.status().message());
  options.token = *token;

  // As every service process runs (server::SetUpServiceProcess), for the clients of both runs
  // and the echo baseline alike.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::vector<loadgen::LoadReport> reports;
  auto measured = loadgen::RunServiceLoad(options);
  if (!measured.ok()) return Fail(measured.status().ToString());
  reports.push_back(*std::move(measured));
  if (!flags.json) std::cout << loadgen::FormatReport(reports.back()) << std::flush;
  if (flags.baseline == "echo") {
    const std::optional<server::Level> level = server::ParseLevel(flags.baseline_log_level);
    if (!level.has_value()) return Fail("--baseline-log-level: debug, info, warning or error");
    auto echo = loadgen::EchoBaseline::Start(flags.key, *level);
    if (!echo.ok()) return Fail(echo.status().ToString());
    loadgen::LoadOptions echo_options = options;
    echo_options.target = absl::StrCat("127.0.0.1:", (*echo)->port());
    auto baseline = loadgen::RunEchoLoad(echo_options);
    if (!baseline.ok()) return Fail(baseline.status().ToString());
    reports.push_back(*std::move(baseline));
    if (!flags.json) {
      std::cout << loadgen::FormatReport(reports.back())
                << loadgen::FormatComparison(reports[0], reports[1]);
    }
  } else if (flags.baseline != "none") {
    return Fail("--baseline: echo or none");
  }
  if (flags.json) std::cout << loadgen::ReportsToJson(reports) << "\n";
  return reports[0].errors == 0 ? EXIT_SUCCESS : 3;
}

int Seed(const SeedFlags& flags) {
  loadgen::SeedOptions options;
  options.log_dir = flags.log_dir;
  options.jobs = flags.jobs;
  options.customers = flags.customers;
  options.technicians = flags.technicians;
  options.scheduling_technicians = flags.scheduling_technicians;
  options.partitions = flags.partitions;
  options.tenant = flags.tenant;
  ProgressBar bar;
  options.progress = [&bar](int64_t done, int64_t total) { bar.Update(done, total); };
  auto result = loadgen::SeedJobs(options);
  if (!result.ok()) return Fail(result.status().ToString());
  if (flags.jobs > 0) bar.Finish(result->jobs, flags.jobs);
  std::cout << "seeded " << result->customers << " customers and " << result->jobs << " jobs ("
            << result->job_events << " job-topic events, " << result->scheduling_events
            << " scheduling events) in " << absl::FormatDuration(result->elapsed) << "\n";
  if (flags.scheduling_technicians > 0) {
    std::cout << "scheduling: " << result->technicians << " technicians, " << result->appointments
              << " appointments holding " << result->booked_slots << " technician-slots, "
              << loadgen::SeededBacklogJobs(flags.jobs) << " Open jobs without a date\n";
  }
  return EXIT_SUCCESS;
}

}  // namespace

void RegisterLoadgenCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "loadgen", "Load the job service (closed or open loop) beside an echo baseline; seed logs");
  command->require_subcommand(1);

  auto run_flags = std::make_shared<RunFlags>();
  CLI::App* run = command->add_subcommand(
      "run",
      "Run a command mix against a job service, then the same load against an in-process echo "
      "service on the same chassis (the baseline); exit 3 when a call failed");
  run->footer(
      "Closed loop (default): --clients clients, each sending its next call when the previous "
      "reply arrives.\nOpen loop (--rate R): R calls/s on a fixed schedule whatever the replies; "
      "latency counts from\nthe intended send time, so queueing is not hidden.\n"
      "Mix operations: create, status, note, line, time, get, list (the job service); assign,\n"
      "free_slots (the scheduling service, over a seed with --scheduling-technicians: give its\n"
      "--seeded-jobs and --technicians, and run on the day it was seeded).\n"
      "Example: jl loadgen run --target 127.0.0.1:7101 --clients 32 --duration 20s\n"
      "         jl loadgen run --target 127.0.0.1:7101 --rate 2000 --duration 20s");
  run->add_option("--target", run_flags->target, "Job (or scheduling) service host:port")
      ->required();
  run->add_option("--mix", run_flags->mix, "Operations and weights")->capture_default_str();
  run->add_option("--clients", run_flags->clients, "Concurrent clients (and connections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  run->add_option("--rate", run_flags->rate, "Open loop: calls per second (0: closed loop)")
      ->check(CLI::Range(0.0, 1e6));
  run->add_option("--duration", run_flags->duration, "Measured time")->capture_default_str();
  run->add_option("--requests", run_flags->requests, "Stop after this many calls (0: by time)");
  run->add_option("--warmup", run_flags->warmup, "Not counted, before the measured time")
      ->capture_default_str();
  run->add_option("--baseline", run_flags->baseline, "echo or none")->capture_default_str();
  run->add_option("--baseline-log-level", run_flags->baseline_log_level,
                  "Access-log level of the echo baseline: the --log-level the service runs at")
      ->capture_default_str();
  run->add_option("--jwt-key", run_flags->key, "HS256 key the service was started with")
      ->envname("JOBLEDGER_JWT_HS256_KEY");
  run->add_option("--tenant", run_flags->tenant, "Tenant of the token")->capture_default_str();
  run->add_option("--subject", run_flags->subject, "Subject of the token (a dispatcher)")
      ->capture_default_str();
  run->add_option("--seeded-jobs", run_flags->seeded_jobs,
                  "The service holds `jl loadgen seed` data with this many jobs: use its ids");
  run->add_option("--seeded-customers", run_flags->seeded_customers, "Customers of the seed")
      ->capture_default_str();
  run->add_option("--technicians", run_flags->technicians, "Technicians of the seed")
      ->capture_default_str();
  run->add_option("--list-filters", run_flags->list_filters,
                  "Filter kinds a list draws from (comma-separated)")
      ->capture_default_str();
  run->add_option("--propagation-target", run_flags->propagation_target,
                  "Reporting service host:port: measure how long an acknowledged create or "
                  "status change takes to be visible there");
  run->add_option("--propagation-every", run_flags->propagation_every,
                  "Probe every Nth acknowledged create or status change")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  run->add_option("--seed", run_flags->seed, "Random seed");
  run->add_flag("--json", run_flags->json, "Print one JSON document instead of tables");
  run->callback([run_flags] { std::exit(Run(*run_flags)); });

  auto seed_flags = std::make_shared<SeedFlags>();
  CLI::App* seed = command->add_subcommand(
      "seed",
      "Append customers, jobs (a spread of statuses, dates, tags) and appointments assigning "
      "technicians to an embedded log, as sealed events; creates the job and scheduling topics. "
      "The job service must not be running on that log.");
  seed->add_option("--log-dir", seed_flags->log_dir, "Embedded log directory")->required();
  seed->add_option("--jobs", seed_flags->jobs, "Jobs (0: only create the topics)")
      ->capture_default_str();
  seed->add_option("--customers", seed_flags->customers, "Customers")->capture_default_str();
  seed->add_option("--technicians", seed_flags->technicians, "Technicians")->capture_default_str();
  seed->add_option("--scheduling-technicians", seed_flags->scheduling_technicians,
                   "Register this many technicians (skills, Mon-Sat 07-19 UTC shifts) and fill "
                   "their calendars with non-overlapping appointments (0: no scheduling data)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100'000));
  seed->add_option("--partitions", seed_flags->partitions, "Partitions of new topics")
      ->capture_default_str();
  seed->add_option("--tenant", seed_flags->tenant, "Tenant")->capture_default_str();
  seed->callback([seed_flags] { std::exit(Seed(*seed_flags)); });
}

}  // namespace jobledger::cli
