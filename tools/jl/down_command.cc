// `jl down`: stops what `jl up` started from a data directory: the services first (each drains its
// calls within its shutdown grace), then the local providers. The data stays.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "commands.h"
#include "system_layout.h"
#include "system_state.h"

namespace jobledger::cli {
namespace {

int RunDown(const std::string& data_dir, int grace_seconds) {
  const SystemLayout layout = LayoutFor(data_dir);
  absl::StatusOr<SystemState> state = ReadSystemState(layout.state_file());
  if (absl::IsNotFound(state.status())) {
    std::cout << "Nothing runs from " << layout.data_dir << ".\n";
    return EXIT_SUCCESS;
  }
  if (!state.ok()) {
    std::cerr << "jl down: " << state.status().message() << "\n";
    return EXIT_FAILURE;
  }
  int failures = 0;
  // The providers last: the notification service may be handing them a message as it stops.
  for (const bool services : {true, false}) {
    for (const RunningProcess& process : state->processes) {
      if (process.grpc_address.empty() == services) continue;
      if (!IsRunning(process.process)) continue;
      if (absl::Status s = Stop(process.process, absl::Seconds(grace_seconds)); !s.ok()) {
        std::cerr << "jl down: " << process.name << ": " << s.message() << "\n";
        ++failures;
        continue;
      }
      std::cout << "  " << process.name << ": stopped\n";
    }
  }
  if (failures > 0) return EXIT_FAILURE;
  std::remove(layout.state_file().c_str());
  std::cout << "jobledger stopped; the data stays in " << layout.data_dir << ".\n";
  return EXIT_SUCCESS;
}

}  // namespace

void RegisterDownCommand(CLI::App& app) {
  auto data_dir = std::make_shared<std::string>("./data");
  auto grace_seconds = std::make_shared<int>(30);
  CLI::App* command = app.add_subcommand("down", "Stop what `jl up` started (the data stays)");
  command->add_option("--data-dir", *data_dir, "The directory `jl up` ran from")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command
      ->add_option("--grace-seconds", *grace_seconds,
                   "How long each process may take to stop before it is killed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([data_dir, grace_seconds] {
    if (const int code = RunDown(*data_dir, *grace_seconds); code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
