// CSV rows written to a stream.
#include "csv_writer.h"

#include "jobledger/common/csv.h"

namespace jobledger::cli {

void CsvWriter::WriteRow(absl::Span<const std::string> fields) {
  row_.clear();
  AppendCsvRow(row_, fields);
  std::fwrite(row_.data(), 1, row_.size(), out_);
}

}  // namespace jobledger::cli
