// The notification service, wired: log, projection, writers, commands, queries, the rules'
// reactions, the outbox sender with its email and SMS providers, and the gRPC server. main()
// parses flags into NotificationServerOptions; tests start it in-process on port 0.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "delivery/outgoing.h"
#include "delivery/sms_sender.h"
#include "delivery/smtp_sender.h"
#include "domain/retry_policy.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/server/config.h"
#include "jobledger/server/server.h"

namespace jobledger::notification {

class AttachmentSource;

struct NotificationServerOptions {
  server::ServerConfig server;
  eventlog::EventLog* log = nullptr;  // embedded or Kafka; owned by the caller
  std::string notification_topic = "jobledger.notification.events";
  std::string job_topic = "jobledger.job.events";
  std::string scheduling_topic = "jobledger.scheduling.events";
  std::string billing_topic = "jobledger.billing.events";
  absl::TimeZone time_zone = absl::UTCTimeZone();  // quiet hours and the times in messages
  std::string business_name;                       // {{business.name}} and the From name by default

  // Email over SMTP (no URL: email is not sent, and each attempt fails for now) and SMS over the
  // provider's HTTP API (no endpoint: the same); or senders of one's own (tests).
  SmtpOptions smtp;
  SmsHttpOptions sms;
  EmailSender* email_sender = nullptr;
  SmsSender* sms_sender = nullptr;
  std::string email_from = "notifications@localhost";
  std::string sms_from;
  std::string mail_domain = "jobledger.invalid";

  // Where attachments come from: the job and billing services (host:port), or a source of one's
  // own (tests).
  std::string job_address;
  std::string billing_address;
  AttachmentSource* attachments = nullptr;

  RetryPolicy retry;
  absl::Duration max_event_age = absl::Hours(12);
  absl::Duration poll_interval = absl::Milliseconds(500);
  const Clock* clock = &SystemClock();
  absl::Duration topic_wait = absl::InfiniteDuration();
  size_t projection_cache_bytes = 64 << 20;
};

class NotificationServer {
 public:
  static absl::StatusOr<std::unique_ptr<NotificationServer>> Start(
      NotificationServerOptions options);
  ~NotificationServer();

  int port() const;
  server::Server& grpc_server();
  int Run(server::ShutdownSignals& signals);
  absl::Status Shutdown();

 private:
  struct Parts;
  explicit NotificationServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace jobledger::notification
