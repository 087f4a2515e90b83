// Writing a selection of events as JSON Lines or CSV.
#include "event_output.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "csv_writer.h"
#include "event_csv.h"
#include "event_json.h"
#include "event_selection.h"

namespace jobledger::cli {
namespace {

absl::Status WriteFailed(std::FILE* out) {
  return std::ferror(out) == 0 ? absl::OkStatus() : absl::UnavailableError("write failed");
}

// The caller opens and closes `out`.
absl::StatusOr<SelectionSummary> WriteEvents(eventlog::EventLog& log,
                                             const SelectionOptions& selection, EventFormat format,
                                             std::FILE* out) {
  PayloadDecoder decoder;
  if (format == EventFormat::kJsonLines) {
    std::string line;
    return ForEachSelectedEvent(log, selection, decoder, [&](const LocatedEvent& event) {
      line = EventToJsonLine(event, decoder);
      line.push_back('\n');
      std::fwrite(line.data(), 1, line.size(), out);
      return WriteFailed(out);
    });
  }
  CsvWriter csv(out);
  csv.WriteRow(EventCsvHeader());
  return ForEachSelectedEvent(log, selection, decoder, [&](const LocatedEvent& event) {
    csv.WriteRow(EventToCsvFields(event, decoder));
    return csv.ok() ? absl::OkStatus() : absl::UnavailableError("write failed");
  });
}

}  // namespace

int WriteSelectedEvents(const SelectionFlags& flags, EventFormat format, const std::string& output,
                        const std::string& command) {
  auto log = OpenLogSource(ToLogSourceOptions(flags.source));
  if (!log.ok()) {
    std::cerr << command << ": " << log.status().message() << "\n";
    return EXIT_FAILURE;
  }
  const bool to_stdout = output == "-";
  std::FILE* out = to_stdout ? stdout : std::fopen(output.c_str(), "wb");
  if (out == nullptr) {
    std::cerr << command << ": cannot create " << output << "\n";
    return EXIT_FAILURE;
  }
  absl::StatusOr<SelectionSummary> summary =
      WriteEvents(**log, ToSelectionOptions(flags), format, out);
  const bool closed = to_stdout ? std::fflush(out) == 0 : std::fclose(out) == 0;
  if (!closed && summary.ok()) {
    summary = absl::UnavailableError(absl::StrCat("cannot write ", to_stdout ? "stdout" : output));
  }
  if (!summary.ok()) {
    std::cerr << command << ": " << summary.status().message() << "\n";
    return EXIT_FAILURE;
  }
  return summary->bad_records == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace jobledger::cli
