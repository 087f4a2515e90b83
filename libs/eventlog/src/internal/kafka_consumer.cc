// Consumer handles of the Kafka backend (explicit assignment, bounded prefetch, batch polling)
// and the subscriptions that follow partitions through them.
#include "internal/kafka_consumer.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jobledger::eventlog::internal {

absl::StatusOr<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Create(
    const KafkaClientConfig& config, Role role) {
  const bool reader = role == Role::kReader;
  const Properties defaults = {
      // librdkafka's assign() needs a group id, but nothing ever joins the group or commits to
      // it: positions live in the projections' own RocksDB.
      {"group.id", absl::StrCat(config.client_id, ".reader")},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      // Reading from an offset that no longer exists is an error, never a silent skip.
      {"auto.offset.reset", "error"},
      {"enable.partition.eof", reader ? "true" : "false"},
      // Backpressure: fetching pauses once this much is buffered and unread in the consumer
      // (one queue for all its partitions; a fetch response may overshoot it by up to
      // fetch.message.max.bytes).
      {"queued.min.messages", "10000"},
      {"queued.max.messages.kbytes", "4096"},
      // Bounds how long a fetch waits at the broker for new records. A subscriber sees a new
      // record within this even on brokers (like the dev broker) that do not answer a waiting
      // fetch early. A reader only reads what exists, and a fetch still waiting when its Read
      // ends would delay the next Read's first fetch by this much.
      {"fetch.wait.max.ms", reader ? "10" : "100"},
      // Projections trust the record CRCs instead of recomputing each event's hash: check them.
      {"check.crcs", "true"},
      {"socket.nagle.disable", "true"},
      {"reconnect.backoff.ms", "100"},
      {"reconnect.backoff.max.ms", "2000"},
  };
  absl::StatusOr<ConfPtr> conf = NewConf(config, reader ? "-reader" : "-subscriber", defaults);
  if (!conf.ok()) return conf.status();

  std::unique_ptr<KafkaConsumer> consumer(new KafkaConsumer());
  consumer->brokers_ = config.bootstrap_servers;
  char error[512];
  consumer->rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), error, sizeof(error));
  if (consumer->rk_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot create a Kafka consumer: ", error));
  }
  (void)conf->release();  // rd_kafka_new took ownership
  // Errors and messages then all arrive on the one consumer queue.
  rd_kafka_poll_set_consumer(consumer->rk_);
  consumer->queue_ = rd_kafka_queue_get_consumer(consumer->rk_);
  return consumer;
}

KafkaConsumer::~KafkaConsumer() {
  if (queue_ != nullptr) rd_kafka_queue_destroy(queue_);
  // Nothing to leave or commit, so skip the consumer close handshake.
  if (rk_ != nullptr) rd_kafka_destroy_flags(rk_, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

absl::Status KafkaConsumer::Assign(const std::vector<StartPosition>& starts,
                                   absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(starts.size()));
  positions_.clear();
  for (const StartPosition& start : starts) {
    if (!known_topics_.contains(start.topic)) {
      // librdkafka 2.0.2 looks up the metadata of a newly assigned topic only on its next
      // one-second timer tick; asking now saves that second on the first read.
      rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_, start.topic.c_str(), nullptr);
      const rd_kafka_metadata_t* metadata = nullptr;
      if (rkt != nullptr &&
          rd_kafka_metadata(rk_, 0, rkt, &metadata, TimeoutMs(deadline - absl::Now())) ==
              RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_metadata_destroy(metadata);
        known_topics_.insert(start.topic);
      }
      // On failure the assignment still goes ahead: librdkafka keeps retrying the lookup.
      if (rkt != nullptr) rd_kafka_topic_destroy(rkt);
    }
    rd_kafka_topic_partition_list_add(list, start.topic.c_str(), start.partition)->offset =
        start.offset;
    positions_.push_back({start.topic, start.partition, start.offset});
  }
  const rd_kafka_resp_err_t err = rd_kafka_assign(rk_, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    positions_.clear();
    return KafkaStatus(err, "assign partitions", brokers_);
  }
  return absl::OkStatus();
}

absl::Status KafkaConsumer::Unassign() {
  positions_.clear();
  const rd_kafka_resp_err_t err = rd_kafka_assign(rk_, nullptr);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaStatus(err, "unassign", brokers_);
  return absl::OkStatus();
}

std::vector<MessagePtr> KafkaConsumer::PollBatch(size_t max_events, absl::Duration timeout) {
  std::vector<MessagePtr> events;
  if (max_events == 0) return events;
  rd_kafka_message_t* first = rd_kafka_consumer_poll(rk_, TimeoutMs(timeout));
  if (first == nullptr) return events;
  events.emplace_back(first);
  if (max_events == 1) return events;
  // Bounded so a huge `max_events` never means a huge array; callers loop for more.
  constexpr size_t kMaxBatch = 4096;
  std::vector<rd_kafka_message_t*> more(std::min(max_events, kMaxBatch) - 1);
  const ssize_t taken = rd_kafka_consume_batch_queue(queue_, 0, more.data(), more.size());
  for (ssize_t i = 0; i < taken; ++i) events.emplace_back(more[static_cast<size_t>(i)]);
  return events;
}

KafkaConsumer::Position* KafkaConsumer::PositionOf(const rd_kafka_message_t* message) {
  if (message->rkt == nullptr) return nullptr;
  const absl::string_view topic = rd_kafka_topic_name(message->rkt);
  for (Position& position : positions_) {
    if (position.partition == message->partition && position.topic == topic) return &position;
  }
  return nullptr;
}

KafkaFollower::KafkaFollower(std::unique_ptr<KafkaConsumer> consumer, std::string brokers)
    : consumer_(std::move(consumer)), brokers_(std::move(brokers)) {}

absl::StatusOr<std::vector<Record>> KafkaFollower::Poll(size_t max_records,
                                                        absl::Duration timeout) {
  if (!error_.ok()) return error_;
  std::vector<Record> records;
  if (max_records == 0) return records;
  const absl::Time deadline = absl::Now() + timeout;
  do {
    const absl::Duration wait = records.empty() ? deadline - absl::Now() : absl::ZeroDuration();
    for (MessagePtr& message : consumer_->PollBatch(max_records - records.size(), wait)) {
      KafkaConsumer::Position* position = consumer_->PositionOf(message.get());
      if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (IsTransientConsumerError(message->err)) continue;  // librdkafka retries by itself
        std::string where = "subscription";
        if (position != nullptr) {
          absl::StrAppend(&where, " to ", position->topic, "[", position->partition, "] at offset ",
                          position->next_offset);
        }
        error_ = KafkaStatus(message->err, where, brokers_, rd_kafka_message_errstr(message.get()));
        if (records.empty()) return error_;
        return records;  // the error is reported by the next Poll
      }
      // Leftovers of the fetch state before the assignment are skipped.
      if (position == nullptr || message->offset < position->next_offset) continue;
      records.push_back(ToRecord(message.get()));
      position->next_offset = message->offset + 1;
    }
  } while (records.empty() && absl::Now() < deadline);
  return records;
}

}  // namespace jobledger::eventlog::internal
