// Each `jl` subcommand registers itself on the root app through one function here.
#pragma once

#include "CLI/CLI.hpp"

namespace jobledger::cli {

void RegisterVersionCommand(CLI::App& app);
void RegisterUpCommand(CLI::App& app);
void RegisterDownCommand(CLI::App& app);
void RegisterStatusCommand(CLI::App& app);
void RegisterLogsCommand(CLI::App& app);
void RegisterCallCommand(CLI::App& app);
void RegisterDevBrokerCommand(CLI::App& app);
void RegisterProjectionsCommand(CLI::App& app);
void RegisterTokenCommand(CLI::App& app);
void RegisterLoadgenCommand(CLI::App& app);
void RegisterReplayCommand(CLI::App& app);
void RegisterExportCommand(CLI::App& app);
void RegisterVerifyCommand(CLI::App& app);
void RegisterBenchCommand(CLI::App& app);

}  // namespace jobledger::cli
