// A CSV writer that streams rows to a file (stdout, usually), quoted as RFC 4180 has it.
#pragma once

#include <cstdio>
#include <string>

#include "absl/types/span.h"

namespace jobledger::cli {

// Quoting comes from jobledger/common/csv.h, shared with the reporting service's exports: a field
// is quoted only when it holds a comma, a quote, CR or LF, or starts or ends with a space; rows
// end with CRLF; UTF-8 passes through untouched.
class CsvWriter {
 public:
  explicit CsvWriter(std::FILE* out) : out_(out) {}

  void WriteRow(absl::Span<const std::string> fields);
  // False once a write failed (e.g. a full disk); the rows after it are lost.
  bool ok() const { return std::ferror(out_) == 0; }

 private:
  std::FILE* out_;
  std::string row_;  // reused: one row's text, so a long export allocates almost nothing per row
};

}  // namespace jobledger::cli
