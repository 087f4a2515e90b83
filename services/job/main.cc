// jobledger-job: the job service process. Wiring only; see job_server.h.
#include "job_server.h"
#include "jobledger/server/log.h"
#include "jobledger/server/service_process.h"

int main(int argc, char** argv) {
  using jobledger::server::Level;
  using jobledger::server::Log;
  jobledger::server::SetUpServiceProcess();
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7101";
  defaults.metrics_listen = "0.0.0.0:9101";
  jobledger::server::ServiceProcessFlags flags;
  std::string billing_address;
  jobledger::job::JobServerOptions options;
  options.server =
      jobledger::server::ParseServerConfigOrExit(argc, argv, "job", defaults, [&](CLI::App& app) {
        flags.AddTo(app);
        app.add_option("--billing-address", billing_address,
                       "billing service host:port, asked before reopening a job")
            ->envname("JOBLEDGER_BILLING_ADDRESS");
      });
  auto process = jobledger::server::OpenServiceProcess(flags, options.server, "job",
                                                       jobledger::eventlog::kJobTopic);
  if (!process.ok()) {
    Log(Level::kError, process.status().message());
    return 2;
  }
  options.log = process->log.get();
  options.time_zone = process->time_zone;
  options.projection_cache_bytes = process->projection_cache_bytes;
  options.billing_address = billing_address;
  auto server = jobledger::job::JobServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
