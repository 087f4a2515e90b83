// What `jl up` started, kept in <data-dir>/run/system.json so that `jl down`, `jl status`,
// `jl logs` and `jl call` find the same processes, addresses and log files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "process_control.h"

namespace jobledger::cli {

struct RunningProcess {
  std::string name;  // a service ("job", …) or a provider ("smtp", "sms")
  ProcessRef process;
  std::string grpc_address;     // services only
  std::string metrics_address;  // services only
  std::string output_file;
};

struct SystemState {
  std::string backend;  // "embedded" or the Kafka bootstrap servers
  std::vector<RunningProcess> processes;

  const RunningProcess* Find(const std::string& name) const;
  void Put(RunningProcess process);  // replaces the entry of the same name
};

// NOT_FOUND when the file does not exist (nothing was started from this data directory).
absl::StatusOr<SystemState> ReadSystemState(const std::string& path);
// Written to a temporary file and renamed, so a reader never sees half of it.
absl::Status WriteSystemState(const std::string& path, const SystemState& state);

}  // namespace jobledger::cli
