// Rule combinations, their built-in templates and defaults, and settings/template validation.
#include "domain/rules.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/placeholders.h"
#include "domain/sms_text.h"
#include "domain/templates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr Combination kEnRouteSmsCustomer{v1::TRIGGER_TECHNICIAN_EN_ROUTE, v1::CHANNEL_SMS,
                                          v1::AUDIENCE_CUSTOMER};
constexpr Combination kScheduledSmsCustomer{v1::TRIGGER_APPOINTMENT_SCHEDULED, v1::CHANNEL_SMS,
                                            v1::AUDIENCE_CUSTOMER};
constexpr Combination kScheduledEmailCustomer{v1::TRIGGER_APPOINTMENT_SCHEDULED, v1::CHANNEL_EMAIL,
                                              v1::AUDIENCE_CUSTOMER};

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

google::protobuf::Timestamp UtcTimestamp(int year, int month, int day, int hour, int minute) {
  return ProtoFromTime(
      absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone()));
}

common::v1::Money Usd(int64_t minor_units) {
  common::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency("USD");
  return money;
}

// The facts of an ordinary visit and invoice, as the reactions would gather them.
struct RealisticFacts {
  RealisticFacts() {
    job.set_number(1234);
    job.set_title("Water heater replacement");
    customer.set_name("Maria Gonzalez");
    *window.mutable_start() = UtcTimestamp(2026, 11, 24, 10, 0);
    *window.mutable_end() = UtcTimestamp(2026, 11, 24, 12, 0);
    *previous_window.mutable_start() = UtcTimestamp(2026, 11, 23, 8, 0);
    *previous_window.mutable_end() = UtcTimestamp(2026, 11, 23, 10, 0);
    invoice.set_number(567);
    *invoice.mutable_total() = Usd(123450);
    *invoice.mutable_balance() = Usd(0);
    invoice.mutable_due_date()->set_year(2026);
    invoice.mutable_due_date()->set_month(12);
    invoice.mutable_due_date()->set_day(8);
    payment = Usd(123450);
  }

  std::map<std::string, std::string> Values() const {
    MessageFacts facts;
    facts.job = &job;
    facts.customer = &customer;
    facts.technician_name = "Sam Patel";
    facts.window = &window;
    facts.previous_window = &previous_window;
    facts.invoice = &invoice;
    facts.payment = &payment;
    facts.business_name = "Acme Plumbing & Heating";
    return PlaceholderValues(facts, absl::UTCTimeZone());
  }

  job::v1::Job job;
  job::v1::Customer customer;
  scheduling::v1::ArrivalWindow window;
  scheduling::v1::ArrivalWindow previous_window;
  billing::v1::Invoice invoice;
  common::v1::Money payment;
};

v1::Rule RuleFor(const Combination& combination, bool enabled) {
  v1::Rule rule;
  rule.set_trigger(combination.trigger);
  rule.set_channel(combination.channel);
  rule.set_audience(combination.audience);
  rule.set_enabled(enabled);
  return rule;
}

// ---------------------------------------------------------------- combinations and names

TEST(RuleNamesTest, AreLowerCaseWithoutTheEnumPrefix) {
  EXPECT_EQ(TriggerName(v1::TRIGGER_TECHNICIAN_EN_ROUTE), "technician_en_route");
  EXPECT_EQ(TriggerName(v1::TRIGGER_PAYMENT_RECEIVED), "payment_received");
  EXPECT_EQ(ChannelName(v1::CHANNEL_SMS), "sms");
  EXPECT_EQ(ChannelName(v1::CHANNEL_EMAIL), "email");
  EXPECT_EQ(AudienceName(v1::AUDIENCE_CUSTOMER), "customer");
  EXPECT_EQ(AudienceName(v1::AUDIENCE_TECHNICIAN), "technician");
}

TEST(TemplateIdTest, JoinsTriggerChannelAndAudienceWithDots) {
  EXPECT_EQ(TemplateId(kEnRouteSmsCustomer), "technician_en_route.sms.customer");
  EXPECT_EQ(
      TemplateId({v1::TRIGGER_APPOINTMENT_REASSIGNED, v1::CHANNEL_EMAIL, v1::AUDIENCE_TECHNICIAN}),
      "appointment_reassigned.email.technician");
}

TEST(AllCombinationsTest, AreUniqueAndEachIsACombination) {
  std::set<std::string> ids;
  for (const Combination& combination : AllCombinations()) {
    EXPECT_TRUE(IsCombination(combination)) << TemplateId(combination);
    EXPECT_TRUE(ids.insert(TemplateId(combination)).second) << TemplateId(combination);
  }
}

TEST(AllCombinationsTest, CustomersHearOfEveryTriggerByBothChannels) {
  for (int t = v1::Trigger_MIN; t <= v1::Trigger_MAX; ++t) {
    const auto trigger = static_cast<v1::Trigger>(t);
    if (trigger == v1::TRIGGER_UNSPECIFIED || !v1::Trigger_IsValid(t)) continue;
    for (v1::Channel channel : {v1::CHANNEL_SMS, v1::CHANNEL_EMAIL}) {
      EXPECT_TRUE(IsCombination({trigger, channel, v1::AUDIENCE_CUSTOMER}))
          << TriggerName(trigger) << " " << ChannelName(channel);
    }
  }
}

TEST(AllCombinationsTest, TechniciansHearOnlyOfScheduledRescheduledAndReassigned) {
  std::set<std::tuple<v1::Trigger, v1::Channel>> technician;
  for (const Combination& combination : AllCombinations()) {
    if (combination.audience == v1::AUDIENCE_TECHNICIAN) {
      technician.emplace(combination.trigger, combination.channel);
    }
  }
  const std::set<std::tuple<v1::Trigger, v1::Channel>> expected = {
      {v1::TRIGGER_APPOINTMENT_SCHEDULED, v1::CHANNEL_SMS},
      {v1::TRIGGER_APPOINTMENT_SCHEDULED, v1::CHANNEL_EMAIL},
      {v1::TRIGGER_APPOINTMENT_RESCHEDULED, v1::CHANNEL_SMS},
      {v1::TRIGGER_APPOINTMENT_RESCHEDULED, v1::CHANNEL_EMAIL},
      {v1::TRIGGER_APPOINTMENT_REASSIGNED, v1::CHANNEL_SMS},
      {v1::TRIGGER_APPOINTMENT_REASSIGNED, v1::CHANNEL_EMAIL},
  };
  EXPECT_EQ(technician, expected);
  EXPECT_FALSE(
      IsCombination({v1::TRIGGER_TECHNICIAN_EN_ROUTE, v1::CHANNEL_SMS, v1::AUDIENCE_TECHNICIAN}));
  EXPECT_FALSE(
      IsCombination({v1::TRIGGER_INVOICE_ISSUED, v1::CHANNEL_EMAIL, v1::AUDIENCE_TECHNICIAN}));
}

TEST(AllCombinationsTest, UnspecifiedPartsAreNoCombination) {
  EXPECT_FALSE(IsCombination({}));
  EXPECT_FALSE(IsCombination({v1::TRIGGER_UNSPECIFIED, v1::CHANNEL_SMS, v1::AUDIENCE_CUSTOMER}));
  EXPECT_FALSE(
      IsCombination({v1::TRIGGER_JOB_COMPLETED, v1::CHANNEL_UNSPECIFIED, v1::AUDIENCE_CUSTOMER}));
  EXPECT_FALSE(
      IsCombination({v1::TRIGGER_JOB_COMPLETED, v1::CHANNEL_SMS, v1::AUDIENCE_UNSPECIFIED}));
}

// ---------------------------------------------------------------- default templates

TEST(DefaultTemplateTest, EveryCombinationHasAValidBuiltInTemplate) {
  for (const Combination& combination : AllCombinations()) {
    SCOPED_TRACE(TemplateId(combination));
    const v1::Template text = DefaultTemplate(combination);
    EXPECT_TRUE(text.built_in());
    EXPECT_EQ(text.trigger(), combination.trigger);
    EXPECT_EQ(text.channel(), combination.channel);
    EXPECT_EQ(text.audience(), combination.audience);
    EXPECT_FALSE(text.body().empty());
    EXPECT_TRUE(ValidateTemplate(text.body(), KnownPlaceholders()).ok())
        << ValidateTemplate(text.body(), KnownPlaceholders());
    if (combination.channel == v1::CHANNEL_EMAIL) {
      EXPECT_FALSE(text.subject().empty());
      EXPECT_TRUE(ValidateTemplate(text.subject(), KnownPlaceholders()).ok())
          << ValidateTemplate(text.subject(), KnownPlaceholders());
    } else {
      EXPECT_TRUE(text.subject().empty());
    }
    // What the service would accept from a tenant, it ships itself.
    EXPECT_TRUE(ValidateTemplateToSave(combination, text.subject(), text.body()).ok())
        << ValidateTemplateToSave(combination, text.subject(), text.body());
  }
}

TEST(DefaultTemplateTest, EveryDefaultSmsIsOneGsm7SegmentWithRealisticValues) {
  const std::map<std::string, std::string> values = RealisticFacts().Values();
  int sms_templates = 0;
  for (const Combination& combination : AllCombinations()) {
    if (combination.channel != v1::CHANNEL_SMS) continue;
    ++sms_templates;
    SCOPED_TRACE(TemplateId(combination));
    const absl::StatusOr<std::string> text =
        RenderTemplate(DefaultTemplate(combination).body(), values);
    ASSERT_TRUE(text.ok()) << text.status();
    const absl::StatusOr<SmsLength> length = MeasureSms(*text);
    ASSERT_TRUE(length.ok()) << length.status();
    EXPECT_EQ(length->encoding, SmsEncoding::kGsm7) << *text;
    EXPECT_EQ(length->segments, 1) << *text << " (" << length->units << " septets)";
  }
  EXPECT_GT(sms_templates, 0);
}

TEST(DefaultTemplateTest, EveryDefaultRendersWithRealisticValues) {
  const std::map<std::string, std::string> values = RealisticFacts().Values();
  for (const Combination& combination : AllCombinations()) {
    SCOPED_TRACE(TemplateId(combination));
    const v1::Template text = DefaultTemplate(combination);
    const absl::StatusOr<std::string> body = RenderTemplate(text.body(), values);
    ASSERT_TRUE(body.ok()) << body.status();
    EXPECT_THAT(*body, Not(HasSubstr("{{")));
    const absl::StatusOr<std::string> subject = RenderTemplate(text.subject(), values);
    ASSERT_TRUE(subject.ok()) << subject.status();
  }
}

TEST(DefaultTemplateTest, RendersTheEnRouteTextAsExpected) {
  const absl::StatusOr<std::string> text =
      RenderTemplate(DefaultTemplate(kEnRouteSmsCustomer).body(), RealisticFacts().Values());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "Acme Plumbing & Heating: Sam Patel is on the way for JOB-1234, arriving "
            "10:00-12:00.");
}

TEST(DefaultTemplateTest, UnknownCombinationHasAnEmptyBuiltInTemplate) {
  const v1::Template text =
      DefaultTemplate({v1::TRIGGER_TECHNICIAN_ARRIVED, v1::CHANNEL_SMS, v1::AUDIENCE_TECHNICIAN});
  EXPECT_TRUE(text.built_in());
  EXPECT_TRUE(text.body().empty());
  EXPECT_TRUE(text.subject().empty());
}

// ---------------------------------------------------------------- rules

TEST(RuleEnabledTest, UsesTheDefaultWhenTheTenantHasNoRule) {
  const v1::NotificationSettings none;
  for (const Combination& combination : AllCombinations()) {
    EXPECT_EQ(RuleEnabled(none, combination), EnabledByDefault(combination))
        << TemplateId(combination);
  }
  EXPECT_TRUE(EnabledByDefault(kScheduledSmsCustomer));
  EXPECT_FALSE(
      EnabledByDefault({v1::TRIGGER_TECHNICIAN_ARRIVED, v1::CHANNEL_SMS, v1::AUDIENCE_CUSTOMER}));
}

TEST(RuleEnabledTest, TenantRuleOverridesTheDefaultEitherWay) {
  const Combination arrived_sms{v1::TRIGGER_TECHNICIAN_ARRIVED, v1::CHANNEL_SMS,
                                v1::AUDIENCE_CUSTOMER};
  ASSERT_FALSE(EnabledByDefault(arrived_sms));
  ASSERT_TRUE(EnabledByDefault(kScheduledSmsCustomer));
  v1::NotificationSettings settings;
  *settings.add_rules() = RuleFor(arrived_sms, true);
  *settings.add_rules() = RuleFor(kScheduledSmsCustomer, false);

  EXPECT_TRUE(RuleEnabled(settings, arrived_sms));
  EXPECT_FALSE(RuleEnabled(settings, kScheduledSmsCustomer));
  // A rule for one combination says nothing about its neighbours.
  EXPECT_TRUE(RuleEnabled(settings, kScheduledEmailCustomer));
  EXPECT_FALSE(RuleEnabled(
      settings, {v1::TRIGGER_TECHNICIAN_ARRIVED, v1::CHANNEL_EMAIL, v1::AUDIENCE_CUSTOMER}));
}

TEST(RuleEnabledTest, UnknownCombinationIsNeverEnabledByDefault) {
  EXPECT_FALSE(EnabledByDefault({}));
  EXPECT_FALSE(RuleEnabled(v1::NotificationSettings(),
                           {v1::TRIGGER_JOB_COMPLETED, v1::CHANNEL_SMS, v1::AUDIENCE_TECHNICIAN}));
}

// ---------------------------------------------------------------- settings validation

TEST(ValidateSettingsTest, AcceptsEmptyAndOrdinarySettings) {
  EXPECT_TRUE(ValidateSettings(v1::NotificationSettings()).ok());
  v1::NotificationSettings settings;
  *settings.add_rules() = RuleFor(kScheduledSmsCustomer, false);
  *settings.add_rules() = RuleFor(kEnRouteSmsCustomer, true);
  settings.mutable_quiet_hours()->set_start_minute(21 * 60);
  settings.mutable_quiet_hours()->set_end_minute(8 * 60);
  settings.set_sender_name("Acme Plumbing & Heating");
  settings.set_reply_to("office@acme.example");
  EXPECT_TRUE(ValidateSettings(settings).ok()) << ValidateSettings(settings);
}

TEST(ValidateSettingsTest, RefusesAnUnknownCombinationNamingTheRule) {
  v1::NotificationSettings settings;
  *settings.add_rules() = RuleFor(kScheduledSmsCustomer, true);
  *settings.add_rules() =
      RuleFor({v1::TRIGGER_TECHNICIAN_EN_ROUTE, v1::CHANNEL_SMS, v1::AUDIENCE_TECHNICIAN}, true);
  const absl::Status status = ValidateSettings(settings);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("settings.rules[1]"));
  EXPECT_THAT(MessageOf(status), HasSubstr("technician_en_route"));
}

TEST(ValidateSettingsTest, RefusesADuplicateRuleNamingTheSecond) {
  v1::NotificationSettings settings;
  *settings.add_rules() = RuleFor(kEnRouteSmsCustomer, true);
  *settings.add_rules() = RuleFor(kScheduledSmsCustomer, true);
  *settings.add_rules() = RuleFor(kEnRouteSmsCustomer, false);
  const absl::Status status = ValidateSettings(settings);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("settings.rules[2]"));
  EXPECT_THAT(MessageOf(status), HasSubstr("technician_en_route.sms.customer"));
}

TEST(ValidateSettingsTest, RefusesQuietHoursOutOfRangeNamingTheField) {
  v1::NotificationSettings start;
  start.mutable_quiet_hours()->set_start_minute(1440);
  EXPECT_EQ(ValidateSettings(start).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(ValidateSettings(start)), StartsWith("settings.quiet_hours.start_minute"));

  v1::NotificationSettings end;
  end.mutable_quiet_hours()->set_end_minute(-1);
  EXPECT_EQ(ValidateSettings(end).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(ValidateSettings(end)), StartsWith("settings.quiet_hours.end_minute"));
}

TEST(ValidateSettingsTest, RefusesAReplyToThatIsNoEmailAddress) {
  v1::NotificationSettings settings;
  settings.set_reply_to("office at acme");
  const absl::Status status = ValidateSettings(settings);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("settings.reply_to"));
}

TEST(ValidateSettingsTest, RefusesALongOrControlCharacterSenderName) {
  v1::NotificationSettings longer;
  longer.set_sender_name(std::string(101, 'a'));
  EXPECT_THAT(MessageOf(ValidateSettings(longer)), StartsWith("settings.sender_name"));
  v1::NotificationSettings at_limit;
  at_limit.set_sender_name(std::string(100, 'a'));
  EXPECT_TRUE(ValidateSettings(at_limit).ok());
  v1::NotificationSettings control;
  control.set_sender_name("Acme\nBcc: everyone");
  EXPECT_THAT(MessageOf(ValidateSettings(control)), StartsWith("settings.sender_name"));
}

// ---------------------------------------------------------------- template validation

TEST(ValidateTemplateToSaveTest, AcceptsOrdinaryTemplates) {
  EXPECT_TRUE(ValidateTemplateToSave(kEnRouteSmsCustomer, "",
                                     "{{technician.name}} is on the way ({{appointment.window}})")
                  .ok());
  EXPECT_TRUE(ValidateTemplateToSave(kScheduledEmailCustomer, "Visit {{job.number}}",
                                     "Hello {{customer.name}},\n\nSee you {{appointment.date}}.")
                  .ok());
}

TEST(ValidateTemplateToSaveTest, RefusesAnUnknownPlaceholderInTheBody) {
  const absl::Status status =
      ValidateTemplateToSave(kEnRouteSmsCustomer, "", "On the way for {{job.numbr}}");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("body"));
  EXPECT_THAT(MessageOf(status), HasSubstr("{{job.numbr}}"));
}

TEST(ValidateTemplateToSaveTest, RefusesAnUnknownPlaceholderInTheSubject) {
  const absl::Status status =
      ValidateTemplateToSave(kScheduledEmailCustomer, "Visit {{job.numbr}}", "Hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("subject"));
  EXPECT_THAT(MessageOf(status), HasSubstr("{{job.numbr}}"));
}

TEST(ValidateTemplateToSaveTest, RefusesAnEmptyBody) {
  const absl::Status status = ValidateTemplateToSave(kEnRouteSmsCustomer, "", "");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("body"));
}

TEST(ValidateTemplateToSaveTest, RefusesASubjectOnSms) {
  const absl::Status status = ValidateTemplateToSave(kEnRouteSmsCustomer, "Hi", "On the way");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("subject"));
}

TEST(ValidateTemplateToSaveTest, RequiresASubjectForEmail) {
  const absl::Status status = ValidateTemplateToSave(kScheduledEmailCustomer, "", "Hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("subject"));
}

TEST(ValidateTemplateToSaveTest, RefusesAMultiLineSubject) {
  for (const std::string subject : {"Your visit\nBcc: x@example.com", "Your visit\r", "\r\n"}) {
    const absl::Status status = ValidateTemplateToSave(kScheduledEmailCustomer, subject, "Hello");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << subject;
    EXPECT_THAT(MessageOf(status), StartsWith("subject"));
  }
}

TEST(ValidateTemplateToSaveTest, RefusesAnUnknownCombination) {
  const absl::Status status = ValidateTemplateToSave(
      {v1::TRIGGER_TECHNICIAN_EN_ROUTE, v1::CHANNEL_SMS, v1::AUDIENCE_TECHNICIAN}, "", "Hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(status), StartsWith("trigger"));
}

// ---------------------------------------------------------------- addresses

TEST(LooksLikeEmailTest, AcceptsPlausibleAddresses) {
  EXPECT_TRUE(LooksLikeEmail("maria@example.com"));
  EXPECT_TRUE(LooksLikeEmail("maria.gonzalez+jobs@mail.example.co.uk"));
  EXPECT_TRUE(LooksLikeEmail("a@b"));
  EXPECT_TRUE(
      LooksLikeEmail("mar\xC3\xAD"
                     "a@example.com"));  // UTF-8 local part
}

TEST(LooksLikeEmailTest, RefusesImplausibleAddresses) {
  EXPECT_FALSE(LooksLikeEmail(""));
  EXPECT_FALSE(LooksLikeEmail("maria"));
  EXPECT_FALSE(LooksLikeEmail("@example.com"));
  EXPECT_FALSE(LooksLikeEmail("maria@"));
  EXPECT_FALSE(LooksLikeEmail("maria@office@example.com"));
  EXPECT_FALSE(LooksLikeEmail("maria gonzalez@example.com"));
  EXPECT_FALSE(LooksLikeEmail("maria@example.com\r\nBcc: x@example.com"));
  EXPECT_FALSE(LooksLikeEmail("maria\t@example.com"));
  EXPECT_FALSE(LooksLikeEmail("Maria <maria@example.com>"));
  EXPECT_FALSE(LooksLikeEmail("a@example.com,b@example.com"));
  EXPECT_FALSE(LooksLikeEmail(std::string("maria\0@example.com", 18)));
}

TEST(LooksLikeEmailTest, RefusesTheDeleteControlCharacter) {
  EXPECT_FALSE(LooksLikeEmail("maria\x7f@example.com"));
}

TEST(LooksLikeEmailTest, AllowsAtMost254Bytes) {
  const std::string domain = "@example.com";
  EXPECT_TRUE(LooksLikeEmail(std::string(254 - domain.size(), 'a') + domain));
  EXPECT_FALSE(LooksLikeEmail(std::string(255 - domain.size(), 'a') + domain));
}

TEST(LooksLikePhoneTest, AcceptsE164Numbers) {
  EXPECT_TRUE(LooksLikePhone("+15551234567"));
  EXPECT_TRUE(LooksLikePhone("+12345678"));         // 8 digits
  EXPECT_TRUE(LooksLikePhone("+123456789012345"));  // 15 digits
}

TEST(LooksLikePhoneTest, RefusesAnythingElse) {
  EXPECT_FALSE(LooksLikePhone(""));
  EXPECT_FALSE(LooksLikePhone("+"));
  EXPECT_FALSE(LooksLikePhone("+1234567"));           // 7 digits
  EXPECT_FALSE(LooksLikePhone("+1234567890123456"));  // 16 digits
  EXPECT_FALSE(LooksLikePhone("15551234567"));        // no +
  EXPECT_FALSE(LooksLikePhone("+1 555 123 4567"));
  EXPECT_FALSE(LooksLikePhone("+1-555-123-4567"));
  EXPECT_FALSE(LooksLikePhone("+1555123456a"));
  EXPECT_FALSE(LooksLikePhone("++15551234567"));
}

}  // namespace
}  // namespace jobledger::notification
