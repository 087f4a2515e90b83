// The merge of many partitions by occurred_at.
#include "merged_event_reader.h"

#include <tuple>

#include "jobledger/common/status.h"
#include "jobledger/eventlog/envelope_codec.h"

namespace jobledger::cli {
namespace {

bool ComesBefore(const LocatedEvent& a, const LocatedEvent& b) {
  const google::protobuf::Timestamp& a_time = a.event.envelope().occurred_at();
  const google::protobuf::Timestamp& b_time = b.event.envelope().occurred_at();
  return std::forward_as_tuple(a_time.seconds(), a_time.nanos(), a.topic, a.partition) <
         std::forward_as_tuple(b_time.seconds(), b_time.nanos(), b.topic, b.partition);
}

}  // namespace

MergedEventReader::MergedEventReader(std::vector<PartitionCursor> cursors, EventFilter filter,
                                     PayloadDecoder& decoder, BadRecordHandler on_bad_record,
                                     ProgressHandler on_progress)
    : filter_(std::move(filter)),
      decoder_(decoder),
      on_bad_record_(std::move(on_bad_record)),
      on_progress_(std::move(on_progress)) {
  sources_.reserve(cursors.size());
  for (PartitionCursor& cursor : cursors) {
    records_planned_ += cursor.planned();
    sources_.emplace_back(std::move(cursor));
  }
}

absl::Status MergedEventReader::Refill(Source& source) {
  source.has_head = false;
  source.needs_refill = false;
  // Checking hashes is `jl verify`'s job: here a record only has to decode, so that even a
  // damaged log can be read.
  const eventlog::DecodeOptions options{.verify_hash = false};
  while (true) {
    JL_ASSIGN_OR_RETURN(const eventlog::Record* record, source.cursor.Next());
    if (record == nullptr) return absl::OkStatus();
    ++records_read_;
    if (on_progress_) on_progress_(records_read_, records_planned_);
    const absl::Status decoded = eventlog::DecodeEventInto(*record, source.head.event, options);
    if (!decoded.ok()) {
      on_bad_record_(*record, decoded);
      continue;
    }
    if (!filter_.Matches(source.head.event, decoder_)) continue;
    source.head.topic = source.cursor.topic();
    source.head.partition = source.cursor.partition();
    source.head.offset = record->offset;
    source.has_head = true;
    return absl::OkStatus();
  }
}

absl::StatusOr<const LocatedEvent*> MergedEventReader::Next() {
  Source* first = nullptr;
  for (Source& source : sources_) {
    if (source.needs_refill) JL_RETURN_IF_ERROR(Refill(source));
    if (source.has_head && (first == nullptr || ComesBefore(source.head, first->head))) {
      first = &source;
    }
  }
  if (first == nullptr) return nullptr;
  first->needs_refill = true;
  return &first->head;
}

}  // namespace jobledger::cli
