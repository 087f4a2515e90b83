// `jl version`: prints the jobledger version this binary was built from.
#include <iostream>

#include "commands.h"

namespace jobledger::cli {

void RegisterVersionCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand("version", "Print the jobledger version");
  command->callback([] { std::cout << "jobledger " << JL_VERSION << "\n"; });
}

}  // namespace jobledger::cli
