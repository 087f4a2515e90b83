// Record keys and values of the embedded log.
#include "internal/record_codec.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace jobledger::eventlog::internal {
namespace {

void PutBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
}

// The number of header fields, found by skipping over the top-level fields, so the header
// vector is allocated once.
size_t CountHeaders(absl::string_view bytes) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  size_t count = 0;
  while (const uint32_t tag = input.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == 3) ++count;
    if (!WireFormatLite::SkipField(&input, tag)) break;  // the real decode reports the damage
  }
  return count;
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
  if (key.size() != 13 || key[0] != 'r') return -1;
  uint64_t stored_partition = 0;
  for (size_t i = 1; i < 5; ++i)
    stored_partition = stored_partition << 8 | static_cast<uint8_t>(key[i]);
  if (stored_partition != static_cast<uint32_t>(partition)) return -1;
  uint64_t offset = 0;
  for (size_t i = 5; i < 13; ++i) offset = offset << 8 | static_cast<uint8_t>(key[i]);
  return static_cast<int64_t>(offset);
}

std::string EncodeStoredRecord(const Record& record, absl::Time appended_at) {
  // Writes the StoredRecord wire format directly (the same bytes the generated message would
  // produce, field by field in number order): one buffer, no intermediate message.
  using google::protobuf::internal::WireFormatLite;
  using google::protobuf::io::CodedOutputStream;
  size_t size = 0;
  const auto field_size = [](size_t length) {
    return 1 + CodedOutputStream::VarintSize32(static_cast<uint32_t>(length)) + length;
  };
  if (!record.key.empty()) size += field_size(record.key.size());
  if (!record.value.empty()) size += field_size(record.value.size());
  std::vector<size_t> header_sizes;
  header_sizes.reserve(record.headers.size());
  for (const Header& header : record.headers) {
    size_t header_size = 0;
    if (!header.key.empty()) header_size += field_size(header.key.size());
    if (!header.value.empty()) header_size += field_size(header.value.size());
    header_sizes.push_back(header_size);
    size += field_size(header_size);
  }
  const int64_t timestamp_ms = absl::ToUnixMillis(appended_at);
  if (timestamp_ms != 0) {
    size += 1 + CodedOutputStream::VarintSize64(static_cast<uint64_t>(timestamp_ms));
  }

  std::string bytes(size, '\0');
  uint8_t* out = reinterpret_cast<uint8_t*>(bytes.data());
  const auto write_bytes = [&out](int field, const std::string& value) {
    if (value.empty()) return;
    out = WireFormatLite::WriteBytesToArray(field, value, out);
  };
  write_bytes(1, record.key);
  write_bytes(2, record.value);
  for (size_t i = 0; i < record.headers.size(); ++i) {
    out = WireFormatLite::WriteTagToArray(3, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, out);
    out = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(header_sizes[i]), out);
    write_bytes(1, record.headers[i].key);
    write_bytes(2, record.headers[i].value);
  }
  if (timestamp_ms != 0) out = WireFormatLite::WriteInt64ToArray(4, timestamp_ms, out);
  return bytes;
}

absl::StatusOr<Record> DecodeStoredRecord(absl::string_view bytes, int64_t offset) {
  Record record;
  record.headers.reserve(CountHeaders(bytes));
  if (absl::Status status = DecodeStoredRecordInto(bytes, offset, record); !status.ok()) {
    return status;
  }
  return record;
}

absl::Status DecodeStoredRecordInto(absl::string_view bytes, int64_t offset, Record& record) {
  // Reads the StoredRecord wire format straight into the Record: replay speed depends on not
  // building a message of heap-allocated fields first, and on assigning into strings that already
  // have room (a reused Record allocates nothing).
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  record.offset = offset;
  record.key.clear();
  record.value.clear();
  size_t headers = 0;
  int64_t timestamp_ms = 0;
  const auto corrupt = [offset] {
    return absl::DataLossError(absl::StrCat("stored record at offset ", offset, " is corrupt"));
  };
  // A length-delimited field's bytes, assigned without going through a temporary.
  const auto read_bytes = [&](std::string& field) {
    uint32_t length = 0;
    if (!input.ReadVarint32(&length)) return false;
    const auto position = static_cast<size_t>(input.CurrentPosition());
    if (length > bytes.size() - position) return false;
    field.assign(bytes.data() + position, length);
    return input.Skip(static_cast<int>(length));
  };
  while (const uint32_t tag = input.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto type = WireFormatLite::GetTagWireType(tag);
    if (type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED && (field == 1 || field == 2)) {
      if (!read_bytes(field == 1 ? record.key : record.value)) return corrupt();
    } else if (type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED && field == 3) {
      uint32_t length = 0;
      if (!input.ReadVarint32(&length)) return corrupt();
      const auto limit = input.PushLimit(static_cast<int>(length));
      if (headers == record.headers.size()) record.headers.emplace_back();
      Header& header = record.headers[headers++];
      header.key.clear();
      header.value.clear();
      while (const uint32_t header_tag = input.ReadTag()) {
        const int header_field = WireFormatLite::GetTagFieldNumber(header_tag);
        if (WireFormatLite::GetTagWireType(header_tag) ==
                WireFormatLite::WIRETYPE_LENGTH_DELIMITED &&
            (header_field == 1 || header_field == 2)) {
          if (!read_bytes(header_field == 1 ? header.key : header.value)) return corrupt();
        } else if (!WireFormatLite::SkipField(&input, header_tag)) {
          return corrupt();
        }
      }
      if (!input.ConsumedEntireMessage()) return corrupt();
      input.PopLimit(limit);
    } else if (type == WireFormatLite::WIRETYPE_VARINT && field == 4) {
      uint64_t value = 0;
      if (!input.ReadVarint64(&value)) return corrupt();
      timestamp_ms = static_cast<int64_t>(value);
    } else if (!WireFormatLite::SkipField(&input, tag)) {
      return corrupt();
    }
  }
  if (!input.ConsumedEntireMessage() || input.CurrentPosition() != static_cast<int>(bytes.size())) {
    return corrupt();
  }
  record.headers.resize(headers);
  record.timestamp = absl::FromUnixMillis(timestamp_ms);
  return absl::OkStatus();
}

}  // namespace jobledger::eventlog::internal
