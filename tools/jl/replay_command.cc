// `jl replay`: events as JSON Lines on stdout, one envelope and payload per line, for jq and
// DuckDB.
#include <cstdlib>
#include <memory>

#include "analyst_flags.h"
#include "commands.h"
#include "event_output.h"

namespace jobledger::cli {

void RegisterReplayCommand(CLI::App& app) {
  auto flags = std::make_shared<SelectionFlags>();
  CLI::App* command = app.add_subcommand(
      "replay",
      "Print events as JSON Lines ({topic, partition, offset, envelope, payload} per line), "
      "merged across partitions by occurred_at");
  AddSelectionFlags(*command, *flags);
  command->footer(
      "Exit status: 0 when every record was printed, 1 on an error or when some records were "
      "not valid events (each is named on stderr).");
  command->callback([flags] {
    const int code = WriteSelectedEvents(*flags, EventFormat::kJsonLines, "-", "jl replay");
    if (code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
