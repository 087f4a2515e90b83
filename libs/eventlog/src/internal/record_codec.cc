// Record keys and values of the embedded log.
#include "internal/record_codec.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::eventlog::internal {
namespace {

void PutBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
}

}  // namespace

std::string RecordKey(int32_t partition, int64_t offset) {
  std::string key;
  key.reserve(13);
  key.push_back('r');
  PutBigEndian(key, static_cast<uint32_t>(partition), 4);
  PutBigEndian(key, static_cast<uint64_t>(offset), 8);
  return key;
}

std::string PartitionEnd(int32_t partition) {
  std::string key;
  key.push_back('r');
  PutBigEndian(key, static_cast<uint32_t>(partition) + 1, 4);
  return key;
}

int64_t OffsetOfKey(absl::string_view key, int32_t partition) {
  const std::string prefix = RecordKey(partition, 0).substr(0, 5);
  if (key.size() != 13 || key.substr(0, 5) != prefix) return -1;
  uint64_t offset = 0;
  for (size_t i = 5; i < 13; ++i) offset = offset << 8 | static_cast<uint8_t>(key[i]);
  return static_cast<int64_t>(offset);
}

std::string EncodeStoredRecord(const Record& record, absl::Time appended_at) {
  events::v1::StoredRecord stored;
  stored.set_key(record.key);
  stored.set_value(record.value);
  for (const Header& header : record.headers) {
    events::v1::Header* out = stored.add_headers();
    out->set_key(header.key);
    out->set_value(header.value);
  }
  stored.set_timestamp_ms(absl::ToUnixMillis(appended_at));
  return stored.SerializeAsString();
}

absl::StatusOr<Record> DecodeStoredRecord(absl::string_view bytes, int64_t offset) {
  events::v1::StoredRecord stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("stored record at offset ", offset, " is corrupt"));
  }
  Record record;
  record.key = std::move(*stored.mutable_key());
  record.value = std::move(*stored.mutable_value());
  record.headers.reserve(stored.headers_size());
  for (events::v1::Header& header : *stored.mutable_headers()) {
    record.headers.push_back({std::move(*header.mutable_key()), std::move(*header.mutable_value())});
  }
  record.offset = offset;
  record.timestamp = absl::FromUnixMillis(stored.timestamp_ms());
  return record;
}

}  // namespace jobledger::eventlog::internal
