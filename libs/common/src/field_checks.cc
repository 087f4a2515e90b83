// Field checks shared by every service's validation.
#include "jobledger/common/field_checks.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/uuid.h"

namespace jobledger {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

std::string Field(absl::string_view parent, absl::string_view child) {
  return parent.empty() ? std::string(child) : absl::StrCat(parent, ".", child);
}

std::string Indexed(absl::string_view field, int index) {
  return absl::StrCat(field, "[", index, "]");
}

// Valid UTF-8 without control characters other than newline and tab.
bool IsCleanText(absl::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') return false;
    if (c == 0x7F) return false;
  }
  // Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points past U+10FFFF,
  // which protobuf refuses to parse back and would leave an unreadable event in the log.
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    unsigned char low = 0x80;  // bounds of the second byte
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    const unsigned char second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return false;
    for (size_t k = 2; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

absl::Status ValidateTimestamp(absl::string_view field, const google::protobuf::Timestamp& time) {
  // Between 1970 and 9999, with nanos in range.
  if (time.seconds() <= 0 ||
      time.seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds || time.nanos() < 0 ||
      time.nanos() > 999'999'999) {
    return Invalid(field, "not a valid time");
  }
  return absl::OkStatus();
}

absl::Status ValidateDate(absl::string_view field, const common::v1::LocalDate& date,
                          bool required) {
  if (!required && date.year() == 0 && date.month() == 0 && date.day() == 0) {
    return absl::OkStatus();
  }
  if (!LocalDateFromProto(date).ok()) return Invalid(field, "not a valid date");
  return absl::OkStatus();
}

bool IsBlank(absl::string_view text) {
  return text.find_first_not_of(" \t\r\n") == absl::string_view::npos;
}

absl::Status ValidateText(absl::string_view field, absl::string_view text, size_t max_length,
                          bool required) {
  if (required && IsBlank(text)) {
    return Invalid(field, "required");
  }
  if (text.size() > max_length) {
    return Invalid(field, absl::StrCat("at most ", max_length, " bytes"));
  }
  if (!IsCleanText(text)) return Invalid(field, "must be UTF-8 text without control characters");
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view field, absl::string_view value, bool required) {
  if (value.empty()) return required ? Invalid(field, "required") : absl::OkStatus();
  auto id = Uuid::Parse(value);
  if (!id.ok() || id->ToString() != value) {
    return Invalid(field, "must be a UUID in lower-case canonical form");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ValidatePageSize(int32_t requested, int default_size, int max_size) {
  if (requested == 0) return default_size;
  if (requested < 0 || requested > max_size) {
    return Invalid("page_size", absl::StrCat("between 1 and ", max_size));
  }
  return requested;
}

absl::Status ValidateMeta(const common::v1::CommandMeta& meta, bool key_required) {
  if (key_required && meta.idempotency_key().empty()) {
    return Invalid("meta.idempotency_key", "required");
  }
  if (meta.idempotency_key().size() > kMaxIdempotencyKeyLength ||
      !IsCleanText(meta.idempotency_key())) {
    return Invalid("meta.idempotency_key",
                   absl::StrCat("at most ", kMaxIdempotencyKeyLength, " bytes of text"));
  }
  if (meta.has_expected_version() && meta.expected_version() < 0) {
    return Invalid("meta.expected_version", "must not be negative");
  }
  if (meta.has_occurred_at()) return ValidateTimestamp("meta.occurred_at", meta.occurred_at());
  return absl::OkStatus();
}

}  // namespace jobledger
