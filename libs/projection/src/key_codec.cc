// Order-preserving composite key encoding.
#include "jobledger/projection/key_codec.h"

#include "absl/status/status.h"

namespace jobledger::projection {
namespace {

// String parts: 0x00 → 0x00 0xFF, terminated by 0x00 0x01. The terminator sorts below every
// escaped or ordinary byte, so "ab" < "ab\0" < "abc" holds in encoded form too.
constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xff';
constexpr char kTerminator = '\x01';
constexpr uint64_t kSignBit = uint64_t{1} << 63;

void AppendBigEndian(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

absl::StatusOr<uint64_t> ReadBigEndian(absl::string_view& rest) {
  if (rest.size() < 8) return absl::InvalidArgumentError("key ends inside a number");
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = value << 8 | static_cast<uint8_t>(rest[i]);
  rest.remove_prefix(8);
  return value;
}

}  // namespace

KeyBuilder& KeyBuilder::String(absl::string_view value) {
  for (char c : value) {
    key_.push_back(c);
    if (c == kEscape) key_.push_back(kEscapedZero);
  }
  key_.push_back(kEscape);
  key_.push_back(kTerminator);
  return *this;
}

KeyBuilder& KeyBuilder::Int64(int64_t value) {
  AppendBigEndian(key_, static_cast<uint64_t>(value) ^ kSignBit);
  return *this;
}

KeyBuilder& KeyBuilder::Int64Descending(int64_t value) {
  AppendBigEndian(key_, ~(static_cast<uint64_t>(value) ^ kSignBit));
  return *this;
}

KeyBuilder& KeyBuilder::Time(absl::Time value) { return Int64(absl::ToUnixMicros(value)); }

KeyBuilder& KeyBuilder::TimeDescending(absl::Time value) {
  return Int64Descending(absl::ToUnixMicros(value));
}

KeyBuilder& KeyBuilder::Raw(absl::string_view encoded) {
  key_.append(encoded.data(), encoded.size());
  return *this;
}

absl::StatusOr<std::string> KeyReader::String() {
  std::string value;
  for (size_t i = 0; i + 1 < rest_.size(); ++i) {
    if (rest_[i] != kEscape) {
      value.push_back(rest_[i]);
      continue;
    }
    if (rest_[i + 1] == kTerminator) {
      rest_.remove_prefix(i + 2);
      return value;
    }
    if (rest_[i + 1] != kEscapedZero) break;
    value.push_back(kEscape);
    ++i;
  }
  return absl::InvalidArgumentError("key has no well-formed string part here");
}

absl::StatusOr<int64_t> KeyReader::Int64() {
  auto raw = ReadBigEndian(rest_);
  if (!raw.ok()) return raw.status();
  return static_cast<int64_t>(*raw ^ kSignBit);
}

absl::StatusOr<int64_t> KeyReader::Int64Descending() {
  auto raw = ReadBigEndian(rest_);
  if (!raw.ok()) return raw.status();
  return static_cast<int64_t>(~*raw ^ kSignBit);
}

absl::StatusOr<absl::Time> KeyReader::Time() {
  auto micros = Int64();
  if (!micros.ok()) return micros.status();
  return absl::FromUnixMicros(*micros);
}

absl::StatusOr<absl::Time> KeyReader::TimeDescending() {
  auto micros = Int64Descending();
  if (!micros.ok()) return micros.status();
  return absl::FromUnixMicros(*micros);
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<uint8_t>(end.back()) != 0xff) {
      end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace jobledger::projection
