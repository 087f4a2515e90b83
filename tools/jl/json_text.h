// JSON text built by appending to a string: what the analyst commands print for every event, so it
// avoids building a JSON document per event.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace jobledger::cli {

// `text` as a quoted JSON string: quotes, backslashes and control characters escaped, valid UTF-8
// passed through, and each byte that is not part of valid UTF-8 replaced by U+FFFD, so the output
// is always valid JSON whatever a record holds.
void AppendJsonString(std::string& out, absl::string_view text);

}  // namespace jobledger::cli
