// jobledger-scheduling: the scheduling service process. Wiring only; see scheduling_server.h.
#include "jobledger/server/log.h"
#include "jobledger/server/service_process.h"
#include "scheduling_server.h"

int main(int argc, char** argv) {
  using jobledger::server::Level;
  using jobledger::server::Log;
  jobledger::server::SetUpServiceProcess();
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7102";
  defaults.metrics_listen = "0.0.0.0:9102";
  jobledger::server::ServiceProcessFlags flags;
  std::string job_address = "127.0.0.1:7101";
  std::string planning_interval = "1h";
  jobledger::scheduling::SchedulingServerOptions options;
  options.server = jobledger::server::ParseServerConfigOrExit(
      argc, argv, "scheduling", defaults, [&](CLI::App& app) {
        flags.AddTo(app);
        app.add_option("--job-address", job_address,
                       "job service host:port, moved along by dispatch and asked for agreements' "
                       "jobs")
            ->envname("JOBLEDGER_JOB_ADDRESS")
            ->capture_default_str();
        app.add_option("--planning-interval", planning_interval,
                       "how often agreements' due visits are created (e.g. 1h, 10m)")
            ->envname("JOBLEDGER_PLANNING_INTERVAL")
            ->capture_default_str();
      });
  if (!absl::ParseDuration(planning_interval, &options.agreement_planning_interval) ||
      options.agreement_planning_interval < absl::Seconds(1)) {
    Log(Level::kError, "--planning-interval: a duration of at least 1s such as 1h");
    return 2;
  }
  auto process = jobledger::server::OpenServiceProcess(flags, options.server, "scheduling",
                                                       jobledger::eventlog::kSchedulingTopic);
  if (!process.ok()) {
    Log(Level::kError, process.status().message());
    return 2;
  }
  options.log = process->log.get();
  options.time_zone = process->time_zone;
  options.projection_cache_bytes = process->projection_cache_bytes;
  options.job_address = job_address;
  auto server = jobledger::scheduling::SchedulingServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
