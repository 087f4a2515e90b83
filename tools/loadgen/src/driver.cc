// Closed- and open-loop drivers and the recorder.
#include "driver.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "jobledger/loadgen/schedule.h"
#include "jobledger/server/status.h"

namespace jobledger::loadgen::internal {
namespace {

// Outcomes of calls that started inside the measured window.
class Recorder {
 public:
  Recorder(absl::Time window_start, const Workload& workload)
      : window_start_(window_start), workload_(workload) {}

  void Record(absl::string_view rpc, grpc::StatusCode code, absl::Time started, absl::Time finished)
      ABSL_LOCKS_EXCLUDED(mu_) {
    if (started < window_start_) return;
    const bool refused = code != grpc::StatusCode::OK && workload_.IsRefusal(rpc, code);
    absl::MutexLock lock(&mu_);
    auto it = stats_.find(rpc);
    if (it == stats_.end()) it = stats_.emplace(std::string(rpc), RpcStats{}).first;
    RpcStats& stats = it->second;
    if (code == grpc::StatusCode::OK || refused) {
      ++(refused ? stats.refused : stats.ok);
      stats.latency.Record(finished - started);
    } else {
      ++stats.errors[std::string(server::GrpcCodeName(static_cast<int>(code)))];
    }
  }

  std::vector<RpcStats> Take() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    std::vector<RpcStats> result;
    RpcStats all;
    all.name = "all";
    for (auto& [name, stats] : stats_) {
      stats.name = name;
      all.ok += stats.ok;
      all.refused += stats.refused;
      for (const auto& [code, count] : stats.errors) all.errors[code] += count;
      all.latency.Merge(stats.latency);
      result.push_back(std::move(stats));
    }
    result.push_back(std::move(all));
    return result;
  }

 private:
  const absl::Time window_start_;
  const Workload& workload_;
  absl::Mutex mu_;
  std::map<std::string, RpcStats, std::less<>> stats_ ABSL_GUARDED_BY(mu_);
};

// Calls in flight; Wait returns once none is.
class InFlight {
 public:
  void Add() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    ++count_;
  }
  void Remove() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    --count_;
  }
  int64_t count() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return count_;
  }
  // Waits until at most `limit` calls are in flight (or the deadline passes).
  bool WaitAtMost(int64_t limit, absl::Time deadline) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    auto below = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ <= limit; };
    return mu_.AwaitWithDeadline(absl::Condition(&below), deadline);
  }

 private:
  absl::Mutex mu_;
  int64_t count_ ABSL_GUARDED_BY(mu_) = 0;
};

std::mt19937_64& ThreadRandom(uint64_t seed);

// One client of a closed loop: one call in flight at a time, the next sent from the reply.
class ClosedLoopClient {
 public:
  struct Shared {
    Workload& workload;
    Recorder& recorder;
    InFlight& in_flight;
    std::atomic<int64_t>& issued;
    const int64_t cap;
    const absl::Time end;
    const uint64_t seed;
  };
  explicit ClosedLoopClient(const Shared& shared) : shared_(shared) {}

  void Next() {
    if (absl::Now() >= shared_.end || shared_.issued.fetch_add(1) >= shared_.cap) {
      shared_.in_flight.Remove();
      return;
    }
    const absl::Time started = absl::Now();
    shared_.workload.Issue(ThreadRandom(shared_.seed),
                           [this, started](absl::string_view rpc, grpc::StatusCode code) {
                             shared_.recorder.Record(rpc, code, started, absl::Now());
                             Next();
                           });
  }

 private:
  const Shared& shared_;
};

std::mt19937_64& ThreadRandom(uint64_t seed) {
  thread_local std::mt19937_64 random(seed ^
                                      std::hash<std::thread::id>()(std::this_thread::get_id()));
  return random;
}

}  // namespace

std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& target, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < std::max(count, 1); ++i) {
    grpc::ChannelArguments arguments;
    // Without a private subchannel pool, channels with equal arguments share one connection.
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    arguments.SetInt("jobledger.loadgen.connection", i);
    arguments.SetMaxReceiveMessageSize(16 << 20);
    channels.push_back(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
  }
  return channels;
}

void PrepareContext(grpc::ClientContext& context, const LoadOptions& options) {
  context.AddMetadata("authorization", absl::StrCat("Bearer ", options.token));
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.call_timeout));
}

LoadReport RunLoad(const LoadOptions& options, Workload& workload, std::string label,
                   std::string mix) {
  const bool open_loop = options.rate > 0;
  const absl::Time start = absl::Now();
  const absl::Time window_start = start + options.warmup;
  const absl::Time end = window_start + options.duration;
  Recorder recorder(window_start, workload);
  InFlight in_flight;
  std::atomic<int64_t> issued{0};
  std::atomic<int64_t> late{0};
  const int64_t cap = options.requests > 0 ? options.requests : INT64_MAX;
  const uint64_t seed = options.random_seed;

  // Outlive every call: the wait for the last reply is below.
  std::vector<std::unique_ptr<ClosedLoopClient>> clients;
  ClosedLoopClient::Shared shared{workload, recorder, in_flight, issued, cap, end, seed};
  if (open_loop) {
    OpenLoopSchedule schedule(start, options.rate, end, options.requests);
    while (auto next = schedule.Next()) {
      const absl::Time intended = next->second;
      const absl::Duration wait = intended - absl::Now();
      if (wait > absl::Microseconds(50)) absl::SleepFor(wait);
      if (!in_flight.WaitAtMost(options.max_in_flight - 1, end + options.call_timeout)) break;
      if (absl::Now() - intended > absl::Milliseconds(1) && intended >= window_start) ++late;
      in_flight.Add();
      workload.Issue(ThreadRandom(seed),
                     [&recorder, &in_flight, intended](absl::string_view rpc, grpc::StatusCode c) {
                       recorder.Record(rpc, c, intended, absl::Now());
                       in_flight.Remove();
                     });
    }
  } else {
    // Each client issues its next call from the completion of its previous one.
    for (int i = 0; i < options.clients; ++i) {
      clients.push_back(std::make_unique<ClosedLoopClient>(shared));
    }
    for (auto& client : clients) {
      in_flight.Add();
      client->Next();
    }
  }
  in_flight.WaitAtMost(0, absl::InfiniteFuture());
  const absl::Time finished = std::min(absl::Now(), end);

  LoadReport report;
  report.label = std::move(label);
  report.mode = open_loop ? "open" : "closed";
  report.clients = options.clients;
  report.target_rate = options.rate;
  report.mix = std::move(mix);
  report.measured = std::max(finished - window_start, absl::Milliseconds(1));
  report.rpcs = recorder.Take();
  report.ok = report.all().ok;
  report.refused = report.all().refused;
  for (const auto& [code, count] : report.all().errors) report.errors += count;
  report.throughput =
      static_cast<double>(report.ok + report.refused) / absl::ToDoubleSeconds(report.measured);
  report.late_sends = late.load();
  return report;
}

}  // namespace jobledger::loadgen::internal
