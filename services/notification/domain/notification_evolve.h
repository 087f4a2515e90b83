// Evolve: each notification aggregate's state after an event. Pure, and the only code that turns
// events into state: the command path (after the append) and the projection (replay) share it.
// An error means the event does not fit the state (a bug or a corrupt log).
#pragma once

#include "absl/status/status.h"
#include "domain/notification_events.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/notification/v1/notification.pb.h"

namespace jobledger::notification {

absl::Status EvolveSettings(v1::NotificationSettings& settings,
                            const events::v1::Envelope& envelope, const SettingsEvent& event);
absl::Status EvolveTemplate(v1::Template& saved, const events::v1::Envelope& envelope,
                            const TemplateEvent& event);
absl::Status EvolveMessage(v1::Message& message, const events::v1::Envelope& envelope,
                           const MessageEvent& event);

}  // namespace jobledger::notification
