// Projection rebuild benchmarks: a job list with three secondary indexes rebuilt from a log of
// 1M events, beside raw RocksDB WriteBatch puts measured in the same run; and the peak memory of
// a rebuild of 10M events, measured in a child process.
#include <sys/resource.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/table.h"
#include "jobledger/projection/tools.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/v1/testing.pb.h"
#include "projection_runs.h"

namespace jobledger::projection {
namespace {

using testing::v1::BenchJobEvent;
using testing::v1::BenchJobRow;

constexpr char kTopic[] = "bench.job.events";
constexpr int32_t kPartitions = 6;
constexpr int kEventsPerJob = 5;
const char* const kStatuses[] = {"open", "scheduled", "in_progress", "on_hold", "completed"};

// The shape of the job service's list: one row per job, indexed by status, customer and
// technician, newest scheduled first.
class JobListProjection final : public Projection {
 public:
  std::string name() const override { return "bench_job_list"; }
  int32_t version() const override { return 1; }
  std::vector<std::string> topics() const override { return {kTopic}; }

  absl::Status Apply(const events::v1::Event& event, const EventPosition&,
                     StateWriter& state) const override {
    BenchJobEvent change;
    if (!change.ParseFromString(event.payload())) {
      return absl::InvalidArgumentError("payload is not a BenchJobEvent");
    }
    const std::string key = KeyBuilder()
                                .String(event.envelope().tenant())
                                .String(event.envelope().aggregate_id())
                                .key();
    auto existing = table_.Get(state, key);
    if (!existing.ok()) return existing.status();
    BenchJobRow row = existing->value_or(BenchJobRow());
    const std::optional<BenchJobRow> previous = std::move(*existing);
    row.set_tenant(event.envelope().tenant());
    row.set_job_id(event.envelope().aggregate_id());
    if (!change.customer_id().empty()) row.set_customer_id(change.customer_id());
    if (!change.status().empty()) row.set_status(change.status());
    if (change.scheduled_at_seconds() != 0)
      row.set_scheduled_at_seconds(change.scheduled_at_seconds());
    if (!change.title().empty()) row.set_title(change.title());
    if (!change.technician_id().empty()) row.set_technician_id(change.technician_id());
    row.set_version(event.envelope().sequence());
    return table_.Put(state, row, previous);
  }

 private:
  static std::vector<std::string> By(const std::string& tenant, const std::string& value,
                                     int64_t scheduled) {
    return {KeyBuilder().String(tenant).String(value).Int64Descending(scheduled).key()};
  }
  const Table<BenchJobRow> table_{
      "jobs",
      [](const BenchJobRow& row) {
        return KeyBuilder().String(row.tenant()).String(row.job_id()).key();
      },
      {{"by_status",
        [](const BenchJobRow& row) {
          return By(row.tenant(), row.status(), row.scheduled_at_seconds());
        }},
       {"by_customer",
        [](const BenchJobRow& row) {
          return By(row.tenant(), row.customer_id(), row.scheduled_at_seconds());
        }},
       {"by_technician", [](const BenchJobRow& row) {
          return By(row.tenant(), row.technician_id(), row.scheduled_at_seconds());
        }}}};
};

eventlog::Record JobEvent(int64_t job, int step) {
  BenchJobEvent change;
  if (step == 0) {
    change.set_customer_id(absl::StrCat("customer-", job % 5000));
    change.set_title(absl::StrCat("Replace water heater, unit ", job));
    change.set_scheduled_at_seconds(1'795'000'000 + job * 60);
  }
  change.set_status(kStatuses[step]);
  if (step == 1) change.set_technician_id(absl::StrCat("tech-", job % 500));
  events::v1::Event event;
  auto& envelope = *event.mutable_envelope();
  envelope.set_event_id(absl::StrCat("01900000-0000-7000-8000-", 100'000'000'000 + job * 8 + step));
  envelope.set_type("jobledger.bench.v1.JobChanged");
  envelope.set_source("/jobledger/job");
  envelope.set_tenant(absl::StrCat("tenant-", job % 4));
  envelope.set_aggregate_type("job");
  envelope.set_aggregate_id(absl::StrCat("job-", job));
  envelope.set_sequence(step + 1);
  envelope.mutable_occurred_at()->set_seconds(1'795'000'000 + job);
  envelope.mutable_actor()->set_user_id("dispatcher-1");
  envelope.mutable_actor()->set_role("dispatcher");
  event.set_payload(change.SerializeAsString());
  eventlog::SealEvent(event);
  return eventlog::EncodeEvent(event);
}

// A log of `events` job events, each job's five events in order on one partition.
std::unique_ptr<eventlog::EmbeddedLog> FillLog(const std::string& directory, int64_t events) {
  eventlog::EmbeddedLogOptions options;
  options.directory = directory;
  options.owned_topics = {{kTopic, kPartitions}};
  auto log = std::move(*eventlog::EmbeddedLog::Open(options));
  const int64_t jobs = events / kEventsPerJob;
  std::vector<std::vector<eventlog::Record>> pending(kPartitions);
  const auto flush = [&](int32_t partition) {
    if (!log->Append(kTopic, partition, std::move(pending[partition])).ok()) std::abort();
    pending[partition].clear();
  };
  // Jobs progress in waves, as a day's work does: every job of a wave moves one step at a time.
  constexpr int64_t kWave = 10'000;
  for (int64_t first = 0; first < jobs; first += kWave) {
    for (int step = 0; step < kEventsPerJob; ++step) {
      for (int64_t job = first; job < std::min(jobs, first + kWave); ++job) {
        const auto partition = static_cast<int32_t>(job % kPartitions);
        pending[partition].push_back(JobEvent(job, step));
        if (pending[partition].size() == 2000) flush(partition);
      }
    }
  }
  for (int32_t partition = 0; partition < kPartitions; ++partition) {
    if (!pending[partition].empty()) flush(partition);
  }
  return log;
}

RunnerOptions BenchRunnerOptions(eventlog::EventLog& log, const std::string& directory) {
  RunnerOptions options;
  options.directory = directory;
  options.log = &log;
  options.max_batch_events = 5000;
  options.block_cache = rocksdb::NewLRUCache(64 << 20);
  return options;
}

// Applies the whole log with the runner into a projection directory that has no store yet (a
// projection deployed for the first time): the serving store itself catches up, WAL on.
absl::Duration CatchUp(eventlog::EventLog& log, const std::string& directory) {
  return bench::RunUntilCaughtUp(JobListProjection(), BenchRunnerOptions(log, directory));
}

// Rebuilds the job list from offset 0 with the runner, as a new projection version does: version
// 2 starts over version 1, builds a fresh store beside it and swaps it in when caught up.
absl::Duration Rebuild(eventlog::EventLog& log, const std::string& directory) {
  return bench::RebuildAfterVersionBump(JobListProjection(), kPartitions,
                                        BenchRunnerOptions(log, directory));
}

using bench::BM_RawWriteBatchPuts;
using bench::CpuSeconds;

BENCHMARK(BM_RawWriteBatchPuts)->MinTime(3.0)->UseRealTime();

// Runs `run(directory)` per iteration on a fresh log of state.range(0) events and reports the
// process's CPU time beside the wall time (with a second core, RocksDB's flushes run beside it).
template <typename Run>
void RunOnLog(benchmark::State& state, Run run) {
  const int64_t events = state.range(0);
  jobledger::testing::TempDir dir;
  auto log = FillLog(dir.Sub("log"), events);
  int round = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    rusage before{};
    rusage after{};
    getrusage(RUSAGE_SELF, &before);
    const absl::Duration took = run(*log, dir.Sub(absl::StrCat("projections", round++)));
    getrusage(RUSAGE_SELF, &after);
    state.SetIterationTime(absl::ToDoubleSeconds(took));
    cpu_seconds += CpuSeconds(after) - CpuSeconds(before);
  }
  state.SetItemsProcessed(state.iterations() * events);
  state.counters["cpu_seconds"] = cpu_seconds / static_cast<double>(state.iterations());
}

void BM_JobListRebuild(benchmark::State& state) { RunOnLog(state, Rebuild); }
void BM_JobListFirstCatchUp(benchmark::State& state) { RunOnLog(state, CatchUp); }

// The offline rebuild (`jl projections rebuild`): one thread, partition after partition.
void BM_JobListOfflineRebuild(benchmark::State& state) {
  RunOnLog(state, [](eventlog::EventLog& log, const std::string& directory) {
    return bench::OfflineRebuild(JobListProjection(), directory, log);
  });
}
BENCHMARK(BM_JobListOfflineRebuild)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_JobListRebuild)
    ->Arg(1'000'000)
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_JobListFirstCatchUp)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Runs in a process of its own (see main): rebuilds the job list from the log in `log_dir`.
int RebuildChild(const std::string& log_dir, const std::string& projections_dir) {
  eventlog::EmbeddedLogOptions options;
  options.directory = log_dir;
  auto log = eventlog::EmbeddedLog::Open(options);
  if (!log.ok()) return 2;
  Rebuild(**log, projections_dir);
  return 0;
}

// Peak RSS of a process that only rebuilds: the log is written first, then a fresh process (this
// binary again, not a fork, whose RocksDB threads would not survive) rebuilds it.
void BM_JobListRebuildPeakMemory(benchmark::State& state) {
  const int64_t events = state.range(0);
  jobledger::testing::TempDir dir;
  FillLog(dir.Sub("log"), events).reset();
  for (auto _ : state) {
    auto child = bench::RunSelf({"--rebuild-child", dir.Sub("log"), dir.Sub("projections")});
    if (!child.ok()) return state.SkipWithError("the rebuild process failed");
    state.SetIterationTime(absl::ToDoubleSeconds(child->wall));
    state.counters["peak_rss_MiB"] = child->peak_rss_mib;
    state.counters["cpu_seconds"] = child->cpu_seconds;
  }
  state.SetItemsProcessed(state.iterations() * events);
}
BENCHMARK(BM_JobListRebuildPeakMemory)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace jobledger::projection

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--rebuild-child") {
    return jobledger::projection::RebuildChild(argv[2], argv[3]);
  }
  // Determinism checks across builds: the checksum of a store a rebuild left behind.
  if (argc == 3 && std::string(argv[1]) == "--checksum") {
    return jobledger::bench::PrintChecksum(argv[2]);
  }
  // For profiling a rebuild on its own: --fill-log LOG_DIR EVENTS once, then --rebuild-child.
  if (argc == 4 && std::string(argv[1]) == "--fill-log") {
    jobledger::projection::FillLog(argv[2], std::stoll(argv[3])).reset();
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
