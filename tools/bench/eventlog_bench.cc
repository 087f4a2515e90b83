// Embedded log benchmarks, each beside its baseline from the same run:
//   durable appends from 16 threads vs single synced RocksDB puts, and a 1M-record replay.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "bench_record.h"
#include "benchmark/benchmark.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/testing/temp_dir.h"
#include "rocksdb/db.h"

namespace jobledger::eventlog {
namespace {

constexpr int kEventBytes = kBenchEventBytes;  // the baseline writes values of this size
constexpr int32_t kPartitions = 6;
constexpr char kTopic[] = "bench.events";

Record Event(int64_t i) { return BenchRecord(i); }

// Baseline: one synced RocksDB Put per 300-byte value, one thread.
void BM_RocksDbSyncedPut(benchmark::State& state) {
  testing::TempDir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, dir.path(), &raw).ok()) {
    state.SkipWithError("cannot open RocksDB");
    return;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const std::string value(kEventBytes, 'x');
  int64_t i = 0;
  for (auto _ : state) {
    db->Put(sync, "key" + std::to_string(i++), value).PermitUncheckedError();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RocksDbSyncedPut)->MinTime(2.0)->UseRealTime();

// Durable appends of one 300-byte event each, from many threads at once (group commit).
class AppendFixture : public benchmark::Fixture {
 public:
  void SetUp(const benchmark::State& state) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (state.thread_index() != 0) return;
    dir_ = std::make_unique<testing::TempDir>();
    EmbeddedLogOptions options;
    options.directory = dir_->path();
    options.owned_topics = {{kTopic, kPartitions}};
    log_ = std::move(*EmbeddedLog::Open(options));
  }
  void TearDown(const benchmark::State& state) override {
    if (state.thread_index() != 0) return;
    log_.reset();
    dir_.reset();
  }

 protected:
  static std::mutex mu_;
  static std::unique_ptr<testing::TempDir> dir_;
  static std::unique_ptr<EmbeddedLog> log_;
};
std::mutex AppendFixture::mu_;
std::unique_ptr<testing::TempDir> AppendFixture::dir_;
std::unique_ptr<EmbeddedLog> AppendFixture::log_;

BENCHMARK_DEFINE_F(AppendFixture, BM_EmbeddedDurableAppend)(benchmark::State& state) {
  const int32_t partition = state.thread_index() % kPartitions;
  int64_t i = state.thread_index() * 1'000'000'000LL;
  for (auto _ : state) {
    auto result = log_->Append(kTopic, partition, {Event(i++)});
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_REGISTER_F(AppendFixture, BM_EmbeddedDurableAppend)
    ->Threads(1)
    ->Threads(16)
    ->MinTime(3.0)
    ->UseRealTime();

// 16 concurrent appenders, each with exactly one durable append of one event outstanding at a
// time, completed through AppendAsync callbacks as a callback-based gRPC server would: no thread
// per appender, so no context switch per acknowledged event.
// What one iteration shares with the callbacks; held by shared_ptr so that a callback finishing
// after the iteration returned still finds it alive.
struct AsyncRound {
  explicit AsyncRound(int64_t appends) : total(appends) {}
  const int64_t total;
  absl::Mutex mu;
  int64_t started ABSL_GUARDED_BY(mu) = 0;
  int64_t finished ABSL_GUARDED_BY(mu) = 0;
  bool failed ABSL_GUARDED_BY(mu) = false;
};

// Starts the appender's next append if the round still needs one; each completion starts the next.
void AppendNext(EventLog& log, std::shared_ptr<AsyncRound> round, int appender) {
  {
    absl::MutexLock lock(&round->mu);
    if (round->started == round->total || round->failed) return;
    ++round->started;
  }
  log.AppendAsync(kTopic, appender % kPartitions, {Event(appender)},
                  [&log, round, appender](absl::StatusOr<AppendResult> result) {
                    AppendNext(log, round, appender);
                    absl::MutexLock lock(&round->mu);
                    ++round->finished;
                    round->failed = round->failed || !result.ok();
                  });
}

BENCHMARK_DEFINE_F(AppendFixture, BM_EmbeddedDurableAppendAsync)(benchmark::State& state) {
  const int appenders = static_cast<int>(state.range(0));
  constexpr int64_t kAppendsPerIteration = 20'000;
  int64_t total = 0;
  for (auto _ : state) {
    auto round = std::make_shared<AsyncRound>(kAppendsPerIteration);
    for (int a = 0; a < appenders; ++a) AppendNext(*log_, round, a);
    absl::MutexLock lock(&round->mu);
    round->mu.Await(absl::Condition(
        +[](AsyncRound* r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(r->mu) { return r->finished == r->total; },
        round.get()));
    if (round->failed) state.SkipWithError("an append failed");
    total += round->finished;
  }
  state.SetItemsProcessed(total);
}
BENCHMARK_REGISTER_F(AppendFixture, BM_EmbeddedDurableAppendAsync)
    ->Arg(16)
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Sequential replay of 1M events through the log interface (Read in pages of 1,000).
void BM_EmbeddedReplay(benchmark::State& state) {
  const int64_t total = state.range(0);
  testing::TempDir dir;
  EmbeddedLogOptions options;
  options.directory = dir.path();
  options.owned_topics = {{kTopic, 1}};
  auto log = std::move(*EmbeddedLog::Open(options));
  for (int64_t i = 0; i < total;) {
    std::vector<Record> batch;
    for (int j = 0; j < 1000 && i < total; ++j) batch.push_back(Event(i++));
    if (!log->Append(kTopic, 0, std::move(batch)).ok()) {
      state.SkipWithError("fill failed");
      return;
    }
  }
  for (auto _ : state) {
    int64_t read = 0;
    int64_t bytes = 0;
    while (read < total) {
      auto records = log->Read(kTopic, 0, read, 1000);
      if (!records.ok() || records->empty()) {
        state.SkipWithError("replay failed");
        return;
      }
      for (const Record& record : *records) bytes += static_cast<int64_t>(record.value.size());
      read += static_cast<int64_t>(records->size());
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * total);
}
BENCHMARK(BM_EmbeddedReplay)->Arg(1'000'000)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace jobledger::eventlog

BENCHMARK_MAIN();
