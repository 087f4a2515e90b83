// `jl logs [NAME…] [-f] [-n N]`: the output of the processes `jl up` started (JSON log lines),
// through tail(1), which already follows files well.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "system_layout.h"
#include "system_state.h"

namespace jobledger::cli {
namespace {

struct LogsFlags {
  std::string data_dir = "./data";
  std::vector<std::string> names;
  bool follow = false;
  int lines = 50;
};

int RunLogs(const LogsFlags& flags) {
  const SystemLayout layout = LayoutFor(flags.data_dir);
  absl::StatusOr<SystemState> state = ReadSystemState(layout.state_file());
  if (!state.ok()) {
    std::cerr << "jl logs: " << state.status().message() << "\n";
    return EXIT_FAILURE;
  }
  std::vector<std::string> files;
  std::vector<std::string> known;
  for (const RunningProcess& process : state->processes) known.push_back(process.name);
  if (flags.names.empty()) {
    for (const RunningProcess& process : state->processes) files.push_back(process.output_file);
  }
  for (const std::string& name : flags.names) {
    const RunningProcess* process = state->Find(name);
    if (process == nullptr) {
      std::cerr << "jl logs: no process \"" << name << "\" (" << absl::StrJoin(known, ", ")
                << ")\n";
      return EXIT_FAILURE;
    }
    files.push_back(process->output_file);
  }
  std::vector<std::string> args = {"tail", absl::StrCat("--lines=", flags.lines)};
  if (flags.follow) args.push_back("--follow=name");
  args.insert(args.end(), files.begin(), files.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execvp("tail", argv.data());
  std::cerr << "jl logs: cannot run tail\n";
  return EXIT_FAILURE;
}

}  // namespace

void RegisterLogsCommand(CLI::App& app) {
  auto flags = std::make_shared<LogsFlags>();
  CLI::App* command = app.add_subcommand("logs", "Show the output of the services `jl up` started");
  command->add_option(
      "names", flags->names,
      "job, scheduling, billing, notification, reporting, smtp, sms (default: all)");
  command->add_option("--data-dir", flags->data_dir, "The directory `jl up` ran from")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command->add_flag("-f,--follow", flags->follow, "Keep printing as lines are written");
  command->add_option("-n,--lines", flags->lines, "Lines from the end of each")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->callback([flags] { std::exit(RunLogs(*flags)); });
}

}  // namespace jobledger::cli
