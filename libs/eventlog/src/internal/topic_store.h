// One topic of the embedded log: its RocksDB database, owned (written) or followed (read only).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "internal/activity.h"
#include "internal/commit_counter.h"
#include "jobledger/eventlog/event_log.h"
#include "rocksdb/db.h"

namespace jobledger::eventlog::internal {

class TopicStore {
 public:
  // Opens (creating if missing) the topic this process writes.
  // `activity` is signalled after every commit.
  static absl::StatusOr<std::shared_ptr<TopicStore>> OpenOwned(const std::string& path,
                                                               const TopicSpec& spec,
                                                               size_t max_record_bytes,
                                                               std::shared_ptr<Activity> activity);
  // Opens another process's topic as a RocksDB secondary instance that follows its writes.
  static absl::StatusOr<std::shared_ptr<TopicStore>> OpenFollower(const std::string& path,
                                                                  const std::string& name,
                                                                  absl::Duration follow_interval);
  ~TopicStore();
  TopicStore(const TopicStore&) = delete;
  TopicStore& operator=(const TopicStore&) = delete;

  const std::string& name() const { return name_; }
  bool owned() const { return owned_; }
  int32_t partitions() const { return partitions_; }

  absl::StatusOr<AppendResult> Append(int32_t partition, std::vector<Record> records);
  // `done` runs on the writer thread once the records are durable (or on the caller's thread when
  // the append is refused before it is queued).
  void AppendAsync(int32_t partition, std::vector<Record> records, EventLog::AppendCallback done);
  absl::StatusOr<std::vector<Record>> Read(int32_t partition, int64_t from_offset,
                                           size_t max_records);
  // Decodes the records into records[used], records[used + 1] … (reusing the storage of elements
  // already there) and advances `used`; elements from `used` on are the caller's spares.
  absl::Status ReadInto(int32_t partition, int64_t from_offset, size_t max_records,
                        std::vector<Record>& records, size_t& used);
  absl::StatusOr<int64_t> HighWatermark(int32_t partition);
  // Waits until the high watermark of `partition` is above `offset` or `deadline` passes, and
  // returns the high watermark then.
  absl::StatusOr<int64_t> WaitBeyond(int32_t partition, int64_t offset, absl::Time deadline);

 private:
  struct PendingAppend {
    int32_t partition = 0;
    std::vector<std::string> values;  // serialized StoredRecords, encoded by the caller's thread
    EventLog::AppendCallback done;
  };

  TopicStore(std::string name, std::string path, int32_t partitions,
             std::unique_ptr<rocksdb::DB> db, bool owned, absl::Duration follow_interval,
             size_t max_record_bytes, std::string follower_dir, std::shared_ptr<Activity> activity,
             std::shared_ptr<CommitCounter> changes);
  absl::Status CheckPartition(int32_t partition) const;
  // The owner's writer thread: commits whatever was queued meanwhile as one synced WriteBatch.
  void WriterLoop();
  void CommitGroup(std::vector<PendingAppend> group);
  // Owner: after a failed write RocksDB refuses every later one, so the store is closed and
  // opened again from what is durable, and the high watermarks are read back from it. Until that
  // succeeds (a disk still full) appends and reads are refused and the writer tries again.
  absl::Status Reopen() ABSL_LOCKS_EXCLUDED(db_mu_, mu_);
  // Followers: pulls the owner's latest writes when its change counter moved (or, without one,
  // or when it has not moved for kUnchangedPull, anyway), at most once per follow interval
  // unless forced.
  absl::Status CatchUp(bool force) ABSL_LOCKS_EXCLUDED(catch_up_mu_);
  // The next offset after the last stored record of `partition`, as this instance sees it.
  absl::StatusOr<int64_t> StoredEnd(int32_t partition) ABSL_LOCKS_EXCLUDED(db_mu_);

  const std::string name_;
  const std::string path_;
  const int32_t partitions_;
  // Readers hold it shared while they use the database; a reopen holds it alone.
  absl::Mutex db_mu_;
  std::unique_ptr<rocksdb::DB> db_ ABSL_GUARDED_BY(db_mu_);  // none while a reopen fails
  const bool owned_;
  const absl::Duration follow_interval_;
  const size_t max_record_bytes_;
  const std::string follower_dir_;  // the secondary instance's private directory
  const std::shared_ptr<Activity> activity_;
  // Owner: counts its changes for followers (none when it could not be opened).
  const std::shared_ptr<CommitCounter> changes_;

  absl::Mutex mu_;
  absl::CondVar committed_;  // signalled after every group commit, for waiting readers
  std::vector<PendingAppend> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool reopen_needed_ ABSL_GUARDED_BY(mu_) = false;  // a write failed and no reopen succeeded
  // Owner: per partition, the offset after the last durable record. Only the writer thread
  // changes it.
  std::vector<int64_t> high_watermarks_ ABSL_GUARDED_BY(mu_);
  std::thread writer_;

  absl::Mutex catch_up_mu_;
  absl::Time last_catch_up_ ABSL_GUARDED_BY(catch_up_mu_) = absl::InfinitePast();
  absl::Time last_pull_ ABSL_GUARDED_BY(catch_up_mu_) = absl::InfinitePast();
  absl::Time last_counter_attempt_ ABSL_GUARDED_BY(catch_up_mu_) = absl::InfinitePast();
  // Follower: the owner's change counter (none while the owner has not made one: every catch-up
  // then pulls), and its count read before the last pull (none yet: the first check pulls).
  std::unique_ptr<CommitCounter> owner_changes_ ABSL_GUARDED_BY(catch_up_mu_);
  uint64_t pulled_changes_ ABSL_GUARDED_BY(catch_up_mu_) = UINT64_MAX;
  // Completed pulls, counted after each: an iterator made after reading the count sees at least
  // what those pulls brought.
  uint64_t pulls_done_ ABSL_GUARDED_BY(catch_up_mu_) = 0;
  // Follower, per partition: the offset a read found nothing at, and after how many pulls. Until
  // the next pull, a read there needs no iterator: idle followers poll every follow interval.
  struct NothingAt {
    uint64_t pulls_done = UINT64_MAX;
    int64_t offset = -1;
  };
  std::vector<NothingAt> nothing_at_ ABSL_GUARDED_BY(catch_up_mu_);
};

}  // namespace jobledger::eventlog::internal
