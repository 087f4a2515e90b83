// `jl up`: runs the whole system on one machine (five services on the embedded log).
// The service binaries do not exist yet, so for now it prints the plan and starts nothing.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"

namespace jobledger::cli {
namespace {

struct ServicePlan {
  std::string name;
  int grpc_port;
  int metrics_port;
};

// Fixed local ports so that example calls and dashboards can be written down once.
const std::vector<ServicePlan>& Services() {
  static const auto* services = new std::vector<ServicePlan>{
      {"job", 7101, 9101},          {"scheduling", 7102, 9102}, {"billing", 7103, 9103},
      {"notification", 7104, 9104}, {"reporting", 7105, 9105},
  };
  return *services;
}

void PrintPlan(const std::string& data_dir) {
  std::cout << "jobledger will run these services on the embedded log, data in " << data_dir
            << ":\n";
  for (const ServicePlan& service : Services()) {
    std::cout << "  " << service.name << ": gRPC 127.0.0.1:" << service.grpc_port
              << ", metrics http://127.0.0.1:" << service.metrics_port << "/metrics\n";
  }
  std::cout << "The service binaries are not part of this build yet: nothing was started.\n";
}

}  // namespace

void RegisterUpCommand(CLI::App& app) {
  auto data_dir = std::make_shared<std::string>("./data");
  CLI::App* command =
      app.add_subcommand("up", "Run all five services on the embedded log with demo data");
  command->add_option("--data-dir", *data_dir, "Directory holding the logs and projections")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command->callback([data_dir] { PrintPlan(*data_dir); });
}

}  // namespace jobledger::cli
