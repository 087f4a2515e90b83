// The reporting projection as the logs stood at a past instant, built into a temporary store:
// what the dispatch board's `as_of` queries read. "At an instant" means every partition's records
// appended by then (the log's own append time, not the events' occurred_at, which an offline
// device may have set long before the office could see it): a checkpoint the live board really
// passed through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/store.h"
#include "snapshot_cache.h"

namespace jobledger::reporting {

// What bounds the cost of past boards.
struct BoardSnapshotLimits {
  size_t cached = 4;               // snapshots kept for further pages, counts and exports
  int concurrent_builds = 2;       // more at once: RESOURCE_EXHAUSTED
  int64_t max_events = 5'000'000;  // a board needing more replayed: RESOURCE_EXHAUSTED
  // Records are stamped when appended but readable only once durable: a snapshot of an instant
  // younger than this could miss one still on its way, so it serves its query and is not kept.
  absl::Duration settle = absl::Seconds(10);
};

struct BoardSnapshotOptions {
  const projection::Projection* projection = nullptr;
  eventlog::EventLog* log = nullptr;
  // Scratch stores live here (emptied on open: leftovers of a crash).
  std::string directory;
  // The memory budget shared with the service's own projection store (nullptr: the default).
  std::shared_ptr<rocksdb::Cache> block_cache;
  BoardSnapshotLimits limits;
};

// The instant a snapshot stands for: the log stamps records to the millisecond, so every instant
// within one millisecond sees the same records.
absl::Time SnapshotInstant(absl::Time at);

class BoardSnapshots {
 public:
  using Snapshot = std::shared_ptr<const projection::ProjectionStore>;

  static absl::StatusOr<std::unique_ptr<BoardSnapshots>> Open(BoardSnapshotOptions options);

  // The projection of every record appended at or before `at` (each partition up to its first
  // record appended later). Its directory is removed once the cache and the last reader drop it.
  absl::StatusOr<Snapshot> At(absl::Time at) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  explicit BoardSnapshots(BoardSnapshotOptions options)
      : options_(std::move(options)), cache_(options_.limits.cached) {}
  absl::StatusOr<Snapshot> Build(absl::Time instant, int64_t id) const;

  const BoardSnapshotOptions options_;
  absl::Mutex mu_;
  absl::CondVar built_;  // signalled when a build ends
  SnapshotCache<Snapshot> cache_ ABSL_GUARDED_BY(mu_);
  std::multiset<absl::Time> building_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobledger::reporting
