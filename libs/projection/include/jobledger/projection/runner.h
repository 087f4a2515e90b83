// The projection runtime: feeds a projection from the log, checkpoints exactly, rebuilds into a
// fresh store while the old one serves, reports readiness and lets queries read their writes.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/store.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace jobledger::projection {

// A record's place in the log, as a command's reply carries it back to the caller.
struct LogPosition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
};

struct RunnerOptions {
  // Root of all projections; this one lives in <directory>/<name>/.
  std::string directory;
  eventlog::EventLog* log = nullptr;
  // The memory budget of the projection's stores (the serving one and a rebuild's): blocks,
  // index and filter blocks, table readers and memtables are all charged to it (see
  // StoreOptions). Give every runner of a process the same cache (nullptr: DefaultBlockCache(),
  // 64 MiB shared by all stores opened without one).
  std::shared_ptr<rocksdb::Cache> block_cache;
  // Where metrics go (nullptr: none).
  prometheus::Registry* metrics = nullptr;
  // Events per committed batch: larger batches rebuild faster, smaller ones show sooner.
  size_t max_batch_events = 2000;
  // A rebuild keeps applying polled batches to one transaction until its coalesced writes reach
  // this many bytes (or it catches up): a job's many changes then reach RocksDB once. It bounds
  // the transaction's memory: this in its arena, plus about 40 bytes per distinct key.
  size_t rebuild_batch_bytes = 16 << 20;
  // How long the runner waits for new events before it looks at its other work.
  absl::Duration idle_wait = absl::Milliseconds(50);
  // How often the lag metric is refreshed from the log's high watermarks.
  absl::Duration lag_interval = absl::Seconds(1);
};

// The options a service runs its projections with: stores under <data_dir>/projections, polled
// every 5 ms when idle (commands wait on the projection), one block cache of `cache_bytes` for all
// of them (copy the options for another runner of the process, changing only the directory).
RunnerOptions ServiceRunnerOptions(const std::string& data_dir, eventlog::EventLog* log,
                                   prometheus::Registry* metrics, size_t cache_bytes);

struct ProjectionStatus {
  std::string name;
  int32_t version = 0;
  std::string store_path;
  std::map<TopicPartition, int64_t> applied;          // next offset to apply, per partition
  std::map<TopicPartition, int64_t> high_watermarks;  // as last seen
  int64_t lag = 0;                                    // events not applied yet
  bool caught_up = false;
  bool rebuilding = false;
  double rebuild_progress = 0;  // 0..1 while rebuilding
  int64_t dead_letters = 0;     // since start
  absl::Status last_error;      // the latest failed poll, commit or reopen, if any
};

class ProjectionRunner {
 public:
  // Opens (or creates) the projection's store and starts applying. When the stored version
  // differs from projection.version(), a rebuild starts at once.
  static absl::StatusOr<std::unique_ptr<ProjectionRunner>> Start(const Projection& projection,
                                                                 RunnerOptions options);
  ~ProjectionRunner();
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;

  // Stops applying, commits what was applied and closes the stores. Idempotent.
  absl::Status Stop();

  // True once the serving store has applied every record that existed when the runner started
  // (services report readiness from this).
  bool caught_up() const;

  // Waits until the record at `position` is applied to the serving store (read-your-writes);
  // DEADLINE_EXCEEDED when the deadline passes first.
  absl::Status WaitFor(const LogPosition& position, absl::Time deadline) const;

  // The store answering queries. Keep it only for one query: a rebuild swaps it.
  std::shared_ptr<const ProjectionStore> store() const;

  // Rebuilds from offset 0 into a fresh store while the current one keeps serving and applying,
  // then swaps atomically. FAILED_PRECONDITION while a rebuild is running.
  absl::Status Rebuild();

  ProjectionStatus status() const;

 private:
  struct Target;
  struct Metrics;

  ProjectionRunner(const Projection& projection, RunnerOptions options);
  absl::Status Open();
  // A rebuild target (`rebuild`) bulk-loads its fresh store until it is swapped in.
  absl::StatusOr<std::unique_ptr<Target>> OpenTarget(const std::string& store_name,
                                                     bool remove_on_failure, bool rebuild = false);
  void Loop();
  // Subscribes `target` from its committed offsets if it is not subscribed yet.
  absl::Status EnsureSubscribed(Target& target, bool live);
  // Applies one polled batch to `target`; false when nothing was there to apply.
  absl::StatusOr<bool> Step(Target& target, bool live, absl::Duration wait);
  // Step, turning a failure into a fresh subscription from the committed offsets.
  bool StepOrReset(Target& target, bool live, absl::Duration wait);
  // Commits the target's open transaction with the offsets it advances.
  absl::Status CommitOpen(Target& target, bool live);
  void RecordError(const absl::Status& status) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status FinishRebuildIfCaughtUp() ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::map<TopicPartition, int64_t>> HighWatermarks() const;
  void RefreshLag();
  std::string NextStoreName() const;
  absl::Status WriteCurrent(const std::string& store_name) const;

  const Projection& projection_;
  const RunnerOptions options_;
  const std::string root_;  // <directory>/<name>
  std::unique_ptr<Metrics> metrics_;

  mutable absl::Mutex mu_;
  std::unique_ptr<Target> live_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Target> building_ ABSL_GUARDED_BY(mu_);
  std::map<TopicPartition, int64_t> start_watermarks_ ABSL_GUARDED_BY(mu_);
  std::map<TopicPartition, int64_t> high_watermarks_ ABSL_GUARDED_BY(mu_);
  int64_t rebuild_total_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t dead_letters_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool rebuild_requested_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_lag_refresh_ = absl::InfinitePast();  // runner thread only
  std::thread thread_;
};

}  // namespace jobledger::projection
