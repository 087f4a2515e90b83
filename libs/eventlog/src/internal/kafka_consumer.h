// A Kafka consumer handle reading explicitly assigned partitions (no group, no commits), and
// the subscriptions built on it.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "internal/kafka_client.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::eventlog::internal {

struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

class KafkaConsumer {
 public:
  enum class Role {
    // Short reads up to a known end: reports partition EOF so a reader can tell "no more".
    kReader,
    // A long-lived follower of partitions.
    kSubscriber,
  };

  // One assigned partition and the offset of the next record it expects.
  struct Position {
    std::string topic;
    int32_t partition = 0;
    int64_t next_offset = 0;
  };

  static absl::StatusOr<std::unique_ptr<KafkaConsumer>> Create(const KafkaClientConfig& config,
                                                               Role role);
  ~KafkaConsumer();

  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  // Starts fetching each partition at its offset, replacing any previous assignment. The first
  // assignment of a topic loads its metadata first, waiting up to `timeout`.
  absl::Status Assign(const std::vector<StartPosition>& starts, absl::Duration timeout);
  absl::Status Unassign();

  // Up to `max_events` messages or error events: waits up to `timeout` for the first, then takes
  // only what is already fetched. Empty when nothing arrived in time.
  std::vector<MessagePtr> PollBatch(size_t max_events, absl::Duration timeout);

  // The position of the partition `message` comes from, or nullptr if that partition is not
  // assigned (a leftover of an earlier assignment).
  Position* PositionOf(const rd_kafka_message_t* message);
  const std::vector<Position>& positions() const { return positions_; }

 private:
  KafkaConsumer() = default;

  rd_kafka_t* rk_ = nullptr;
  rd_kafka_queue_t* queue_ = nullptr;
  std::string brokers_;
  // Topics whose metadata this handle has loaded.
  absl::flat_hash_set<std::string> known_topics_;
  std::vector<Position> positions_;
};

// Follows assigned partitions through one consumer: the Kafka Subscription and
// MultiSubscription. Records come in offset order per partition and say where they are from.
class KafkaFollower {
 public:
  KafkaFollower(std::unique_ptr<KafkaConsumer> consumer, std::string brokers);

  absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout);
  const std::vector<KafkaConsumer::Position>& positions() const { return consumer_->positions(); }

 private:
  const std::unique_ptr<KafkaConsumer> consumer_;
  const std::string brokers_;
  // A permanent error (offset out of range, topic gone) stops librdkafka's fetcher for the
  // partition, so it is reported by every later Poll.
  absl::Status error_;
};

}  // namespace jobledger::eventlog::internal
