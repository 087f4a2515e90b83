// UTF-8 as messages need it: well-formed only (no overlong forms, surrogates or values above
// U+10FFFF), with the byte offset of the first ill-formed sequence for error messages.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::notification {

// The offset of the first byte that does not start a well-formed sequence; npos when all is.
std::size_t FirstInvalidUtf8(absl::string_view text);

// The code points; INVALID_ARGUMENT "not UTF-8 at byte N" for ill-formed text.
absl::StatusOr<std::vector<char32_t>> DecodeUtf8(absl::string_view text);

}  // namespace jobledger::notification
