// Wiring of the billing service.
#include "billing_server.h"

#include <filesystem>

#include "billing_commands.h"
#include "billing_queries.h"
#include "billing_service.h"
#include "client/job_client.h"
#include "domain/billing_evolve.h"
#include "estimate_commands.h"
#include "invoice_commands.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/uuid.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/write_leases.h"
#include "jobledger/server/wait_for_topics.h"
#include "projections/billing_projection.h"
#include "projections/billing_tables.h"
#include "prometheus/registry.h"
#include "reactions.h"

namespace jobledger::billing {
namespace {

using auth::Role;

// Technicians have no billing access at all (so no billing read path can show them a job they
// may not see); dispatchers draft estimates and invoices and take payments in the field-service
// products users know, and analysts read.
void AllowMethods(auth::MethodRoles& roles) {
  const std::string api = "/jobledger.billing.v1.BillingService/";
  const auth::RoleSet finance = {Role::kBilling, Role::kManager, Role::kService};
  const auth::RoleSet office = {Role::kBilling, Role::kManager, Role::kDispatcher, Role::kService};
  const auth::RoleSet readers = {Role::kBilling, Role::kManager, Role::kDispatcher, Role::kAnalyst,
                                 Role::kService};
  for (const char* method : {"SetBillingSettings", "CreatePriceItem", "UpdatePriceItem",
                             "ChangePrice", "SetPriceItemActive", "VoidInvoice", "RecordRefund",
                             "CreateCreditNote", "DeferCommission", "ReleaseCommission"}) {
    roles.Allow(api + method, finance);
  }
  for (const char* method :
       {"DraftEstimate", "ReviseEstimate", "SendEstimate", "ApproveEstimate", "DeclineEstimate",
        "ConvertEstimate", "SetBillingSchedule", "CreateInvoice", "CreateProgressInvoice",
        "IssueInvoice", "RecordPayment"}) {
    roles.Allow(api + method, office);
  }
  for (const char* method :
       {"GetJobBillingStatus", "GetBillingSettings", "GetPriceItem", "ListPriceItems",
        "GetEstimate", "GetJobCost", "GetJobFinancials", "GetInvoice", "ListInvoices",
        "ListAwaitingBilling", "GetInvoicePdf", "GetCustomerStatement"}) {
    roles.Allow(api + method, readers);
  }
}

}  // namespace

struct BillingServer::Parts {
  BillingServerOptions options;
  UuidV7Generator ids;
  BillingProjection projection;
  std::unique_ptr<projection::ProjectionRunner> runner;
  std::unique_ptr<aggregate::RowStateSource<v1::SettingsRow, v1::BillingSettings>> settings_source;
  std::unique_ptr<aggregate::RowStateSource<v1::PriceItemRow, v1::PriceItem>> price_item_source;
  std::unique_ptr<aggregate::RowStateSource<v1::EstimateRow, v1::Estimate>> estimate_source;
  std::unique_ptr<aggregate::RowStateSource<v1::InvoiceRow, v1::Invoice>> invoice_source;
  std::unique_ptr<aggregate::RowStateSource<v1::JobBillingRow, v1::JobBilling>> job_billing_source;
  std::unique_ptr<SettingsWriter> settings;
  std::unique_ptr<PriceItemWriter> price_items;
  std::unique_ptr<EstimateWriter> estimates;
  std::unique_ptr<InvoiceWriter> invoices;
  std::unique_ptr<JobBillingWriter> job_billing;
  std::unique_ptr<projection::WriteLeases> leases;
  std::unique_ptr<job::GrpcJobs> grpc_jobs;
  std::unique_ptr<BillingCommands> billing_commands;
  std::unique_ptr<InvoiceCommands> invoice_commands;
  std::unique_ptr<EstimateCommands> estimate_commands;
  std::unique_ptr<BillingQueries> queries;
  std::unique_ptr<BillingReactions> reactions;
  std::unique_ptr<projection::ProjectionRunner> reactions_runner;
  std::unique_ptr<BillingService> service;
  std::unique_ptr<server::Server> server;

  explicit Parts(BillingServerOptions billing_options)
      : options(std::move(billing_options)), projection(options.billing_topic, options.job_topic) {}
};

BillingServer::BillingServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

BillingServer::~BillingServer() { (void)Shutdown(); }

absl::StatusOr<std::unique_ptr<BillingServer>> BillingServer::Start(BillingServerOptions options) {
  if (options.log == nullptr) return absl::InvalidArgumentError("the billing service needs a log");
  if (options.server.data_dir.empty()) {
    return absl::InvalidArgumentError("--data-dir: the billing service keeps its projection there");
  }
  auto parts = std::make_unique<Parts>(std::move(options));
  Parts& p = *parts;
  if (absl::Status s =
          server::WaitForTopics(*p.options.log, p.projection.topics(), p.options.topic_wait);
      !s.ok()) {
    return s;
  }
  job::JobsPort* jobs = p.options.jobs;
  if (jobs == nullptr) {
    if (p.options.job_address.empty()) {
      return absl::InvalidArgumentError(
          "--job-address: the billing service asks the job service to create estimates' jobs");
    }
    auto connected =
        job::GrpcJobs::Connect(p.options.server, p.options.job_address, absl::Seconds(5));
    if (!connected.ok()) return connected.status();
    p.grpc_jobs = *std::move(connected);
    jobs = p.grpc_jobs.get();
  }

  auto metrics = std::make_shared<prometheus::Registry>();
  const projection::RunnerOptions runner_options = projection::ServiceRunnerOptions(
      p.options.server.data_dir, p.options.log, metrics.get(), p.options.projection_cache_bytes);
  auto runner = projection::ProjectionRunner::Start(p.projection, runner_options);
  if (!runner.ok()) return runner.status();
  p.runner = *std::move(runner);

  const projection::ProjectionRunner* r = p.runner.get();
  p.settings_source =
      aggregate::MakeRowStateSource(r, SettingsTable(), PrimaryKey, &v1::SettingsRow::settings);
  p.price_item_source =
      aggregate::MakeRowStateSource(r, PriceItemTable(), PrimaryKey, &v1::PriceItemRow::item);
  p.estimate_source =
      aggregate::MakeRowStateSource(r, EstimateTable(), PrimaryKey, &v1::EstimateRow::estimate);
  p.invoice_source =
      aggregate::MakeRowStateSource(r, InvoiceTable(), PrimaryKey, &v1::InvoiceRow::invoice);
  p.job_billing_source =
      aggregate::MakeRowStateSource(r, JobBillingTable(), PrimaryKey, &v1::JobBillingRow::billing);

  aggregate::WriterOptions writer_options;
  writer_options.log = p.options.log;
  writer_options.topic = p.options.billing_topic;
  writer_options.source = "/jobledger/billing";
  writer_options.ids = &p.ids;
  absl::Status made = aggregate::CreateWriter(p.settings, writer_options, kSettingsAggregate,
                                              p.settings_source.get(), EvolveSettings);
  if (made.ok()) {
    made = aggregate::CreateWriter(p.price_items, writer_options, kPriceItemAggregate,
                                   p.price_item_source.get(), EvolvePriceItem);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.estimates, writer_options, kEstimateAggregate,
                                   p.estimate_source.get(), EvolveEstimate);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.invoices, writer_options, kInvoiceAggregate,
                                   p.invoice_source.get(), EvolveInvoice);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.job_billing, writer_options, kJobBillingAggregate,
                                   p.job_billing_source.get(), EvolveJobBilling);
  }
  if (!made.ok()) return made;
  p.leases = std::make_unique<projection::WriteLeases>(r);

  BillingCommandsOptions billing_options;
  billing_options.settings = p.settings.get();
  billing_options.price_items = p.price_items.get();
  billing_options.job_billing = p.job_billing.get();
  billing_options.projection = r;
  billing_options.leases = p.leases.get();
  billing_options.log = p.options.log;
  billing_options.job_topic = p.options.job_topic;
  billing_options.ids = &p.ids;
  p.billing_commands = std::make_unique<BillingCommands>(billing_options);

  InvoiceCommandsOptions invoice_options;
  invoice_options.invoices = p.invoices.get();
  invoice_options.job_billing = p.job_billing.get();
  invoice_options.billing = p.billing_commands.get();
  invoice_options.projection = r;
  invoice_options.leases = p.leases.get();
  invoice_options.log = p.options.log;
  invoice_options.billing_topic = p.options.billing_topic;
  invoice_options.job_topic = p.options.job_topic;
  invoice_options.ids = &p.ids;
  invoice_options.zone = p.options.time_zone;
  p.invoice_commands = std::make_unique<InvoiceCommands>(invoice_options);

  EstimateCommandsOptions estimate_options;
  estimate_options.estimates = p.estimates.get();
  estimate_options.settings = p.settings.get();
  estimate_options.projection = r;
  estimate_options.log = p.options.log;
  estimate_options.billing_topic = p.options.billing_topic;
  estimate_options.job_topic = p.options.job_topic;
  estimate_options.jobs = jobs;
  estimate_options.ids = &p.ids;
  p.estimate_commands = std::make_unique<EstimateCommands>(estimate_options);

  BillingQueriesOptions query_options;
  query_options.projection = r;
  query_options.log = p.options.log;
  query_options.job_topic = p.options.job_topic;
  query_options.billing_topic = p.options.billing_topic;
  query_options.zone = p.options.time_zone;
  query_options.business_name = p.options.business_name;
  p.queries = std::make_unique<BillingQueries>(query_options);

  ReactionsOptions reaction_options;
  reaction_options.job_topic = p.options.job_topic;
  reaction_options.commands = p.billing_commands.get();
  reaction_options.projection = r;
  p.reactions = std::make_unique<BillingReactions>(reaction_options);
  projection::RunnerOptions reactions_runner_options = runner_options;
  reactions_runner_options.directory =
      (std::filesystem::path(p.options.server.data_dir) / "reactions").string();
  auto reactions_runner =
      projection::ProjectionRunner::Start(*p.reactions, reactions_runner_options);
  if (!reactions_runner.ok()) return reactions_runner.status();
  p.reactions_runner = *std::move(reactions_runner);

  p.service = std::make_unique<BillingService>(
      BillingHandlers{p.billing_commands.get(), p.invoice_commands.get(), p.estimate_commands.get(),
                      p.queries.get()});

  server::ServerOptions server_options;
  server_options.config = p.options.server;
  server_options.metrics = metrics;
  server_options.AddService<v1::BillingService>(p.service.get())
      .AddReadinessCheck("billing projection", [r] { return r->caught_up(); });
  AllowMethods(server_options.method_roles);
  auto started = server::Server::Start(std::move(server_options));
  if (!started.ok()) return started.status();
  p.server = *std::move(started);
  p.server->AddShutdownHook("billing reactions", [&p] { return p.reactions_runner->Stop(); });
  p.server->AddShutdownHook("billing projection", [r = p.runner.get()] { return r->Stop(); });
  return std::unique_ptr<BillingServer>(new BillingServer(std::move(parts)));
}

int BillingServer::port() const { return parts_->server->port(); }

server::Server& BillingServer::grpc_server() { return *parts_->server; }

int BillingServer::Run(server::ShutdownSignals& signals) { return parts_->server->Run(signals); }

absl::Status BillingServer::Shutdown() {
  if (parts_ == nullptr || parts_->server == nullptr) return absl::OkStatus();
  return parts_->server->Shutdown();
}

}  // namespace jobledger::billing
