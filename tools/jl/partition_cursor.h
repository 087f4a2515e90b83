// Reads one partition of a topic in offset order, in batches, up to a fixed end offset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::cli {

class PartitionCursor {
 public:
  // Reads [from_offset, end_offset): the end is fixed when the command starts, so a run ends,
  // and its progress total is known, while services keep appending.
  PartitionCursor(eventlog::EventLog& log, std::string topic, int32_t partition,
                  int64_t from_offset, int64_t end_offset);

  // The next record, or nullptr at the end. It stays valid until the next call.
  absl::StatusOr<const eventlog::Record*> Next();

  const std::string& topic() const { return topic_; }
  int32_t partition() const { return partition_; }
  // Records this cursor will read in all.
  int64_t planned() const { return end_offset_ > from_offset_ ? end_offset_ - from_offset_ : 0; }

 private:
  static constexpr size_t kBatchSize = 512;

  eventlog::EventLog& log_;
  const std::string topic_;
  const int32_t partition_;
  const int64_t from_offset_;
  const int64_t end_offset_;
  int64_t next_offset_;
  std::vector<eventlog::Record> batch_;
  size_t index_ = 0;
  bool exhausted_ = false;
};

}  // namespace jobledger::cli
