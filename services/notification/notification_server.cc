// Wiring of the notification service.
#include "notification_server.h"

#include <filesystem>

#include "attachment_source.h"
#include "domain/notification_evolve.h"
#include "domain/rules.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/uuid.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/wait_for_topics.h"
#include "notification_commands.h"
#include "notification_queries.h"
#include "notification_service.h"
#include "outbox_sender.h"
#include "projections/notification_projection.h"
#include "projections/notification_tables.h"
#include "prometheus/registry.h"
#include "reactions.h"

namespace jobledger::notification {
namespace {

using auth::Role;

// Technicians have no access: messages name customers and their contacts. Managers set the rules
// and templates; the office sends and reads; analysts read.
void AllowMethods(auth::MethodRoles& roles) {
  const std::string api = "/jobledger.notification.v1.NotificationService/";
  const auth::RoleSet admins = {Role::kManager, Role::kService};
  const auth::RoleSet office = {Role::kManager, Role::kDispatcher, Role::kBilling, Role::kService};
  const auth::RoleSet readers = {Role::kManager, Role::kDispatcher, Role::kBilling, Role::kAnalyst,
                                 Role::kService};
  for (const char* method : {"SetNotificationSettings", "SaveTemplate"}) {
    roles.Allow(api + method, admins);
  }
  for (const char* method : {"SendCustomerCommunication", "ResendMessage"}) {
    roles.Allow(api + method, office);
  }
  for (const char* method : {"GetNotificationSettings", "ListTemplates", "MeasureSms", "GetMessage",
                             "ListJobMessages", "ListCustomerMessages", "ListFailedMessages"}) {
    roles.Allow(api + method, readers);
  }
}

}  // namespace

struct NotificationServer::Parts {
  NotificationServerOptions options;
  UuidV7Generator ids;
  NotificationProjection projection;
  std::unique_ptr<projection::ProjectionRunner> runner;
  std::unique_ptr<aggregate::RowStateSource<v1::SettingsRow, v1::NotificationSettings>>
      settings_source;
  std::unique_ptr<aggregate::RowStateSource<v1::TemplateRow, v1::Template>> template_source;
  std::unique_ptr<aggregate::RowStateSource<v1::MessageRow, v1::Message>> message_source;
  std::unique_ptr<SettingsWriter> settings;
  std::unique_ptr<TemplateWriter> templates;
  std::unique_ptr<MessageWriter> messages;
  std::unique_ptr<NotificationCommands> commands;
  std::unique_ptr<NotificationQueries> queries;
  std::unique_ptr<EmailSender> smtp;
  std::unique_ptr<SmsSender> sms;
  std::unique_ptr<GrpcAttachmentSource> grpc_attachments;
  std::unique_ptr<OutboxSender> sender;  // woken by the reactions: outlives them
  std::unique_ptr<NotificationReactions> reactions;
  std::unique_ptr<projection::ProjectionRunner> reactions_runner;
  std::unique_ptr<NotificationService> service;
  std::unique_ptr<server::Server> server;

  NotificationTopics topics() const {
    return {options.notification_topic, options.job_topic, options.scheduling_topic,
            options.billing_topic};
  }

  explicit Parts(NotificationServerOptions notification_options)
      : options(std::move(notification_options)), projection(topics()) {}
};

NotificationServer::NotificationServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

NotificationServer::~NotificationServer() { (void)Shutdown(); }

namespace {

// The providers from the options: the tests' senders, or ones made from the configuration.
absl::Status MakeSenders(NotificationServerOptions& options, std::unique_ptr<EmailSender>& smtp,
                         std::unique_ptr<SmsSender>& sms) {
  if (options.email_sender == nullptr && !options.smtp.url.empty()) {
    if (absl::Status s = SmtpEmailSender::ValidateSmtpOptions(options.smtp); !s.ok()) return s;
    smtp = std::make_unique<SmtpEmailSender>(options.smtp);
    options.email_sender = smtp.get();
  }
  if (options.sms_sender == nullptr && !options.sms.endpoint.empty()) {
    if (absl::Status s = HttpSmsSender::ValidateSmsHttpOptions(options.sms); !s.ok()) return s;
    sms = std::make_unique<HttpSmsSender>(options.sms);
    options.sms_sender = sms.get();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<NotificationServer>> NotificationServer::Start(
    NotificationServerOptions options) {
  if (options.log == nullptr) {
    return absl::InvalidArgumentError("the notification service needs a log");
  }
  if (options.server.data_dir.empty()) {
    return absl::InvalidArgumentError(
        "--data-dir: the notification service keeps its projections there");
  }
  if (absl::Status s = ValidateRetryPolicy(options.retry); !s.ok()) return s;
  auto parts = std::make_unique<Parts>(std::move(options));
  Parts& p = *parts;
  if (absl::Status s = MakeSenders(p.options, p.smtp, p.sms); !s.ok()) return s;
  if (absl::Status s =
          server::WaitForTopics(*p.options.log, p.projection.topics(), p.options.topic_wait);
      !s.ok()) {
    return s;
  }
  AttachmentSource* attachments = p.options.attachments;
  if (attachments == nullptr && !p.options.job_address.empty() &&
      !p.options.billing_address.empty()) {
    auto connected = GrpcAttachmentSource::Connect(p.options.server, p.options.job_address,
                                                   p.options.billing_address);
    if (!connected.ok()) return connected.status();
    p.grpc_attachments = *std::move(connected);
    attachments = p.grpc_attachments.get();
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
  p.template_source =
      aggregate::MakeRowStateSource(r, TemplateTable(), PrimaryKey, &v1::TemplateRow::template_);
  p.message_source =
      aggregate::MakeRowStateSource(r, MessageTable(), PrimaryKey, &v1::MessageRow::message);

  aggregate::WriterOptions writer_options;
  writer_options.log = p.options.log;
  writer_options.topic = p.options.notification_topic;
  writer_options.source = "/jobledger/notification";
  writer_options.ids = &p.ids;
  writer_options.clock = p.options.clock;
  absl::Status made = aggregate::CreateWriter(p.settings, writer_options, kSettingsAggregate,
                                              p.settings_source.get(), EvolveSettings);
  if (made.ok()) {
    made = aggregate::CreateWriter(p.templates, writer_options, kTemplateAggregate,
                                   p.template_source.get(), EvolveTemplate);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.messages, writer_options, kMessageAggregate,
                                   p.message_source.get(), EvolveMessage);
  }
  if (!made.ok()) return made;

  NotificationCommandsOptions command_options;
  command_options.settings = p.settings.get();
  command_options.templates = p.templates.get();
  command_options.messages = p.messages.get();
  command_options.projection = r;
  command_options.log = p.options.log;
  command_options.job_topic = p.options.job_topic;
  command_options.billing_topic = p.options.billing_topic;
  command_options.zone = p.options.time_zone;
  command_options.retry = p.options.retry;
  command_options.ids = &p.ids;
  command_options.clock = p.options.clock;
  // The sender exists before anything can queue a message (the reactions, the server).
  command_options.on_due = [&p](const projection::LogPosition& recorded) {
    p.sender->Wake(recorded);
  };
  p.commands = std::make_unique<NotificationCommands>(command_options);
  p.queries = std::make_unique<NotificationQueries>(
      NotificationQueriesOptions{.projection = r, .clock = p.options.clock});

  OutboxSenderOptions sender_options;
  sender_options.commands = p.commands.get();
  sender_options.projection = r;
  sender_options.email = p.options.email_sender;
  sender_options.sms = p.options.sms_sender;
  sender_options.attachments = attachments;
  sender_options.email_from = p.options.email_from;
  sender_options.sms_from = p.options.sms_from;
  sender_options.mail_domain = p.options.mail_domain;
  sender_options.business_name = p.options.business_name;
  sender_options.clock = p.options.clock;
  sender_options.poll_interval = p.options.poll_interval;
  sender_options.metrics = metrics.get();
  p.sender = std::make_unique<OutboxSender>(sender_options);

  ReactionsOptions reaction_options;
  reaction_options.topics = p.topics();
  reaction_options.commands = p.commands.get();
  reaction_options.projection = r;
  reaction_options.log = p.options.log;
  reaction_options.zone = p.options.time_zone;
  reaction_options.business_name = p.options.business_name;
  reaction_options.max_event_age = p.options.max_event_age;
  reaction_options.clock = p.options.clock;
  p.reactions = std::make_unique<NotificationReactions>(reaction_options);
  projection::RunnerOptions reactions_runner_options = runner_options;
  reactions_runner_options.directory =
      (std::filesystem::path(p.options.server.data_dir) / "reactions").string();
  auto reactions_runner =
      projection::ProjectionRunner::Start(*p.reactions, reactions_runner_options);
  if (!reactions_runner.ok()) return reactions_runner.status();
  p.reactions_runner = *std::move(reactions_runner);

  p.service = std::make_unique<NotificationService>(p.commands.get(), p.queries.get());
  server::ServerOptions server_options;
  server_options.config = p.options.server;
  server_options.metrics = metrics;
  server_options.AddService<v1::NotificationService>(p.service.get())
      .AddReadinessCheck("notification projection", [r] { return r->caught_up(); });
  AllowMethods(server_options.method_roles);
  auto started = server::Server::Start(std::move(server_options));
  if (!started.ok()) return started.status();
  p.server = *std::move(started);
  p.sender->Start();
  p.server->AddShutdownHook("notification sender", [&p] {
    p.sender->Stop();
    return absl::OkStatus();
  });
  p.server->AddShutdownHook("notification reactions", [&p] { return p.reactions_runner->Stop(); });
  p.server->AddShutdownHook("notification projection", [r = p.runner.get()] { return r->Stop(); });
  return std::unique_ptr<NotificationServer>(new NotificationServer(std::move(parts)));
}

int NotificationServer::port() const { return parts_->server->port(); }

server::Server& NotificationServer::grpc_server() { return *parts_->server; }

int NotificationServer::Run(server::ShutdownSignals& signals) {
  return parts_->server->Run(signals);
}

absl::Status NotificationServer::Shutdown() {
  if (parts_ == nullptr || parts_->server == nullptr) return absl::OkStatus();
  return parts_->server->Shutdown();
}

}  // namespace jobledger::notification
