// The outbox's sender: hands due messages to the email and SMS providers and records each
// attempt's outcome (MessageSent / MessageFailed).
//
// Exactly once, in effect: a message is recorded (MessageQueued) before any attempt, so nothing
// acknowledged is forgotten; every attempt of a round carries the same provider key (the SMS
// provider's Idempotency-Key, the email's Message-ID), so when the service dies after the provider
// accepted a message but before MessageSent was durable, the attempt made after the restart is
// recognised by the provider as a repeat and not delivered twice. Attempts run one at a time, in
// due order; after each record the sender waits for its projection to have it, so it never picks
// up a message it has just recorded.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "attachment_source.h"
#include "delivery/outgoing.h"
#include "jobledger/common/clock.h"
#include "jobledger/projection/runner.h"
#include "notification_commands.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace jobledger::notification {

struct OutboxSenderOptions {
  NotificationCommands* commands = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  EmailSender* email = nullptr;
  SmsSender* sms = nullptr;
  AttachmentSource* attachments = nullptr;
  std::string email_from;  // the From address
  std::string sms_from;    // the sender number or name the SMS provider shows
  std::string mail_domain = "jobledger.invalid";  // the right side of Message-IDs
  std::string business_name;  // the From name when the tenant's settings name no sender
  const Clock* clock = &SystemClock();
  absl::Duration poll_interval = absl::Milliseconds(500);
  prometheus::Registry* metrics = nullptr;
};

class OutboxSender {
 public:
  explicit OutboxSender(OutboxSenderOptions options);
  ~OutboxSender();  // stops

  void Start();
  // Finishes the attempt under way and returns.
  void Stop();
  // Looks for due messages as soon as the projection has the record at `recorded` (a message
  // queued or resent), rather than at the next poll.
  void Wake(const projection::LogPosition& recorded);

 private:
  void Loop();
  // Sends the messages due now, oldest first; one whose outcome could not be recorded stays due
  // and is sent again (with the same provider key) at the next poll.
  void SendDue();
  void Deliver(const std::string& tenant, const v1::Message& message);
  AttemptOutcome Attempt(const std::string& tenant, const v1::Message& message);
  AttemptOutcome AttemptEmail(const std::string& tenant, const v1::Message& message);
  void Count(const v1::Message& message, const AttemptOutcome& outcome);

  OutboxSenderOptions options_;
  prometheus::Family<prometheus::Counter>* attempts_ = nullptr;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The newest record each Wake named, per topic partition: what to wait for before looking.
  std::map<std::pair<std::string, int32_t>, int64_t> woken_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace jobledger::notification
