// How the embedded log lays out records in RocksDB: keys and stored values.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/eventlog/record.h"

namespace jobledger::eventlog::internal {

// 'r' + partition (u32 big-endian) + offset (u64 big-endian): records of a partition are
// contiguous and in offset order.
std::string RecordKey(int32_t partition, int64_t offset);
// The key just past every record of `partition`.
std::string PartitionEnd(int32_t partition);
// The offset inside a record key; -1 if `key` is not a record key of `partition`.
int64_t OffsetOfKey(absl::string_view key, int32_t partition);

// Where the topic's partition count is kept.
inline constexpr absl::string_view kPartitionCountKey = "m/partitions";

std::string EncodeStoredRecord(const Record& record, absl::Time appended_at);
absl::StatusOr<Record> DecodeStoredRecord(absl::string_view bytes, int64_t offset);
// The same into an existing record (topic and partition untouched), reusing its strings' storage.
absl::Status DecodeStoredRecordInto(absl::string_view bytes, int64_t offset, Record& record);

}  // namespace jobledger::eventlog::internal
