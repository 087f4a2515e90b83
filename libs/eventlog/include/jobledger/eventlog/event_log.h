// The log interface both backends implement: the embedded durable log and Kafka.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/record.h"

namespace jobledger::eventlog {

struct TopicSpec {
  std::string name;
  int32_t partitions = 0;
  friend bool operator==(const TopicSpec&, const TopicSpec&) = default;
};

// Offsets given to an appended batch: first_offset .. first_offset + count - 1, contiguous.
struct AppendResult {
  int64_t first_offset = 0;
  int64_t count = 0;
  int64_t last_offset() const { return first_offset + count - 1; }
};

// A reader positioned in one partition. Not thread-safe: one consumer thread per subscription.
class Subscription {
 public:
  virtual ~Subscription() = default;
  // Returns up to `max_records` records from the current position on, waiting up to `timeout` for
  // the first one to become durable. An empty result means none arrived in time. The caller pulls
  // at its own pace, so a slow consumer never makes the log buffer without bound (backpressure).
  virtual absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) = 0;
  // The offset the next Poll starts at.
  virtual int64_t position() const = 0;
};

// Where a reader of one partition starts: the first offset it will receive.
struct StartPosition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  friend bool operator==(const StartPosition&, const StartPosition&) = default;
};

// A reader of several partitions, of one or more topics, at once: what a projection consumes.
// Not thread-safe: one consumer thread per subscription.
class MultiSubscription {
 public:
  virtual ~MultiSubscription() = default;
  // Up to `max_records` records from any of its partitions, each partition's in offset order,
  // waiting up to `timeout` for the first. Records carry their topic and partition. The order
  // between different partitions is unspecified.
  virtual absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) = 0;
  // Poll into `records`, replacing what they held: backends that can decode into the records'
  // existing strings do, so a consumer polling in a loop allocates little per record.
  virtual absl::Status PollInto(size_t max_records, absl::Duration timeout,
                                std::vector<Record>& records);
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  virtual absl::StatusOr<std::vector<TopicSpec>> ListTopics() = 0;
  // NOT_FOUND for an unknown topic.
  virtual absl::StatusOr<int32_t> PartitionCount(absl::string_view topic) = 0;

  // Appends `records` to one partition, in order, as one unit, and returns once they are durable:
  // fsynced (embedded) or acknowledged by all in-sync replicas (Kafka). Thread-safe; concurrent
  // appends are committed together where the backend can (group commit).
  virtual absl::StatusOr<AppendResult> Append(absl::string_view topic, int32_t partition,
                                              std::vector<Record> records) = 0;

  using AppendCallback = std::function<void(absl::StatusOr<AppendResult>)>;
  // Append without blocking the caller: `done` runs exactly once, when the records are durable or
  // the append failed, possibly on the log's own thread (so it must be quick and never block; it
  // may start another append). This lets a server keep many commands in flight without a thread
  // per command. Backends without a native asynchronous path complete it on the calling thread.
  virtual void AppendAsync(absl::string_view topic, int32_t partition, std::vector<Record> records,
                           AppendCallback done) {
    done(Append(topic, partition, std::move(records)));
  }

  // Up to `max_records` durable records from `from_offset` on (fewer at the end of the log).
  virtual absl::StatusOr<std::vector<Record>> Read(absl::string_view topic, int32_t partition,
                                                   int64_t from_offset, size_t max_records) = 0;
  // Read into `records`, replacing what they held and reusing their storage where it can.
  virtual absl::Status ReadInto(absl::string_view topic, int32_t partition, int64_t from_offset,
                                size_t max_records, std::vector<Record>& records);

  // The offset the next appended record will get (records 0 .. hw-1 are readable).
  virtual absl::StatusOr<int64_t> HighWatermark(absl::string_view topic, int32_t partition) = 0;

  virtual absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(absl::string_view topic,
                                                                  int32_t partition,
                                                                  int64_t from_offset) = 0;

  // Reads many partitions through one subscription. The default polls one Subscribe per
  // partition in turn; backends override it to wait for whichever partition gets data first.
  virtual absl::StatusOr<std::unique_ptr<MultiSubscription>> SubscribeMany(
      std::vector<StartPosition> starts);
};

}  // namespace jobledger::eventlog
