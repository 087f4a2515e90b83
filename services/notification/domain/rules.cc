// Rule names, defaults and validation.
#include "domain/rules.h"

#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/quiet_hours.h"
#include "domain/templates.h"

namespace jobledger::notification {
namespace {

auto Tie(const Combination& c) { return std::make_tuple(c.trigger, c.channel, c.audience); }

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

struct DefaultText {
  Combination combination;
  bool enabled;
  const char* subject;
  const char* body;
};

using v1::AUDIENCE_CUSTOMER;
using v1::AUDIENCE_TECHNICIAN;
using v1::CHANNEL_EMAIL;
using v1::CHANNEL_SMS;

// SMS texts stay within one GSM-7 message with ordinary names and numbers.
const std::vector<DefaultText>& Defaults() {
  static const auto* const kDefaults = new std::vector<DefaultText>{
      {{v1::TRIGGER_APPOINTMENT_SCHEDULED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       true,
       "",
       "{{business.name}}: your visit for {{job.number}} is booked for {{appointment.date}}, "
       "arriving {{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_SCHEDULED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       true,
       "Your appointment with {{business.name}}",
       "Hello {{customer.name}},\n\nYour visit for {{job.number}} ({{job.title}}) is booked for "
       "{{appointment.date}}, arriving {{appointment.window}}.\n\n{{business.name}}"},
      {{v1::TRIGGER_APPOINTMENT_SCHEDULED, CHANNEL_SMS, AUDIENCE_TECHNICIAN},
       true,
       "",
       "New visit {{job.number}} {{job.title}} for {{customer.name}}: {{appointment.date}}, "
       "{{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_SCHEDULED, CHANNEL_EMAIL, AUDIENCE_TECHNICIAN},
       false,
       "New visit {{job.number}}",
       "{{job.number}} {{job.title}} for {{customer.name}}: {{appointment.date}}, "
       "{{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_RESCHEDULED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       true,
       "",
       "{{business.name}}: your visit for {{job.number}} has moved to {{appointment.date}}, "
       "arriving {{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_RESCHEDULED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       true,
       "Your appointment has moved",
       "Hello {{customer.name}},\n\nYour visit for {{job.number}} ({{job.title}}) has moved from "
       "{{appointment.previous_window}} to {{appointment.date}}, arriving "
       "{{appointment.window}}.\n\n{{business.name}}"},
      {{v1::TRIGGER_APPOINTMENT_RESCHEDULED, CHANNEL_SMS, AUDIENCE_TECHNICIAN},
       true,
       "",
       "Visit {{job.number}} for {{customer.name}} moved to {{appointment.date}}, "
       "{{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_RESCHEDULED, CHANNEL_EMAIL, AUDIENCE_TECHNICIAN},
       false,
       "Visit {{job.number}} moved",
       "{{job.number}} for {{customer.name}} moved to {{appointment.date}}, "
       "{{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_REASSIGNED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       true,
       "",
       "{{business.name}}: {{technician.name}} will now handle your visit for {{job.number}} on "
       "{{appointment.date}}, {{appointment.window}}."},
      {{v1::TRIGGER_APPOINTMENT_REASSIGNED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       false,
       "A new technician for your visit",
       "Hello {{customer.name}},\n\n{{technician.name}} will now handle your visit for "
       "{{job.number}} on {{appointment.date}}, arriving {{appointment.window}}.\n\n"
       "{{business.name}}"},
      {{v1::TRIGGER_APPOINTMENT_REASSIGNED, CHANNEL_SMS, AUDIENCE_TECHNICIAN},
       true,
       "",
       "Visit {{job.number}} for {{customer.name}} on {{appointment.date}}, "
       "{{appointment.window}}: assignment changed, now {{technician.name}}."},
      {{v1::TRIGGER_APPOINTMENT_REASSIGNED, CHANNEL_EMAIL, AUDIENCE_TECHNICIAN},
       false,
       "Visit {{job.number}} reassigned",
       "Visit {{job.number}} for {{customer.name}} on {{appointment.date}}, "
       "{{appointment.window}}: now assigned to {{technician.name}}."},
      {{v1::TRIGGER_TECHNICIAN_EN_ROUTE, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       true,
       "",
       "{{business.name}}: {{technician.name}} is on the way for {{job.number}}, arriving "
       "{{appointment.window}}."},
      {{v1::TRIGGER_TECHNICIAN_EN_ROUTE, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       false,
       "Your technician is on the way",
       "Hello {{customer.name}},\n\n{{technician.name}} is on the way for {{job.number}}, "
       "arriving {{appointment.window}}.\n\n{{business.name}}"},
      {{v1::TRIGGER_TECHNICIAN_ARRIVED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       false,
       "",
       "{{business.name}}: {{technician.name}} has arrived for {{job.number}}."},
      {{v1::TRIGGER_TECHNICIAN_ARRIVED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       false,
       "Your technician has arrived",
       "Hello {{customer.name}},\n\n{{technician.name}} has arrived for {{job.number}}.\n\n"
       "{{business.name}}"},
      {{v1::TRIGGER_JOB_COMPLETED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       false,
       "",
       "{{business.name}}: {{job.number}} {{job.title}} is complete. Thank you!"},
      {{v1::TRIGGER_JOB_COMPLETED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       true,
       "{{job.number}} is complete",
       "Hello {{customer.name}},\n\n{{job.number}} ({{job.title}}) is complete.\n\n"
       "{{note.public}}\n\nThank you,\n{{business.name}}"},
      {{v1::TRIGGER_INVOICE_ISSUED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       false,
       "",
       "{{business.name}}: invoice {{invoice.number}} for {{invoice.total}} is due "
       "{{invoice.due_date}}."},
      {{v1::TRIGGER_INVOICE_ISSUED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       true,
       "Invoice {{invoice.number}} from {{business.name}}",
       "Hello {{customer.name}},\n\nPlease find attached invoice {{invoice.number}} for "
       "{{job.number}}: {{invoice.total}}, due {{invoice.due_date}}.\n\n{{business.name}}"},
      {{v1::TRIGGER_PAYMENT_RECEIVED, CHANNEL_SMS, AUDIENCE_CUSTOMER},
       false,
       "",
       "{{business.name}}: we received {{payment.amount}} for invoice {{invoice.number}}. "
       "Thank you!"},
      {{v1::TRIGGER_PAYMENT_RECEIVED, CHANNEL_EMAIL, AUDIENCE_CUSTOMER},
       true,
       "Payment received for {{invoice.number}}",
       "Hello {{customer.name}},\n\nWe received {{payment.amount}} for invoice "
       "{{invoice.number}}. Balance: {{invoice.balance}}.\n\nThank you,\n{{business.name}}"},
  };
  return *kDefaults;
}

const DefaultText* FindDefault(const Combination& combination) {
  for (const DefaultText& text : Defaults()) {
    if (Tie(text.combination) == Tie(combination)) return &text;
  }
  return nullptr;
}

}  // namespace

std::string TriggerName(v1::Trigger trigger) {
  std::string name = v1::Trigger_Name(trigger);
  return absl::AsciiStrToLower(absl::StripPrefix(name, "TRIGGER_"));
}

std::string ChannelName(v1::Channel channel) {
  std::string name = v1::Channel_Name(channel);
  return absl::AsciiStrToLower(absl::StripPrefix(name, "CHANNEL_"));
}

std::string AudienceName(v1::Audience audience) {
  std::string name = v1::Audience_Name(audience);
  return absl::AsciiStrToLower(absl::StripPrefix(name, "AUDIENCE_"));
}

const std::vector<Combination>& AllCombinations() {
  static const auto* const kAll = [] {
    auto* all = new std::vector<Combination>;
    for (const DefaultText& text : Defaults()) all->push_back(text.combination);
    return all;
  }();
  return *kAll;
}

bool IsCombination(const Combination& combination) { return FindDefault(combination) != nullptr; }

std::string TemplateId(const Combination& combination) {
  return absl::StrCat(TriggerName(combination.trigger), ".", ChannelName(combination.channel), ".",
                      AudienceName(combination.audience));
}

bool EnabledByDefault(const Combination& combination) {
  const DefaultText* text = FindDefault(combination);
  return text != nullptr && text->enabled;
}

bool RuleEnabled(const v1::NotificationSettings& settings, const Combination& combination) {
  for (const v1::Rule& rule : settings.rules()) {
    if (std::make_tuple(rule.trigger(), rule.channel(), rule.audience()) == Tie(combination)) {
      return rule.enabled();
    }
  }
  return EnabledByDefault(combination);
}

v1::Template DefaultTemplate(const Combination& combination) {
  v1::Template result;
  result.set_trigger(combination.trigger);
  result.set_channel(combination.channel);
  result.set_audience(combination.audience);
  result.set_built_in(true);
  if (const DefaultText* text = FindDefault(combination); text != nullptr) {
    result.set_subject(text->subject);
    result.set_body(text->body);
  }
  return result;
}

absl::Status ValidateSettings(const v1::NotificationSettings& settings) {
  std::set<std::tuple<v1::Trigger, v1::Channel, v1::Audience>> seen;
  for (int i = 0; i < settings.rules_size(); ++i) {
    const v1::Rule& rule = settings.rules(i);
    const Combination combination{rule.trigger(), rule.channel(), rule.audience()};
    if (!IsCombination(combination)) {
      return Invalid(
          absl::StrCat("settings.rules[", i, "]"),
          absl::StrCat("no rule sends ", TriggerName(rule.trigger()), " by ",
                       ChannelName(rule.channel()), " to ", AudienceName(rule.audience())));
    }
    if (!seen.insert(Tie(combination)).second) {
      return Invalid(absl::StrCat("settings.rules[", i, "]"),
                     absl::StrCat(TemplateId(combination), " is named twice"));
    }
  }
  const QuietWindow quiet{settings.quiet_hours().start_minute(),
                          settings.quiet_hours().end_minute()};
  if (absl::Status s = ValidateQuietWindow(quiet); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("settings.", s.message()));
  }
  if (settings.sender_name().size() > 100) return Invalid("settings.sender_name", "over 100 bytes");
  for (char c : settings.sender_name()) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Invalid("settings.sender_name", "control characters are not allowed");
    }
  }
  if (!settings.reply_to().empty() && !LooksLikeEmail(settings.reply_to())) {
    return Invalid("settings.reply_to", "not an email address");
  }
  return absl::OkStatus();
}

absl::Status ValidateTemplateToSave(const Combination& combination, const std::string& subject,
                                    const std::string& body) {
  if (!IsCombination(combination)) {
    return Invalid("trigger", absl::StrCat("no rule sends ", TriggerName(combination.trigger),
                                           " by ", ChannelName(combination.channel), " to ",
                                           AudienceName(combination.audience)));
  }
  if (body.empty()) return Invalid("body", "required");
  if (absl::Status s = ValidateTemplate(body, KnownPlaceholders()); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("body: ", s.message()));
  }
  if (combination.channel == v1::CHANNEL_SMS) {
    if (!subject.empty()) return Invalid("subject", "text messages have no subject");
    return absl::OkStatus();
  }
  if (subject.empty()) return Invalid("subject", "required for email");
  if (absl::StrContains(subject, "\n") || absl::StrContains(subject, "\r")) {
    return Invalid("subject", "one line");
  }
  if (absl::Status s = ValidateTemplate(subject, KnownPlaceholders()); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("subject: ", s.message()));
  }
  return absl::OkStatus();
}

bool LooksLikeEmail(const std::string& address) {
  const size_t at = address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string::npos) return false;
  for (char c : address) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',') {
      return false;
    }
  }
  return address.size() <= 254;
}

bool LooksLikePhone(const std::string& number) {
  if (number.size() < 9 || number.size() > 16 || number[0] != '+') return false;
  for (size_t i = 1; i < number.size(); ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(number[i]))) return false;
  }
  return true;
}

}  // namespace jobledger::notification
