// jobledger-reporting: the reporting service process. Wiring only; see reporting_server.h.
#include "jobledger/server/log.h"
#include "jobledger/server/service_process.h"
#include "reporting_server.h"

int main(int argc, char** argv) {
  using jobledger::server::Level;
  using jobledger::server::Log;
  jobledger::server::SetUpServiceProcess();
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7105";
  defaults.metrics_listen = "0.0.0.0:9105";
  jobledger::server::ServiceProcessFlags flags;
  jobledger::reporting::ReportingServerOptions options;
  jobledger::reporting::BoardSnapshotLimits& past_boards = options.board_snapshots;
  options.server = jobledger::server::ParseServerConfigOrExit(
      argc, argv, "reporting", defaults, [&](CLI::App& app) {
        flags.AddTo(app);
        app.add_option("--as-of-max-events", past_boards.max_events,
                       "events a past dispatch board (as_of) may replay at most")
            ->envname("JOBLEDGER_AS_OF_MAX_EVENTS")
            ->capture_default_str();
        app.add_option("--as-of-builds", past_boards.concurrent_builds,
                       "past dispatch boards built at once at most")
            ->envname("JOBLEDGER_AS_OF_BUILDS")
            ->capture_default_str();
      });
  // Reporting owns no topic: it only reads the four services' logs.
  auto process = jobledger::server::OpenServiceProcess(flags, options.server, "reporting", "");
  if (!process.ok()) {
    Log(Level::kError, process.status().message());
    return 2;
  }
  options.log = process->log.get();
  options.time_zone = process->time_zone;
  options.projection_cache_bytes = process->projection_cache_bytes;
  auto server = jobledger::reporting::ReportingServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
