// Evolve for the notification aggregates.
#include "domain/notification_evolve.h"

#include "jobledger/aggregate/overloaded.h"

namespace jobledger::notification {

using events::v1::Envelope;

absl::Status EvolveSettings(v1::NotificationSettings& settings, const Envelope& envelope,
                            const SettingsEvent& event) {
  settings = std::get<v1::NotificationSettingsChanged>(event).settings();
  settings.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveTemplate(v1::Template& saved, const Envelope& envelope,
                            const TemplateEvent& event) {
  saved = std::get<v1::TemplateSaved>(event).template_();
  saved.set_built_in(false);
  saved.set_version(envelope.sequence());
  *saved.mutable_updated_at() = envelope.occurred_at();
  saved.set_updated_by(envelope.actor().user_id());
  return absl::OkStatus();
}

absl::Status EvolveMessage(v1::Message& message, const Envelope& envelope,
                           const MessageEvent& event) {
  const bool queued = std::holds_alternative<v1::MessageQueued>(event);
  if (queued != (message.version() == 0)) {
    return absl::FailedPreconditionError(queued ? "the message exists already"
                                                : "the message does not exist");
  }
  std::visit(Overloaded{[&](const v1::MessageQueued& e) {
                          message = e.message();
                          message.set_message_id(envelope.aggregate_id());
                          *message.mutable_queued_at() = envelope.occurred_at();
                        },
                        [&](const v1::MessageSent& e) {
                          *message.add_attempts() = e.attempt();
                          message.set_status(v1::MESSAGE_STATUS_SENT);
                          message.set_provider_key(e.provider_key());
                          message.set_provider_message_id(e.attempt().provider_message_id());
                          *message.mutable_sent_at() = e.attempt().at();
                          message.clear_next_attempt_at();
                        },
                        [&](const v1::MessageFailed& e) {
                          *message.add_attempts() = e.attempt();
                          message.set_provider_key(e.provider_key());
                          message.set_failure_reason(e.attempt().reason());
                          if (e.permanent()) {
                            message.set_status(v1::MESSAGE_STATUS_FAILED);
                            message.clear_next_attempt_at();
                          } else {
                            message.set_status(v1::MESSAGE_STATUS_RETRYING);
                            *message.mutable_next_attempt_at() = e.next_attempt_at();
                          }
                        },
                        [&](const v1::MessageResendRequested& e) {
                          message.set_round(e.round());
                          message.set_provider_key(e.provider_key());
                          message.set_status(v1::MESSAGE_STATUS_QUEUED);
                          message.set_requested_by(envelope.actor().user_id());
                          *message.mutable_next_attempt_at() = e.next_attempt_at();
                        }},
             event);
  message.set_version(envelope.sequence());
  return absl::OkStatus();
}

}  // namespace jobledger::notification
