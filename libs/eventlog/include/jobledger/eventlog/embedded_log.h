// The embedded log: a durable, crash-safe log on local disk with zero servers, built on RocksDB.
//
// Each topic is one RocksDB database in <directory>/<topic>. Exactly one process owns (writes) a
// topic; any number of processes read it by following the owner as RocksDB secondary instances.
// An Append returns only after its write-ahead-log entry is fsynced. Each owned topic has one
// writer thread that commits everything queued while the previous fsync ran as one synced
// WriteBatch (group commit), so concurrent appends share one fsync and keep their order. After a
// crash RocksDB recovers the log to the last complete write: a torn tail is dropped, never served,
// and an append is all there or not at all.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::eventlog {

namespace internal {
class Activity;
class TopicStore;
}  // namespace internal

struct EmbeddedLogOptions {
  std::string directory;
  // Topics this process writes; each is created with its partition count if missing, and an
  // existing topic must have the same count.
  std::vector<TopicSpec> owned_topics;
  // How often a reader catches up with another process's writes while it waits for new records.
  absl::Duration follow_interval = absl::Milliseconds(2);
  // Largest record (key + value + headers) accepted; the same limit as Kafka's default.
  size_t max_record_bytes = 1'000'000;
};

class EmbeddedLog final : public EventLog {
 public:
  static absl::StatusOr<std::unique_ptr<EmbeddedLog>> Open(EmbeddedLogOptions options);
  ~EmbeddedLog() override;

  absl::StatusOr<std::vector<TopicSpec>> ListTopics() override;
  absl::StatusOr<int32_t> PartitionCount(absl::string_view topic) override;
  absl::StatusOr<AppendResult> Append(absl::string_view topic, int32_t partition,
                                      std::vector<Record> records) override;
  void AppendAsync(absl::string_view topic, int32_t partition, std::vector<Record> records,
                   AppendCallback done) override;
  absl::StatusOr<std::vector<Record>> Read(absl::string_view topic, int32_t partition,
                                           int64_t from_offset, size_t max_records) override;
  absl::Status ReadInto(absl::string_view topic, int32_t partition, int64_t from_offset,
                        size_t max_records, std::vector<Record>& records) override;
  absl::StatusOr<int64_t> HighWatermark(absl::string_view topic, int32_t partition) override;
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(absl::string_view topic,
                                                          int32_t partition,
                                                          int64_t from_offset) override;
  // Wakes as soon as any owned partition gets a record; followed topics are looked at every
  // follow interval.
  absl::StatusOr<std::unique_ptr<MultiSubscription>> SubscribeMany(
      std::vector<StartPosition> starts) override;

 private:
  explicit EmbeddedLog(EmbeddedLogOptions options);
  // The store of `topic`, opening a followed (not owned) topic on first use.
  absl::StatusOr<std::shared_ptr<internal::TopicStore>> Store(absl::string_view topic);

  const EmbeddedLogOptions options_;
  const std::shared_ptr<internal::Activity> activity_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<internal::TopicStore>> stores_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::eventlog
