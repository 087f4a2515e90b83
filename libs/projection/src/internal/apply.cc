// Record application with dead letters and offsets.
#include "internal/apply.h"

#include "jobledger/eventlog/envelope_codec.h"

namespace jobledger::projection::internal {
namespace {

// True when applied; otherwise a dead letter is recorded.
bool ApplyRecord(const Projection& projection, const eventlog::Record& record,
                 Transaction& transaction) {
  v1::DeadLetter dead_letter;
  auto event = eventlog::DecodeEvent(record);
  if (event.ok()) {
    transaction.SetSavePoint();
    const EventPosition position{record.topic, record.partition, record.offset, record.timestamp};
    const absl::Status applied = projection.Apply(*event, position, transaction);
    if (applied.ok()) return true;
    transaction.RollbackToSavePoint();
    dead_letter.set_event_id(event->envelope().event_id());
    dead_letter.set_event_type(event->envelope().type());
    dead_letter.set_reason(applied.ToString());
  } else {
    dead_letter.set_reason(event.status().ToString());
  }
  dead_letter.set_topic(record.topic);
  dead_letter.set_partition(record.partition);
  dead_letter.set_offset(record.offset);
  dead_letter.set_recorded_at_ms(absl::ToUnixMillis(record.timestamp));
  transaction.AddDeadLetter(dead_letter);
  return false;
}

}  // namespace

AppliedBatch ApplyRecords(const Projection& projection,
                          const std::vector<eventlog::Record>& records, Transaction& transaction) {
  AppliedBatch batch;
  for (const eventlog::Record& record : records) {
    if (!ApplyRecord(projection, record, transaction)) ++batch.dead_letters;
    batch.next_offsets[{record.topic, record.partition}] = record.offset + 1;
  }
  for (const auto& [partition, next_offset] : batch.next_offsets) {
    transaction.SetOffset(partition, next_offset);
  }
  return batch;
}

}  // namespace jobledger::projection::internal
