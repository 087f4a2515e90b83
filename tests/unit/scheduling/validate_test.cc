// Request validation of the scheduling service: INVALID_ARGUMENT naming the offending field.
#include "domain/validate.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::scheduling {
namespace {

// INVALID_ARGUMENT whose message starts with `text` ("field: problem", or just "field").
MATCHER_P(IsInvalid, text, absl::StrCat("is INVALID_ARGUMENT starting \"", text, "\"")) {
  *result_listener << "which is " << arg.ToString();
  return arg.code() == absl::StatusCode::kInvalidArgument && absl::StartsWith(arg.message(), text);
}

MATCHER(IsOk, "is OK") {
  *result_listener << "which is " << arg.ToString();
  return arg.ok();
}

constexpr char kJob[] = "0190f3a4-5b6c-7d8e-9f01-000000000001";
constexpr char kAppointment[] = "0190f3a4-5b6c-7d8e-9f01-000000000002";
constexpr char kCrew[] = "0190f3a4-5b6c-7d8e-9f01-000000000003";
constexpr char kCrew2[] = "0190f3a4-5b6c-7d8e-9f01-000000000004";
constexpr char kZone[] = "0190f3a4-5b6c-7d8e-9f01-000000000005";
constexpr char kCustomer[] = "0190f3a4-5b6c-7d8e-9f01-000000000006";
constexpr char kTimeOff[] = "0190f3a4-5b6c-7d8e-9f01-000000000007";
constexpr char kAgreement[] = "0190f3a4-5b6c-7d8e-9f01-000000000008";

// 2026-03-09 13:00:00 UTC.
constexpr int64_t kBase = 1'773'061'200;
constexpr int64_t kHour = 3600;

google::protobuf::Timestamp Ts(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  time.set_nanos(nanos);
  return time;
}

v1::ArrivalWindow Window(int64_t start, int64_t end) {
  v1::ArrivalWindow window;
  *window.mutable_start() = Ts(start);
  *window.mutable_end() = Ts(end);
  return window;
}

common::v1::LocalDate Date(int year, int month, int day) {
  common::v1::LocalDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::ShiftPeriod Period(int weekday, int start_minute, int end_minute) {
  v1::ShiftPeriod period;
  period.set_weekday(weekday);
  period.set_start_minute(start_minute);
  period.set_end_minute(end_minute);
  return period;
}

google::protobuf::RepeatedPtrField<v1::ShiftPeriod> Shifts(
    std::initializer_list<v1::ShiftPeriod> periods) {
  return {periods.begin(), periods.end()};
}

v1::Skill Skill(const std::string& name, int level) {
  v1::Skill skill;
  skill.set_name(name);
  skill.set_level(level);
  return skill;
}

google::protobuf::RepeatedPtrField<v1::Skill> Skills(std::initializer_list<v1::Skill> skills) {
  return {skills.begin(), skills.end()};
}

// ================================================================ field helpers

TEST(ValidateUserId, AcceptsPrintableAscii) {
  EXPECT_THAT(ValidateUserId("technician_id", "auth0|5f7c8ec7c33c6c004bbafe82"), IsOk());
  EXPECT_THAT(ValidateUserId("technician_id", std::string(128, 'x')), IsOk());
}

TEST(ValidateUserId, RefusesEmptyLongSpacesAndNonAscii) {
  EXPECT_THAT(ValidateUserId("technician_id", ""), IsInvalid("technician_id: required"));
  EXPECT_THAT(ValidateUserId("technician_id", std::string(129, 'x')),
              IsInvalid("technician_id: at most 128 characters"));
  EXPECT_THAT(ValidateUserId("technician_id", "ana ruiz"),
              IsInvalid("technician_id: printable ASCII without spaces"));
  EXPECT_THAT(ValidateUserId("technician_id", "ana\tr"),
              IsInvalid("technician_id: printable ASCII without spaces"));
  EXPECT_THAT(ValidateUserId("technician_id", "josé"),
              IsInvalid("technician_id: printable ASCII without spaces"));
  EXPECT_THAT(ValidateUserId("technician_id", "a\x7F"),
              IsInvalid("technician_id: printable ASCII without spaces"));
}

TEST(ValidateSkills, AcceptsDistinctSkills) {
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill("hvac", 1), Skill("plumbing", 5)})), IsOk());
  EXPECT_THAT(ValidateSkills("skills", {}), IsOk());
}

TEST(ValidateSkills, EachProblemNamesTheSkill) {
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill("hvac", 1), Skill(" ", 2)})),
              IsInvalid("skills[1].name: required"));
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill(std::string(65, 'a'), 2)})),
              IsInvalid("skills[0].name: at most 64 bytes"));
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill("hvac", 0)})),
              IsInvalid("skills[0].level: between 1 and 5"));
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill("hvac", 1), Skill("gas", 6)})),
              IsInvalid("skills[1].level: between 1 and 5"));
}

TEST(ValidateSkills, TheSameNameTwiceIsRefused) {
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill("hvac", 1), Skill("HVAC", 2)})),
              IsInvalid("skills[1].name: listed twice"));
  // Stored trimmed and lower-cased, so these are one skill too.
  EXPECT_THAT(ValidateSkills("skills", Skills({Skill("hvac", 1), Skill(" Hvac ", 2)})),
              IsInvalid("skills[1].name: listed twice"));
}

TEST(ValidateSkills, AtMostAHundred) {
  google::protobuf::RepeatedPtrField<v1::Skill> skills;
  for (int i = 0; i < 101; ++i) *skills.Add() = Skill(absl::StrCat("skill", i), 1);
  EXPECT_THAT(ValidateSkills("skills", skills), IsInvalid("skills: at most 100"));
  skills.RemoveLast();
  EXPECT_THAT(ValidateSkills("skills", skills), IsOk());
}

// ---- shifts

constexpr int kMonday = 1;
constexpr int kTuesday = 2;
constexpr int kSunday = 7;

TEST(ValidateShifts, AcceptsAWeek) {
  EXPECT_THAT(ValidateShifts("shifts", {}), IsOk());
  EXPECT_THAT(ValidateShifts("shifts",
                             Shifts({Period(kMonday, 8 * 60, 12 * 60),
                                     Period(kMonday, 12 * 60, 17 * 60),  // touching
                                     Period(kTuesday, 0, 1440), Period(kSunday, 22 * 60, 6 * 60)})),
              IsOk());
}

TEST(ValidateShifts, FieldRangesNameThePeriod) {
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(0, 60, 120)})),
              IsInvalid("shifts[0].weekday: 1 (Monday) to 7 (Sunday)"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 60, 120), Period(8, 60, 120)})),
              IsInvalid("shifts[1].weekday"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, -1, 120)})),
              IsInvalid("shifts[0].start_minute: between 0 and 1439"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 1440, 120)})),
              IsInvalid("shifts[0].start_minute: between 0 and 1439"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 60, 1441)})),
              IsInvalid("shifts[0].end_minute: between 0 and 1440"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 60, -5)})),
              IsInvalid("shifts[0].end_minute: between 0 and 1440"));
}

TEST(ValidateShifts, OverlapsOnADayAreRefused) {
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 8 * 60, 12 * 60),
                                               Period(kMonday, 11 * 60, 17 * 60)})),
              IsInvalid("shifts[1]: overlaps another period"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 8 * 60, 12 * 60),
                                               Period(kTuesday, 8 * 60, 12 * 60),
                                               Period(kMonday, 9 * 60, 10 * 60)})),
              IsInvalid("shifts[2]: overlaps another period"));
}

TEST(ValidateShifts, AWholeDayShiftLeavesNoRoomThatDay) {
  // end_minute == start_minute: round the clock.
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 8 * 60, 8 * 60),
                                               Period(kTuesday, 7 * 60, 8 * 60)})),
              IsInvalid("shifts[1]: overlaps another period"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 8 * 60, 8 * 60),
                                               Period(kTuesday, 8 * 60, 9 * 60)})),
              IsOk());
}

TEST(ValidateShifts, AnOvernightPeriodOverlapsTheNextMorning) {
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 22 * 60, 6 * 60),
                                               Period(kTuesday, 5 * 60, 9 * 60)})),
              IsInvalid("shifts[1]: overlaps another period"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 22 * 60, 6 * 60),
                                               Period(kTuesday, 6 * 60, 9 * 60)})),
              IsOk());
}

TEST(ValidateShifts, SundayNightWrapsIntoMonday) {
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kSunday, 22 * 60, 6 * 60),
                                               Period(kMonday, 5 * 60, 9 * 60)})),
              IsInvalid("shifts[1]: overlaps another period"));
  // The other way round.
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kMonday, 5 * 60, 9 * 60),
                                               Period(kSunday, 22 * 60, 6 * 60)})),
              IsInvalid("shifts[1]: overlaps another period"));
  EXPECT_THAT(ValidateShifts("shifts", Shifts({Period(kSunday, 22 * 60, 6 * 60),
                                               Period(kMonday, 6 * 60, 9 * 60)})),
              IsOk());
}

TEST(ValidateShifts, EveryNightOfTheWeekFits) {
  google::protobuf::RepeatedPtrField<v1::ShiftPeriod> shifts;
  for (int day = kMonday; day <= kSunday; ++day) *shifts.Add() = Period(day, 22 * 60, 6 * 60);
  EXPECT_THAT(ValidateShifts("shifts", shifts), IsOk());
}

TEST(ValidateShifts, AtMostSeventyPeriods) {
  google::protobuf::RepeatedPtrField<v1::ShiftPeriod> shifts;
  for (int day = kMonday; day <= kSunday; ++day) {
    for (int hour = 0; hour < 10; ++hour) *shifts.Add() = Period(day, hour * 60, hour * 60 + 30);
  }
  EXPECT_THAT(ValidateShifts("shifts", shifts), IsOk());
  *shifts.Add() = Period(kMonday, 20 * 60, 21 * 60);
  EXPECT_THAT(ValidateShifts("shifts", shifts), IsInvalid("shifts: at most 70 periods"));
}

// ---- window and day range

TEST(ValidateWindow, AcceptsUpToADay) {
  EXPECT_THAT(ValidateWindow("window", Window(kBase, kBase + 1)), IsOk());
  EXPECT_THAT(ValidateWindow("window", Window(kBase, kBase + 24 * kHour)), IsOk());
}

TEST(ValidateWindow, EachProblemNamesTheEnd) {
  v1::ArrivalWindow window = Window(kBase, kBase + kHour);
  window.clear_start();
  EXPECT_THAT(ValidateWindow("window", window), IsInvalid("window.start: required"));
  window = Window(kBase, kBase + kHour);
  window.clear_end();
  EXPECT_THAT(ValidateWindow("window", window), IsInvalid("window.end: required"));
  EXPECT_THAT(ValidateWindow("window", Window(-5, kBase)),
              IsInvalid("window.start: not a valid time"));
  window = Window(kBase, kBase + kHour);
  window.mutable_end()->set_nanos(-1);
  EXPECT_THAT(ValidateWindow("window", window), IsInvalid("window.end: not a valid time"));
  EXPECT_THAT(ValidateWindow("window", Window(kBase, kBase)),
              IsInvalid("window.end: must be after start"));
  EXPECT_THAT(ValidateWindow("window", Window(kBase, kBase - kHour)),
              IsInvalid("window.end: must be after start"));
  EXPECT_THAT(ValidateWindow("window", Window(kBase, kBase + 24 * kHour + 1)),
              IsInvalid("window.end: at most 24 hours after start"));
}

TEST(ValidateWindow, SubSecondPrecisionCounts) {
  v1::ArrivalWindow window = Window(kBase, kBase);
  window.mutable_end()->set_nanos(1);
  EXPECT_THAT(ValidateWindow("window", window), IsOk());
  window = Window(kBase, kBase + 24 * kHour);
  window.mutable_end()->set_nanos(500'000'000);
  EXPECT_THAT(ValidateWindow("window", window),
              IsInvalid("window.end: at most 24 hours after start"));
}

TEST(ValidateDayRange, AcceptsUpToMaxDaysInclusive) {
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", Date(2026, 3, 1), 31),
              IsOk());
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", Date(2026, 3, 31), 31),
              IsOk());
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", Date(2026, 3, 1), 1),
              IsOk());
}

TEST(ValidateDayRange, Limits) {
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", Date(2026, 4, 1), 31),
              IsInvalid("last_day: at most 31 days from the first"));
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", Date(2026, 3, 2), 1),
              IsInvalid("last_day: at most 1 days from the first"));
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 2), "last_day", Date(2026, 3, 1), 31),
              IsInvalid("last_day: before the first day"));
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 2, 29), "last_day", Date(2026, 3, 1), 31),
              IsInvalid("first_day: not a valid date"));
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", Date(2026, 13, 1), 31),
              IsInvalid("last_day: not a valid date"));
  EXPECT_THAT(ValidateDayRange("first_day", Date(2026, 3, 1), "last_day", {}, 31),
              IsInvalid("last_day: not a valid date"));
}

// ================================================================ technicians

v1::RegisterTechnicianRequest Registration() {
  v1::RegisterTechnicianRequest request;
  request.set_technician_id("auth0|ana");
  request.set_name("Ana Ruiz");
  request.set_phone("+15551234567");
  request.set_email("ana@example.com");
  *request.add_skills() = Skill("hvac", 3);
  request.set_home_zone_id(kZone);
  *request.add_shifts() = Period(kMonday, 8 * 60, 17 * 60);
  return request;
}

TEST(ValidateRegisterTechnician, AcceptsAFullRequestAndAMinimalOne) {
  EXPECT_THAT(ValidateRegisterTechnician(Registration()), IsOk());
  v1::RegisterTechnicianRequest minimal;
  minimal.set_name("Bo");
  EXPECT_THAT(ValidateRegisterTechnician(minimal), IsOk());
}

TEST(ValidateRegisterTechnician, EachFieldIsNamed) {
  v1::RegisterTechnicianRequest request = Registration();
  request.mutable_meta()->set_idempotency_key(std::string(129, 'k'));
  EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("meta.idempotency_key"));

  request = Registration();
  request.set_technician_id("has space");
  EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("technician_id: printable ASCII"));

  request = Registration();
  request.set_name("  ");
  EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("name: required"));
  request.set_name(std::string(201, 'n'));
  EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("name: at most 200 bytes"));

  request = Registration();
  for (const char* phone : {"5551234567", "+1555", "+1555123456789012", "+1555-123-4567"}) {
    request.set_phone(phone);
    EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("phone: an E.164 number")) << phone;
  }

  request = Registration();
  for (const char* email :
       {"ana", "@example.com", "ana@", "ana @example.com", "a<b>@example.com"}) {
    request.set_email(email);
    EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("email: not an email address"))
        << email;
  }

  request = Registration();
  *request.add_skills() = Skill("plumbing", 9);
  EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("skills[1].level"));

  request = Registration();
  request.set_home_zone_id("downtown");
  EXPECT_THAT(ValidateRegisterTechnician(request),
              IsInvalid("home_zone_id: must be a UUID in lower-case canonical form"));

  request = Registration();
  *request.add_shifts() = Period(kMonday, 16 * 60, 18 * 60);
  EXPECT_THAT(ValidateRegisterTechnician(request), IsInvalid("shifts[1]: overlaps another period"));
}

v1::UpdateTechnicianRequest Update() {
  v1::UpdateTechnicianRequest request;
  request.set_technician_id("auth0|ana");
  request.add_update_fields("name");
  request.add_update_fields("skills");
  request.set_name("Ana R.");
  *request.add_skills() = Skill("hvac", 4);
  return request;
}

TEST(ValidateUpdateTechnician, AcceptsListedFields) {
  EXPECT_THAT(ValidateUpdateTechnician(Update()), IsOk());
  v1::UpdateTechnicianRequest clear_phone;
  clear_phone.set_technician_id("auth0|ana");
  clear_phone.add_update_fields("phone");
  EXPECT_THAT(ValidateUpdateTechnician(clear_phone), IsOk());
}

TEST(ValidateUpdateTechnician, EachFieldIsNamed) {
  v1::UpdateTechnicianRequest request = Update();
  request.clear_technician_id();
  EXPECT_THAT(ValidateUpdateTechnician(request), IsInvalid("technician_id: required"));

  request = Update();
  request.clear_update_fields();
  EXPECT_THAT(ValidateUpdateTechnician(request), IsInvalid("update_fields: required"));

  request = Update();
  request.add_update_fields("active");
  EXPECT_THAT(ValidateUpdateTechnician(request),
              IsInvalid("update_fields[2]: one of name, phone, email, skills, home_zone_id"));

  request = Update();
  request.set_name(" ");
  EXPECT_THAT(ValidateUpdateTechnician(request), IsInvalid("name: required"));

  request = Update();
  request.set_email("nope");
  EXPECT_THAT(ValidateUpdateTechnician(request), IsInvalid("email: not an email address"));

  request = Update();
  *request.add_skills() = Skill("HVAC", 1);
  EXPECT_THAT(ValidateUpdateTechnician(request), IsInvalid("skills[1].name: listed twice"));

  request = Update();
  request.set_home_zone_id("z1");
  EXPECT_THAT(ValidateUpdateTechnician(request), IsInvalid("home_zone_id: must be a UUID"));
}

TEST(ValidateUpdateTechnician, ABlankNameIsFineWhenNotChanged) {
  v1::UpdateTechnicianRequest request;
  request.set_technician_id("auth0|ana");
  request.add_update_fields("phone");
  request.set_phone("+15551234567");
  EXPECT_THAT(ValidateUpdateTechnician(request), IsOk());
}

TEST(ValidateSetTechnicianActive, AReasonIsNeededOnlyToDeactivate) {
  v1::SetTechnicianActiveRequest request;
  request.set_technician_id("auth0|ana");
  request.set_active(true);
  EXPECT_THAT(ValidateSetTechnicianActive(request), IsOk());
  request.set_active(false);
  EXPECT_THAT(ValidateSetTechnicianActive(request), IsInvalid("reason: required"));
  request.set_reason("left the company");
  EXPECT_THAT(ValidateSetTechnicianActive(request), IsOk());
  request.set_reason(std::string(201, 'r'));
  EXPECT_THAT(ValidateSetTechnicianActive(request), IsInvalid("reason: at most 200 bytes"));
  request.clear_technician_id();
  EXPECT_THAT(ValidateSetTechnicianActive(request), IsInvalid("technician_id: required"));
}

TEST(ValidateSetShifts, ChecksTheTechnicianAndThePattern) {
  v1::SetShiftsRequest request;
  request.set_technician_id("auth0|ana");
  EXPECT_THAT(ValidateSetShifts(request), IsOk());  // no restriction
  *request.add_shifts() = Period(kSunday, 22 * 60, 6 * 60);
  *request.add_shifts() = Period(kMonday, 5 * 60, 9 * 60);
  EXPECT_THAT(ValidateSetShifts(request), IsInvalid("shifts[1]: overlaps another period"));
  request.clear_technician_id();
  EXPECT_THAT(ValidateSetShifts(request), IsInvalid("technician_id: required"));
}

v1::AddTimeOffRequest IntervalTimeOff() {
  v1::AddTimeOffRequest request;
  request.set_technician_id("auth0|ana");
  *request.mutable_start() = Ts(kBase);
  *request.mutable_end() = Ts(kBase + 4 * kHour);
  request.set_reason("dentist");
  return request;
}

v1::AddTimeOffRequest DaysTimeOff() {
  v1::AddTimeOffRequest request;
  request.set_technician_id("auth0|ana");
  *request.mutable_first_day() = Date(2026, 7, 1);
  *request.mutable_last_day() = Date(2026, 7, 14);
  return request;
}

TEST(ValidateAddTimeOff, AcceptsAnIntervalOrWholeDays) {
  EXPECT_THAT(ValidateAddTimeOff(IntervalTimeOff()), IsOk());
  EXPECT_THAT(ValidateAddTimeOff(DaysTimeOff()), IsOk());
}

TEST(ValidateAddTimeOff, NeedsExactlyOneOfIntervalAndDays) {
  v1::AddTimeOffRequest neither;
  neither.set_technician_id("auth0|ana");
  EXPECT_THAT(ValidateAddTimeOff(neither),
              IsInvalid("start: give either start and end, or first_day and last_day"));
  v1::AddTimeOffRequest both = IntervalTimeOff();
  *both.mutable_first_day() = Date(2026, 7, 1);
  *both.mutable_last_day() = Date(2026, 7, 2);
  EXPECT_THAT(ValidateAddTimeOff(both), IsInvalid("start: give either start and end"));
  v1::AddTimeOffRequest end_and_day = DaysTimeOff();
  *end_and_day.mutable_end() = Ts(kBase);
  EXPECT_THAT(ValidateAddTimeOff(end_and_day), IsInvalid("start: give either start and end"));
}

TEST(ValidateAddTimeOff, IntervalProblems) {
  v1::AddTimeOffRequest request = IntervalTimeOff();
  request.clear_end();
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("end: required"));
  request = IntervalTimeOff();
  request.clear_start();
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("start: required"));
  request = IntervalTimeOff();
  *request.mutable_start() = Ts(0);
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("start: not a valid time"));
  request = IntervalTimeOff();
  *request.mutable_end() = Ts(kBase);
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("end: must be after start"));
  request = IntervalTimeOff();
  request.set_reason(std::string(201, 'r'));
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("reason: at most 200 bytes"));
}

TEST(ValidateAddTimeOff, DayProblems) {
  v1::AddTimeOffRequest request = DaysTimeOff();
  request.clear_last_day();
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("last_day: not a valid date"));
  request = DaysTimeOff();
  *request.mutable_first_day() = Date(2026, 2, 30);
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("first_day: not a valid date"));
  request = DaysTimeOff();
  *request.mutable_last_day() = Date(2026, 6, 30);
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("last_day: before the first day"));
  request = DaysTimeOff();
  *request.mutable_last_day() = Date(2027, 7, 1);  // 366 days
  EXPECT_THAT(ValidateAddTimeOff(request), IsOk());
  *request.mutable_last_day() = Date(2027, 7, 2);
  EXPECT_THAT(ValidateAddTimeOff(request), IsInvalid("last_day: at most 366 days from the first"));
}

TEST(ValidateRemoveTimeOff, NeedsATimeOffId) {
  v1::RemoveTimeOffRequest request;
  request.set_technician_id("auth0|ana");
  request.set_time_off_id(kTimeOff);
  EXPECT_THAT(ValidateRemoveTimeOff(request), IsOk());
  request.set_time_off_id("to1");
  EXPECT_THAT(ValidateRemoveTimeOff(request), IsInvalid("time_off_id: must be a UUID"));
  request.clear_time_off_id();
  EXPECT_THAT(ValidateRemoveTimeOff(request), IsInvalid("time_off_id: required"));
  request.set_time_off_id(kTimeOff);
  request.set_technician_id("");
  EXPECT_THAT(ValidateRemoveTimeOff(request), IsInvalid("technician_id: required"));
}

// ================================================================ crews, zones, locations

TEST(ValidateCreateCrew, NameAndMembers) {
  v1::CreateCrewRequest request;
  request.set_name("North");
  EXPECT_THAT(ValidateCreateCrew(request), IsOk());
  request.add_member_ids("auth0|ana");
  request.add_member_ids("auth0|bo");
  EXPECT_THAT(ValidateCreateCrew(request), IsOk());
  request.add_member_ids("auth0|ana");
  EXPECT_THAT(ValidateCreateCrew(request), IsInvalid("member_ids[2]: listed twice"));
  request.set_member_ids(2, "");
  EXPECT_THAT(ValidateCreateCrew(request), IsInvalid("member_ids[2]: required"));
  request.clear_member_ids();
  for (int i = 0; i < 51; ++i) request.add_member_ids(absl::StrCat("t", i));
  EXPECT_THAT(ValidateCreateCrew(request), IsInvalid("member_ids: at most 50"));
  request.clear_member_ids();
  request.set_name("");
  EXPECT_THAT(ValidateCreateCrew(request), IsInvalid("name: required"));
}

TEST(ValidateRenameCrew, CrewIdAndName) {
  v1::RenameCrewRequest request;
  request.set_crew_id(kCrew);
  request.set_name("South");
  EXPECT_THAT(ValidateRenameCrew(request), IsOk());
  request.set_name("\t");
  EXPECT_THAT(ValidateRenameCrew(request), IsInvalid("name: required"));
  request.set_name("South");
  request.set_crew_id("C1");
  EXPECT_THAT(ValidateRenameCrew(request), IsInvalid("crew_id: must be a UUID"));
  request.clear_crew_id();
  EXPECT_THAT(ValidateRenameCrew(request), IsInvalid("crew_id: required"));
}

TEST(ValidateCrewMember, CrewIdAndTechnicianId) {
  v1::CrewMemberRequest request;
  request.set_crew_id(kCrew);
  request.set_technician_id("auth0|ana");
  EXPECT_THAT(ValidateCrewMember(request), IsOk());
  request.clear_technician_id();
  EXPECT_THAT(ValidateCrewMember(request), IsInvalid("technician_id: required"));
  request.set_technician_id("auth0|ana");
  request.set_crew_id(std::string(kCrew).substr(1));
  EXPECT_THAT(ValidateCrewMember(request), IsInvalid("crew_id: must be a UUID"));
}

TEST(ValidateSaveServiceZone, NameAndPostalCodes) {
  v1::SaveServiceZoneRequest request;
  request.set_name("Downtown");
  request.add_postal_codes("60601");
  EXPECT_THAT(ValidateSaveServiceZone(request), IsOk());  // a new zone
  request.set_zone_id(kZone);
  EXPECT_THAT(ValidateSaveServiceZone(request), IsOk());
  request.set_zone_id("downtown");
  EXPECT_THAT(ValidateSaveServiceZone(request), IsInvalid("zone_id: must be a UUID"));
  request.set_zone_id(kZone);
  request.add_postal_codes(" ");
  EXPECT_THAT(ValidateSaveServiceZone(request), IsInvalid("postal_codes[1]: required"));
  request.set_postal_codes(1, std::string(17, '6'));
  EXPECT_THAT(ValidateSaveServiceZone(request), IsInvalid("postal_codes[1]: at most 16 bytes"));
  request.clear_postal_codes();
  for (int i = 0; i < 10'001; ++i) request.add_postal_codes("1");
  EXPECT_THAT(ValidateSaveServiceZone(request), IsInvalid("postal_codes: at most 10000"));
  request.clear_postal_codes();
  request.set_name("");
  EXPECT_THAT(ValidateSaveServiceZone(request), IsInvalid("name: required"));
}

v1::LocationPing Ping(int64_t at = kBase) {
  v1::LocationPing ping;
  *ping.mutable_recorded_at() = Ts(at);
  ping.set_latitude(41.88);
  ping.set_longitude(-87.63);
  ping.set_accuracy_meters(5);
  ping.set_speed_mps(12.5f);
  ping.set_heading_degrees(359.5f);
  return ping;
}

v1::RecordLocationsRequest Locations(int pings = 4) {
  v1::RecordLocationsRequest request;
  for (int i = 0; i < pings; ++i) *request.add_pings() = Ping(kBase + i);
  return request;
}

TEST(ValidateRecordLocations, AcceptsABatch) {
  EXPECT_THAT(ValidateRecordLocations(Locations()), IsOk());
  v1::RecordLocationsRequest request = Locations(1000);
  request.set_technician_id("auth0|ana");
  EXPECT_THAT(ValidateRecordLocations(request), IsOk());
  // The extremes.
  request = Locations(1);
  request.mutable_pings(0)->set_latitude(-90);
  request.mutable_pings(0)->set_longitude(180);
  request.mutable_pings(0)->set_accuracy_meters(0);
  request.mutable_pings(0)->set_speed_mps(0);
  request.mutable_pings(0)->set_heading_degrees(0);
  EXPECT_THAT(ValidateRecordLocations(request), IsOk());
}

TEST(ValidateRecordLocations, BatchSizeAndTechnician) {
  EXPECT_THAT(ValidateRecordLocations(Locations(0)), IsInvalid("pings: required"));
  EXPECT_THAT(ValidateRecordLocations(Locations(1001)), IsInvalid("pings: at most 1000 per batch"));
  v1::RecordLocationsRequest request = Locations();
  request.set_technician_id("a b");
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("technician_id: printable ASCII"));
}

TEST(ValidateRecordLocations, EachPingFieldIsNamedWithItsIndex) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  v1::RecordLocationsRequest request = Locations();
  request.mutable_pings(3)->set_latitude(90.5);
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[3].latitude: between -90 and 90"));
  request.mutable_pings(3)->set_latitude(nan);
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[3].latitude: between -90 and 90"));

  request = Locations();
  request.mutable_pings(1)->set_longitude(-180.01);
  EXPECT_THAT(ValidateRecordLocations(request),
              IsInvalid("pings[1].longitude: between -180 and 180"));
  request.mutable_pings(1)->set_longitude(nan);
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[1].longitude"));

  request = Locations();
  request.mutable_pings(0)->set_accuracy_meters(-1);
  EXPECT_THAT(ValidateRecordLocations(request),
              IsInvalid("pings[0].accuracy_meters: between 0 and 1000000"));
  request.mutable_pings(0)->set_accuracy_meters(inf);
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[0].accuracy_meters"));

  request = Locations();
  request.mutable_pings(2)->set_speed_mps(1000);
  EXPECT_THAT(ValidateRecordLocations(request),
              IsInvalid("pings[2].speed_mps: between 0 and 1000"));
  request.mutable_pings(2)->set_speed_mps(std::nanf(""));
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[2].speed_mps"));

  request = Locations();
  request.mutable_pings(2)->set_heading_degrees(360);
  EXPECT_THAT(ValidateRecordLocations(request),
              IsInvalid("pings[2].heading_degrees: at least 0 and below 360"));
  request.mutable_pings(2)->set_heading_degrees(-0.5f);
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[2].heading_degrees"));

  request = Locations();
  request.mutable_pings(1)->clear_recorded_at();
  EXPECT_THAT(ValidateRecordLocations(request), IsInvalid("pings[1].recorded_at: required"));
  *request.mutable_pings(1)->mutable_recorded_at() = Ts(kBase, 1'000'000'000);
  EXPECT_THAT(ValidateRecordLocations(request),
              IsInvalid("pings[1].recorded_at: not a valid time"));
}

// ================================================================ appointments

v1::ScheduleAppointmentRequest ScheduleRequest() {
  v1::ScheduleAppointmentRequest request;
  request.set_job_id(kJob);
  *request.mutable_window() = Window(kBase, kBase + 2 * kHour);
  request.set_duration_minutes(90);
  request.add_technician_ids("auth0|ana");
  request.add_technician_ids("auth0|bo");
  request.add_crew_ids(kCrew);
  request.set_notes("gate code 1234");
  return request;
}

TEST(ValidateSchedule, AcceptsAFullRequestAndAnUnassignedOne) {
  EXPECT_THAT(ValidateSchedule(ScheduleRequest()), IsOk());
  v1::ScheduleAppointmentRequest request;
  request.set_job_id(kJob);
  *request.mutable_window() = Window(kBase, kBase + kHour);
  EXPECT_THAT(ValidateSchedule(request), IsOk());
}

TEST(ValidateSchedule, EachFieldIsNamed) {
  v1::ScheduleAppointmentRequest request = ScheduleRequest();
  request.clear_job_id();
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("job_id: required"));

  request = ScheduleRequest();
  *request.mutable_window() = Window(kBase, kBase - 1);
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("window.end: must be after start"));
  request.clear_window();
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("window.start: required"));

  request = ScheduleRequest();
  request.set_duration_minutes(-1);
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("duration_minutes: between 0 and 1440 minutes"));
  request.set_duration_minutes(1441);
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("duration_minutes"));
  request.set_duration_minutes(1440);
  EXPECT_THAT(ValidateSchedule(request), IsOk());

  request = ScheduleRequest();
  request.add_technician_ids("auth0|ana");
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("technician_ids[2]: listed twice"));
  request = ScheduleRequest();
  request.set_technician_ids(1, "auth0|ana");
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("technician_ids[1]: listed twice"));
  request.set_technician_ids(1, "");
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("technician_ids[1]: required"));

  request = ScheduleRequest();
  request.add_crew_ids("crew-2");
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("crew_ids[1]: must be a UUID"));
  request.set_crew_ids(1, kCrew);
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("crew_ids[1]: listed twice"));
  request.set_crew_ids(1, kCrew2);
  EXPECT_THAT(ValidateSchedule(request), IsOk());

  request = ScheduleRequest();
  request.set_notes(std::string(10'001, 'n'));
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("notes: at most 10000 bytes"));
  request.set_notes("bell\x01");
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("notes: must be UTF-8 text"));
}

TEST(ValidateSchedule, ListLimits) {
  v1::ScheduleAppointmentRequest request = ScheduleRequest();
  request.clear_technician_ids();
  for (int i = 0; i < 51; ++i) request.add_technician_ids(absl::StrCat("t", i));
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("technician_ids: at most 50"));
  request = ScheduleRequest();
  request.clear_crew_ids();
  for (int i = 0; i < 21; ++i) {
    request.add_crew_ids(absl::StrCat("0190f3a4-5b6c-7d8e-9f01-0000000001", 10 + i));
  }
  EXPECT_THAT(ValidateSchedule(request), IsInvalid("crew_ids: at most 20"));
}

v1::RescheduleAppointmentRequest RescheduleRequest() {
  v1::RescheduleAppointmentRequest request;
  request.set_job_id(kJob);
  request.set_appointment_id(kAppointment);
  *request.mutable_window() = Window(kBase + 24 * kHour, kBase + 26 * kHour);
  request.set_reason("customer asked");
  return request;
}

TEST(ValidateReschedule, EachFieldIsNamed) {
  EXPECT_THAT(ValidateReschedule(RescheduleRequest()), IsOk());
  v1::RescheduleAppointmentRequest request = RescheduleRequest();
  request.set_job_id("JOB-1");
  EXPECT_THAT(ValidateReschedule(request), IsInvalid("job_id: must be a UUID"));
  request = RescheduleRequest();
  request.clear_appointment_id();
  EXPECT_THAT(ValidateReschedule(request), IsInvalid("appointment_id: required"));
  request = RescheduleRequest();
  request.mutable_window()->clear_end();
  EXPECT_THAT(ValidateReschedule(request), IsInvalid("window.end: required"));
  request = RescheduleRequest();
  request.set_duration_minutes(24 * 60 + 1);
  EXPECT_THAT(ValidateReschedule(request), IsInvalid("duration_minutes"));
  request = RescheduleRequest();
  request.set_reason(std::string(201, 'r'));
  EXPECT_THAT(ValidateReschedule(request), IsInvalid("reason: at most 200 bytes"));
}

TEST(ValidateReassign, EachFieldIsNamed) {
  v1::ReassignAppointmentRequest request;
  request.set_job_id(kJob);
  request.set_appointment_id(kAppointment);
  EXPECT_THAT(ValidateReassign(request), IsOk());  // unassign
  request.add_technician_ids("auth0|ana");
  request.add_technician_ids("auth0|ana");
  EXPECT_THAT(ValidateReassign(request), IsInvalid("technician_ids[1]: listed twice"));
  request.clear_technician_ids();
  request.add_crew_ids("c1");
  EXPECT_THAT(ValidateReassign(request), IsInvalid("crew_ids[0]: must be a UUID"));
  request.clear_crew_ids();
  request.clear_appointment_id();
  EXPECT_THAT(ValidateReassign(request), IsInvalid("appointment_id: required"));
  request.set_appointment_id(kAppointment);
  request.clear_job_id();
  EXPECT_THAT(ValidateReassign(request), IsInvalid("job_id: required"));
}

TEST(ValidateCancel, NeedsAReason) {
  v1::CancelAppointmentRequest request;
  request.set_job_id(kJob);
  request.set_appointment_id(kAppointment);
  EXPECT_THAT(ValidateCancel(request), IsInvalid("reason: required"));
  request.set_reason("customer away");
  EXPECT_THAT(ValidateCancel(request), IsOk());
  request.set_appointment_id("a1");
  EXPECT_THAT(ValidateCancel(request), IsInvalid("appointment_id: must be a UUID"));
}

TEST(ValidateChangeDispatchState, StateMustBeAStep) {
  v1::ChangeDispatchStateRequest request;
  request.set_job_id(kJob);
  request.set_appointment_id(kAppointment);
  for (v1::DispatchState state :
       {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING,
        v1::DISPATCH_STATE_PAUSED, v1::DISPATCH_STATE_DEPARTED, v1::DISPATCH_STATE_COMPLETED}) {
    request.set_state(state);
    EXPECT_THAT(ValidateChangeDispatchState(request), IsOk()) << v1::DispatchState_Name(state);
  }
  for (int state : {0, 1, 8, -1}) {
    request.set_state(static_cast<v1::DispatchState>(state));
    EXPECT_THAT(ValidateChangeDispatchState(request),
                IsInvalid("state: one of en route, arrived, working, paused, departed, completed"))
        << state;
  }
}

TEST(ValidateChangeDispatchState, EachIdIsNamed) {
  v1::ChangeDispatchStateRequest request;
  request.set_job_id(kJob);
  request.set_appointment_id(kAppointment);
  request.set_state(v1::DISPATCH_STATE_ARRIVED);
  request.set_technician_id("auth0|ana");  // a dispatcher acting for them
  EXPECT_THAT(ValidateChangeDispatchState(request), IsOk());
  request.set_technician_id("a b");
  EXPECT_THAT(ValidateChangeDispatchState(request), IsInvalid("technician_id: printable ASCII"));
  request.clear_technician_id();
  request.clear_appointment_id();
  EXPECT_THAT(ValidateChangeDispatchState(request), IsInvalid("appointment_id: required"));
  request.set_appointment_id(kAppointment);
  request.set_job_id("x");
  EXPECT_THAT(ValidateChangeDispatchState(request), IsInvalid("job_id: must be a UUID"));
}

v1::BulkReassignRequest BulkReassignRequest() {
  v1::BulkReassignRequest request;
  request.set_from_technician_id("auth0|ana");
  request.set_to_technician_id("auth0|bo");
  *request.mutable_first_day() = Date(2026, 3, 9);
  *request.mutable_last_day() = Date(2026, 3, 13);
  return request;
}

TEST(ValidateBulkReassign, EachFieldIsNamed) {
  EXPECT_THAT(ValidateBulkReassign(BulkReassignRequest()), IsOk());
  v1::BulkReassignRequest request = BulkReassignRequest();
  request.clear_from_technician_id();
  EXPECT_THAT(ValidateBulkReassign(request), IsInvalid("from_technician_id: required"));
  request = BulkReassignRequest();
  request.clear_to_technician_id();
  EXPECT_THAT(ValidateBulkReassign(request), IsInvalid("to_technician_id: required"));
  request = BulkReassignRequest();
  request.set_to_technician_id("auth0|ana");
  EXPECT_THAT(ValidateBulkReassign(request),
              IsInvalid("to_technician_id: must differ from from_technician_id"));
  request = BulkReassignRequest();
  *request.mutable_last_day() = Date(2026, 4, 8);  // 31 days
  EXPECT_THAT(ValidateBulkReassign(request), IsOk());
  *request.mutable_last_day() = Date(2026, 4, 9);
  EXPECT_THAT(ValidateBulkReassign(request), IsInvalid("last_day: at most 31 days from the first"));
  request.clear_first_day();
  EXPECT_THAT(ValidateBulkReassign(request), IsInvalid("first_day: not a valid date"));
  request = BulkReassignRequest();
  request.set_reason(std::string(201, 'r'));
  EXPECT_THAT(ValidateBulkReassign(request), IsInvalid("reason"));
}

TEST(ValidateBulkReschedule, EachFieldIsNamed) {
  v1::BulkRescheduleRequest request;
  *request.mutable_day() = Date(2026, 3, 9);
  request.set_days_forward(1);
  EXPECT_THAT(ValidateBulkReschedule(request), IsOk());
  request.set_days_forward(365);
  request.set_technician_id("auth0|ana");
  EXPECT_THAT(ValidateBulkReschedule(request), IsOk());
  request.set_technician_id("a b");
  EXPECT_THAT(ValidateBulkReschedule(request), IsInvalid("technician_id"));
  request.clear_technician_id();
  for (int days : {0, -1, 366}) {
    request.set_days_forward(days);
    EXPECT_THAT(ValidateBulkReschedule(request), IsInvalid("days_forward: between 1 and 365"))
        << days;
  }
  request.set_days_forward(1);
  request.clear_day();
  EXPECT_THAT(ValidateBulkReschedule(request), IsInvalid("day: not a valid date"));
}

// Each appointment's command takes the bulk command's key with "/<appointment id>" appended: a
// bulk key of up to 128 bytes was accepted and then every appointment refused, naming a
// meta.idempotency_key the caller had kept within its limit (the fuzz corpus's
// regression_bulk_*_long_key).
TEST(ValidateBulkCommands, TheKeyLeavesRoomForTheAppointmentsId) {
  const std::string longest(kMaxBulkIdempotencyKeyLength, 'k');
  common::v1::CommandMeta item;
  item.set_idempotency_key(absl::StrCat(longest, "/", kAppointment));
  EXPECT_THAT(ValidateMeta(item), IsOk());

  v1::BulkReassignRequest reassign = BulkReassignRequest();
  reassign.mutable_meta()->set_idempotency_key(longest);
  EXPECT_THAT(ValidateBulkReassign(reassign), IsOk());
  reassign.mutable_meta()->set_idempotency_key(longest + "k");
  EXPECT_THAT(ValidateBulkReassign(reassign), IsInvalid("meta.idempotency_key: at most 88 bytes"));

  v1::BulkRescheduleRequest reschedule;
  *reschedule.mutable_day() = Date(2026, 3, 9);
  reschedule.set_days_forward(1);
  reschedule.mutable_meta()->set_idempotency_key(longest);
  EXPECT_THAT(ValidateBulkReschedule(reschedule), IsOk());
  reschedule.mutable_meta()->set_idempotency_key(std::string(kMaxIdempotencyKeyLength, 'k'));
  EXPECT_THAT(ValidateBulkReschedule(reschedule),
              IsInvalid("meta.idempotency_key: at most 88 bytes"));
}

// ================================================================ agreements

v1::CreateAgreementRequest AgreementRequest() {
  v1::CreateAgreementRequest request;
  v1::Agreement& a = *request.mutable_agreement();
  a.set_customer_id(kCustomer);
  a.set_title("Quarterly filter change");
  a.set_description("Replace filters, check the condensate line.");
  a.set_job_type("maintenance");
  a.add_required_skills("hvac");
  a.set_estimated_minutes(60);
  a.mutable_rule()->set_frequency(v1::FREQUENCY_MONTHLY);
  a.mutable_rule()->set_interval(3);
  a.mutable_rule()->set_weekend(v1::WEEKEND_RULE_NEXT_WEEKDAY);
  *a.mutable_start_date() = Date(2026, 1, 5);
  a.set_lead_days(14);
  return request;
}

TEST(ValidateCreateAgreement, AcceptsAnAgreement) {
  EXPECT_THAT(ValidateCreateAgreement(AgreementRequest()), IsOk());
  v1::CreateAgreementRequest request = AgreementRequest();
  *request.mutable_agreement()->mutable_end_date() = Date(2027, 1, 5);
  request.mutable_agreement()->set_property_id(kJob);
  EXPECT_THAT(ValidateCreateAgreement(request), IsOk());
  *request.mutable_agreement()->mutable_end_date() = Date(2026, 1, 5);  // one visit
  EXPECT_THAT(ValidateCreateAgreement(request), IsOk());
}

TEST(ValidateCreateAgreement, EachFieldIsNamed) {
  struct Case {
    void (*change)(v1::Agreement&);
    const char* error;
  };
  const Case cases[] = {
      {[](v1::Agreement& a) { a.clear_customer_id(); }, "agreement.customer_id: required"},
      {[](v1::Agreement& a) { a.set_customer_id("cu1"); }, "agreement.customer_id: must be a UUID"},
      {[](v1::Agreement& a) { a.set_property_id("p1"); }, "agreement.property_id: must be a UUID"},
      {[](v1::Agreement& a) { a.set_title(" "); }, "agreement.title: required"},
      {[](v1::Agreement& a) { a.set_title(std::string(201, 't')); },
       "agreement.title: at most 200 bytes"},
      {[](v1::Agreement& a) { a.set_description(std::string(10'001, 'd')); },
       "agreement.description: at most 10000 bytes"},
      {[](v1::Agreement& a) { a.set_job_type(std::string(65, 'j')); },
       "agreement.job_type: at most 64 bytes"},
      {[](v1::Agreement& a) { a.add_required_skills(""); },
       "agreement.required_skills[1]: required"},
      {[](v1::Agreement& a) { a.set_estimated_minutes(-1); },
       "agreement.estimated_minutes: between 0 and 10080"},
      {[](v1::Agreement& a) { a.set_estimated_minutes(10'081); },
       "agreement.estimated_minutes: between 0 and 10080"},
      {[](v1::Agreement& a) { a.mutable_rule()->set_frequency(v1::FREQUENCY_UNSPECIFIED); },
       "agreement.rule.frequency: "},
      {[](v1::Agreement& a) { a.clear_rule(); }, "agreement.rule.frequency: "},
      {[](v1::Agreement& a) { a.mutable_rule()->set_interval(0); },
       "agreement.rule.interval: must be between 1 and 366, got 0"},
      {[](v1::Agreement& a) { a.mutable_rule()->set_interval(367); }, "agreement.rule.interval: "},
      {[](v1::Agreement& a) { a.mutable_rule()->set_weekend(static_cast<v1::WeekendRule>(9)); },
       "agreement.rule.weekend: unknown weekend rule 9"},
      {[](v1::Agreement& a) { a.clear_start_date(); }, "agreement.start_date: not a valid date"},
      {[](v1::Agreement& a) { *a.mutable_start_date() = Date(2026, 2, 29); },
       "agreement.start_date: not a valid date"},
      {[](v1::Agreement& a) { *a.mutable_end_date() = Date(2026, 4, 31); },
       "agreement.end_date: not a valid date"},
      // Present but all zero: not "no end".
      {[](v1::Agreement& a) { a.mutable_end_date(); }, "agreement.end_date: not a valid date"},
      {[](v1::Agreement& a) { *a.mutable_end_date() = Date(2026, 1, 4); },
       "agreement.end_date: before start_date"},
      {[](v1::Agreement& a) { a.set_lead_days(0); }, "agreement.lead_days: between 1 and 366"},
      {[](v1::Agreement& a) { a.set_lead_days(367); }, "agreement.lead_days: between 1 and 366"},
      {[](v1::Agreement& a) { a.set_agreement_id(kAgreement); },
       "agreement.agreement_id: assigned by the service"},
      {[](v1::Agreement& a) { a.add_visits()->set_job_id(kJob); },
       "agreement.agreement_id: assigned by the service"},
      {[](v1::Agreement& a) { a.set_version(1); },
       "agreement.agreement_id: assigned by the service"},
  };
  for (const Case& c : cases) {
    v1::CreateAgreementRequest request = AgreementRequest();
    c.change(*request.mutable_agreement());
    EXPECT_THAT(ValidateCreateAgreement(request), IsInvalid(c.error)) << c.error;
  }
}

TEST(ValidateCreateAgreement, ArrivalWindowMinutes) {
  v1::CreateAgreementRequest request = AgreementRequest();
  v1::Agreement& a = *request.mutable_agreement();
  a.set_window_start_minute(7 * 60);
  a.set_window_end_minute(12 * 60);
  EXPECT_THAT(ValidateCreateAgreement(request), IsOk());
  a.set_window_end_minute(1440);
  EXPECT_THAT(ValidateCreateAgreement(request), IsOk());
  a.set_window_end_minute(1441);
  EXPECT_THAT(ValidateCreateAgreement(request), IsInvalid("agreement.window_end_minute"));
  a.set_window_end_minute(7 * 60);
  EXPECT_THAT(ValidateCreateAgreement(request), IsInvalid("agreement.window_end_minute"));
  a.set_window_start_minute(-1);
  EXPECT_THAT(ValidateCreateAgreement(request),
              IsInvalid("agreement.window_start_minute: between 0 and 1439"));
}

TEST(ValidateCreateAgreement, MetaIsChecked) {
  v1::CreateAgreementRequest request = AgreementRequest();
  request.mutable_meta()->set_expected_version(-1);
  EXPECT_THAT(ValidateCreateAgreement(request),
              IsInvalid("meta.expected_version: must not be negative"));
}

TEST(ValidateEndAgreement, IdAndReason) {
  v1::EndAgreementRequest request;
  request.set_agreement_id(kAgreement);
  request.set_reason("customer moved");
  EXPECT_THAT(ValidateEndAgreement(request), IsOk());
  request.clear_reason();
  EXPECT_THAT(ValidateEndAgreement(request), IsInvalid("reason: required"));
  request.set_reason("customer moved");
  request.set_agreement_id("ag1");
  EXPECT_THAT(ValidateEndAgreement(request), IsInvalid("agreement_id: must be a UUID"));
  request.clear_agreement_id();
  EXPECT_THAT(ValidateEndAgreement(request), IsInvalid("agreement_id: required"));
}

}  // namespace
}  // namespace jobledger::scheduling
