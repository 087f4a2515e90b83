// Applying log records to a projection inside one transaction: shared by the runner and the
// offline tools, so that both build byte-identical stores.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "jobledger/eventlog/record.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/store.h"

namespace jobledger::projection::internal {

struct AppliedBatch {
  std::map<TopicPartition, int64_t> next_offsets;  // per partition, after this batch
  int64_t dead_letters = 0;
  // Set when the projection answered UNAVAILABLE ("not now"): the records from that one on were
  // not applied, and the offsets cover only those before it.
  absl::Status retry_later;
};

// Applies `records` to `transaction` and sets the offsets they advance; an event that does not
// decode or that the projection refuses becomes a dead letter with the reason, its writes undone.
// UNAVAILABLE from the projection is no refusal but a transient failure: applying stops before
// that event, to be tried again.
AppliedBatch ApplyRecords(const Projection& projection,
                          const std::vector<eventlog::Record>& records, Transaction& transaction);

// ApplyRecords for a caller that applies batch after batch: the decoded event and its position
// are reused from record to record, so their strings are allocated once, not per event.
class RecordApplier {
 public:
  AppliedBatch Apply(const Projection& projection, const std::vector<eventlog::Record>& records,
                     Transaction& transaction);

 private:
  enum class Outcome { kApplied, kDeadLetter, kRetryLater };
  Outcome ApplyOne(const Projection& projection, const eventlog::Record& record,
                   Transaction& transaction, absl::Status& retry_later);

  events::v1::Event event_;
  EventPosition position_;
};

}  // namespace jobledger::projection::internal
