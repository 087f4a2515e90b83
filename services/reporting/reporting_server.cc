// Wiring of the reporting service.
#include "reporting_server.h"

#include <filesystem>

#include "board_snapshots.h"
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
  std::unique_ptr<BoardSnapshots> snapshots;
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
  const projection::RunnerOptions runner_options = projection::ServiceRunnerOptions(
      p.options.server.data_dir, p.options.log, metrics.get(), p.options.projection_cache_bytes);
  auto runner = projection::ProjectionRunner::Start(p.projection, runner_options);
  if (!runner.ok()) return runner.status();
  p.runner = *std::move(runner);
  const projection::ProjectionRunner* r = p.runner.get();
  BoardSnapshotOptions snapshot_options;
  snapshot_options.projection = &p.projection;
  snapshot_options.log = p.options.log;
  snapshot_options.directory =
      (std::filesystem::path(p.options.server.data_dir) / "board-snapshots").string();
  snapshot_options.block_cache = runner_options.block_cache;  // one memory budget for all stores
  snapshot_options.limits = p.options.board_snapshots;
  auto snapshots = BoardSnapshots::Open(std::move(snapshot_options));
  if (!snapshots.ok()) return snapshots.status();
  p.snapshots = *std::move(snapshots);
  DispatchViewsOptions views_options;
  views_options.projection = r;
  views_options.zone = p.options.time_zone;
  views_options.clock = p.options.clock;
  views_options.snapshots = p.snapshots.get();
  p.views = std::make_unique<DispatchViews>(views_options);
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
