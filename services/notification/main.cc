// jobledger-notification: the notification service process. Wiring only; see
// notification_server.h.
#include "jobledger/server/log.h"
#include "jobledger/server/service_process.h"
#include "notification_server.h"

int main(int argc, char** argv) {
  using jobledger::server::Level;
  using jobledger::server::Log;
  jobledger::server::SetUpServiceProcess();
  jobledger::server::ShutdownSignals signals;
  jobledger::server::ServerFlags defaults;
  defaults.listen = "0.0.0.0:7104";
  defaults.metrics_listen = "0.0.0.0:9104";
  jobledger::server::ServiceProcessFlags flags;
  jobledger::notification::NotificationServerOptions options;
  options.job_address = "127.0.0.1:7101";
  options.billing_address = "127.0.0.1:7103";
  int max_event_age_minutes = 12 * 60;
  int smtp_timeout_seconds = 30;
  options.server = jobledger::server::ParseServerConfigOrExit(
      argc, argv, "notification", defaults, [&](CLI::App& app) {
        flags.AddTo(app);
        app.add_option("--smtp-url", options.smtp.url,
                       "SMTP server, smtp://host:port (STARTTLS) or smtps://host:port; none: "
                       "email is held as failed attempts")
            ->envname("JOBLEDGER_SMTP_URL");
        app.add_option("--smtp-user", options.smtp.username, "SMTP AUTH user")
            ->envname("JOBLEDGER_SMTP_USER");
        app.add_option("--smtp-password", options.smtp.password,
                       "SMTP AUTH password (prefer the environment variable)")
            ->envname("JOBLEDGER_SMTP_PASSWORD");
        app.add_flag("--smtp-require-tls", options.smtp.require_tls,
                     "refuse to send unless STARTTLS succeeds")
            ->envname("JOBLEDGER_SMTP_REQUIRE_TLS");
        app.add_option("--smtp-ca-file", options.smtp.ca_file, "CA bundle for the SMTP server")
            ->envname("JOBLEDGER_SMTP_CA_FILE");
        app.add_option("--smtp-timeout-seconds", smtp_timeout_seconds, "per email")
            ->capture_default_str();
        app.add_option("--email-from", options.email_from, "the From address of every email")
            ->envname("JOBLEDGER_EMAIL_FROM")
            ->capture_default_str();
        app.add_option("--mail-domain", options.mail_domain, "the domain of Message-IDs")
            ->envname("JOBLEDGER_MAIL_DOMAIN")
            ->capture_default_str();
        app.add_option("--sms-endpoint", options.sms.endpoint,
                       "the SMS provider's send URL (POST JSON with an Idempotency-Key)")
            ->envname("JOBLEDGER_SMS_ENDPOINT");
        app.add_option("--sms-token", options.sms.bearer_token,
                       "the SMS provider's bearer token (prefer the environment variable)")
            ->envname("JOBLEDGER_SMS_TOKEN");
        app.add_option("--sms-from", options.sms_from, "the sender number or name of texts")
            ->envname("JOBLEDGER_SMS_FROM");
        app.add_option("--job-address", options.job_address,
                       "job service host:port, for emails' attachments")
            ->envname("JOBLEDGER_JOB_ADDRESS")
            ->capture_default_str();
        app.add_option("--billing-address", options.billing_address,
                       "billing service host:port, for invoice PDFs")
            ->envname("JOBLEDGER_BILLING_ADDRESS")
            ->capture_default_str();
        app.add_option("--business-name", options.business_name,
                       "the sender's name when a tenant's settings name none")
            ->envname("JOBLEDGER_BUSINESS_NAME");
        app.add_option("--max-event-age-minutes", max_event_age_minutes,
                       "events older than this when read send no messages")
            ->check(CLI::PositiveNumber)
            ->capture_default_str();
      });
  auto process = jobledger::server::OpenServiceProcess(flags, options.server, "notification",
                                                       jobledger::eventlog::kNotificationTopic);
  if (!process.ok()) {
    Log(Level::kError, process.status().message());
    return 2;
  }
  options.log = process->log.get();
  options.time_zone = process->time_zone;
  options.projection_cache_bytes = process->projection_cache_bytes;
  options.max_event_age = absl::Minutes(max_event_age_minutes);
  options.smtp.timeout = absl::Seconds(smtp_timeout_seconds);
  auto server = jobledger::notification::NotificationServer::Start(std::move(options));
  if (!server.ok()) {
    Log(Level::kError, server.status().message());
    return 1;
  }
  return (*server)->Run(signals);
}
