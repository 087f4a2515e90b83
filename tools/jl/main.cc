// `jl`: the one command-line entry point to jobledger (run, operate, inspect).
#include "CLI/CLI.hpp"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"jl: run, operate and inspect jobledger", "jl"};
  app.require_subcommand(1);
  jobledger::cli::RegisterVersionCommand(app);
  jobledger::cli::RegisterUpCommand(app);
  jobledger::cli::RegisterDownCommand(app);
  jobledger::cli::RegisterStatusCommand(app);
  jobledger::cli::RegisterLogsCommand(app);
  jobledger::cli::RegisterCallCommand(app);
  jobledger::cli::RegisterDevBrokerCommand(app);
  jobledger::cli::RegisterProjectionsCommand(app);
  jobledger::cli::RegisterTokenCommand(app);
  jobledger::cli::RegisterLoadgenCommand(app);
  jobledger::cli::RegisterReplayCommand(app);
  jobledger::cli::RegisterExportCommand(app);
  jobledger::cli::RegisterVerifyCommand(app);
  jobledger::cli::RegisterBenchCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help prints and succeeds; bad usage prints what is wrong and exits 2, as command-line
    // tools do (CLI11's own codes, 100 and up, read like a command's failure).
    return app.exit(error) == 0 ? 0 : 2;
  }
  return 0;
}
