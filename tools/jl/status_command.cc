// `jl status`: for each process `jl up` started: running or not, and for the services their
// readiness and the lag of each of their projections (events in the log not yet applied).
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "service_probe.h"
#include "system_layout.h"
#include "system_state.h"

namespace jobledger::cli {
namespace {

std::string Describe(Readiness readiness) {
  switch (readiness) {
    case Readiness::kServing:
      return "ready";
    case Readiness::kNotServing:
      return "catching up";
    case Readiness::kUnreachable:
      return "not answering";
  }
  return "unknown";
}

// Exit status 0 only when every process runs and every service is ready.
int RunStatus(const std::string& data_dir) {
  const SystemLayout layout = LayoutFor(data_dir);
  absl::StatusOr<SystemState> state = ReadSystemState(layout.state_file());
  if (!state.ok()) {
    std::cerr << "jl status: " << state.status().message() << " (start it with `jl up`)\n";
    return 3;
  }
  std::cout << "jobledger from " << layout.data_dir << " on "
            << (state->backend == "embedded" ? "the embedded log" : "Kafka " + state->backend)
            << ":\n";
  bool all_well = true;
  for (const RunningProcess& process : state->processes) {
    if (!IsRunning(process.process)) {
      all_well = false;
      std::cout << absl::StrFormat("  %-13s stopped (output: %s)\n", process.name,
                                   process.output_file);
      continue;
    }
    if (process.grpc_address.empty()) {
      std::cout << absl::StrFormat("  %-13s running, pid %d\n", process.name, process.process.pid);
      continue;
    }
    const Readiness readiness = ProbeReadiness(process.grpc_address, absl::Seconds(2));
    all_well = all_well && readiness == Readiness::kServing;
    std::string lag = "lag unknown";
    if (auto projections = ProbeProjectionLag(process.metrics_address, absl::Seconds(2));
        projections.ok()) {
      lag = "lag " + absl::StrJoin(*projections, ", ", [](std::string* out, const auto& entry) {
              absl::StrAppend(out, entry.first, " ", static_cast<int64_t>(entry.second));
            });
    }
    std::cout << absl::StrFormat("  %-13s %s, pid %d, gRPC %s, %s\n", process.name,
                                 Describe(readiness), process.process.pid, process.grpc_address,
                                 lag);
  }
  return all_well ? EXIT_SUCCESS : 1;
}

}  // namespace

void RegisterStatusCommand(CLI::App& app) {
  auto data_dir = std::make_shared<std::string>("./data");
  CLI::App* command =
      app.add_subcommand("status", "Each service `jl up` started: running, ready, projection lag");
  command->add_option("--data-dir", *data_dir, "The directory `jl up` ran from")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command->callback([data_dir] {
    if (const int code = RunStatus(*data_dir); code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
