// The notification service's command writers, one per aggregate type.
#pragma once

#include "domain/notification_events.h"
#include "jobledger/aggregate/command_writer.h"
#include "jobledger/notification/v1/notification.pb.h"

namespace jobledger::notification {

using aggregate::Head;
using SettingsWriter = aggregate::CommandWriter<v1::NotificationSettings, SettingsEvent>;
using TemplateWriter = aggregate::CommandWriter<v1::Template, TemplateEvent>;
using MessageWriter = aggregate::CommandWriter<v1::Message, MessageEvent>;

}  // namespace jobledger::notification
