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
  CLI11_PARSE(app, argc, argv);
  return 0;
}
