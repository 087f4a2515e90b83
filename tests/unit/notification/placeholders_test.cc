// Placeholder values: every known name filled, public notes only, local times, money.
#include "domain/placeholders.h"

#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/templates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::notification {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Key;
using ::testing::Not;

google::protobuf::Timestamp UtcTimestamp(int year, int month, int day, int hour, int minute) {
  return ProtoFromTime(
      absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone()));
}

absl::Time UtcTime(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone());
}

scheduling::v1::ArrivalWindow UtcWindow(int year, int month, int day, int start_hour,
                                        int end_hour) {
  scheduling::v1::ArrivalWindow window;
  *window.mutable_start() = UtcTimestamp(year, month, day, start_hour, 0);
  *window.mutable_end() = UtcTimestamp(year, month, day, end_hour, 0);
  return window;
}

common::v1::Money MoneyOf(int64_t minor_units, const std::string& currency) {
  common::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(currency);
  return money;
}

job::v1::Note NoteOf(const std::string& text, job::v1::NoteVisibility visibility) {
  job::v1::Note note;
  note.set_text(text);
  note.set_visibility(visibility);
  return note;
}

std::map<std::string, std::string> ValuesWithJob(const job::v1::Job& job) {
  MessageFacts facts;
  facts.job = &job;
  return PlaceholderValues(facts, absl::UTCTimeZone());
}

TEST(PlaceholderValuesTest, EveryKnownPlaceholderHasAValueEvenWithoutFacts) {
  const std::map<std::string, std::string> values =
      PlaceholderValues(MessageFacts(), absl::UTCTimeZone());
  for (const std::string& name : KnownPlaceholders()) {
    EXPECT_THAT(values, Contains(Key(name)));
  }
  // Nothing else: a value with no placeholder would be dead code or a misspelling.
  EXPECT_EQ(values.size(), KnownPlaceholders().size());
  for (const auto& [name, value] : values) {
    if (name == "technician.name") continue;
    EXPECT_EQ(value, "") << name;
  }
}

TEST(PlaceholderValuesTest, EveryKnownPlaceholderRendersWithoutFacts) {
  const std::map<std::string, std::string> values =
      PlaceholderValues(MessageFacts(), absl::UTCTimeZone());
  for (const std::string& name : KnownPlaceholders()) {
    EXPECT_TRUE(RenderTemplate("{{" + name + "}}", values).ok()) << name;
  }
}

TEST(PlaceholderValuesTest, FillsEveryValueFromTheFacts) {
  job::v1::Job job;
  job.set_number(1234);
  job.set_title("Water heater replacement");
  *job.add_notes() = NoteOf("Replaced the anode rod.", job::v1::NOTE_VISIBILITY_PUBLIC);
  job::v1::Customer customer;
  customer.set_name("Maria Gonzalez");
  const scheduling::v1::ArrivalWindow window = UtcWindow(2026, 11, 24, 10, 12);
  const scheduling::v1::ArrivalWindow previous = UtcWindow(2026, 11, 23, 8, 10);
  billing::v1::Invoice invoice;
  invoice.set_number(567);
  *invoice.mutable_total() = MoneyOf(123450, "USD");
  *invoice.mutable_balance() = MoneyOf(23450, "USD");
  invoice.mutable_due_date()->set_year(2026);
  invoice.mutable_due_date()->set_month(12);
  invoice.mutable_due_date()->set_day(8);
  const common::v1::Money payment = MoneyOf(100000, "USD");

  MessageFacts facts;
  facts.job = &job;
  facts.customer = &customer;
  facts.technician_name = "Sam Patel";
  facts.window = &window;
  facts.previous_window = &previous;
  facts.invoice = &invoice;
  facts.payment = &payment;
  facts.business_name = "Acme Plumbing & Heating";
  const std::map<std::string, std::string> values = PlaceholderValues(facts, absl::UTCTimeZone());

  const std::map<std::string, std::string> expected = {
      {"business.name", "Acme Plumbing & Heating"},
      {"customer.name", "Maria Gonzalez"},
      {"technician.name", "Sam Patel"},
      {"job.number", "JOB-1234"},
      {"job.title", "Water heater replacement"},
      {"note.public", "Replaced the anode rod."},
      {"appointment.window", "10:00-12:00"},
      {"appointment.date", "Tue 24 Nov"},
      {"appointment.previous_window", "Mon 23 Nov 08:00-10:00"},
      {"invoice.number", "INV-567"},
      {"invoice.total", "USD 1234.50"},
      {"invoice.balance", "USD 234.50"},
      {"invoice.due_date", "2026-12-08"},
      {"payment.amount", "USD 1000.00"},
  };
  EXPECT_EQ(values, expected);
}

TEST(PlaceholderValuesTest, UsesTheLatestPublicNote) {
  job::v1::Job job;
  *job.add_notes() = NoteOf("Quoted the tank.", job::v1::NOTE_VISIBILITY_PUBLIC);
  *job.add_notes() = NoteOf("Replaced the anode rod.", job::v1::NOTE_VISIBILITY_PUBLIC);
  *job.add_notes() = NoteOf("Customer was rude.", job::v1::NOTE_VISIBILITY_INTERNAL);
  const std::map<std::string, std::string> values = ValuesWithJob(job);
  EXPECT_EQ(values.at("note.public"), "Replaced the anode rod.");
}

TEST(PlaceholderValuesTest, NeverUsesAnInternalNote) {
  job::v1::Job job;
  *job.add_notes() = NoteOf("Gate code 4321.", job::v1::NOTE_VISIBILITY_INTERNAL);
  *job.add_notes() = NoteOf("Replaced the anode rod.", job::v1::NOTE_VISIBILITY_PUBLIC);
  *job.add_notes() = NoteOf("Customer was rude.", job::v1::NOTE_VISIBILITY_INTERNAL);
  *job.add_notes() = NoteOf("Unclassified note.", job::v1::NOTE_VISIBILITY_UNSPECIFIED);
  for (const auto& [name, value] : ValuesWithJob(job)) {
    EXPECT_THAT(value, Not(HasSubstr("Gate code"))) << name;
    EXPECT_THAT(value, Not(HasSubstr("rude"))) << name;
    EXPECT_THAT(value, Not(HasSubstr("Unclassified"))) << name;
  }
}

TEST(PlaceholderValuesTest, OnlyInternalNotesLeaveThePublicNoteEmpty) {
  job::v1::Job job;
  *job.add_notes() = NoteOf("Gate code 4321.", job::v1::NOTE_VISIBILITY_INTERNAL);
  EXPECT_EQ(ValuesWithJob(job).at("note.public"), "");
}

TEST(PlaceholderValuesTest, MissingTechnicianIsYourTechnician) {
  EXPECT_EQ(PlaceholderValues(MessageFacts(), absl::UTCTimeZone()).at("technician.name"),
            "your technician");
}

TEST(PlaceholderValuesTest, PassesJoinedTechnicianNamesThroughAsGiven) {
  MessageFacts facts;
  facts.technician_name = "Sam Patel and Lee Wong";
  EXPECT_EQ(PlaceholderValues(facts, absl::UTCTimeZone()).at("technician.name"),
            "Sam Patel and Lee Wong");
}

TEST(PlaceholderValuesTest, TimesAreInTheTenantsZone) {
  absl::TimeZone chicago;
  if (!absl::LoadTimeZone("America/Chicago", &chicago)) {
    GTEST_SKIP() << "no tzdata for America/Chicago";
  }
  // 16:00-18:00 UTC on 24 Nov is 10:00-12:00 CST (UTC-6).
  const scheduling::v1::ArrivalWindow window = UtcWindow(2026, 11, 24, 16, 18);
  // 02:00-04:00 UTC on 24 Nov is still the evening of the 23rd in Chicago.
  const scheduling::v1::ArrivalWindow previous = UtcWindow(2026, 11, 24, 2, 4);
  MessageFacts facts;
  facts.window = &window;
  facts.previous_window = &previous;
  const std::map<std::string, std::string> values = PlaceholderValues(facts, chicago);
  EXPECT_EQ(values.at("appointment.window"), "10:00-12:00");
  EXPECT_EQ(values.at("appointment.date"), "Tue 24 Nov");
  EXPECT_EQ(values.at("appointment.previous_window"), "Mon 23 Nov 20:00-22:00");
}

TEST(PlaceholderValuesTest, UnknownCurrencyLeavesMoneyEmpty) {
  billing::v1::Invoice invoice;
  *invoice.mutable_total() = MoneyOf(100, "dollars");
  MessageFacts facts;
  facts.invoice = &invoice;
  EXPECT_EQ(PlaceholderValues(facts, absl::UTCTimeZone()).at("invoice.total"), "");
}

TEST(PlaceholderValuesTest, InvoiceWithoutDueDateHasAnEmptyDueDate) {
  billing::v1::Invoice invoice;
  invoice.set_number(567);
  MessageFacts facts;
  facts.invoice = &invoice;
  const std::map<std::string, std::string> values = PlaceholderValues(facts, absl::UTCTimeZone());
  EXPECT_EQ(values.at("invoice.number"), "INV-567");
  EXPECT_EQ(values.at("invoice.due_date"), "");
}

TEST(FormatWindowTest, UsesAnAsciiHyphen) {
  const std::string text = FormatWindow(UtcWindow(2026, 11, 24, 10, 12), absl::UTCTimeZone());
  EXPECT_EQ(text, "10:00-12:00");
  for (char c : text) EXPECT_TRUE(absl::ascii_isascii(static_cast<unsigned char>(c))) << text;
}

TEST(FormatWindowTest, ConvertsToTheZone) {
  absl::TimeZone chicago;
  if (!absl::LoadTimeZone("America/Chicago", &chicago)) {
    GTEST_SKIP() << "no tzdata for America/Chicago";
  }
  // Summer: CDT is UTC-5.
  EXPECT_EQ(FormatWindow(UtcWindow(2026, 7, 14, 15, 17), chicago), "10:00-12:00");
  // Winter: CST is UTC-6.
  EXPECT_EQ(FormatWindow(UtcWindow(2026, 11, 24, 16, 18), chicago), "10:00-12:00");
}

TEST(FormatDayTest, IsWeekdayDayAndMonth) {
  EXPECT_EQ(FormatDay(UtcTime(2026, 11, 24, 10, 0), absl::UTCTimeZone()), "Tue 24 Nov");
}

TEST(FormatDayTest, SingleDigitDayHasOneSpace) {
  EXPECT_EQ(FormatDay(UtcTime(2026, 11, 4, 10, 0), absl::UTCTimeZone()), "Wed 4 Nov");
}

TEST(FormatMoneyTest, IsCurrencyAndAmountWithTheCurrencysDecimals) {
  EXPECT_EQ(FormatMoney(MoneyOf(123450, "USD")), "USD 1234.50");
  EXPECT_EQ(FormatMoney(MoneyOf(7, "USD")), "USD 0.07");
  EXPECT_EQ(FormatMoney(MoneyOf(1500, "JPY")), "JPY 1500");
}

TEST(FormatMoneyTest, InvalidCurrencyIsEmpty) {
  EXPECT_EQ(FormatMoney(MoneyOf(100, "")), "");
  EXPECT_EQ(FormatMoney(MoneyOf(100, "usd")), "");
}

}  // namespace
}  // namespace jobledger::notification
