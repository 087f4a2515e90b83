// Kafka backend append throughput: durable (acks=all, idempotent) batches of 300-byte events,
// from several threads with Append (one partition each) or from one thread with AppendAsync,
// into an in-process DevBroker over loopback.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench_record.h"
#include "benchmark/benchmark.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/kafka_log.h"

namespace jobledger::eventlog {
namespace {

constexpr int32_t kPartitions = 8;
constexpr char kTopic[] = "bench.events";

Record Event(int64_t i) { return BenchRecord(i); }

// One broker and one client per compression codec, shared by all threads and runs.
KafkaLog& Log(const std::string& compression) {
  static absl::Mutex mu;
  static auto* broker = [] {
    auto started = DevBroker::Start({.brokers = 1, .topics = {{kTopic, kPartitions}}});
    if (!started.ok()) std::abort();  // a benchmark cannot go on without its broker
    return started->release();
  }();
  static auto* logs = new std::map<std::string, std::unique_ptr<KafkaLog>>();
  absl::MutexLock lock(&mu);
  std::unique_ptr<KafkaLog>& log = (*logs)[compression];
  if (log == nullptr) {
    KafkaLogOptions options;
    options.bootstrap_servers = broker->bootstrap_servers();
    options.client_id = "bench-" + compression;
    options.properties = {{"compression.type", compression}};
    auto created = KafkaLog::Create(std::move(options));
    if (!created.ok()) std::abort();
    log = std::move(*created);
  }
  return *log;
}

// Arguments: events per Append, and 0 for lz4 (the default) or 1 for no compression.
void BM_KafkaDurableAppend(benchmark::State& state) {
  const int64_t batch_size = state.range(0);
  const std::string compression = state.range(1) == 0 ? "lz4" : "none";
  KafkaLog& log = Log(compression);
  // One writer per partition, as in jobledger.
  const int32_t partition = state.thread_index() % kPartitions;
  std::vector<Record> batch;
  for (int64_t i = 0; i < batch_size; ++i) {
    batch.push_back(Event(state.thread_index() * 1'000'000 + i));
  }
  int64_t events = 0;
  for (auto _ : state) {
    auto appended = log.Append(kTopic, partition, batch);  // copies the batch, as a caller would
    if (!appended.ok()) {
      state.SkipWithError(std::string(appended.status().message()).c_str());
      break;
    }
    events += appended->count;
  }
  state.SetItemsProcessed(events);
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.SetLabel(compression);
}
BENCHMARK(BM_KafkaDurableAppend)
    ->ArgNames({"batch", "uncompressed"})
    ->ArgsProduct({{100, 1000}, {0, 1}})
    ->Threads(1)
    ->Threads(4)
    ->Threads(8)
    ->MinTime(2.0)
    ->UseRealTime();

// One thread keeping up to `in_flight` AppendAsync batches outstanding: what a server does with
// many commands in flight and no thread per command.
void BM_KafkaAsyncAppend(benchmark::State& state) {
  const int64_t batch_size = state.range(0);
  const int64_t max_in_flight = state.range(1);
  KafkaLog& log = Log("lz4");
  std::vector<Record> batch;
  for (int64_t i = 0; i < batch_size; ++i) batch.push_back(Event(i));
  absl::Mutex mu;
  int64_t in_flight = 0;
  int64_t events = 0;
  std::string error;
  auto room = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return in_flight < max_in_flight; };
  auto drained = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return in_flight == 0; };
  for (auto _ : state) {
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&room));
      ++in_flight;
    }
    log.AppendAsync(kTopic, kPartitions - 1, batch, [&](absl::StatusOr<AppendResult> appended) {
      absl::MutexLock lock(&mu);
      --in_flight;
      if (appended.ok()) {
        events += appended->count;
      } else if (error.empty()) {
        error = std::string(appended.status().message());
      }
    });
  }
  absl::MutexLock lock(&mu);
  // Only what was acknowledged while the clock ran counts; the rest is waited for, not counted.
  const int64_t acknowledged = events;
  mu.Await(absl::Condition(&drained));
  if (!error.empty()) state.SkipWithError(error.c_str());
  state.SetItemsProcessed(acknowledged);
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(acknowledged), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_KafkaAsyncAppend)
    ->ArgNames({"batch", "in_flight"})
    ->Args({100, 64})
    ->Args({1000, 16})
    ->MinTime(2.0)
    ->UseRealTime();

}  // namespace
}  // namespace jobledger::eventlog

BENCHMARK_MAIN();
