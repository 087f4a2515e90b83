// `jl export`: events as CSV (RFC 4180) or JSON Lines, to stdout or a file.
#include <cstdlib>
#include <memory>
#include <string>

#include "analyst_flags.h"
#include "commands.h"
#include "event_output.h"

namespace jobledger::cli {
namespace {

struct ExportFlags {
  SelectionFlags selection;
  std::string format = "csv";
  std::string output = "-";
};

}  // namespace

void RegisterExportCommand(CLI::App& app) {
  auto flags = std::make_shared<ExportFlags>();
  CLI::App* command = app.add_subcommand(
      "export", "Export events as CSV (one row per event, the payload as JSON) or JSON Lines");
  AddSelectionFlags(*command, flags->selection);
  command->add_option("--format", flags->format, "csv, or jsonl (what `jl replay` prints)")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
  command->add_option("-o,--output", flags->output, "File to write; - is stdout")
      ->capture_default_str();
  command->footer(
      "CSV columns: topic, partition, offset, event_id, type, tenant, aggregate_type, "
      "aggregate_id, sequence, occurred_at, actor_id, actor_role, payload_json (RFC 4180: CRLF "
      "row ends, a field quoted only when it needs to be).\n"
      "Exit status: 0 when every record was written, 1 on an error or when some records were "
      "not valid events (each is named on stderr).");
  command->callback([flags] {
    const EventFormat format =
        flags->format == "jsonl" ? EventFormat::kJsonLines : EventFormat::kCsv;
    const int code = WriteSelectedEvents(flags->selection, format, flags->output, "jl export");
    if (code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
