// What changes notification state: settings, templates, queueing messages (from the rules'
// reactions and on request), recording each delivery attempt's outcome, and resends. No gRPC and
// no provider calls here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/retry_policy.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/notification/v1/notification_service.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::notification {

struct NotificationCommandsOptions {
  SettingsWriter* settings = nullptr;
  TemplateWriter* templates = nullptr;
  MessageWriter* messages = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  eventlog::EventLog* log = nullptr;
  std::string job_topic;
  std::string billing_topic;
  absl::TimeZone zone = absl::UTCTimeZone();  // quiet hours
  RetryPolicy retry;
  IdGenerator* ids = nullptr;  // keys for communications sent without an idempotency key
  const Clock* clock = &SystemClock();
  absl::Duration wait = absl::Seconds(5);  // for the projection to know a job or an invoice
  // Told where each message due now (queued, or resent) was recorded: the sender looks for it at
  // once instead of at its next poll.
  std::function<void(const projection::LogPosition&)> on_due;
};

// A delivery attempt's outcome, for RecordAttempt.
struct AttemptOutcome {
  bool accepted = false;
  bool permanent = false;  // a failure the provider will never accept
  std::string reason;
  std::string provider_message_id;
};

class NotificationCommands {
 public:
  explicit NotificationCommands(NotificationCommandsOptions options)
      : options_(std::move(options)) {}

  absl::StatusOr<v1::NotificationSettingsReply> SetSettings(
      const server::Caller& caller, const v1::SetNotificationSettingsRequest& request);
  absl::StatusOr<v1::TemplateReply> SaveTemplate(const server::Caller& caller,
                                                 const v1::SaveTemplateRequest& request);

  // Records `message` (its id set, recipient, content) unless a message with its id exists, in
  // which case that one is returned unchanged: a replayed cause never makes a second message.
  // An automatic message (a trigger set) due in quiet hours is HELD until they end.
  absl::StatusOr<v1::Message> Queue(const server::Caller& caller, v1::Message message);

  absl::StatusOr<v1::SendCustomerCommunicationReply> SendCustomerCommunication(
      const server::Caller& caller, const v1::SendCustomerCommunicationRequest& request);
  absl::StatusOr<v1::MessageReply> Resend(const server::Caller& caller,
                                          const v1::ResendMessageRequest& request);

  // The outcome of attempt `attempt` (1-based) of the message's current round, unless the
  // message has moved on since (a resend, another sender's record): then nothing is appended.
  // A temporary failure schedules the next attempt with backoff and jitter, or fails the message
  // for good when the retry policy has no attempts left. Returns the message after.
  absl::StatusOr<aggregate::Outcome<v1::Message>> RecordAttempt(const std::string& tenant,
                                                                const v1::Message& sent,
                                                                const AttemptOutcome& outcome);

  // The tenant's settings (defaults when never set).
  absl::StatusOr<v1::NotificationSettings> SettingsOf(const std::string& tenant);
  // The tenant's template for the combination, or the built-in one.
  absl::StatusOr<v1::Template> TemplateOf(const std::string& tenant, v1::Trigger trigger,
                                          v1::Channel channel, v1::Audience audience);

 private:
  // Calls on_due for a message due now that `outcome` recorded.
  void TellDue(const aggregate::Outcome<v1::Message>& outcome) const;

  NotificationCommandsOptions options_;
};

}  // namespace jobledger::notification
