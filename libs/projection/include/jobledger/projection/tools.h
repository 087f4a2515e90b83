// Offline work on projections for operators (`jl projections`): list, verify, rebuild.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/store.h"

namespace jobledger::projection {

struct StoredProjection {
  std::string name;
  std::string store_name;  // v<version>-<generation>
  int32_t version = 0;
  std::map<TopicPartition, int64_t> applied;
  int64_t lag = -1;  // -1 when the log could not be asked
  size_t dead_letters = 0;
};

// Called as work advances: events done so far and the total expected.
using ProgressCallback = std::function<void(int64_t done, int64_t total)>;

// Every projection under `directory` (read-only: safe while its service runs). With a log, the
// lag against the log's high watermarks is filled in.
absl::StatusOr<std::vector<StoredProjection>> ListProjections(const std::string& directory,
                                                              eventlog::EventLog* log);

struct VerifyResult {
  std::string live_checksum;
  std::string rebuilt_checksum;
  int64_t events = 0;
  bool matches() const { return live_checksum == rebuilt_checksum; }
};

// Rebuilds the projection into a temporary directory up to exactly the offsets the live store has
// applied, and compares the two checksums. Read-only towards the live store.
absl::StatusOr<VerifyResult> VerifyProjection(const Projection& projection,
                                              const std::string& directory, eventlog::EventLog& log,
                                              const ProgressCallback& progress);

// Rebuilds the projection from offset 0 into a new store and makes it the current one. The
// service that owns it must be stopped (FAILED_PRECONDITION otherwise); a running service
// rebuilds through its own runner instead.
absl::StatusOr<int64_t> RebuildProjection(const Projection& projection,
                                          const std::string& directory, eventlog::EventLog& log,
                                          const ProgressCallback& progress);

// Whether a partial build takes a record (see ApplyUntil).
using RecordFilter = std::function<bool(const eventlog::Record&)>;

// Applies the log to `store` from its committed offsets up to `until` (exclusive, per partition).
// With `take`, each partition also stops at the first record `take` refuses, so the store holds a
// prefix of every partition: a checkpoint the live projection could have had (e.g. everything
// appended by some instant).
absl::StatusOr<int64_t> ApplyUntil(const Projection& projection, eventlog::EventLog& log,
                                   ProjectionStore& store,
                                   const std::map<TopicPartition, int64_t>& until,
                                   const ProgressCallback& progress,
                                   const RecordFilter& take = nullptr);

// Every partition's end (high watermark) of `topics`: what a rebuild from the log reads up to.
absl::StatusOr<std::map<TopicPartition, int64_t>> LogEnds(eventlog::EventLog& log,
                                                          const std::vector<std::string>& topics);

}  // namespace jobledger::projection
