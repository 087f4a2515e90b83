// CSV as RFC 4180 writes it: fields separated by commas, rows ended by CRLF, and a field quoted
// (with its quotes doubled) only when it holds a comma, a quote, a CR or LF, or starts or ends
// with a space (which some readers would trim). Text is passed through as UTF-8.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace jobledger {

void AppendCsvField(std::string& out, absl::string_view field);

// The fields, comma-separated, and CRLF.
void AppendCsvRow(std::string& out, absl::Span<const std::string> fields);

}  // namespace jobledger
