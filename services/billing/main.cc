// jobledger-billing: the billing service process. Wiring only; see billing_server.h.
#include "billing_server.h"
#include "jobledger/server/log.h"
#include "jobledger/server/service_process.h"

int main(int argc, char** argv) {
  using jobledger::server::Level;
  using jobledger::server::Log;
  jobledger::server::SetUpServiceProcess();
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7103";
  defaults.metrics_listen = "0.0.0.0:9103";
  jobledger::server::ServiceProcessFlags flags;
  std::string job_address = "127.0.0.1:7101";
  std::string business_name;
  jobledger::billing::BillingServerOptions options;
  options.server = jobledger::server::ParseServerConfigOrExit(
      argc, argv, "billing", defaults, [&](CLI::App& app) {
        flags.AddTo(app);
        app.add_option("--job-address", job_address,
                       "job service host:port, asked to create the jobs of converted estimates")
            ->envname("JOBLEDGER_JOB_ADDRESS")
            ->capture_default_str();
        app.add_option("--business-name", business_name, "the trading name on invoice PDFs")
            ->envname("JOBLEDGER_BUSINESS_NAME");
      });
  auto process = jobledger::server::OpenServiceProcess(flags, options.server, "billing",
                                                       jobledger::eventlog::kBillingTopic);
  if (!process.ok()) {
    Log(Level::kError, process.status().message());
    return 2;
  }
  options.log = process->log.get();
  options.time_zone = process->time_zone;
  options.projection_cache_bytes = process->projection_cache_bytes;
  options.job_address = job_address;
  options.business_name = business_name;
  auto server = jobledger::billing::BillingServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
