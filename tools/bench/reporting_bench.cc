// Reporting benchmarks (issue 10), each beside a baseline measured in the same run:
//   - the reporting projection rebuilt from a log of 10M events (1M with /1000000) by the runner
//     after a version bump and offline (`jl projections rebuild`), beside raw RocksDB WriteBatch
//     puts; and the peak RSS of a process that only rebuilds;
//   - the CSV export of 1M completed jobs (DispatchViews::ExportCsv) with the process's RSS
//     during it, beside the store's own iterator over the same rows;
//   - the Time & Materials report of a 1,000-job project, beside reading the same rows raw.
// The logs are written by reporting_bench_log.cc (setup, not measured).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "dispatch_views.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/projection/runner.h"
#include "jobledger/testing/temp_dir.h"
#include "projection_runs.h"
#include "projections/reporting_projection.h"
#include "projections/reporting_tables.h"
#include "report_queries.h"
#include "reporting_bench_log.h"

namespace jobledger::reporting::bench {
namespace {

using jobledger::bench::BM_RawWriteBatchPuts;
using jobledger::bench::ProcessCpuSeconds;
using jobledger::bench::RssMiB;
using projection::KeyBuilder;

constexpr size_t kCacheBytes = 64 << 20;  // the reporting service's default projection cache

ReportingProjection BenchProjection() {
  return ReportingProjection(BenchTopics(), absl::UTCTimeZone());
}

// The options the reporting service runs its projection with, under `data_dir`.
projection::RunnerOptions ServiceOptions(eventlog::EventLog& log, const std::string& data_dir) {
  return projection::ServiceRunnerOptions(data_dir, &log, nullptr, kCacheBytes);
}

// A written log, kept for the benchmarks of one process that read the same size (writing 10M
// events takes minutes).
struct WrittenLog {
  jobledger::testing::TempDir dir;
  std::unique_ptr<eventlog::EmbeddedLog> log;
  LogStats stats;
  int64_t max_events = 0;

  std::string path() const { return dir.Sub("log"); }
};

// The log the rebuild benchmarks share; released before the process exits.
std::unique_ptr<WrittenLog>& SharedLog() {
  static auto* written = new std::unique_ptr<WrittenLog>();
  return *written;
}

WrittenLog& LogOf(int64_t events) {
  std::unique_ptr<WrittenLog>& written = SharedLog();
  if (written != nullptr && written->max_events == events) {
    if (written->log == nullptr) written->log = OpenBenchLog(written->path());
    return *written;
  }
  written.reset();  // one log on disk at a time
  written = std::make_unique<WrittenLog>();
  written->max_events = events;
  written->log = OpenBenchLog(written->path());
  const absl::Time start = absl::Now();
  auto stats =
      FillLog(*written->log, {.max_events = events, .max_jobs = 0, .completed_only = false});
  if (!stats.ok()) {
    std::fprintf(stderr, "writing the log: %s\n", stats.status().ToString().c_str());
    std::abort();
  }
  written->stats = *stats;
  std::fprintf(stderr, "wrote %lld events (%lld jobs) in %.1f s\n",
               static_cast<long long>(stats->events), static_cast<long long>(stats->jobs),
               absl::ToDoubleSeconds(absl::Now() - start));
  return *written;
}

// Times `rebuild(log, directory)` into a fresh directory per iteration, with the CPU time it took
// (RocksDB's flushes and compactions run on the second core beside it).
template <typename Rebuild>
void MeasureRebuild(benchmark::State& state, Rebuild rebuild) {
  WrittenLog& written = LogOf(state.range(0));
  double cpu_seconds = 0;
  for (auto _ : state) {
    jobledger::testing::TempDir out;
    const double before = ProcessCpuSeconds();
    const absl::Duration took = rebuild(*written.log, out.path());
    cpu_seconds += ProcessCpuSeconds() - before;
    state.SetIterationTime(absl::ToDoubleSeconds(took));
    jobledger::bench::ExpectNoDeadLetters(out.Sub("projections"));
  }
  state.SetItemsProcessed(state.iterations() * written.stats.events);
  state.counters["jobs"] = static_cast<double>(written.stats.jobs);
  state.counters["cpu_seconds"] = cpu_seconds / static_cast<double>(state.iterations());
}

// The runner rebuilding version 2 beside a version 1 store, as a version bump does, until the swap.
absl::Duration RunnerRebuild(eventlog::EventLog& log, const std::string& directory) {
  return jobledger::bench::RebuildAfterVersionBump(BenchProjection(), eventlog::kDefaultPartitions,
                                                   ServiceOptions(log, directory));
}

void BM_ReportingRebuild(benchmark::State& state) { MeasureRebuild(state, RunnerRebuild); }

void BM_ReportingOfflineRebuild(benchmark::State& state) {
  MeasureRebuild(state, [](eventlog::EventLog& log, const std::string& directory) {
    return jobledger::bench::OfflineRebuild(BenchProjection(), directory + "/projections", log);
  });
}

// Peak RSS of a process that only rebuilds (the runner's version bump) from the written log.
void BM_ReportingRebuildPeakMemory(benchmark::State& state) {
  WrittenLog& written = LogOf(state.range(0));
  written.log.reset();  // the child opens it
  for (auto _ : state) {
    jobledger::testing::TempDir out;
    auto child = jobledger::bench::RunSelf({"--rebuild-child", written.path(), out.path()});
    if (!child.ok()) return state.SkipWithError("the rebuild process failed");
    state.SetIterationTime(absl::ToDoubleSeconds(child->wall));
    state.counters["peak_rss_MiB"] = child->peak_rss_mib;
    state.counters["cpu_seconds"] = child->cpu_seconds;
  }
  state.SetItemsProcessed(state.iterations() * written.stats.events);
}

// `--rebuild-child LOG_DIR OUT_DIR [offline]`: one rebuild in a process of its own.
int RebuildChild(const std::string& log_dir, const std::string& out_dir, bool offline) {
  auto log = OpenBenchLog(log_dir);
  const absl::Duration took =
      offline ? jobledger::bench::OfflineRebuild(BenchProjection(), out_dir + "/projections", *log)
              : RunnerRebuild(*log, out_dir);
  std::fprintf(stderr, "rebuilt in %.1f s\n", absl::ToDoubleSeconds(took));
  jobledger::bench::ExpectNoDeadLetters(out_dir + "/projections");
  return 0;
}

BENCHMARK(BM_RawWriteBatchPuts)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_ReportingRebuild)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportingOfflineRebuild)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportingRebuildPeakMemory)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// ---- queries over a built store

// A store of `jobs` completed jobs (about 11 events each), rebuilt offline and served by the
// runner the service runs. Built once per process in a temporary directory, or kept in
// $REPORTING_BENCH_STORE and reused by later runs (building 1M jobs takes minutes).
class BuiltStore {
 public:
  static BuiltStore& Of(int64_t jobs) {
    std::unique_ptr<BuiltStore>& store = Stores()[jobs];
    if (store == nullptr) store.reset(new BuiltStore(jobs));
    return *store;
  }
  // Stops the runners and removes the temporary stores, before the process exits.
  static void ReleaseAll() { Stores().clear(); }

  const projection::ProjectionRunner& runner() const { return *runner_; }
  const projection::ProjectionStore& store() const { return *runner_->store(); }
  const LogStats& stats() const { return stats_; }

 private:
  explicit BuiltStore(int64_t jobs) {
    const char* kept = std::getenv("REPORTING_BENCH_STORE");
    root_ = kept != nullptr ? absl::StrCat(kept, "/", jobs) : temp_.Sub(absl::StrCat(jobs));
    const std::string done = root_ + "/built";  // written once the store is complete
    if (std::ifstream in(done); in >> stats_.events >> stats_.jobs >> stats_.completed_jobs) {
      std::fprintf(stderr, "reusing the store of %lld jobs in %s\n",
                   static_cast<long long>(stats_.jobs), root_.c_str());
      log_ = OpenBenchLog(root_ + "/log");
    } else {
      std::filesystem::remove_all(root_);  // what an interrupted run left
      std::filesystem::create_directories(root_);
      log_ = OpenBenchLog(root_ + "/log");
      const absl::Time start = absl::Now();
      auto stats = FillLog(*log_, {.max_events = 0, .max_jobs = jobs, .completed_only = true});
      if (!stats.ok()) std::abort();
      stats_ = *stats;
      const absl::Time written = absl::Now();
      jobledger::bench::OfflineRebuild(projection_, root_ + "/data/projections", *log_);
      jobledger::bench::ExpectNoDeadLetters(root_ + "/data/projections");
      std::fprintf(stderr, "%lld events of %lld jobs written in %.1f s, rebuilt in %.1f s\n",
                   static_cast<long long>(stats_.events), static_cast<long long>(stats_.jobs),
                   absl::ToDoubleSeconds(written - start),
                   absl::ToDoubleSeconds(absl::Now() - written));
      std::ofstream(done) << stats_.events << " " << stats_.jobs << " " << stats_.completed_jobs;
    }
    auto runner =
        projection::ProjectionRunner::Start(projection_, ServiceOptions(*log_, root_ + "/data"));
    if (!runner.ok()) std::abort();
    runner_ = *std::move(runner);
    while (!runner_->caught_up()) absl::SleepFor(absl::Milliseconds(10));
  }

  static std::map<int64_t, std::unique_ptr<BuiltStore>>& Stores() {
    static auto* stores = new std::map<int64_t, std::unique_ptr<BuiltStore>>();
    return *stores;
  }

  jobledger::testing::TempDir temp_;
  std::string root_;
  ReportingProjection projection_ = BenchProjection();
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  std::unique_ptr<projection::ProjectionRunner> runner_;
  LogStats stats_;
};

server::Caller Manager() {
  server::Caller caller;
  caller.tenant = kTenant;
  caller.user_id = "manager-1";
  caller.role = auth::Role::kManager;
  return caller;
}

// The table's key layout (projection/table.h): rows under ("t", table), index entries under
// ("i", table, index) holding the row's primary key, or for a covering index the row itself.
std::string RowKey(absl::string_view primary_key) {
  return absl::StrCat(KeyBuilder().String("t").String("jobs").key(), primary_key);
}
std::string IndexPrefix(absl::string_view table, absl::string_view index,
                        absl::string_view entry_prefix) {
  return absl::StrCat(KeyBuilder().String("i").String(table).String(index).key(), entry_prefix);
}

// Every row an index prefix names, read raw (the entry, then the row's bytes, nothing parsed);
// the number of rows.
int64_t ReadRowsRaw(const projection::StateReader& state, const std::string& prefix,
                    int64_t& bytes) {
  int64_t rows = 0;
  auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    auto row = state.Get(RowKey(it->value()));
    if (!row.ok() || !row->has_value()) std::abort();
    bytes += static_cast<int64_t>((*row)->size());
    ++rows;
  }
  return rows;
}

// Every entry of a covering index under a prefix, read raw (the entries' bytes, nothing parsed);
// the number of entries.
int64_t ReadEntriesRaw(const projection::StateReader& state, const std::string& prefix,
                       int64_t& bytes) {
  int64_t entries = 0;
  auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    bytes += static_cast<int64_t>(it->value().size());
    ++entries;
  }
  return entries;
}

std::string CompletedPrefix() {
  return IndexPrefix("board", "status",
                     KeyBuilder().String(kTenant).Int64(job::v1::JOB_STATUS_COMPLETED).key());
}

// The CSV export of every completed job: rows/s, and the process's RSS while it runs.
void BM_ExportCsv(benchmark::State& state) {
  BuiltStore& built = BuiltStore::Of(state.range(0));
  DispatchViewsOptions options;
  options.projection = &built.runner();
  const DispatchViews views(options);
  v1::ListJobsRequest request;
  request.set_view(v1::VIEW_BY_STATUS);
  request.set_status(job::v1::JOB_STATUS_COMPLETED);
  int64_t rows = 0;
  for (auto _ : state) {
    int64_t lines = 0;
    int64_t bytes = 0;
    const double rss_start = RssMiB();
    double rss_peak = rss_start;
    double rss_at_half = 0;
    double rss_peak_second_half = 0;
    const int64_t expected = built.stats().completed_jobs;
    auto write = [&](std::string& chunk) {
      lines += std::count(chunk.begin(), chunk.end(), '\n');
      bytes += static_cast<int64_t>(chunk.size());
      chunk.clear();
      const double rss = RssMiB();
      rss_peak = std::max(rss_peak, rss);
      if (rss_at_half == 0 && lines >= expected / 2) rss_at_half = rss;
      if (rss_at_half != 0) rss_peak_second_half = std::max(rss_peak_second_half, rss);
      return true;
    };
    const absl::Time start = absl::Now();
    if (!views.ExportCsv(Manager(), request, write).ok()) return state.SkipWithError("export");
    state.SetIterationTime(absl::ToDoubleSeconds(absl::Now() - start));
    rows = lines - 1;  // the header
    if (rows != expected) return state.SkipWithError("the export missed rows");
    state.counters["MiB_written"] = static_cast<double>(bytes) / (1 << 20);
    state.counters["rss_start_MiB"] = rss_start;
    state.counters["rss_peak_MiB"] = rss_peak;
    state.counters["rss_growth_2nd_half_MiB"] = rss_peak_second_half - rss_at_half;
  }
  state.SetItemsProcessed(state.iterations() * rows);
}

// Baseline: the same rows through the store's iterator (the list's index entries, which hold
// the rows), nothing parsed or formatted.
void BM_RawScanOfExportRows(benchmark::State& state) {
  BuiltStore& built = BuiltStore::Of(state.range(0));
  int64_t rows = 0;
  for (auto _ : state) {
    int64_t bytes = 0;
    const absl::Time start = absl::Now();
    rows = ReadEntriesRaw(built.store(), CompletedPrefix(), bytes);
    state.SetIterationTime(absl::ToDoubleSeconds(absl::Now() - start));
    state.counters["MiB_read"] = static_cast<double>(bytes) / (1 << 20);
  }
  state.SetItemsProcessed(state.iterations() * rows);
}

BENCHMARK(BM_RawScanOfExportRows)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExportCsv)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The projects whose 1,000 jobs are all in the store.
int64_t FullProjects(const BuiltStore& built) { return built.stats().jobs / (5 * kJobsPerProject); }

// The Time & Materials report of one 1,000-job project (a different project each call).
void BM_TimeAndMaterials(benchmark::State& state) {
  BuiltStore& built = BuiltStore::Of(state.range(0));
  ReportQueriesOptions options;
  options.projection = &built.runner();
  const ReportQueries reports(options);
  const int64_t projects = FullProjects(built);
  int64_t k = 0;
  int64_t labour_lines = 0;
  for (auto _ : state) {
    v1::TimeAndMaterialsRequest request;
    request.set_project_id(ProjectId(k++ % projects));
    auto report = reports.TimeAndMaterials(Manager(), request);
    if (!report.ok() || report->job_ids_size() != kJobsPerProject) {
      return state.SkipWithError("the report");
    }
    labour_lines = report->labor_size();
  }
  state.counters["labour_lines"] = static_cast<double>(labour_lines);
  state.SetItemsProcessed(state.iterations() * kJobsPerProject);
}

// Baseline: the same project's rows read raw (index entries, then each row's bytes).
void BM_RawReadOfProjectRows(benchmark::State& state) {
  BuiltStore& built = BuiltStore::Of(state.range(0));
  const int64_t projects = FullProjects(built);
  int64_t k = 0;
  for (auto _ : state) {
    int64_t bytes = 0;
    const std::string prefix =
        IndexPrefix("jobs", "project", TenantValuePrefix(kTenant, ProjectId(k++ % projects)));
    if (ReadRowsRaw(built.store(), prefix, bytes) != kJobsPerProject) {
      return state.SkipWithError("the project's rows");
    }
  }
  state.SetItemsProcessed(state.iterations() * kJobsPerProject);
}

BENCHMARK(BM_RawReadOfProjectRows)
    ->Arg(1'000'000)
    ->MinTime(3.0)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TimeAndMaterials)
    ->Arg(1'000'000)
    ->MinTime(3.0)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace jobledger::reporting::bench

int main(int argc, char** argv) {
  namespace bench = jobledger::reporting::bench;
  if (argc >= 4 && std::string(argv[1]) == "--rebuild-child") {
    return bench::RebuildChild(argv[2], argv[3], argc == 5 && std::string(argv[4]) == "offline");
  }
  if (argc == 3 && std::string(argv[1]) == "--checksum") {
    return jobledger::bench::PrintChecksum(argv[2]);
  }
  // For profiling a rebuild on its own: --fill-log LOG_DIR EVENTS once, then --rebuild-child.
  if (argc == 4 && std::string(argv[1]) == "--fill-log") {
    auto log = bench::OpenBenchLog(argv[2]);
    auto stats = bench::FillLog(
        *log, {.max_events = std::stoll(argv[3]), .max_jobs = 0, .completed_only = false});
    if (!stats.ok()) return 2;
    std::printf("%lld events, %lld jobs\n", static_cast<long long>(stats->events),
                static_cast<long long>(stats->jobs));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  bench::BuiltStore::ReleaseAll();
  bench::SharedLog().reset();
  return 0;
}
