// Batched reading of one partition.
#include "partition_cursor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "jobledger/common/status.h"

namespace jobledger::cli {

PartitionCursor::PartitionCursor(eventlog::EventLog& log, std::string topic, int32_t partition,
                                 int64_t from_offset, int64_t end_offset)
    : log_(log),
      topic_(std::move(topic)),
      partition_(partition),
      from_offset_(from_offset),
      end_offset_(end_offset),
      next_offset_(from_offset) {}

absl::StatusOr<const eventlog::Record*> PartitionCursor::Next() {
  if (index_ == batch_.size()) {
    if (exhausted_ || next_offset_ >= end_offset_) return nullptr;
    const auto wanted = static_cast<size_t>(
        std::min<int64_t>(static_cast<int64_t>(kBatchSize), end_offset_ - next_offset_));
    JL_RETURN_IF_ERROR(Annotate(log_.ReadInto(topic_, partition_, next_offset_, wanted, batch_),
                                absl::StrCat("read ", topic_, " partition ", partition_)));
    index_ = 0;
    // Kafka may hold offsets without records (transaction markers) up to the end.
    if (batch_.empty()) {
      exhausted_ = true;
      return nullptr;
    }
  }
  const eventlog::Record& record = batch_[index_++];
  next_offset_ = record.offset + 1;
  return &record;
}

}  // namespace jobledger::cli
