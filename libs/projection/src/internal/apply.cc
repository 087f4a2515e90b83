// Record application with dead letters and offsets.
#include "internal/apply.h"

#include "jobledger/eventlog/envelope_codec.h"

namespace jobledger::projection::internal {
namespace {

// A projection trusts the log's integrity checks (RocksDB's CRCs, Kafka's record CRCs) instead of
// recomputing every event's SHA-256: that check only repeats what the CRCs catch, while tampering
// (with a recomputed ce_hash) is found by verifying the chain (`jl verify`, the history API).
constexpr eventlog::DecodeOptions kDecodeOptions{.verify_hash = false};

}  // namespace

RecordApplier::Outcome RecordApplier::ApplyOne(const Projection& projection,
                                               const eventlog::Record& record,
                                               Transaction& transaction,
                                               absl::Status& retry_later) {
  v1::DeadLetter dead_letter;
  const absl::Status decoded = eventlog::DecodeEventInto(record, event_, kDecodeOptions);
  if (decoded.ok()) {
    transaction.SetSavePoint();
    position_.topic.assign(record.topic);
    position_.partition = record.partition;
    position_.offset = record.offset;
    position_.appended_at = record.timestamp;
    const absl::Status applied = projection.Apply(event_, position_, transaction);
    if (applied.ok()) return Outcome::kApplied;
    transaction.RollbackToSavePoint();
    if (absl::IsUnavailable(applied)) {
      retry_later = applied;
      return Outcome::kRetryLater;
    }
    dead_letter.set_event_id(event_.envelope().event_id());
    dead_letter.set_event_type(event_.envelope().type());
    dead_letter.set_reason(applied.ToString());
  } else {
    dead_letter.set_reason(decoded.ToString());
  }
  dead_letter.set_topic(record.topic);
  dead_letter.set_partition(record.partition);
  dead_letter.set_offset(record.offset);
  dead_letter.set_recorded_at_ms(absl::ToUnixMillis(record.timestamp));
  transaction.AddDeadLetter(dead_letter);
  return Outcome::kDeadLetter;
}

AppliedBatch RecordApplier::Apply(const Projection& projection,
                                  const std::vector<eventlog::Record>& records,
                                  Transaction& transaction) {
  AppliedBatch batch;
  int64_t* next_offset = nullptr;  // of the partition of the record before
  const eventlog::Record* previous = nullptr;
  for (const eventlog::Record& record : records) {
    const Outcome outcome = ApplyOne(projection, record, transaction, batch.retry_later);
    if (outcome == Outcome::kRetryLater) break;
    if (outcome == Outcome::kDeadLetter) ++batch.dead_letters;
    // Records come in runs of one partition: look the partition up only when it changes.
    if (previous == nullptr || record.partition != previous->partition ||
        record.topic != previous->topic) {
      next_offset = &batch.next_offsets[{record.topic, record.partition}];
    }
    *next_offset = record.offset + 1;
    previous = &record;
  }
  for (const auto& [partition, offset] : batch.next_offsets) {
    transaction.SetOffset(partition, offset);
  }
  return batch;
}

AppliedBatch ApplyRecords(const Projection& projection,
                          const std::vector<eventlog::Record>& records, Transaction& transaction) {
  return RecordApplier().Apply(projection, records, transaction);
}

}  // namespace jobledger::projection::internal
