// The generic many-partition subscription, built from one-partition subscriptions.
#include "jobledger/eventlog/event_log.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/time/clock.h"

namespace jobledger::eventlog {
namespace {

// How long one partition is waited on before the next is looked at, when all are idle.
constexpr absl::Duration kIdleSlice = absl::Milliseconds(5);

class RoundRobinSubscription final : public MultiSubscription {
 public:
  RoundRobinSubscription(std::vector<StartPosition> starts,
                         std::vector<std::unique_ptr<Subscription>> parts)
      : starts_(std::move(starts)), parts_(std::move(parts)) {}

  absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) override {
    const absl::Time deadline = absl::Now() + timeout;
    std::vector<Record> records;
    while (true) {
      for (size_t i = 0; i < parts_.size() && records.size() < max_records; ++i) {
        const size_t index = (next_ + i) % parts_.size();
        auto batch = parts_[index]->Poll(max_records - records.size(), absl::ZeroDuration());
        if (!batch.ok()) return batch.status();
        for (Record& record : *batch) {
          record.topic = starts_[index].topic;
          record.partition = starts_[index].partition;
          records.push_back(std::move(record));
        }
      }
      next_ = (next_ + 1) % parts_.size();  // fairness: start the next round one further on
      const absl::Time now = absl::Now();
      if (!records.empty() || now >= deadline) return records;
      // Nothing anywhere: wait on one partition for a slice, then look at all again.
      auto batch = parts_[next_]->Poll(max_records, std::min(kIdleSlice, deadline - now));
      if (!batch.ok()) return batch.status();
      for (Record& record : *batch) {
        record.topic = starts_[next_].topic;
        record.partition = starts_[next_].partition;
        records.push_back(std::move(record));
      }
      if (!records.empty()) return records;
    }
  }

 private:
  const std::vector<StartPosition> starts_;
  std::vector<std::unique_ptr<Subscription>> parts_;
  size_t next_ = 0;
};

}  // namespace

absl::Status MultiSubscription::PollInto(size_t max_records, absl::Duration timeout,
                                         std::vector<Record>& records) {
  auto polled = Poll(max_records, timeout);
  if (!polled.ok()) return polled.status();
  records = std::move(*polled);
  return absl::OkStatus();
}

absl::Status EventLog::ReadInto(absl::string_view topic, int32_t partition, int64_t from_offset,
                                size_t max_records, std::vector<Record>& records) {
  auto read = Read(topic, partition, from_offset, max_records);
  if (!read.ok()) return read.status();
  records = std::move(*read);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<MultiSubscription>> EventLog::SubscribeMany(
    std::vector<StartPosition> starts) {
  if (starts.empty()) return absl::InvalidArgumentError("subscribe to at least one partition");
  std::vector<std::unique_ptr<Subscription>> parts;
  for (const StartPosition& start : starts) {
    auto part = Subscribe(start.topic, start.partition, start.offset);
    if (!part.ok()) return part.status();
    parts.push_back(std::move(*part));
  }
  return std::unique_ptr<MultiSubscription>(
      new RoundRobinSubscription(std::move(starts), std::move(parts)));
}

}  // namespace jobledger::eventlog
