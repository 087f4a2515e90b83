// Settings, templates and messages through their writers.
#include "notification_commands.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "domain/customer_communication.h"
#include "domain/message_ids.h"
#include "domain/quiet_hours.h"
#include "domain/rules.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/catch_up.h"
#include "projections/notification_tables.h"

namespace jobledger::notification {
namespace {

using aggregate::FillCommandResult;
using server::Caller;

constexpr size_t kMaxReasonBytes = 500;

template <typename Reply, typename State>
void FillReply(const std::string& id, const aggregate::Outcome<State>& outcome, Reply& reply) {
  FillCommandResult(id, outcome.version, outcome.position, outcome.replayed,
                    reply.mutable_result());
}

QuietWindow QuietOf(const v1::NotificationSettings& settings) {
  return {settings.quiet_hours().start_minute(), settings.quiet_hours().end_minute()};
}

bool SameSettings(v1::NotificationSettings a, v1::NotificationSettings b) {
  a.clear_version();
  b.clear_version();
  return a.SerializeAsString() == b.SerializeAsString();
}

}  // namespace

absl::StatusOr<v1::NotificationSettings> NotificationCommands::SettingsOf(
    const std::string& tenant) {
  auto settings = options_.settings->Read(options_.settings->Key(tenant, tenant));
  if (!settings.ok()) return settings.status();
  return std::move(settings->first);
}

absl::StatusOr<v1::Template> NotificationCommands::TemplateOf(const std::string& tenant,
                                                              v1::Trigger trigger,
                                                              v1::Channel channel,
                                                              v1::Audience audience) {
  const Combination combination{trigger, channel, audience};
  auto saved = options_.templates->Read(options_.templates->Key(tenant, TemplateId(combination)));
  if (!saved.ok()) return saved.status();
  if (saved->second.version == 0) return DefaultTemplate(combination);
  return std::move(saved->first);
}

absl::StatusOr<v1::NotificationSettingsReply> NotificationCommands::SetSettings(
    const Caller& caller, const v1::SetNotificationSettingsRequest& request) {
  static const std::set<std::string> kFields = {"rules", "quiet_hours", "sender_name", "reply_to"};
  if (request.update_fields().empty()) {
    return Invalid("update_fields",
                   "name the fields to change: rules, quiet_hours, "
                   "sender_name, reply_to");
  }
  for (int i = 0; i < request.update_fields_size(); ++i) {
    if (!kFields.contains(request.update_fields(i))) {
      return Invalid(Indexed("update_fields", i),
                     absl::StrCat(request.update_fields(i), " is not a settings field"));
    }
  }
  auto outcome =
      options_.settings->Execute(options_.settings->Key(caller.tenant, caller.tenant),
                                 server::CommandMetaOf(caller, request.meta()),
                                 [&](const v1::NotificationSettings& current,
                                     const Head&) -> absl::StatusOr<std::vector<SettingsEvent>> {
                                   v1::NotificationSettings next = current;
                                   const v1::NotificationSettings& given = request.settings();
                                   std::vector<std::string> changed;
                                   for (const std::string& field : request.update_fields()) {
                                     if (field == "rules") *next.mutable_rules() = given.rules();
                                     if (field == "quiet_hours")
                                       *next.mutable_quiet_hours() = given.quiet_hours();
                                     if (field == "sender_name")
                                       next.set_sender_name(given.sender_name());
                                     if (field == "reply_to") next.set_reply_to(given.reply_to());
                                     changed.push_back(field);
                                   }
                                   if (absl::Status s = ValidateSettings(next); !s.ok()) return s;
                                   if (SameSettings(next, current))
                                     return std::vector<SettingsEvent>{};
                                   next.clear_version();
                                   v1::NotificationSettingsChanged event;
                                   *event.mutable_settings() = next;
                                   for (const std::string& field : changed)
                                     event.add_changed_fields(field);
                                   return std::vector<SettingsEvent>{event};
                                 });
  if (!outcome.ok()) return outcome.status();
  v1::NotificationSettingsReply reply;
  FillReply(caller.tenant, *outcome, reply);
  *reply.mutable_settings() = outcome->state;
  return reply;
}

absl::StatusOr<v1::TemplateReply> NotificationCommands::SaveTemplate(
    const Caller& caller, const v1::SaveTemplateRequest& request) {
  const Combination combination{request.trigger(), request.channel(), request.audience()};
  if (absl::Status s = ValidateTemplateToSave(combination, request.subject(), request.body());
      !s.ok()) {
    return s;
  }
  const std::string id = TemplateId(combination);
  auto outcome = options_.templates->Execute(
      options_.templates->Key(caller.tenant, id), server::CommandMetaOf(caller, request.meta()),
      [&](const v1::Template& current,
          const Head& head) -> absl::StatusOr<std::vector<TemplateEvent>> {
        if (head.version > 0 && current.subject() == request.subject() &&
            current.body() == request.body()) {
          return std::vector<TemplateEvent>{};
        }
        v1::TemplateSaved saved;
        v1::Template& text = *saved.mutable_template_();
        text.set_trigger(request.trigger());
        text.set_channel(request.channel());
        text.set_audience(request.audience());
        text.set_subject(request.subject());
        text.set_body(request.body());
        return std::vector<TemplateEvent>{saved};
      });
  if (!outcome.ok()) return outcome.status();
  v1::TemplateReply reply;
  FillReply(id, *outcome, reply);
  *reply.mutable_template_() = outcome->state;
  return reply;
}

void NotificationCommands::TellDue(const aggregate::Outcome<v1::Message>& outcome) const {
  if (!options_.on_due || !outcome.position.has_value() || outcome.replayed) return;
  const v1::MessageStatus status = outcome.state.status();
  if (status != v1::MESSAGE_STATUS_QUEUED && status != v1::MESSAGE_STATUS_RETRYING) return;
  if (TimeFromProto(outcome.state.next_attempt_at()) > options_.clock->Now()) return;
  options_.on_due(*outcome.position);
}

absl::StatusOr<v1::Message> NotificationCommands::Queue(const Caller& caller, v1::Message message) {
  const absl::Time now = options_.clock->Now();
  absl::Time due = now;
  if (message.trigger() != v1::TRIGGER_UNSPECIFIED) {
    auto settings = SettingsOf(caller.tenant);
    if (!settings.ok()) return settings.status();
    due = ReleaseTime(now, QuietOf(*settings), options_.zone);
  }
  message.set_status(due > now ? v1::MESSAGE_STATUS_HELD : v1::MESSAGE_STATUS_QUEUED);
  *message.mutable_next_attempt_at() = ProtoFromTime(due);
  message.set_provider_key(ProviderKey(message.message_id(), 0));
  message.set_round(0);
  aggregate::CommandMeta meta = server::CommandMetaOf(caller, {});
  meta.causation_id = message.cause_event_id();
  auto outcome = options_.messages->Execute(
      options_.messages->Key(caller.tenant, message.message_id()), meta,
      [&](const v1::Message&, const Head& head) -> absl::StatusOr<std::vector<MessageEvent>> {
        if (head.version > 0) return std::vector<MessageEvent>{};  // queued by the first delivery
        v1::MessageQueued queued;
        *queued.mutable_message() = message;
        return std::vector<MessageEvent>{queued};
      });
  if (!outcome.ok()) return outcome.status();
  TellDue(*outcome);
  return outcome->state;
}

absl::StatusOr<v1::SendCustomerCommunicationReply> NotificationCommands::SendCustomerCommunication(
    const Caller& caller, const v1::SendCustomerCommunicationRequest& request) {
  const absl::StatusOr<int> segments = ValidateSendRequest(request);
  if (!segments.ok()) return segments.status();
  // A real-time deadline: the projection catches up in real time, whatever the service clock says.
  const absl::Time deadline = std::min(caller.deadline, absl::Now() + options_.wait);
  if (absl::Status s = projection::WaitForTopicEnd(*options_.projection, *options_.log,
                                                   options_.job_topic, deadline);
      !s.ok()) {
    return s;
  }
  const auto store = options_.projection->store();  // held: a rebuild may swap it meanwhile
  const projection::StateReader& state = *store;
  auto job = JobCopyTable().Get(state, PrimaryKey(caller.tenant, request.job_id()));
  if (!job.ok()) return job.status();
  if (!job->has_value())
    return absl::NotFoundError(absl::StrCat("job ", request.job_id(), " not found"));
  const job::v1::Job& the_job = (*job)->job();
  auto customer = CustomerCopyTable().Get(state, PrimaryKey(caller.tenant, the_job.customer_id()));
  if (!customer.ok()) return customer.status();
  if (!customer->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("job JOB-", the_job.number(), " has no customer"));
  }
  std::vector<v1::Recipient> recipients;
  for (int i = 0; i < request.contact_ids_size(); ++i) {
    auto recipient = ContactRecipient((*customer)->customer(), request.contact_ids(i),
                                      request.channel(), Indexed("contact_ids", i));
    if (!recipient.ok()) return recipient.status();
    recipients.push_back(*std::move(recipient));
  }
  std::vector<v1::Attachment> attachments;
  for (int i = 0; i < request.attachments_size(); ++i) {
    v1::Attachment attachment = request.attachments(i);
    const std::string field = Indexed("attachments", i);
    if (!attachment.job_attachment_id().empty()) {
      const job::v1::Attachment* found = nullptr;
      for (const job::v1::Attachment& a : the_job.attachments()) {
        if (a.attachment_id() == attachment.job_attachment_id()) found = &a;
      }
      if (found == nullptr) {
        return absl::NotFoundError(absl::StrCat(field, ": JOB-", the_job.number(),
                                                " has no attachment ",
                                                attachment.job_attachment_id()));
      }
      attachment.set_name(found->name());
      attachment.set_media_type(found->media_type());
    } else {
      if (absl::Status s = projection::WaitForTopicEnd(*options_.projection, *options_.log,
                                                       options_.billing_topic, deadline);
          !s.ok()) {
        return s;
      }
      auto invoice =
          InvoiceCopyTable().Get(state, PrimaryKey(caller.tenant, attachment.invoice_id()));
      if (!invoice.ok()) return invoice.status();
      if (!invoice->has_value() || (*invoice)->invoice().job_id() != the_job.job_id()) {
        return absl::NotFoundError(absl::StrCat(field, ": JOB-", the_job.number(),
                                                " has no invoice ", attachment.invoice_id()));
      }
      const billing::v1::Invoice& found = (*invoice)->invoice();
      if (found.status() == billing::v1::INVOICE_STATUS_DRAFT) {
        return absl::FailedPreconditionError(
            absl::StrCat(field, ": INV-", found.number(), " is a draft: issue it first"));
      }
      attachment.set_name(absl::StrCat("INV-", found.number(), ".pdf"));
      attachment.set_media_type("application/pdf");
    }
    attachments.push_back(std::move(attachment));
  }
  // Without a key every call is a new communication; with one, a retry finds its messages.
  const std::string key = request.meta().idempotency_key().empty()
                              ? options_.ids->NewId().ToString()
                              : request.meta().idempotency_key();
  v1::SendCustomerCommunicationReply reply;
  for (const v1::Recipient& recipient : recipients) {
    v1::Message message;
    message.set_message_id(MessageIdForRequest(caller.tenant, key, ChannelName(request.channel()),
                                               recipient.contact_id()));
    message.set_channel(request.channel());
    message.set_job_id(the_job.job_id());
    message.set_job_number(the_job.number());
    message.set_customer_id(the_job.customer_id());
    *message.mutable_recipient() = recipient;
    message.set_subject(request.subject());
    message.set_body(request.body());
    for (const v1::Attachment& attachment : attachments) *message.add_attachments() = attachment;
    message.set_sms_segments(request.channel() == v1::CHANNEL_SMS ? *segments : 0);
    message.set_requested_by(caller.user_id);
    auto queued = Queue(caller, std::move(message));
    if (!queued.ok()) return queued.status();
    *reply.add_messages() = *std::move(queued);
  }
  return reply;
}

absl::StatusOr<v1::MessageReply> NotificationCommands::Resend(
    const Caller& caller, const v1::ResendMessageRequest& request) {
  if (absl::Status s = ValidateMessageId("message_id", request.message_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("reason", request.reason(), kMaxReasonBytes, false); !s.ok()) {
    return s;
  }
  const absl::Time now = options_.clock->Now();
  auto outcome = options_.messages->Execute(
      options_.messages->Key(caller.tenant, request.message_id()),
      server::CommandMetaOf(caller, request.meta()),
      [&](const v1::Message& current,
          const Head& head) -> absl::StatusOr<std::vector<MessageEvent>> {
        if (head.version == 0) {
          return absl::NotFoundError(absl::StrCat("message ", request.message_id(), " not found"));
        }
        if (AwaitsDelivery(current)) {
          return absl::FailedPreconditionError(
              absl::StrCat("message ", request.message_id(),
                           " has not been delivered or failed yet: it is going out already"));
        }
        v1::MessageResendRequested resend;
        resend.set_round(current.round() + 1);
        resend.set_provider_key(ProviderKey(current.message_id(), current.round() + 1));
        resend.set_reason(request.reason());
        *resend.mutable_next_attempt_at() = ProtoFromTime(now);
        return std::vector<MessageEvent>{resend};
      });
  if (!outcome.ok()) return outcome.status();
  v1::MessageReply reply;
  TellDue(*outcome);
  FillReply(request.message_id(), *outcome, reply);
  *reply.mutable_message() = outcome->state;
  return reply;
}

absl::StatusOr<aggregate::Outcome<v1::Message>> NotificationCommands::RecordAttempt(
    const std::string& tenant, const v1::Message& sent, const AttemptOutcome& result) {
  const absl::Time now = options_.clock->Now();
  auto settings = SettingsOf(tenant);
  if (!settings.ok()) return settings.status();
  const Caller caller = server::ServiceCaller("notification", tenant, "");
  return options_.messages->Execute(
      options_.messages->Key(tenant, sent.message_id()), server::CommandMetaOf(caller, {}),
      [&](const v1::Message& current,
          const Head& head) -> absl::StatusOr<std::vector<MessageEvent>> {
        if (head.version != sent.version() || !AwaitsDelivery(current)) {
          return std::vector<MessageEvent>{};  // moved on while it was being sent
        }
        int attempts_this_round = 1;
        for (const v1::DeliveryAttempt& earlier : current.attempts()) {
          if (earlier.round() == current.round()) ++attempts_this_round;
        }
        v1::DeliveryAttempt attempt;
        attempt.set_attempt(current.attempts_size() + 1);
        attempt.set_round(current.round());
        *attempt.mutable_at() = ProtoFromTime(now);
        if (result.accepted) {
          attempt.set_outcome(v1::ATTEMPT_OUTCOME_ACCEPTED);
          attempt.set_provider_message_id(result.provider_message_id);
          v1::MessageSent event;
          *event.mutable_attempt() = attempt;
          event.set_provider_key(current.provider_key());
          return std::vector<MessageEvent>{event};
        }
        v1::MessageFailed failed;
        failed.set_provider_key(current.provider_key());
        attempt.set_reason(result.reason);
        std::optional<absl::Duration> delay;
        if (!result.permanent) {
          delay = NextRetryDelay(options_.retry, attempts_this_round, current.message_id());
        }
        if (delay.has_value()) {
          attempt.set_outcome(v1::ATTEMPT_OUTCOME_TEMPORARY_FAILURE);
          absl::Time next = now + *delay;
          if (current.trigger() != v1::TRIGGER_UNSPECIFIED) {
            next = ReleaseTime(next, QuietOf(*settings), options_.zone);
          }
          *failed.mutable_next_attempt_at() = ProtoFromTime(next);
        } else {
          attempt.set_outcome(result.permanent ? v1::ATTEMPT_OUTCOME_PERMANENT_FAILURE
                                               : v1::ATTEMPT_OUTCOME_TEMPORARY_FAILURE);
          failed.set_permanent(true);
          if (!result.permanent) {
            attempt.set_reason(
                absl::StrCat(result.reason, " (gave up after ", attempts_this_round, " attempts)"));
          }
        }
        *failed.mutable_attempt() = attempt;
        return std::vector<MessageEvent>{failed};
      });
}

}  // namespace jobledger::notification
