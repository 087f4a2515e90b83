// Which messages a tenant's rules send, and the built-in defaults: each (trigger, channel,
// audience) combination a rule may name, whether it sends when the tenant set nothing, and the
// template it uses until the tenant saves one. Pure.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "jobledger/notification/v1/notification.pb.h"

namespace jobledger::notification {

struct Combination {
  v1::Trigger trigger = v1::TRIGGER_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::Audience audience = v1::AUDIENCE_UNSPECIFIED;
};

// Lower-case names as rules, template ids and message ids use them: "technician_en_route",
// "sms", "customer".
std::string TriggerName(v1::Trigger trigger);
std::string ChannelName(v1::Channel channel);
std::string AudienceName(v1::Audience audience);

// Every combination a rule or template may name: customers hear of every trigger; technicians of
// their appointments being scheduled, rescheduled or reassigned.
const std::vector<Combination>& AllCombinations();
bool IsCombination(const Combination& combination);

// "technician_en_route.sms.customer": the template aggregate's id.
std::string TemplateId(const Combination& combination);

// The tenant's rule for the combination, or the default when it has none.
bool RuleEnabled(const v1::NotificationSettings& settings, const Combination& combination);
bool EnabledByDefault(const Combination& combination);

// The built-in template (built_in set).
v1::Template DefaultTemplate(const Combination& combination);

// INVALID_ARGUMENT naming the field: rules name known combinations at most once each, quiet hours
// are minutes of a day, the reply-to is an email address.
absl::Status ValidateSettings(const v1::NotificationSettings& settings);

// A template to save: a known combination, a body, a subject for email only, and placeholders
// from KnownPlaceholders() in both.
absl::Status ValidateTemplateToSave(const Combination& combination, const std::string& subject,
                                    const std::string& body);

// A plausible email address (one @, something either side, no spaces or control characters) or
// an E.164 phone number (+ and 8 to 15 digits).
bool LooksLikeEmail(const std::string& address);
bool LooksLikePhone(const std::string& number);

}  // namespace jobledger::notification
