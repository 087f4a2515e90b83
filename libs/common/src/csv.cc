// RFC 4180 CSV fields and rows.
#include "jobledger/common/csv.h"

namespace jobledger {
namespace {

bool NeedsQuotes(absl::string_view field) {
  if (field.empty()) return false;
  if (field.front() == ' ' || field.back() == ' ') return true;
  return field.find_first_of(",\"\r\n") != absl::string_view::npos;
}

}  // namespace

void AppendCsvField(std::string& out, absl::string_view field) {
  if (!NeedsQuotes(field)) {
    out.append(field.data(), field.size());
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendCsvRow(std::string& out, absl::Span<const std::string> fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendCsvField(out, fields[i]);
  }
  out.append("\r\n");
}

}  // namespace jobledger
