// Wiring of the job service.
#include "job_server.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "billing_invoice_lookup.h"
#include "customer_commands.h"
#include "customer_service.h"
#include "domain/evolve.h"
#include "job_commands.h"
#include "job_queries.h"
#include "job_service.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/blobstore/content_store.h"
#include "jobledger/common/uuid.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/log.h"
#include "jobledger/server/wait_for_topics.h"
#include "projections/job_projection.h"
#include "projections/job_tables.h"
#include "prometheus/registry.h"

namespace jobledger::job {
namespace {

using auth::Role;
using server::Level;
using server::Log;

void AllowMethods(auth::MethodRoles& roles) {
  const auth::RoleSet writers = {Role::kDispatcher, Role::kManager, Role::kService};
  const auth::RoleSet field = {Role::kDispatcher, Role::kManager, Role::kTechnician,
                               Role::kService};
  const auth::RoleSet readers = auth::RoleSet::All();
  const std::string job = "/jobledger.job.v1.JobService/";
  for (const char* method : {"CreateJob",
                             "ChangeJobStatus",
                             "AddLineItem",
                             "UpdateLineItem",
                             "RemoveLineItem",
                             "AddExpense",
                             "RemoveExpense",
                             "AddInstalledEquipment",
                             "RemoveInstalledEquipment",
                             "AddNote",
                             "RemoveNote",
                             "AddChecklistItem",
                             "SetChecklistItemDone",
                             "RemoveChecklistItem",
                             "ClockIn",
                             "ClockOut",
                             "LogWork",
                             "RemoveWorkEntry",
                             "UploadAttachment",
                             "RemoveAttachment",
                             "ApplyOfflineBatch"}) {
    roles.Allow(job + method, field);
  }
  for (const char* method : {"UpdateJob", "SetCompletionRequirements", "ReopenJob", "DuplicateJob",
                             "LinkRecall", "BulkChangeStatus"}) {
    roles.Allow(job + method, writers);
  }
  for (const char* method :
       {"GetJob", "ListJobs", "GetJobHistory", "DownloadAttachment", "DownloadAllAttachments"}) {
    roles.Allow(job + method, readers);
  }
  const std::string customer = "/jobledger.job.v1.CustomerService/";
  for (const char* method :
       {"CreateCustomer", "UpdateCustomer", "SaveContact", "RemoveContact", "SaveProperty",
        "RemoveProperty", "SubmitRequest", "ConvertRequest", "DeclineRequest"}) {
    roles.Allow(customer + method, writers);
  }
  for (const char* method : {"GetCustomer", "ListCustomers", "GetRequest", "ListRequests"}) {
    roles.Allow(customer + method, readers);
  }
}

}  // namespace

struct JobServer::Parts {
  JobServerOptions options;
  UuidV7Generator ids;
  JobProjection projection;
  std::unique_ptr<projection::ProjectionRunner> runner;
  std::unique_ptr<aggregate::RowStateSource<v1::JobRow, v1::Job>> job_source;
  std::unique_ptr<aggregate::RowStateSource<v1::CustomerRow, v1::Customer>> customer_source;
  std::unique_ptr<aggregate::RowStateSource<v1::RequestRow, v1::CustomerRequest>> request_source;
  std::unique_ptr<JobWriter> job_writer;
  std::unique_ptr<CustomerWriter> customer_writer;
  std::unique_ptr<RequestWriter> request_writer;
  std::unique_ptr<BillingInvoiceLookup> billing;
  std::unique_ptr<blobstore::ContentStore> attachments;
  std::unique_ptr<JobCommands> commands;
  std::unique_ptr<JobQueries> queries;
  std::unique_ptr<CustomerCommands> customers;
  std::unique_ptr<JobService> job_service;
  std::unique_ptr<CustomerService> customer_service;
  std::unique_ptr<server::Server> server;

  explicit Parts(JobServerOptions job_options)
      : options(std::move(job_options)), projection(options.job_topic, options.scheduling_topic) {}
};

JobServer::JobServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

JobServer::~JobServer() { (void)Shutdown(); }

absl::StatusOr<std::unique_ptr<JobServer>> JobServer::Start(JobServerOptions options) {
  if (options.log == nullptr) return absl::InvalidArgumentError("the job service needs a log");
  if (options.server.data_dir.empty()) {
    return absl::InvalidArgumentError("--data-dir: the job service keeps its projection there");
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

  p.job_source = std::make_unique<aggregate::RowStateSource<v1::JobRow, v1::Job>>(
      p.runner.get(), &JobTable(), PrimaryKey,
      [](const v1::JobRow& row) -> const v1::Job& { return row.job(); });
  p.customer_source = std::make_unique<aggregate::RowStateSource<v1::CustomerRow, v1::Customer>>(
      p.runner.get(), &CustomerTable(), PrimaryKey,
      [](const v1::CustomerRow& row) -> const v1::Customer& { return row.customer(); });
  p.request_source =
      std::make_unique<aggregate::RowStateSource<v1::RequestRow, v1::CustomerRequest>>(
          p.runner.get(), &RequestTable(), PrimaryKey,
          [](const v1::RequestRow& row) -> const v1::CustomerRequest& { return row.request(); });

  aggregate::WriterOptions writer_options;
  writer_options.log = p.options.log;
  writer_options.topic = p.options.job_topic;
  writer_options.source = "/jobledger/job";
  writer_options.ids = &p.ids;
  absl::Status made =
      aggregate::CreateWriter(p.job_writer, writer_options, "job", p.job_source.get(), EvolveJob);
  if (made.ok()) {
    made = aggregate::CreateWriter(p.customer_writer, writer_options, "customer",
                                   p.customer_source.get(), EvolveCustomer);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.request_writer, writer_options, "customer_request",
                                   p.request_source.get(), EvolveRequest);
  }
  if (!made.ok()) return made;

  InvoiceLookup* invoices = p.options.invoices;
  if (invoices == nullptr && !p.options.billing_address.empty()) {
    p.billing = std::make_unique<BillingInvoiceLookup>(
        grpc::CreateChannel(p.options.billing_address, grpc::InsecureChannelCredentials()),
        absl::Seconds(5));
    invoices = p.billing.get();
  }
  blobstore::ContentStoreOptions store_options;
  store_options.directory =
      (std::filesystem::path(p.options.server.data_dir) / "attachments").string();
  store_options.max_blob_bytes = p.options.max_attachment_bytes;
  auto attachments = blobstore::ContentStore::Open(store_options);
  if (!attachments.ok()) return attachments.status();
  p.attachments = *std::move(attachments);

  JobCommandsOptions command_options;
  command_options.jobs = p.job_writer.get();
  command_options.customers = p.customer_writer.get();
  command_options.projection = p.runner.get();
  command_options.ids = &p.ids;
  command_options.zone = p.options.time_zone;
  command_options.invoices = invoices;
  command_options.log = p.options.log;
  command_options.topic = p.options.job_topic;
  p.commands = std::make_unique<JobCommands>(command_options);
  JobQueriesOptions query_options;
  query_options.projection = p.runner.get();
  query_options.commands = p.commands.get();
  query_options.log = p.options.log;
  p.queries = std::make_unique<JobQueries>(query_options);
  CustomerCommandsOptions customer_options;
  customer_options.customers = p.customer_writer.get();
  customer_options.requests = p.request_writer.get();
  customer_options.jobs = p.commands.get();
  customer_options.queries = p.queries.get();
  customer_options.projection = p.runner.get();
  customer_options.ids = &p.ids;
  p.customers = std::make_unique<CustomerCommands>(customer_options);
  p.job_service =
      std::make_unique<JobService>(p.commands.get(), p.queries.get(), p.attachments.get());
  p.customer_service = std::make_unique<CustomerService>(p.customers.get());

  server::ServerOptions server_options;
  server_options.config = p.options.server;
  server_options.metrics = metrics;
  server_options.AddService<v1::JobService>(p.job_service.get())
      .AddService<v1::CustomerService>(p.customer_service.get())
      .AddReadinessCheck("job projection",
                         [runner = p.runner.get()] { return runner->caught_up(); });
  AllowMethods(server_options.method_roles);
  auto started = server::Server::Start(std::move(server_options));
  if (!started.ok()) return started.status();
  p.server = *std::move(started);
  p.server->AddShutdownHook("job projection", [runner = p.runner.get()] { return runner->Stop(); });
  return std::unique_ptr<JobServer>(new JobServer(std::move(parts)));
}

int JobServer::port() const { return parts_->server->port(); }

server::Server& JobServer::grpc_server() { return *parts_->server; }

int JobServer::Run(server::ShutdownSignals& signals) { return parts_->server->Run(signals); }

absl::Status JobServer::Shutdown() {
  if (parts_ == nullptr || parts_->server == nullptr) return absl::OkStatus();
  return parts_->server->Shutdown();
}

}  // namespace jobledger::job
