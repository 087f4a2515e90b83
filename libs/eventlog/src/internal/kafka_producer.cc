// The idempotent producer of the Kafka backend: configuration, produce, delivery reports.
#include "internal/kafka_producer.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jobledger::eventlog::internal {

namespace {
// Set on each producer's poll thread, which runs the delivery callbacks.
thread_local bool on_delivery_thread = false;
}  // namespace

DeliveryTracker::DeliveryTracker(size_t records, std::function<void()> on_done)
    : slots_(records), on_done_(std::move(on_done)) {
  for (Slot& slot : slots_) slot.tracker = this;
}

void* DeliveryTracker::Expect(size_t index) {
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  return &slots_[index];
}

void DeliveryTracker::Cancel() { Release(); }

void DeliveryTracker::Finish() { Release(); }

void DeliveryTracker::Release() {
  // acq_rel: the slot written before each release is visible to whoever makes the last one.
  if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    // Moved out first: on_done may destroy the tracker, and with it on_done_.
    std::function<void()> on_done = std::move(on_done_);
    on_done();
  }
}

void DeliveryTracker::OnDelivery(const rd_kafka_message_t* message) {
  auto* slot = static_cast<Slot*>(message->_private);
  if (slot == nullptr) return;
  slot->offset = message->offset;
  slot->err = message->err;
  slot->tracker->Release();
}

absl::StatusOr<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(
    const KafkaClientConfig& config) {
  const Properties defaults = {
      // Durability: the delivery report comes after all in-sync replicas have the record, and
      // retries can neither duplicate nor reorder records.
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"message.timeout.ms", absl::StrCat(TimeoutMs(config.delivery_timeout))},
      // Latency vs throughput: a lone command waits at most 2 ms for company, while under load
      // the batch fills long before that (up to 10k records / 1 MB per partition request), so
      // concurrent appends share one produce request: Kafka's group commit.
      {"linger.ms", "2"},
      {"batch.num.messages", "10000"},
      {"batch.size", "1000000"},
      // lz4: events are kept forever and every record repeats the CloudEvents header names and
      // the event type, which lz4 shrinks severalfold on disk and on the wire at a CPU cost well
      // below that of serialising the events (it is the cheapest codec to decompress on replay).
      {"compression.type", "lz4"},
      // Room for many concurrent appenders; beyond it producing blocks (backpressure).
      {"queue.buffering.max.messages", "1000000"},
      // Batching is done by linger.ms; Nagle would only add latency.
      {"socket.nagle.disable", "true"},
      // Come back quickly after a broker restart (the default backs off up to 10 s).
      {"reconnect.backoff.ms", "100"},
      {"reconnect.backoff.max.ms", "2000"},
  };
  absl::StatusOr<ConfPtr> conf = NewConf(config, "", defaults);
  if (!conf.ok()) return conf.status();

  char value[64];
  size_t value_size = sizeof(value);
  size_t max_message_bytes = 1'000'000;
  if (rd_kafka_conf_get(conf->get(), "message.max.bytes", value, &value_size) == RD_KAFKA_CONF_OK) {
    if (!absl::SimpleAtoi(value, &max_message_bytes)) max_message_bytes = 1'000'000;
  }

  std::unique_ptr<KafkaProducer> producer(new KafkaProducer());
  producer->max_message_bytes_ = max_message_bytes;
  producer->flush_timeout_ = config.delivery_timeout;
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &KafkaProducer::OnDeliveryReport);
  rd_kafka_conf_set_error_cb(conf->get(), &KafkaProducer::OnError);
  rd_kafka_conf_set_opaque(conf->get(), producer.get());

  char error[512];
  producer->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), error, sizeof(error));
  if (producer->rk_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot create a Kafka producer: ", error));
  }
  (void)conf->release();  // rd_kafka_new took ownership
  producer->poller_ = std::thread([p = producer.get()] { p->PollLoop(); });
  return producer;
}

KafkaProducer::~KafkaProducer() {
  if (rk_ == nullptr) return;
  stopping_.store(true);
  rd_kafka_yield(rk_);
  poller_.join();
  // Serves the reports of what is still in flight (their callbacks run here). Every record
  // times out within the delivery timeout, so the flush ends; the purge is the safety net that
  // still gives each remaining record its (failed) report.
  if (rd_kafka_flush(rk_, TimeoutMs(flush_timeout_ + absl::Seconds(5))) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (rd_kafka_outq_len(rk_) > 0 && absl::Now() < deadline) rd_kafka_poll(rk_, 100);
  }
  {
    absl::MutexLock lock(&topics_mu_);
    for (auto& [name, topic] : topics_) rd_kafka_topic_destroy(topic);
    topics_.clear();
  }
  rd_kafka_destroy(rk_);
}

bool KafkaProducer::OnDeliveryThread() { return on_delivery_thread; }

void KafkaProducer::PollLoop() {
  on_delivery_thread = true;
  while (!stopping_.load(std::memory_order_relaxed)) rd_kafka_poll(rk_, 200);
}

rd_kafka_topic_t* KafkaProducer::Topic(absl::string_view topic) {
  {
    absl::ReaderMutexLock lock(&topics_mu_);
    if (auto it = topics_.find(topic); it != topics_.end()) return it->second;
  }
  absl::MutexLock lock(&topics_mu_);
  auto [it, inserted] = topics_.try_emplace(topic, nullptr);
  if (inserted) it->second = rd_kafka_topic_new(rk_, it->first.c_str(), nullptr);
  return it->second;
}

rd_kafka_resp_err_t KafkaProducer::Produce(absl::string_view topic, int32_t partition,
                                           const Record& record, void* opaque) {
  rd_kafka_topic_t* rkt = Topic(topic);
  if (rkt == nullptr) return rd_kafka_last_error();
  rd_kafka_headers_t* headers = nullptr;
  if (!record.headers.empty()) {
    headers = rd_kafka_headers_new(record.headers.size());
    for (const Header& header : record.headers) {
      rd_kafka_header_add(headers, header.key.data(), static_cast<ssize_t>(header.key.size()),
                          header.value.data(), static_cast<ssize_t>(header.value.size()));
    }
  }
  // No copy flag: the Append keeps the records alive until every report has arrived.
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      rk_, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_BLOCK),
      RD_KAFKA_V_VALUE(const_cast<char*>(record.value.data()), record.value.size()),
      RD_KAFKA_V_KEY(record.key.empty() ? nullptr : record.key.data(), record.key.size()),
      RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && headers != nullptr) {
    rd_kafka_headers_destroy(headers);  // ownership passes only on success
  }
  return err;
}

bool KafkaProducer::HasFatalError() const {
  return rd_kafka_fatal_error(rk_, nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR;
}

std::string KafkaProducer::FatalError() const {
  char reason[512] = {0};
  const rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk_, reason, sizeof(reason));
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return "";
  return absl::StrCat(rd_kafka_err2name(err), ": ", reason);
}

std::string KafkaProducer::RecentError(absl::Duration max_age) const {
  absl::MutexLock lock(&error_mu_);
  if (absl::Now() - recent_error_time_ > max_age) return "";
  return recent_error_;
}

void KafkaProducer::OnDeliveryReport(rd_kafka_t* /*rk*/, const rd_kafka_message_t* message,
                                     void* /*opaque*/) {
  DeliveryTracker::OnDelivery(message);
}

void KafkaProducer::OnError(rd_kafka_t* /*rk*/, int err, const char* reason, void* opaque) {
  auto* producer = static_cast<KafkaProducer*>(opaque);
  absl::MutexLock lock(&producer->error_mu_);
  producer->recent_error_ =
      absl::StrCat(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)), ": ", reason);
  producer->recent_error_time_ = absl::Now();
}

}  // namespace jobledger::eventlog::internal
