// Fuzzes CSV escaping: any fields written as a row read back, with an independent RFC 4180
// reader, as the same fields byte for byte, and a field is quoted exactly when csv.h says.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fuzz_check.h"
#include "fuzzer/FuzzedDataProvider.h"
#include "jobledger/common/csv.h"

namespace {

// One RFC 4180 row that must end with CRLF and hold nothing after it; nullopt if malformed.
std::optional<std::vector<std::string>> ReadRow(absl::string_view text) {
  std::vector<std::string> fields;
  size_t i = 0;
  while (true) {
    std::string field;
    if (i < text.size() && text[i] == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return std::nullopt;  // unterminated quote
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            ++i;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i]);
      }
    } else {
      for (; i < text.size() && text[i] != ',' && text[i] != '\r'; ++i) {
        if (text[i] == '"' || text[i] == '\n') return std::nullopt;  // must have been quoted
        field.push_back(text[i]);
      }
    }
    fields.push_back(std::move(field));
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (text.substr(i) != "\r\n") return std::nullopt;
    return fields;
  }
}

// csv.h's rule, restated: quoted when it holds a comma, a quote, CR or LF, or starts or ends with a
// space.
bool MustBeQuoted(absl::string_view field) {
  if (field.empty()) return false;
  return field.front() == ' ' || field.back() == ' ' ||
         field.find_first_of(",\"\r\n") != absl::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  std::vector<std::string> fields(input.ConsumeIntegralInRange<size_t>(1, 8));
  for (std::string& field : fields) field = input.ConsumeRandomLengthString(256);

  for (const std::string& field : fields) {
    std::string out;
    jobledger::AppendCsvField(out, field);
    const bool quoted = out != field;
    JL_FUZZ_CHECK(quoted == MustBeQuoted(field));
    if (quoted) JL_FUZZ_CHECK(out.size() >= 2 && out.front() == '"' && out.back() == '"');
  }
  std::string row;
  jobledger::AppendCsvRow(row, fields);
  const std::optional<std::vector<std::string>> read = ReadRow(row);
  JL_FUZZ_CHECK(read.has_value());
  JL_FUZZ_CHECK(*read == fields);
  return 0;
}
