// Field checks every service's request validation shares: INVALID_ARGUMENT naming the offending
// field ("window.start: not a valid time"), before anything is loaded or written. Pure.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger {

inline constexpr size_t kMaxIdempotencyKeyLength = 128;

// INVALID_ARGUMENT "field: problem".
absl::Status Invalid(absl::string_view field, absl::string_view problem);
// "parent.child" (just "child" without a parent) and "field[index]".
std::string Field(absl::string_view parent, absl::string_view child);
std::string Indexed(absl::string_view field, int index);

// Well-formed UTF-8 without control characters other than newline, tab and carriage return.
bool IsCleanText(absl::string_view text);
// Empty or only whitespace.
bool IsBlank(absl::string_view text);
absl::Status ValidateText(absl::string_view field, absl::string_view text, size_t max_length,
                          bool required);
// A time between 1970 and 9999 with nanos in range.
absl::Status ValidateTimestamp(absl::string_view field, const google::protobuf::Timestamp& time);
// A real calendar date; unset (all zero) passes unless required.
absl::Status ValidateDate(absl::string_view field, const common::v1::LocalDate& date,
                          bool required);
// A canonical UUID; `required` refuses an empty value.
absl::Status ValidateId(absl::string_view field, absl::string_view value, bool required);
// A page size: 0 means `default_size`; otherwise 1..max_size (INVALID_ARGUMENT naming page_size).
absl::StatusOr<int> ValidatePageSize(int32_t requested, int default_size, int max_size);
absl::Status ValidateMeta(const common::v1::CommandMeta& meta, bool key_required = false);

}  // namespace jobledger
