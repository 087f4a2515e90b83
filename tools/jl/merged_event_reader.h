// The selected events of many partitions (of one or more topics) as one stream ordered by
// occurred_at: what `jl replay` and `jl export` print.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "event_filter.h"
#include "jobledger/eventlog/record.h"
#include "located_event.h"
#include "partition_cursor.h"
#include "payload_decoder.h"

namespace jobledger::cli {

// A record that is not a valid event: it is reported and skipped, never silently.
using BadRecordHandler = std::function<void(const eventlog::Record&, const absl::Status&)>;
// Told after every record read: records read so far (selected or not) and in all.
using ProgressHandler = std::function<void(int64_t read, int64_t planned)>;

// A k-way merge: each partition is read in log order and the partitions are interleaved by the
// occurred_at of their next event, ties broken by topic and partition. Memory stays one batch per
// partition however long the log. Within a partition the log order is kept even where a device
// clock put occurred_at out of order, so one aggregate's events always come in sequence order.
class MergedEventReader {
 public:
  MergedEventReader(std::vector<PartitionCursor> cursors, EventFilter filter,
                    PayloadDecoder& decoder, BadRecordHandler on_bad_record,
                    ProgressHandler on_progress = nullptr);

  // The next selected event, or nullptr at the end; valid until the next call.
  absl::StatusOr<const LocatedEvent*> Next();

  // Records read so far (selected or not) and records to read in all.
  int64_t records_read() const { return records_read_; }
  int64_t records_planned() const { return records_planned_; }

 private:
  struct Source {
    explicit Source(PartitionCursor partition_cursor) : cursor(std::move(partition_cursor)) {}
    PartitionCursor cursor;
    LocatedEvent head;
    bool has_head = false;
    bool needs_refill = true;
  };

  // Moves `source` to its next selected event, if any.
  absl::Status Refill(Source& source);

  std::vector<Source> sources_;
  EventFilter filter_;
  PayloadDecoder& decoder_;
  BadRecordHandler on_bad_record_;
  ProgressHandler on_progress_;
  int64_t records_read_ = 0;
  int64_t records_planned_ = 0;
};

}  // namespace jobledger::cli
