// The notification service's aggregates' events, one variant per aggregate: what Decide returns
// and Evolve applies (see events.proto for the aggregate types).
#pragma once

#include <variant>

#include "jobledger/notification/v1/events.pb.h"

namespace jobledger::notification {

using SettingsEvent = std::variant<v1::NotificationSettingsChanged>;
using TemplateEvent = std::variant<v1::TemplateSaved>;
using MessageEvent =
    std::variant<v1::MessageQueued, v1::MessageSent, v1::MessageFailed, v1::MessageResendRequested>;

// Aggregate type names, as the envelopes carry them.
inline constexpr char kSettingsAggregate[] = "notification_settings";
inline constexpr char kTemplateAggregate[] = "notification_template";
inline constexpr char kMessageAggregate[] = "message";

}  // namespace jobledger::notification
