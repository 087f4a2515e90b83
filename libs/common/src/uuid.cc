// UUID parsing and formatting, and the UUIDv7 generator.
#include "jobledger/common/uuid.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace jobledger {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr uint16_t kCounterMax = 0x0fff;  // 12 bits of rand_a

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

absl::StatusOr<Uuid> Uuid::Parse(absl::string_view text) {
  if (text.size() != 36) {
    return absl::InvalidArgumentError(
        absl::StrCat("UUID must have 36 characters, got ", text.size()));
  }
  Bytes bytes{};
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') {
        return absl::InvalidArgumentError(absl::StrCat("UUID expects '-' at position ", i));
      }
      ++i;
      continue;
    }
    const int high = HexValue(text[i]);
    const int low = HexValue(text[i + 1]);
    if (high < 0 || low < 0 || IsDashPosition(i + 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("UUID has a non-hex character near position ", i));
    }
    bytes[out++] = static_cast<uint8_t>(high << 4 | low);
    i += 2;
  }
  return Uuid(bytes);
}

absl::StatusOr<Uuid> Uuid::FromBytes(absl::string_view raw) {
  if (raw.size() != 16) {
    return absl::InvalidArgumentError(absl::StrCat("UUID must be 16 bytes, got ", raw.size()));
  }
  Bytes bytes{};
  std::copy(raw.begin(), raw.end(), bytes.begin());
  return Uuid(bytes);
}

std::string Uuid::ToString() const {
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHexDigits[bytes_[i] >> 4]);
    out.push_back(kHexDigits[bytes_[i] & 0x0f]);
  }
  return out;
}

std::optional<absl::Time> Uuid::Timestamp() const {
  if (version() != 7) return std::nullopt;
  int64_t millis = 0;
  for (int i = 0; i < 6; ++i) millis = millis << 8 | bytes_[i];
  return absl::FromUnixMillis(millis);
}

UuidV7Generator::UuidV7Generator(const Clock& clock)
    : UuidV7Generator(clock, std::random_device{}() | uint64_t{std::random_device{}()} << 32) {}

UuidV7Generator::UuidV7Generator(const Clock& clock, uint64_t seed)
    : clock_(clock), random_(seed) {}

Uuid UuidV7Generator::NewId() {
  const int64_t now_millis = absl::ToUnixMillis(clock_.Now());
  absl::MutexLock lock(&mu_);
  if (now_millis > last_millis_) {
    last_millis_ = now_millis;
    // Start low in the counter range so that many ids fit in this millisecond.
    counter_ = static_cast<uint16_t>(random_() & 0x01ff);
  } else if (counter_ < kCounterMax) {
    ++counter_;  // same millisecond, or the clock stepped back: keep increasing
  } else {
    ++last_millis_;  // counter exhausted: borrow the next millisecond
    counter_ = 0;
  }
  const uint64_t rand_b = random_();

  Uuid::Bytes bytes{};
  const auto millis = static_cast<uint64_t>(last_millis_);
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(millis >> (40 - 8 * i));
  bytes[6] = static_cast<uint8_t>(0x70 | (counter_ >> 8));  // version 7
  bytes[7] = static_cast<uint8_t>(counter_ & 0xff);
  bytes[8] = static_cast<uint8_t>(0x80 | ((rand_b >> 56) & 0x3f));  // variant 10
  for (int i = 9; i < 16; ++i) bytes[i] = static_cast<uint8_t>(rand_b >> (8 * (15 - i)));
  return Uuid(bytes);
}

}  // namespace jobledger
