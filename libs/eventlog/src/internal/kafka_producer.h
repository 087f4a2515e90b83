// The Kafka backend's idempotent producer and the delivery reports an Append waits for.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "internal/kafka_client.h"
#include "jobledger/eventlog/record.h"

namespace jobledger::eventlog::internal {

// Collects the delivery reports of one Append's records. The poll thread fills a slot per
// report; once every produced record has been reported and the producing thread has called
// Finish(), `on_done` runs (on whichever of those threads came last).
class DeliveryTracker {
 public:
  struct Slot {
    DeliveryTracker* tracker = nullptr;
    int64_t offset = -1;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  };

  // `on_done` may destroy the tracker.
  DeliveryTracker(size_t records, std::function<void()> on_done);
  DeliveryTracker(const DeliveryTracker&) = delete;
  DeliveryTracker& operator=(const DeliveryTracker&) = delete;

  // Announces that record `index` is about to be produced; the result is its message opaque.
  void* Expect(size_t index);
  // The produce call for an Expect()ed record failed, so no report will come for it.
  void Cancel();
  // Nothing more will be produced: `on_done` runs once the reports due have all arrived. A
  // tracker that produced nothing may instead be dropped without calling this.
  void Finish();

  const Slot& slot(size_t index) const { return slots_[index]; }
  size_t size() const { return slots_.size(); }

  // Delivery report callback (the poll thread).
  static void OnDelivery(const rd_kafka_message_t* message);

 private:
  void Release();

  std::vector<Slot> slots_;
  // Reports still due, plus one held by the producing thread until Finish().
  std::atomic<int64_t> outstanding_{1};
  std::function<void()> on_done_;
};

// One idempotent producer handle with a thread serving its delivery reports.
class KafkaProducer {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaProducer>> Create(const KafkaClientConfig& config);
  // Flushes what is still queued (bounded by the delivery timeout), then closes the handle.
  ~KafkaProducer();

  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  rd_kafka_t* handle() const { return rk_; }
  // The largest record (key + value + headers + per-record framing) the producer accepts.
  size_t max_message_bytes() const { return max_message_bytes_; }

  // Enqueues `record` for `partition` of `topic`; blocks while the local queue is full. The
  // record's bytes are referenced, not copied: they must live until its delivery report.
  rd_kafka_resp_err_t Produce(absl::string_view topic, int32_t partition, const Record& record,
                              void* opaque);

  // An idempotent producer that hit a fatal error cannot produce again and must be replaced.
  bool HasFatalError() const;
  std::string FatalError() const;
  // The last error librdkafka reported for the client (e.g. a refused connection), or "".
  std::string RecentError(absl::Duration max_age) const;

  // Whether the calling thread is the thread of some producer that runs delivery callbacks:
  // such a thread must never block on producing, since it is what frees queue space.
  static bool OnDeliveryThread();

 private:
  KafkaProducer() = default;
  rd_kafka_topic_t* Topic(absl::string_view topic);
  void PollLoop();
  static void OnDeliveryReport(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque);

  rd_kafka_t* rk_ = nullptr;
  size_t max_message_bytes_ = 0;
  absl::Duration flush_timeout_;
  std::atomic<bool> stopping_{false};
  std::thread poller_;

  absl::Mutex topics_mu_;
  absl::flat_hash_map<std::string, rd_kafka_topic_t*> topics_ ABSL_GUARDED_BY(topics_mu_);

  mutable absl::Mutex error_mu_;
  std::string recent_error_ ABSL_GUARDED_BY(error_mu_);
  absl::Time recent_error_time_ ABSL_GUARDED_BY(error_mu_) = absl::InfinitePast();
};

}  // namespace jobledger::eventlog::internal
