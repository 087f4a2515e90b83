// Wiring of the reporting service.
#include "reporting_server.h"

#include "dispatch_views.h"
#include "job_history.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/wait_for_topics.h"
#include "projections/reporting_projection.h"
#include "prometheus/registry.h"
#include "report_queries.h"
#include "reporting_service.h"

namespace jobledger::reporting {
namespace {

using auth::Role;

// Every read applies the visibility rule, so technicians may list and look into their own jobs;
// the money reports are for the office.
void AllowMethods(auth::MethodRoles& roles) {
  const std::string api = "/jobledger.reporting.v1.ReportingService/";
  const auth::RoleSet everyone = {Role::kDispatcher, Role::kManager, Role::kTechnician,
                                  Role::kBilling,    Role::kAnalyst, Role::kService};
  const auth::RoleSet office = {Role::kDispatcher, Role::kManager, Role::kBilling, Role::kAnalyst,
                                Role::kService};
  for (const char* method :
       {"ListJobs", "GetDispatchCounts", "ExportJobsCsv", "GetJobHistory", "GetJobAsOf"}) {
    roles.Allow(api + method, everyone);
  }
  for (const char* method : {"GetTimeAndMaterials", "GetProjectReport", "GetRevenue",
                             "GetUtilization", "ExportTimeAndMaterialsCsv"}) {
    roles.Allow(api + method, office);
  }
}

}  // namespace

struct ReportingServer::Parts {
  ReportingServerOptions options;
  ReportingProjection projection;
  std::unique_ptr<projection::ProjectionRunner> runner;
  std::unique_ptr<DispatchViews> views;
  std::unique_ptr<ReportQueries> reports;
  std::unique_ptr<JobHistoryReader> history;
  std::unique_ptr<ReportingService> service;
  std::unique_ptr<server::Server> server;

  explicit Parts(ReportingServerOptions reporting_options)
      : options(std::move(reporting_options)),
        projection(ReportingTopics{options.job_topic, options.scheduling_topic,
                                   options.billing_topic, options.notification_topic},
                   options.time_zone) {}
};

ReportingServer::ReportingServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

ReportingServer::~ReportingServer() { (void)Shutdown(); }

absl::StatusOr<std::unique_ptr<ReportingServer>> ReportingServer::Start(
    ReportingServerOptions options) {
  if (options.log == nullptr) {
    return absl::InvalidArgumentError("the reporting service needs a log");
  }
  if (options.server.data_dir.empty()) {
    return absl::InvalidArgumentError(
        "--data-dir: the reporting service keeps its projection there");
  }
  auto parts = std::make_unique<Parts>(std::move(options));
  Parts& p = *parts;
  if (absl::Status s =
          server::WaitForTopics(*p.options.log, p.projection.topics(), p.options.topic_wait);
      !s.ok()) {
    return s;
  }
  auto metrics = std::make_shared<prometheus::Registry>();
  auto runner = projection::ProjectionRunner::Start(
      p.projection,
      projection::ServiceRunnerOptions(p.options.server.data_dir, p.options.log, metrics.get(),
                                       p.options.projection_cache_bytes));
  if (!runner.ok()) return runner.status();
  p.runner = *std::move(runner);
  const projection::ProjectionRunner* r = p.runner.get();
  p.views = std::make_unique<DispatchViews>(
      DispatchViewsOptions{.projection = r, .zone = p.options.time_zone, .clock = p.options.clock});
  p.reports = std::make_unique<ReportQueries>(
      ReportQueriesOptions{.projection = r, .zone = p.options.time_zone, .clock = p.options.clock});
  p.history = std::make_unique<JobHistoryReader>(
      JobHistoryOptions{.projection = r, .log = p.options.log, .clock = p.options.clock});
  p.service = std::make_unique<ReportingService>(
      ReportingHandlers{p.views.get(), p.reports.get(), p.history.get()});

  server::ServerOptions server_options;
  server_options.config = p.options.server;
  server_options.metrics = metrics;
  server_options.AddService<v1::ReportingService>(p.service.get())
      .AddReadinessCheck("reporting projection", [r] { return r->caught_up(); });
  AllowMethods(server_options.method_roles);
  auto started = server::Server::Start(std::move(server_options));
  if (!started.ok()) return started.status();
  p.server = *std::move(started);
  p.server->AddShutdownHook("reporting projection", [r = p.runner.get()] { return r->Stop(); });
  return std::unique_ptr<ReportingServer>(new ReportingServer(std::move(parts)));
}

int ReportingServer::port() const { return parts_->server->port(); }

server::Server& ReportingServer::grpc_server() { return *parts_->server; }

const projection::ProjectionRunner& ReportingServer::projection() const { return *parts_->runner; }

int ReportingServer::Run(server::ShutdownSignals& signals) { return parts_->server->Run(signals); }

absl::Status ReportingServer::Shutdown() {
  if (parts_ == nullptr || parts_->server == nullptr) return absl::OkStatus();
  return parts_->server->Shutdown();
}

}  // namespace jobledger::reporting
