#include "system_state.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace jobledger::cli {

const RunningProcess* SystemState::Find(const std::string& name) const {
  for (const RunningProcess& entry : processes) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

void SystemState::Put(RunningProcess process) {
  for (RunningProcess& entry : processes) {
    if (entry.name == process.name) {
      entry = std::move(process);
      return;
    }
  }
  processes.push_back(std::move(process));
}

absl::StatusOr<SystemState> ReadSystemState(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("nothing was started here: no ", path));
  std::stringstream contents;
  contents << in.rdbuf();
  const nlohmann::json json = nlohmann::json::parse(contents.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::DataLossError(absl::StrCat(path, " is not the JSON `jl up` writes"));
  }
  SystemState state;
  state.backend = json.value("backend", "");
  for (const nlohmann::json& entry : json.value("processes", nlohmann::json::array())) {
    RunningProcess process;
    process.name = entry.value("name", "");
    process.process.pid = entry.value("pid", 0);
    process.process.start_ticks = entry.value("start_ticks", uint64_t{0});
    process.grpc_address = entry.value("grpc", "");
    process.metrics_address = entry.value("metrics", "");
    process.output_file = entry.value("output", "");
    state.processes.push_back(std::move(process));
  }
  return state;
}

absl::Status WriteSystemState(const std::string& path, const SystemState& state) {
  nlohmann::json processes = nlohmann::json::array();
  for (const RunningProcess& process : state.processes) {
    processes.push_back({{"name", process.name},
                         {"pid", process.process.pid},
                         {"start_ticks", process.process.start_ticks},
                         {"grpc", process.grpc_address},
                         {"metrics", process.metrics_address},
                         {"output", process.output_file}});
  }
  const nlohmann::json json = {{"backend", state.backend}, {"processes", processes}};
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << json.dump(2) << "\n";
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace jobledger::cli
