// The Kafka log backend: EventLog on one idempotent producer and explicitly assigned consumers.
#include "jobledger/eventlog/kafka_log.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "internal/kafka_client.h"
#include "internal/kafka_consumer.h"
#include "internal/kafka_producer.h"
#include "internal/serial_executor.h"
#include "jobledger/common/status.h"

namespace jobledger::eventlog {
namespace {

using internal::DeliveryTracker;
using internal::KafkaClientConfig;
using internal::KafkaConsumer;
using internal::KafkaFollower;
using internal::KafkaProducer;
using internal::KafkaStatus;
using internal::MessagePtr;

// Idle reader consumers kept per KafkaLog; more concurrent Reads create (and drop) extra ones.
constexpr size_t kMaxIdleReaders = 4;

// Upper bound of librdkafka's framing per record and per header (varint lengths, attributes,
// deltas), so the size check before producing is never looser than librdkafka's own.
constexpr size_t kRecordOverheadBytes = 64;
constexpr size_t kHeaderOverheadBytes = 10;

std::string PartitionName(absl::string_view topic, int32_t partition) {
  return absl::StrCat(topic, "[", partition, "]");
}

size_t WireSize(const Record& record) {
  size_t size = kRecordOverheadBytes + record.key.size() + record.value.size();
  for (const Header& header : record.headers) {
    size += kHeaderOverheadBytes + header.key.size() + header.value.size();
  }
  return size;
}

class KafkaSubscription final : public Subscription {
 public:
  explicit KafkaSubscription(std::unique_ptr<KafkaFollower> follower)
      : follower_(std::move(follower)) {}

  absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) override {
    return follower_->Poll(max_records, timeout);
  }
  int64_t position() const override { return follower_->positions().front().next_offset; }

 private:
  const std::unique_ptr<KafkaFollower> follower_;
};

class KafkaMultiSubscription final : public MultiSubscription {
 public:
  explicit KafkaMultiSubscription(std::unique_ptr<KafkaFollower> follower)
      : follower_(std::move(follower)) {}

  absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) override {
    return follower_->Poll(max_records, timeout);
  }

 private:
  const std::unique_ptr<KafkaFollower> follower_;
};

}  // namespace

// One append on its way. librdkafka references the records' bytes until they are reported, so
// they live here; so does what turns the reports into the caller's result.
struct KafkaLog::PendingAppend {
  std::string topic;
  int32_t partition = 0;
  std::vector<Record> records;
  AppendCallback done;

  std::string context;
  // Not owned: the log keeps every producer (also replaced ones) until it is destroyed, and a
  // producer's destructor flushes, so it outlives the appends in flight on it. (Owning it here
  // could make a delivery callback destroy its own producer.)
  KafkaProducer* producer = nullptr;
  std::optional<DeliveryTracker> tracker;
  size_t produced = 0;
  rd_kafka_resp_err_t produce_err = RD_KAFKA_RESP_ERR_NO_ERROR;

  // The result once every produced record has been reported.
  absl::StatusOr<AppendResult> Result(const KafkaClientConfig& config) const {
    const size_t count = records.size();
    auto detail = [&](std::string more) {
      std::string text = producer->HasFatalError()
                             ? absl::StrCat(
                                   "the producer hit a fatal error and is replaced for "
                                   "the next append: ",
                                   producer->FatalError())
                             : producer->RecentError(config.delivery_timeout * 2);
      if (!more.empty()) absl::StrAppend(&text, text.empty() ? "" : "; ", more);
      return text;
    };
    if (produce_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(produce_err, context, config.bootstrap_servers,
                         detail(produced == 0 ? ""
                                              : absl::StrCat("the first ", produced, " of ", count,
                                                             " records were produced before "
                                                             "the error")));
    }
    size_t acknowledged = 0;
    const DeliveryTracker::Slot* failed = nullptr;
    for (size_t i = 0; i < count; ++i) {
      if (tracker->slot(i).err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++acknowledged;
      } else if (failed == nullptr) {
        failed = &tracker->slot(i);
      }
    }
    if (failed != nullptr) {
      return KafkaStatus(
          failed->err, context, config.bootstrap_servers,
          detail(absl::StrCat(acknowledged, " of ", count, " records were acknowledged")));
    }
    const int64_t first_offset = tracker->slot(0).offset;
    for (size_t i = 1; i < count; ++i) {
      const int64_t expected = first_offset + static_cast<int64_t>(i);
      if (tracker->slot(i).offset != expected) {
        return absl::FailedPreconditionError(absl::StrCat(
            context, ": the batch is durable but not contiguous: record ", i, " got offset ",
            tracker->slot(i).offset, ", not ", expected,
            ". Another producer wrote to the partition meanwhile; jobledger needs exactly one "
            "writer per partition"));
      }
    }
    return AppendResult{.first_offset = first_offset, .count = static_cast<int64_t>(count)};
  }
};

absl::StatusOr<std::unique_ptr<KafkaLog>> KafkaLog::Create(KafkaLogOptions options) {
  if (options.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("Kafka bootstrap servers are empty");
  }
  if (options.client_id.empty()) return absl::InvalidArgumentError("Kafka client id is empty");
  // message.timeout.ms=0 would mean "retry forever": an Append must always come back.
  if (options.delivery_timeout < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError("Kafka delivery timeout must be at least 1 ms");
  }
  if (options.request_timeout < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError("Kafka request timeout must be at least 1 ms");
  }
  JL_RETURN_IF_ERROR(internal::ValidateUserProperties(options.properties));
  auto config = std::make_unique<KafkaClientConfig>(KafkaClientConfig{
      .bootstrap_servers = std::move(options.bootstrap_servers),
      .client_id = std::move(options.client_id),
      .properties = std::move(options.properties),
      .delivery_timeout = options.delivery_timeout,
      .request_timeout = options.request_timeout,
  });
  // Both kinds of handle are made now, so a bad property fails here and not on first use.
  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaProducer> producer, KafkaProducer::Create(*config));
  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaConsumer> reader,
                      KafkaConsumer::Create(*config, KafkaConsumer::Role::kReader));
  std::unique_ptr<KafkaLog> log(new KafkaLog(std::move(config)));
  log->max_message_bytes_ = producer->max_message_bytes();
  {
    absl::MutexLock lock(&log->producer_mu_);
    log->producer_ = std::move(producer);
  }
  log->ReturnReader(std::move(reader));
  return log;
}

KafkaLog::KafkaLog(std::unique_ptr<internal::KafkaClientConfig> config)
    : config_(std::move(config)), callback_appends_(std::make_unique<internal::SerialExecutor>()) {}

KafkaLog::~KafkaLog() {
  // Appends handed over by callbacks still run; any started from now on fail.
  callback_appends_->Stop();
  closing_.store(true);
  {
    absl::MutexLock lock(&readers_mu_);
    idle_readers_.clear();
  }
  // Each producer's destructor flushes, which runs the callbacks of appends still in flight.
  std::shared_ptr<KafkaProducer> current;
  std::vector<std::shared_ptr<KafkaProducer>> retired;
  {
    absl::MutexLock lock(&producer_mu_);
    current = std::move(producer_);
    retired = std::move(retired_producers_);
  }
  current.reset();
  retired.clear();
}

const std::string& KafkaLog::bootstrap_servers() const { return config_->bootstrap_servers; }

absl::StatusOr<std::shared_ptr<KafkaProducer>> KafkaLog::Producer() {
  absl::MutexLock lock(&producer_mu_);
  if (!producer_->HasFatalError()) return producer_;
  // An idempotent producer that hit a fatal error refuses every later record; librdkafka's
  // documented remedy is a new producer (new producer id, sequence numbers from zero).
  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaProducer> fresh, KafkaProducer::Create(*config_));
  retired_producers_.push_back(std::exchange(producer_, std::move(fresh)));
  return producer_;
}

absl::StatusOr<std::vector<TopicSpec>> KafkaLog::FetchTopics() {
  JL_ASSIGN_OR_RETURN(std::shared_ptr<KafkaProducer> producer, Producer());
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(producer->handle(), /*all_topics=*/1, nullptr, &metadata,
                        internal::TimeoutMs(config_->request_timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, "list topics", config_->bootstrap_servers,
                       producer->RecentError(config_->request_timeout * 2));
  }
  std::vector<TopicSpec> topics;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& topic = metadata->topics[i];
    if (topic.partition_cnt <= 0 || absl::StartsWith(topic.topic, "__")) continue;
    topics.push_back({topic.topic, topic.partition_cnt});
  }
  rd_kafka_metadata_destroy(metadata);
  std::sort(topics.begin(), topics.end(),
            [](const TopicSpec& a, const TopicSpec& b) { return a.name < b.name; });
  absl::MutexLock lock(&topics_mu_);
  for (const TopicSpec& topic : topics) partition_counts_[topic.name] = topic.partitions;
  return topics;
}

absl::StatusOr<std::vector<TopicSpec>> KafkaLog::ListTopics() { return FetchTopics(); }

absl::StatusOr<int32_t> KafkaLog::CachedPartitionCount(absl::string_view topic) {
  {
    absl::MutexLock lock(&topics_mu_);
    if (auto it = partition_counts_.find(topic); it != partition_counts_.end()) return it->second;
  }
  JL_RETURN_IF_ERROR(FetchTopics().status());
  absl::MutexLock lock(&topics_mu_);
  if (auto it = partition_counts_.find(topic); it != partition_counts_.end()) return it->second;
  return absl::NotFoundError(
      absl::StrCat("topic ", topic, " does not exist on Kafka at ", config_->bootstrap_servers));
}

absl::StatusOr<int32_t> KafkaLog::PartitionCount(absl::string_view topic) {
  return CachedPartitionCount(topic);
}

absl::Status KafkaLog::CheckPartition(absl::string_view topic, int32_t partition) {
  JL_ASSIGN_OR_RETURN(int32_t count, CachedPartitionCount(topic));
  if (partition >= count) {
    // Partitions can be added to a topic (never removed): look again before saying no.
    JL_RETURN_IF_ERROR(FetchTopics().status());
    JL_ASSIGN_OR_RETURN(count, CachedPartitionCount(topic));
  }
  // A caller's bad partition number, like the embedded log (the conformance suite checks it).
  if (partition < 0 || partition >= count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "partition ", partition, " does not exist: topic ", topic, " has ", count, " partitions"));
  }
  return absl::OkStatus();
}

absl::Mutex& KafkaLog::PartitionStripe(absl::string_view topic, int32_t partition) {
  return partition_stripes_[absl::HashOf(topic, partition) % kPartitionStripes];
}

absl::Status KafkaLog::CheckAppend(absl::string_view topic, int32_t partition,
                                   const std::vector<Record>& records) {
  if (records.empty()) return absl::InvalidArgumentError("append needs at least one record");
  JL_RETURN_IF_ERROR(CheckPartition(topic, partition));
  // Checked up front: librdkafka would refuse such a record only after the ones before it were
  // queued, leaving half a batch.
  for (size_t i = 0; i < records.size(); ++i) {
    const size_t size = WireSize(records[i]);
    if (size > max_message_bytes_) {
      return absl::InvalidArgumentError(
          absl::StrCat("append to ", PartitionName(topic, partition), ": record ", i, " is ", size,
                       " bytes with framing, more than the ", max_message_bytes_,
                       " bytes Kafka accepts (message.max.bytes)"));
    }
  }
  return absl::OkStatus();
}

void KafkaLog::StartAppend(std::unique_ptr<PendingAppend> pending) {
  pending->context = absl::StrCat("append to ", PartitionName(pending->topic, pending->partition));
  // A producer that hit a fatal error is replaced; when that is noticed before anything of this
  // batch was produced, the batch simply goes to the new producer.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<std::shared_ptr<KafkaProducer>> producer = Producer();
    if (!producer.ok()) return pending->done(producer.status());
    pending->producer = producer->get();
    PendingAppend* raw = pending.get();
    pending->tracker.emplace(pending->records.size(), [raw, this] {
      std::unique_ptr<PendingAppend> finished(raw);
      finished->done(finished->Result(*config_));
    });
    pending->produced = 0;
    pending->produce_err = RD_KAFKA_RESP_ERR_NO_ERROR;
    {
      absl::MutexLock stripe(&PartitionStripe(pending->topic, pending->partition));
      for (; pending->produced < pending->records.size(); ++pending->produced) {
        void* opaque = pending->tracker->Expect(pending->produced);
        pending->produce_err = pending->producer->Produce(
            pending->topic, pending->partition, pending->records[pending->produced], opaque);
        if (pending->produce_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
          pending->tracker->Cancel();
          break;
        }
      }
    }
    if (pending->produced == 0 && pending->produce_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Nothing is in flight, so the tracker is dropped and the outcome known now.
      pending->tracker.reset();
      if (pending->producer->HasFatalError() && attempt == 0) continue;
      return pending->done(pending->Result(*config_));
    }
    // Every produced record gets exactly one report (success, error or timeout), so the
    // callback runs within the delivery timeout. From here on `pending` belongs to the tracker.
    pending.release()->tracker->Finish();
    return;
  }
}

absl::StatusOr<AppendResult> KafkaLog::Append(absl::string_view topic, int32_t partition,
                                              std::vector<Record> records) {
  if (KafkaProducer::OnDeliveryThread()) {
    // It would wait for a delivery report that only this thread can deliver.
    return absl::FailedPreconditionError(
        "Append called from an AppendAsync callback would wait for itself; use AppendAsync");
  }
  JL_RETURN_IF_ERROR(CheckAppend(topic, partition, records));
  absl::Notification finished;
  absl::StatusOr<AppendResult> result;
  auto pending = std::make_unique<PendingAppend>();
  pending->topic = std::string(topic);
  pending->partition = partition;
  pending->records = std::move(records);
  pending->done = [&](absl::StatusOr<AppendResult> outcome) {
    result = std::move(outcome);
    finished.Notify();
  };
  StartAppend(std::move(pending));
  finished.WaitForNotification();
  return result;
}

void KafkaLog::AppendAsync(absl::string_view topic, int32_t partition, std::vector<Record> records,
                           AppendCallback done) {
  auto pending = std::make_unique<PendingAppend>();
  pending->topic = std::string(topic);
  pending->partition = partition;
  pending->records = std::move(records);
  pending->done = std::move(done);
  auto start = [this](std::unique_ptr<PendingAppend> append) {
    if (closing_.load()) {
      return append->done(absl::UnavailableError(
          absl::StrCat("append to ", PartitionName(append->topic, append->partition),
                       ": the Kafka log is closing")));
    }
    if (absl::Status valid = CheckAppend(append->topic, append->partition, append->records);
        !valid.ok()) {
      return append->done(std::move(valid));
    }
    StartAppend(std::move(append));
  };
  if (!KafkaProducer::OnDeliveryThread()) return start(std::move(pending));
  // Called from a delivery callback: producing may block until queue space is freed, which
  // only this very thread does, so a worker produces instead.
  auto shared = std::make_shared<std::unique_ptr<PendingAppend>>(std::move(pending));
  if (!callback_appends_->Post([shared, start] { start(std::move(*shared)); })) {
    (*shared)->done(absl::UnavailableError("append: the Kafka log is closing"));
  }
}

absl::StatusOr<std::vector<int64_t>> KafkaLog::ListOffsets(
    const std::vector<StartPosition>& partitions, int64_t which, absl::Time deadline) {
  JL_ASSIGN_OR_RETURN(std::shared_ptr<KafkaProducer> producer, Producer());
  // Not rd_kafka_query_watermark_offsets: in librdkafka 2.0.2 it ignores its timeout and blocks
  // for as long as the leader is unreachable (fixed in 2.3.0, #4460). offsets_for_times sends
  // the same ListOffsets request (the special timestamps -2/-1 mean earliest/latest) and does
  // honour its timeout.
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (const StartPosition& partition : partitions) {
    rd_kafka_topic_partition_list_add(list, partition.topic.c_str(), partition.partition)->offset =
        which;
  }
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(producer->handle(), list,
                                                       internal::TimeoutMs(deadline - absl::Now()));
  std::vector<int64_t> offsets;
  std::string where = partitions.size() == 1
                          ? PartitionName(partitions[0].topic, partitions[0].partition)
                          : absl::StrCat(partitions.size(), " partitions");
  for (int i = 0; err == RD_KAFKA_RESP_ERR_NO_ERROR && i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& result = list->elems[i];
    err = result.err;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && result.offset < 0) err = RD_KAFKA_RESP_ERR__BAD_MSG;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) where = PartitionName(result.topic, result.partition);
    offsets.push_back(result.offset);
  }
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(
        err, absl::StrCat(which == RD_KAFKA_OFFSET_END ? "high" : "low", " watermark of ", where),
        config_->bootstrap_servers, producer->RecentError(config_->request_timeout * 2));
  }
  return offsets;
}

absl::StatusOr<int64_t> KafkaLog::HighWatermark(absl::string_view topic, int32_t partition) {
  JL_RETURN_IF_ERROR(CheckPartition(topic, partition));
  JL_ASSIGN_OR_RETURN(std::vector<int64_t> high,
                      ListOffsets({{std::string(topic), partition, 0}}, RD_KAFKA_OFFSET_END,
                                  absl::Now() + config_->request_timeout));
  return high.front();
}

absl::StatusOr<std::unique_ptr<KafkaConsumer>> KafkaLog::TakeReader() {
  {
    absl::MutexLock lock(&readers_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<KafkaConsumer> reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  return KafkaConsumer::Create(*config_, KafkaConsumer::Role::kReader);
}

void KafkaLog::ReturnReader(std::unique_ptr<KafkaConsumer> reader) {
  absl::MutexLock lock(&readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

absl::StatusOr<std::vector<Record>> KafkaLog::Read(absl::string_view topic, int32_t partition,
                                                   int64_t from_offset, size_t max_records) {
  if (from_offset < 0) {
    return absl::InvalidArgumentError(absl::StrCat("offset ", from_offset, " is negative"));
  }
  JL_RETURN_IF_ERROR(CheckPartition(topic, partition));
  std::vector<Record> records;
  if (max_records == 0) return records;
  const std::string context =
      absl::StrCat("read ", PartitionName(topic, partition), " from offset ", from_offset);
  const absl::Time deadline = absl::Now() + config_->request_timeout;
  const std::vector<StartPosition> start = {{std::string(topic), partition, from_offset}};
  JL_ASSIGN_OR_RETURN(const std::vector<int64_t> high,
                      ListOffsets(start, RD_KAFKA_OFFSET_END, deadline));
  if (from_offset >= high.front()) return records;
  JL_ASSIGN_OR_RETURN(const std::vector<int64_t> low,
                      ListOffsets(start, RD_KAFKA_OFFSET_BEGINNING, deadline));
  if (from_offset < low.front()) {
    return absl::OutOfRangeError(absl::StrCat(context, ": the log starts at offset ", low.front(),
                                              " (older records were deleted)"));
  }
  const int64_t end = from_offset + static_cast<int64_t>(std::min<uint64_t>(
                                        max_records, high.front() - from_offset));
  records.reserve(static_cast<size_t>(std::min<int64_t>(end - from_offset, 4096)));

  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaConsumer> reader, TakeReader());
  JL_RETURN_IF_ERROR(reader->Assign(start, deadline - absl::Now()));
  bool at_end = false;
  absl::Status error;
  std::string transient;
  auto next = [&] { return reader->positions().front().next_offset; };
  while (!at_end && error.ok() && next() < end && absl::Now() < deadline) {
    for (MessagePtr& message :
         reader->PollBatch(static_cast<size_t>(end - next()), deadline - absl::Now())) {
      KafkaConsumer::Position* position = reader->PositionOf(message.get());
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // The end of what the broker has; offsets up to `end` may include transaction markers
        // that are never delivered.
        if (position != nullptr && message->offset >= end) at_end = true;
        continue;
      }
      if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (internal::IsTransientConsumerError(message->err)) {
          transient = absl::StrCat(rd_kafka_err2name(message->err), ": ",
                                   rd_kafka_message_errstr(message.get()));
          continue;
        }
        error = KafkaStatus(message->err, context, config_->bootstrap_servers,
                            rd_kafka_message_errstr(message.get()));
        break;
      }
      // Leftovers of an earlier assignment are skipped.
      if (position == nullptr || message->offset < position->next_offset) continue;
      if (message->offset >= end) {
        at_end = true;
        break;
      }
      records.push_back(internal::ToRecord(message.get()));
      position->next_offset = message->offset + 1;
    }
  }
  const bool complete = next() >= end || at_end;
  // A reader in an unknown state is dropped rather than reused.
  if (error.ok() && reader->Unassign().ok()) ReturnReader(std::move(reader));
  if (!error.ok()) return error;
  if (records.empty() && !complete) {
    return KafkaStatus(RD_KAFKA_RESP_ERR__TIMED_OUT, context, config_->bootstrap_servers,
                       transient);
  }
  return records;
}

absl::StatusOr<std::unique_ptr<KafkaFollower>> KafkaLog::Follow(std::vector<StartPosition> starts) {
  if (starts.empty()) return absl::InvalidArgumentError("subscribe to at least one partition");
  absl::flat_hash_set<std::pair<std::string, int32_t>> seen;
  for (const StartPosition& start : starts) {
    if (start.offset < 0) {
      return absl::InvalidArgumentError(absl::StrCat("offset ", start.offset, " is negative"));
    }
    JL_RETURN_IF_ERROR(CheckPartition(start.topic, start.partition));
    if (!seen.insert({start.topic, start.partition}).second) {
      return absl::InvalidArgumentError(absl::StrCat(PartitionName(start.topic, start.partition),
                                                     " is subscribed to more than once"));
    }
  }
  // Kafka refuses a fetch outside the log with an error; saying so now is clearer.
  const absl::Time deadline = absl::Now() + config_->request_timeout;
  JL_ASSIGN_OR_RETURN(const std::vector<int64_t> low,
                      ListOffsets(starts, RD_KAFKA_OFFSET_BEGINNING, deadline));
  JL_ASSIGN_OR_RETURN(const std::vector<int64_t> high,
                      ListOffsets(starts, RD_KAFKA_OFFSET_END, deadline));
  for (size_t i = 0; i < starts.size(); ++i) {
    if (starts[i].offset < low[i] || starts[i].offset > high[i]) {
      return absl::OutOfRangeError(absl::StrCat(
          "subscribe to ", PartitionName(starts[i].topic, starts[i].partition), " at offset ",
          starts[i].offset, ": the log holds offsets ", low[i], " to ", high[i]));
    }
  }
  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaConsumer> consumer,
                      KafkaConsumer::Create(*config_, KafkaConsumer::Role::kSubscriber));
  JL_RETURN_IF_ERROR(consumer->Assign(starts, deadline - absl::Now()));
  return std::make_unique<KafkaFollower>(std::move(consumer), config_->bootstrap_servers);
}

absl::StatusOr<std::unique_ptr<Subscription>> KafkaLog::Subscribe(absl::string_view topic,
                                                                  int32_t partition,
                                                                  int64_t from_offset) {
  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaFollower> follower,
                      Follow({{std::string(topic), partition, from_offset}}));
  return std::unique_ptr<Subscription>(new KafkaSubscription(std::move(follower)));
}

absl::StatusOr<std::unique_ptr<MultiSubscription>> KafkaLog::SubscribeMany(
    std::vector<StartPosition> starts) {
  JL_ASSIGN_OR_RETURN(std::unique_ptr<KafkaFollower> follower, Follow(std::move(starts)));
  return std::unique_ptr<MultiSubscription>(new KafkaMultiSubscription(std::move(follower)));
}

}  // namespace jobledger::eventlog
