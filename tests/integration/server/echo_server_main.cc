// A service process built on the chassis, as a real service's main.cc is: the child of the
// shutdown and configuration tests.
#include <filesystem>
#include <string>

#include "echo_service.h"
#include "jobledger/server/config.h"
#include "jobledger/server/log.h"
#include "jobledger/server/server.h"

int main(int argc, char** argv) {
  using namespace jobledger::server;  // NOLINT: wiring only
  ShutdownSignals signals;            // before any thread starts
  std::string ready_file;
  ServerOptions options;
  options.config = ParseServerConfigOrExit(argc, argv, "echo", ServerFlags(), [&](CLI::App& app) {
    app.add_option("--ready-file", ready_file,
                   "Ready once this file exists (stands in for a "
                   "projection catching up)");
  });
  jobledger::testing::EchoServiceImpl echo;
  options.AddService<jobledger::testing::v1::EchoService>(&echo);
  options.method_roles = jobledger::testing::EchoMethodRoles();
  if (!ready_file.empty()) {
    options.AddReadinessCheck("ready_file", [&] { return std::filesystem::exists(ready_file); });
  }
  auto server = Server::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, "cannot start", {{"error", server.status().message()}});
    return 1;
  }
  (*server)->AddShutdownHook("echo", [] {
    Log(Level::kInfo, "echo hook ran");
    return absl::OkStatus();
  });
  return (*server)->Run(signals);
}
