// Sending due messages and recording the outcomes.
#include "outbox_sender.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/server/log.h"
#include "projections/notification_tables.h"

namespace jobledger::notification {
namespace {

using server::Level;
using server::Log;

constexpr size_t kBatch = 64;
// How long a woken sender waits for its projection to have the messages it was woken for.
constexpr absl::Duration kWokenWait = absl::Seconds(1);

AttemptOutcome FromDelivery(const DeliveryResult& result) {
  AttemptOutcome outcome;
  outcome.accepted = result.outcome == DeliveryOutcome::kAccepted;
  outcome.permanent = result.outcome == DeliveryOutcome::kPermanentFailure;
  outcome.reason = result.reason;
  outcome.provider_message_id = result.provider_message_id;
  return outcome;
}

AttemptOutcome Failure(bool permanent, std::string reason) {
  AttemptOutcome outcome;
  outcome.permanent = permanent;
  outcome.reason = std::move(reason);
  return outcome;
}

const char* OutcomeLabel(const AttemptOutcome& outcome) {
  if (outcome.accepted) return "accepted";
  return outcome.permanent ? "permanent_failure" : "temporary_failure";
}

}  // namespace

OutboxSender::OutboxSender(OutboxSenderOptions options) : options_(std::move(options)) {
  if (options_.metrics != nullptr) {
    attempts_ = &prometheus::BuildCounter()
                     .Name("jobledger_notification_delivery_attempts_total")
                     .Help("Messages handed to a provider, by channel and outcome")
                     .Register(*options_.metrics);
  }
}

OutboxSender::~OutboxSender() { Stop(); }

void OutboxSender::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxSender::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::Wake(const projection::LogPosition& recorded) {
  absl::MutexLock lock(&mu_);
  int64_t& newest = woken_[{recorded.topic, recorded.partition}];
  newest = std::max(newest, recorded.offset);
}

void OutboxSender::Loop() {
  while (true) {
    std::map<std::pair<std::string, int32_t>, int64_t> woken;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      woken.swap(woken_);
    }
    // Woken for new messages: look once the projection has them (a short wait; the next poll
    // finds any it does not have in time).
    const absl::Time deadline = absl::Now() + kWokenWait;
    for (const auto& [partition, offset] : woken) {
      (void)options_.projection->WaitFor({partition.first, partition.second, offset}, deadline);
    }
    if (options_.projection->caught_up()) SendDue();
    absl::MutexLock lock(&mu_);
    auto ready = [this]()
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !woken_.empty(); };
    mu_.AwaitWithTimeout(absl::Condition(&ready), options_.poll_interval);
  }
}

void OutboxSender::SendDue() {
  const absl::Time now = options_.clock->Now();
  auto due = MessageTable().ScanIndex(*options_.projection->store(), "due", "",
                                      {.cursor = "", .limit = kBatch});
  if (!due.ok()) {
    Log(Level::kWarning, "the outbox cannot be read", {{"error", due.status().ToString()}});
    return;
  }
  for (const v1::MessageRow& row : due->rows) {
    if (TimeFromProto(row.message().next_attempt_at()) > now) break;  // in due order
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    Deliver(row.tenant(), row.message());
  }
}

void OutboxSender::Deliver(const std::string& tenant, const v1::Message& message) {
  const AttemptOutcome outcome = Attempt(tenant, message);
  Count(message, outcome);
  auto recorded = options_.commands->RecordAttempt(tenant, message, outcome);
  if (!recorded.ok()) {
    // Not recorded: the message stays due and the next attempt reuses its provider key.
    Log(Level::kWarning, "a delivery attempt could not be recorded",
        {{"message", message.message_id()}, {"error", recorded.status().ToString()}});
    return;
  }
  if (recorded->position.has_value()) {
    const projection::LogPosition& at = *recorded->position;
    (void)options_.projection->WaitFor({at.topic, at.partition, at.offset},
                                       absl::Now() + absl::Seconds(10));
  }
  if (!outcome.accepted) {
    Log(Level::kWarning, "a message was not delivered",
        {{"message", message.message_id()},
         {"permanent", outcome.permanent ? "yes" : "no"},
         {"reason", outcome.reason}});
  }
}

AttemptOutcome OutboxSender::Attempt(const std::string& tenant, const v1::Message& message) {
  if (message.channel() == v1::CHANNEL_EMAIL) return AttemptEmail(tenant, message);
  if (options_.sms == nullptr) return Failure(false, "no SMS provider is configured");
  OutgoingSms sms;
  sms.to = message.recipient().address();
  sms.from = options_.sms_from;
  sms.body = message.body();
  sms.idempotency_key = message.provider_key();
  return FromDelivery(options_.sms->Send(sms));
}

AttemptOutcome OutboxSender::AttemptEmail(const std::string& tenant, const v1::Message& message) {
  if (options_.email == nullptr) return Failure(false, "no SMTP server is configured");
  auto settings = options_.commands->SettingsOf(tenant);
  if (!settings.ok()) return Failure(false, settings.status().ToString());
  OutgoingEmail email;
  email.from_address = options_.email_from;
  email.from_name =
      settings->sender_name().empty() ? options_.business_name : settings->sender_name();
  email.reply_to = settings->reply_to();
  email.to_address = message.recipient().address();
  email.to_name = message.recipient().name();
  email.subject = message.subject();
  email.body_text = message.body();
  email.message_id = absl::StrCat(message.provider_key(), "@", options_.mail_domain);
  for (const v1::Attachment& attachment : message.attachments()) {
    if (options_.attachments == nullptr) return Failure(false, "attachments cannot be fetched");
    auto fetched = options_.attachments->Fetch(tenant, message.job_id(), attachment);
    if (!fetched.ok()) {
      const absl::StatusCode code = fetched.status().code();
      const bool later = code == absl::StatusCode::kUnavailable ||
                         code == absl::StatusCode::kDeadlineExceeded ||
                         code == absl::StatusCode::kResourceExhausted ||
                         code == absl::StatusCode::kUnauthenticated;
      return Failure(
          !later, absl::StrCat("attachment ", attachment.name(), ": ", fetched.status().message()));
    }
    email.attachments.push_back(*std::move(fetched));
  }
  return FromDelivery(options_.email->Send(email));
}

void OutboxSender::Count(const v1::Message& message, const AttemptOutcome& outcome) {
  if (attempts_ == nullptr) return;
  attempts_
      ->Add({{"channel", message.channel() == v1::CHANNEL_SMS ? "sms" : "email"},
             {"outcome", OutcomeLabel(outcome)}})
      .Increment();
}

}  // namespace jobledger::notification
