// The Kafka log backend: the EventLog interface on librdkafka (production, many machines).
//
// Appends go through one idempotent producer (acks=all) per KafkaLog; an Append returns once the
// delivery report of every record arrived, i.e. all in-sync replicas have them. Reads and
// subscriptions use consumers with an explicit assignment: no consumer group is joined and no
// offset is ever committed to Kafka (projections keep their offsets in their own RocksDB).
// librdkafka's assign() still wants a group id: "<client_id>.reader" unless the properties set
// group.id; on an ACL-protected cluster the client may need Describe on that group.
//
// jobledger has exactly one writer per partition (the owning service). With that, and with one
// idempotent producer, the records of one Append land contiguously and in order; Append checks
// this from the delivery reports and fails with FAILED_PRECONDITION if another producer wrote to
// the partition in between.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::eventlog {

namespace internal {
class KafkaConsumer;
class KafkaFollower;
class KafkaProducer;
class SerialExecutor;
struct KafkaClientConfig;
}  // namespace internal

struct KafkaLogOptions {
  // Comma-separated host:port list, e.g. "kafka-0:9092,kafka-1:9092".
  std::string bootstrap_servers;
  // Names this process in broker logs and quotas; consumers add "-reader" / "-subscriber".
  std::string client_id = "jobledger";
  // Extra librdkafka properties applied verbatim to every handle, after KafkaLog's own defaults:
  // security.protocol, sasl.*, ssl.*, or tuning such as compression.type or linger.ms. Properties
  // that carry KafkaLog's guarantees (idempotence, acks, offset commits, transactions) or that
  // have their own option here are rejected with INVALID_ARGUMENT.
  std::map<std::string, std::string> properties;
  // How long a record may wait for its durable ack before Append fails (message.timeout.ms).
  absl::Duration delivery_timeout = absl::Seconds(30);
  // Bound on metadata, watermark and read requests (and socket.timeout.ms of every request).
  absl::Duration request_timeout = absl::Seconds(10);
};

class KafkaLog final : public EventLog {
 public:
  // Connects lazily: Create succeeds without a reachable broker, the first call that needs one
  // fails with UNAVAILABLE naming the bootstrap servers.
  static absl::StatusOr<std::unique_ptr<KafkaLog>> Create(KafkaLogOptions options);
  // Waits (up to the delivery timeout) for records still in flight, so every AppendAsync
  // callback has run when it returns. No synchronous call may still be running.
  ~KafkaLog() override;

  KafkaLog(const KafkaLog&) = delete;
  KafkaLog& operator=(const KafkaLog&) = delete;

  // Topics whose names start with "__" (Kafka's internal ones) are left out.
  absl::StatusOr<std::vector<TopicSpec>> ListTopics() override;
  absl::StatusOr<int32_t> PartitionCount(absl::string_view topic) override;

  // Errors: NOT_FOUND for an unknown topic (topics are never auto-created), INVALID_ARGUMENT
  // for a partition number the topic does not have, an empty batch or a record larger than
  // message.max.bytes (all checked before anything is sent), UNAVAILABLE naming the brokers
  // when they cannot be reached within the delivery timeout. After an error a prefix of the batch
  // may be durable: the envelope's per-aggregate sequence tells the caller which.
  absl::StatusOr<AppendResult> Append(absl::string_view topic, int32_t partition,
                                      std::vector<Record> records) override;
  // Produces and returns; `done` runs on the producer's delivery thread when the last delivery
  // report arrives (or at once, on this thread, if the append fails before anything is sent).
  // Appends started from inside `done` are handed to a worker thread, because producing may
  // wait for queue space that only the delivery thread can free.
  void AppendAsync(absl::string_view topic, int32_t partition, std::vector<Record> records,
                   AppendCallback done) override;
  // OUT_OF_RANGE when `from_offset` is below the log start (data dropped by retention, or by
  // the dev broker's size cap).
  absl::StatusOr<std::vector<Record>> Read(absl::string_view topic, int32_t partition,
                                           int64_t from_offset, size_t max_records) override;
  absl::StatusOr<int64_t> HighWatermark(absl::string_view topic, int32_t partition) override;
  // Each subscription owns one consumer handle; its fetch queue is capped (a few MiB), so a slow
  // reader only slows its own fetching.
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(absl::string_view topic,
                                                          int32_t partition,
                                                          int64_t from_offset) override;
  // One consumer handle assigned all the partitions: a Poll returns as soon as any has records.
  absl::StatusOr<std::unique_ptr<MultiSubscription>> SubscribeMany(
      std::vector<StartPosition> starts) override;

  const std::string& bootstrap_servers() const;

 private:
  struct PendingAppend;

  explicit KafkaLog(std::unique_ptr<internal::KafkaClientConfig> config);

  // The producer to use, replacing it first if it hit a fatal (unrecoverable) error.
  absl::StatusOr<std::shared_ptr<internal::KafkaProducer>> Producer();
  // Partition counts from cluster metadata, refreshed on a miss.
  absl::StatusOr<int32_t> CachedPartitionCount(absl::string_view topic);
  absl::Status CheckPartition(absl::string_view topic, int32_t partition);
  absl::StatusOr<std::vector<TopicSpec>> FetchTopics();
  // The log start (RD_KAFKA_OFFSET_BEGINNING) or end (RD_KAFKA_OFFSET_END) of each partition.
  absl::StatusOr<std::vector<int64_t>> ListOffsets(const std::vector<StartPosition>& partitions,
                                                   int64_t which, absl::Time deadline);

  // What every append checks before anything is produced.
  absl::Status CheckAppend(absl::string_view topic, int32_t partition,
                           const std::vector<Record>& records);
  // Produces `pending`'s records with the current producer and finishes its tracker, so that
  // its callback runs once all are reported; or runs the callback now if nothing was produced.
  void StartAppend(std::unique_ptr<PendingAppend> pending);
  // Serializes the enqueueing (not the waiting) of appends to one partition so that a batch is
  // never interleaved with another batch from this process.
  absl::Mutex& PartitionStripe(absl::string_view topic, int32_t partition);

  // A consumer following `starts`, after checking each is a partition and an offset in its log.
  absl::StatusOr<std::unique_ptr<internal::KafkaFollower>> Follow(
      std::vector<StartPosition> starts);
  absl::StatusOr<std::unique_ptr<internal::KafkaConsumer>> TakeReader();
  void ReturnReader(std::unique_ptr<internal::KafkaConsumer> reader);

  const std::unique_ptr<const internal::KafkaClientConfig> config_;
  // The largest record the producer accepts (message.max.bytes).
  size_t max_message_bytes_ = 0;

  absl::Mutex producer_mu_;
  std::shared_ptr<internal::KafkaProducer> producer_ ABSL_GUARDED_BY(producer_mu_);
  // Producers replaced after a fatal error. Kept until the log closes: appends in flight on
  // them still get their delivery reports.
  std::vector<std::shared_ptr<internal::KafkaProducer>> retired_producers_
      ABSL_GUARDED_BY(producer_mu_);

  absl::Mutex topics_mu_;
  absl::flat_hash_map<std::string, int32_t> partition_counts_ ABSL_GUARDED_BY(topics_mu_);

  static constexpr size_t kPartitionStripes = 64;
  std::array<absl::Mutex, kPartitionStripes> partition_stripes_;

  // Idle consumers kept for Read, so a Read costs an assignment, not a new client.
  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<internal::KafkaConsumer>> idle_readers_ ABSL_GUARDED_BY(readers_mu_);

  // Runs the appends that delivery callbacks start.
  std::unique_ptr<internal::SerialExecutor> callback_appends_;
  // Set while closing: appends started by the last callbacks fail instead of producing.
  std::atomic<bool> closing_{false};
};

}  // namespace jobledger::eventlog
