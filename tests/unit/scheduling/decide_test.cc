// Decide and Evolve of the scheduling aggregates: events, no-ops and refusals, state after events.
#include "domain/decide.h"

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/evolve.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace jobledger::scheduling {
namespace {

using google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// ---- helpers

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// A refusal with this code whose message contains `text`.
MATCHER_P2(IsRefusal, code, text,
           absl::StrCat("is ", absl::StatusCodeToString(code), " containing \"", text, "\"")) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code && absl::StrContains(status.message(), text);
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "which is " << status.ToString();
  return status.ok();
}

MATCHER_P(EqualsProto, expected, absl::StrCat("equals <", expected.ShortDebugString(), ">")) {
  *result_listener << "which is <" << arg.ShortDebugString() << ">";
  return MessageDifferencer::Equals(arg, expected);
}

// The only event of a decision, as type T (a failure when there are more, or another type).
template <typename T, typename Event>
T Only(const absl::StatusOr<std::vector<Event>>& decided) {
  EXPECT_TRUE(decided.ok()) << decided.status();
  if (!decided.ok()) return T();
  EXPECT_THAT(*decided, SizeIs(1));
  if (decided->size() != 1) return T();
  const T* event = std::get_if<T>(&decided->front());
  EXPECT_NE(event, nullptr) << "the event is another type";
  return event == nullptr ? T() : *event;
}

template <typename T, typename Event>
T At(const std::vector<Event>& events, size_t i) {
  EXPECT_LT(i, events.size());
  if (i >= events.size()) return T();
  const T* event = std::get_if<T>(&events[i]);
  EXPECT_NE(event, nullptr) << "event " << i << " is another type";
  return event == nullptr ? T() : *event;
}

// 2026-03-09 13:00:00 UTC, a Monday.
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

events::v1::Envelope Envelope(int64_t sequence, int64_t occurred_at = kBase,
                              const std::string& actor = "dispatcher-1") {
  events::v1::Envelope envelope;
  envelope.set_sequence(sequence);
  *envelope.mutable_occurred_at() = Ts(occurred_at);
  envelope.mutable_actor()->set_user_id(actor);
  return envelope;
}

Head Existing(int64_t version = 3) { return Head{version, "hash"}; }
const Head kNew{};

Conflict MakeConflict(Conflict::Kind kind, const std::string& technician_id,
                      const std::string& message) {
  Conflict conflict;
  conflict.kind = kind;
  conflict.technician_id = technician_id;
  conflict.message = message;
  return conflict;
}

Conflict Booked(const std::string& technician_id = "t1") {
  return MakeConflict(Conflict::Kind::kAppointment, technician_id,
                      absl::StrCat("technician ", technician_id,
                                   " is booked 09:00–11:00 for appointment a7 (job j3)"));
}
Conflict OnTimeOff(const std::string& technician_id = "t1") {
  return MakeConflict(Conflict::Kind::kTimeOff, technician_id,
                      absl::StrCat("technician ", technician_id, " is on time off (vacation)"));
}
Conflict OffShift(const std::string& technician_id = "t1") {
  return MakeConflict(Conflict::Kind::kOffShift, technician_id,
                      absl::StrCat("technician ", technician_id, " is off shift 17:00–18:00"));
}
Conflict Inactive(const std::string& technician_id = "t1") {
  return MakeConflict(Conflict::Kind::kInactive, technician_id,
                      absl::StrCat("technician ", technician_id, " is inactive"));
}

VisitPlan Plan(const std::string& appointment_id = "a1") {
  VisitPlan plan;
  plan.appointment_id = appointment_id;
  plan.window = Window(kBase, kBase + 2 * kHour);
  plan.date = Date(2026, 3, 9);
  plan.duration_minutes = 90;
  plan.technician_ids = {"t1", "t2"};
  plan.crew_ids = {"c1"};
  plan.crew_member_ids = {"t3"};
  plan.notes = "gate code 1234";
  return plan;
}

// A booked visit: t1, t2 directly, t3 through crew c1, 2 hours from kBase.
v1::Appointment Visit(const std::string& appointment_id = "a1") {
  v1::Appointment appointment;
  appointment.set_appointment_id(appointment_id);
  appointment.set_job_id("j1");
  *appointment.mutable_date() = Date(2026, 3, 9);
  *appointment.mutable_window() = Window(kBase, kBase + 2 * kHour);
  appointment.set_duration_minutes(90);
  for (const char* id : {"t1", "t2"}) appointment.add_technician_ids(id);
  appointment.add_crew_ids("c1");
  appointment.add_crew_member_ids("t3");
  appointment.set_status(v1::APPOINTMENT_STATUS_SCHEDULED);
  return appointment;
}

v1::JobSchedule Schedule(std::initializer_list<v1::Appointment> appointments = {Visit()}) {
  v1::JobSchedule schedule;
  schedule.set_job_id("j1");
  schedule.set_version(4);
  for (const v1::Appointment& appointment : appointments)
    *schedule.add_appointments() = appointment;
  return schedule;
}

v1::Appointment Cancelled(v1::Appointment appointment) {
  appointment.set_status(v1::APPOINTMENT_STATUS_CANCELLED);
  return appointment;
}

v1::Appointment WithDispatch(v1::Appointment appointment, const std::string& technician_id,
                             v1::DispatchState state) {
  v1::TechnicianDispatch* dispatch = appointment.add_dispatch();
  dispatch->set_technician_id(technician_id);
  dispatch->set_state(state);
  return appointment;
}

v1::ShiftPeriod Period(int weekday, int start_minute, int end_minute) {
  v1::ShiftPeriod period;
  period.set_weekday(weekday);
  period.set_start_minute(start_minute);
  period.set_end_minute(end_minute);
  return period;
}

template <typename T>
google::protobuf::RepeatedPtrField<T> Repeated(std::initializer_list<T> values) {
  return {values.begin(), values.end()};
}

v1::Skill Skill(const std::string& name, int level) {
  v1::Skill skill;
  skill.set_name(name);
  skill.set_level(level);
  return skill;
}

v1::Technician Tech(const std::string& id = "t1") {
  v1::Technician technician;
  technician.set_technician_id(id);
  technician.set_name("Ana Ruiz");
  technician.set_phone("+15551234567");
  technician.set_email("ana@example.com");
  *technician.add_skills() = Skill("hvac", 3);
  technician.set_home_zone_id("z1");
  technician.set_active(true);
  *technician.add_shifts() = Period(1, 8 * 60, 17 * 60);
  *technician.add_shifts() = Period(2, 8 * 60, 17 * 60);
  technician.set_version(3);
  return technician;
}

v1::TimeOff TimeOff(const std::string& id, int64_t start, int64_t end) {
  v1::TimeOff time_off;
  time_off.set_time_off_id(id);
  *time_off.mutable_start() = Ts(start);
  *time_off.mutable_end() = Ts(end);
  time_off.set_reason("vacation");
  return time_off;
}

v1::Crew Crew(std::initializer_list<const char*> members = {"t1", "t2"}) {
  v1::Crew crew;
  crew.set_crew_id("c1");
  crew.set_name("North");
  for (const char* member : members) crew.add_member_ids(member);
  crew.set_version(2);
  return crew;
}

v1::Agreement Agreement() {
  v1::Agreement agreement;
  agreement.set_agreement_id("ag1");
  agreement.set_customer_id("cu1");
  agreement.set_title("Quarterly filter change");
  for (const char* skill : {"hvac", "electrical", "hvac"}) agreement.add_required_skills(skill);
  agreement.set_estimated_minutes(60);
  agreement.mutable_rule()->set_frequency(v1::FREQUENCY_MONTHLY);
  agreement.mutable_rule()->set_interval(3);
  *agreement.mutable_start_date() = Date(2026, 1, 5);
  agreement.set_lead_days(14);
  return agreement;
}

v1::AgreementVisit AgreementVisit(int occurrence, const std::string& job_id) {
  v1::AgreementVisit visit;
  visit.set_occurrence(occurrence);
  *visit.mutable_date() = Date(2026, 1 + 3 * occurrence, 5);
  visit.set_job_id(job_id);
  return visit;
}

v1::LocationPing Ping(int64_t recorded_at, double latitude) {
  v1::LocationPing ping;
  *ping.mutable_recorded_at() = Ts(recorded_at);
  ping.set_latitude(latitude);
  ping.set_longitude(-87.6);
  return ping;
}

// ================================================================ RefuseConflicts

TEST(RefuseConflicts, NoConflictsIsOk) {
  EXPECT_THAT(RefuseConflicts({}, false), IsOk());
  EXPECT_THAT(RefuseConflicts({}, true), IsOk());
}

TEST(RefuseConflicts, EachKindIsRefusedWithoutOverride) {
  for (const Conflict& conflict : {Booked(), OnTimeOff(), OffShift(), Inactive()}) {
    EXPECT_THAT(RefuseConflicts({conflict}, false),
                IsRefusal(absl::StatusCode::kFailedPrecondition, conflict.message));
  }
}

TEST(RefuseConflicts, MessageListsEveryConflict) {
  const absl::Status status =
      RefuseConflicts({Booked("t1"), OnTimeOff("t2"), OffShift("t3"), Inactive("t4")}, false);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "technician t1 is booked 09:00–11:00 for appointment a7 (job j3); "
            "technician t2 is on time off (vacation); technician t3 is off shift 17:00–18:00; "
            "technician t4 is inactive");
}

TEST(RefuseConflicts, AllowOverlapOverridesAppointmentTimeOffAndOffShift) {
  EXPECT_THAT(RefuseConflicts({Booked(), OnTimeOff(), OffShift()}, true), IsOk());
}

TEST(RefuseConflicts, AllowOverlapNeverOverridesAnInactiveTechnician) {
  const absl::Status status = RefuseConflicts({Booked("t1"), Inactive("t2"), OffShift()}, true);
  EXPECT_THAT(status,
              IsRefusal(absl::StatusCode::kFailedPrecondition, "technician t2 is inactive"));
  // Only what is still refused is listed.
  EXPECT_FALSE(absl::StrContains(status.message(), "booked"));
  EXPECT_FALSE(absl::StrContains(status.message(), "off shift"));
}

// ================================================================ OpenAppointment

TEST(OpenAppointment, FindsAnOpenAppointment) {
  const v1::JobSchedule schedule = Schedule({Visit("a1"), Visit("a2")});
  auto appointment = OpenAppointment(schedule, "a2");
  ASSERT_TRUE(appointment.ok()) << appointment.status();
  EXPECT_EQ((*appointment)->appointment_id(), "a2");
}

TEST(OpenAppointment, MissingIsNotFound) {
  EXPECT_THAT(OpenAppointment(Schedule(), "a9"),
              IsRefusal(absl::StatusCode::kNotFound, "appointment a9 not found"));
}

TEST(OpenAppointment, CancelledIsFailedPrecondition) {
  EXPECT_THAT(OpenAppointment(Schedule({Cancelled(Visit())}), "a1"),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "appointment a1 is cancelled"));
}

// ================================================================ DecideSchedule

TEST(DecideSchedule, ProposesTheVisitAsPlanned) {
  const auto e = Only<v1::AppointmentScheduled>(
      DecideSchedule(v1::JobSchedule(), "j1", Plan("a1"), /*conflicts=*/{}));
  EXPECT_EQ(e.appointment_id(), "a1");
  EXPECT_EQ(e.job_id(), "j1");
  EXPECT_THAT(e.date(), EqualsProto(Date(2026, 3, 9)));
  EXPECT_THAT(e.window(), EqualsProto(Window(kBase, kBase + 2 * kHour)));
  EXPECT_EQ(e.duration_minutes(), 90);
  EXPECT_THAT(e.technician_ids(), ElementsAre("t1", "t2"));
  EXPECT_THAT(e.crew_ids(), ElementsAre("c1"));
  EXPECT_THAT(e.crew_member_ids(), ElementsAre("t3"));
  EXPECT_FALSE(e.allow_overlap());
  EXPECT_EQ(e.notes(), "gate code 1234");
}

TEST(DecideSchedule, AnotherVisitOfTheSameJob) {
  const auto e = Only<v1::AppointmentScheduled>(DecideSchedule(Schedule(), "j1", Plan("a2"), {}));
  EXPECT_EQ(e.appointment_id(), "a2");
}

TEST(DecideSchedule, UnassignedVisit) {
  VisitPlan plan = Plan();
  plan.technician_ids.clear();
  plan.crew_ids.clear();
  plan.crew_member_ids.clear();
  const auto e = Only<v1::AppointmentScheduled>(DecideSchedule(v1::JobSchedule(), "j1", plan, {}));
  EXPECT_THAT(e.technician_ids(), IsEmpty());
  EXPECT_THAT(e.crew_ids(), IsEmpty());
}

TEST(DecideSchedule, AnExistingAppointmentIdIsAlreadyExists) {
  EXPECT_THAT(DecideSchedule(Schedule(), "j1", Plan("a1"), {}),
              IsRefusal(absl::StatusCode::kAlreadyExists, "appointment a1 exists already"));
  // Cancelled or not.
  EXPECT_THAT(DecideSchedule(Schedule({Cancelled(Visit())}), "j1", Plan("a1"), {}),
              IsRefusal(absl::StatusCode::kAlreadyExists, "appointment a1 exists already"));
}

TEST(DecideSchedule, ConflictsAreRefused) {
  EXPECT_THAT(DecideSchedule(v1::JobSchedule(), "j1", Plan(), {Booked(), OffShift("t2")}),
              IsRefusal(absl::StatusCode::kFailedPrecondition,
                        "technician t1 is booked 09:00–11:00 for appointment a7 (job j3); "
                        "technician t2 is off shift"));
}

TEST(DecideSchedule, AllowOverlapIsRecordedOnlyWhenItOverrodeSomething) {
  VisitPlan plan = Plan();
  plan.allow_overlap = true;
  EXPECT_TRUE(
      Only<v1::AppointmentScheduled>(DecideSchedule(v1::JobSchedule(), "j1", plan, {Booked()}))
          .allow_overlap());
  EXPECT_FALSE(Only<v1::AppointmentScheduled>(DecideSchedule(v1::JobSchedule(), "j1", plan, {}))
                   .allow_overlap());
}

TEST(DecideSchedule, AllowOverlapDoesNotBookAnInactiveTechnician) {
  VisitPlan plan = Plan();
  plan.allow_overlap = true;
  EXPECT_THAT(DecideSchedule(v1::JobSchedule(), "j1", plan, {Booked(), Inactive("t2")}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "technician t2 is inactive"));
}

// ================================================================ DecideReschedule

VisitPlan Moved(int64_t hours_later = 24, int64_t duration_minutes = 90) {
  VisitPlan plan;
  plan.appointment_id = "a1";
  plan.window = Window(kBase + hours_later * kHour, kBase + (hours_later + 2) * kHour);
  plan.date = Date(2026, 3, 10);
  plan.duration_minutes = duration_minutes;
  return plan;
}

TEST(DecideReschedule, MovesTheVisitAndRemembersWhereItWas) {
  const auto e = Only<v1::AppointmentRescheduled>(
      DecideReschedule(Schedule(), Moved(24, 120), "customer asked", {}));
  EXPECT_EQ(e.appointment_id(), "a1");
  EXPECT_EQ(e.job_id(), "j1");
  EXPECT_THAT(e.date(), EqualsProto(Date(2026, 3, 10)));
  EXPECT_THAT(e.window(), EqualsProto(Window(kBase + 24 * kHour, kBase + 26 * kHour)));
  EXPECT_EQ(e.duration_minutes(), 120);
  EXPECT_EQ(e.reason(), "customer asked");
  EXPECT_THAT(e.previous_date(), EqualsProto(Date(2026, 3, 9)));
  EXPECT_THAT(e.previous_window(), EqualsProto(Window(kBase, kBase + 2 * kHour)));
  EXPECT_EQ(e.previous_duration_minutes(), 90);
  EXPECT_FALSE(e.allow_overlap());
}

TEST(DecideReschedule, SameWindowAndDurationIsNoOp) {
  auto decided = DecideReschedule(Schedule(), Moved(0, 90), "again", {Booked()});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideReschedule, SameWindowNewDurationIsAChange) {
  const auto e =
      Only<v1::AppointmentRescheduled>(DecideReschedule(Schedule(), Moved(0, 150), "", {}));
  EXPECT_EQ(e.duration_minutes(), 150);
  EXPECT_EQ(e.previous_duration_minutes(), 90);
}

TEST(DecideReschedule, MissingAppointmentIsNotFound) {
  VisitPlan plan = Moved();
  plan.appointment_id = "a9";
  EXPECT_THAT(DecideReschedule(Schedule(), plan, "", {}),
              IsRefusal(absl::StatusCode::kNotFound, "appointment a9 not found"));
}

TEST(DecideReschedule, CancelledAppointmentIsRefused) {
  EXPECT_THAT(DecideReschedule(Schedule({Cancelled(Visit())}), Moved(), "", {}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "appointment a1 is cancelled"));
}

TEST(DecideReschedule, RefusedOnceATechnicianHasArrived) {
  for (v1::DispatchState state :
       {v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING, v1::DISPATCH_STATE_PAUSED,
        v1::DISPATCH_STATE_DEPARTED, v1::DISPATCH_STATE_COMPLETED}) {
    const v1::JobSchedule schedule = Schedule({WithDispatch(Visit(), "t2", state)});
    EXPECT_THAT(DecideReschedule(schedule, Moved(), "", {}),
                IsRefusal(absl::StatusCode::kFailedPrecondition,
                          "cannot reschedule appointment a1: technician t2 has arrived already"))
        << v1::DispatchState_Name(state);
  }
}

TEST(DecideReschedule, EnRouteIsNotUnderWay) {
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t1", v1::DISPATCH_STATE_EN_ROUTE)});
  Only<v1::AppointmentRescheduled>(DecideReschedule(schedule, Moved(), "", {}));
}

TEST(DecideReschedule, ConflictsAreRefusedUnlessOverridden) {
  EXPECT_THAT(DecideReschedule(Schedule(), Moved(), "", {OnTimeOff()}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "technician t1 is on time off"));
  VisitPlan plan = Moved();
  plan.allow_overlap = true;
  EXPECT_TRUE(
      Only<v1::AppointmentRescheduled>(DecideReschedule(Schedule(), plan, "", {OnTimeOff()}))
          .allow_overlap());
  EXPECT_FALSE(
      Only<v1::AppointmentRescheduled>(DecideReschedule(Schedule(), plan, "", {})).allow_overlap());
  EXPECT_THAT(DecideReschedule(Schedule(), plan, "", {Inactive("t3")}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "technician t3 is inactive"));
}

// ================================================================ DecideReassign

VisitPlan People(std::vector<std::string> technicians, std::vector<std::string> crews = {},
                 std::vector<std::string> members = {}) {
  VisitPlan plan;
  plan.appointment_id = "a1";
  plan.window = Window(kBase, kBase + 2 * kHour);
  plan.date = Date(2026, 3, 9);
  plan.duration_minutes = 90;
  plan.technician_ids = std::move(technicians);
  plan.crew_ids = std::move(crews);
  plan.crew_member_ids = std::move(members);
  return plan;
}

TEST(DecideReassign, ReplacesThePeopleAndRemembersThePrevious) {
  const auto e = Only<v1::AppointmentReassigned>(
      DecideReassign(Schedule(), People({"t4"}, {"c2"}, {"t5", "t6"}), "t1 is sick", {}));
  EXPECT_EQ(e.appointment_id(), "a1");
  EXPECT_EQ(e.job_id(), "j1");
  EXPECT_THAT(e.technician_ids(), ElementsAre("t4"));
  EXPECT_THAT(e.crew_ids(), ElementsAre("c2"));
  EXPECT_THAT(e.crew_member_ids(), ElementsAre("t5", "t6"));
  EXPECT_THAT(e.previous_technician_ids(), ElementsAre("t1", "t2"));
  EXPECT_THAT(e.previous_crew_ids(), ElementsAre("c1"));
  EXPECT_THAT(e.previous_crew_member_ids(), ElementsAre("t3"));
  EXPECT_EQ(e.reason(), "t1 is sick");
  EXPECT_FALSE(e.allow_overlap());
}

TEST(DecideReassign, EmptyListsUnassign) {
  const auto e = Only<v1::AppointmentReassigned>(DecideReassign(Schedule(), People({}), "", {}));
  EXPECT_THAT(e.technician_ids(), IsEmpty());
  EXPECT_THAT(e.crew_ids(), IsEmpty());
  EXPECT_THAT(e.crew_member_ids(), IsEmpty());
}

TEST(DecideReassign, SamePeopleIsNoOp) {
  auto decided = DecideReassign(Schedule(), People({"t1", "t2"}, {"c1"}, {"t3"}), "", {Booked()});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideReassign, SamePeopleStoredInAnotherOrderIsNoOp) {
  v1::Appointment visit = Visit();
  visit.clear_technician_ids();
  visit.add_technician_ids("t2");
  visit.add_technician_ids("t1");
  auto decided = DecideReassign(Schedule({visit}), People({"t1", "t2"}, {"c1"}, {"t3"}), "", {});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideReassign, ChangedCrewMembershipIsAChange) {
  const auto e = Only<v1::AppointmentReassigned>(
      DecideReassign(Schedule(), People({"t1", "t2"}, {"c1"}, {"t3", "t7"}), "", {}));
  EXPECT_THAT(e.crew_member_ids(), ElementsAre("t3", "t7"));
}

TEST(DecideReassign, MissingOrCancelledAppointmentIsRefused) {
  VisitPlan plan = People({"t4"});
  plan.appointment_id = "a9";
  EXPECT_THAT(DecideReassign(Schedule(), plan, "", {}),
              IsRefusal(absl::StatusCode::kNotFound, "appointment a9 not found"));
  EXPECT_THAT(DecideReassign(Schedule({Cancelled(Visit())}), People({"t4"}), "", {}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "appointment a1 is cancelled"));
}

TEST(DecideReassign, RefusedOnceATechnicianHasArrived) {
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t3", v1::DISPATCH_STATE_ARRIVED)});
  EXPECT_THAT(DecideReassign(schedule, People({"t4"}), "", {}),
              IsRefusal(absl::StatusCode::kFailedPrecondition,
                        "cannot reassign appointment a1: technician t3 has arrived already"));
  const v1::JobSchedule en_route =
      Schedule({WithDispatch(Visit(), "t3", v1::DISPATCH_STATE_EN_ROUTE)});
  Only<v1::AppointmentReassigned>(DecideReassign(en_route, People({"t4"}), "", {}));
}

TEST(DecideReassign, ConflictsAreRefusedUnlessOverridden) {
  EXPECT_THAT(DecideReassign(Schedule(), People({"t4"}), "", {Booked("t4")}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "technician t4 is booked"));
  VisitPlan plan = People({"t4"});
  plan.allow_overlap = true;
  EXPECT_TRUE(Only<v1::AppointmentReassigned>(DecideReassign(Schedule(), plan, "", {Booked("t4")}))
                  .allow_overlap());
  EXPECT_FALSE(
      Only<v1::AppointmentReassigned>(DecideReassign(Schedule(), plan, "", {})).allow_overlap());
  EXPECT_THAT(DecideReassign(Schedule(), plan, "", {Inactive("t4")}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "technician t4 is inactive"));
}

// ================================================================ DecideCancel

TEST(DecideCancel, CancelsWithTheReason) {
  const auto e = Only<v1::AppointmentCancelled>(DecideCancel(Schedule(), "a1", "customer away"));
  EXPECT_EQ(e.appointment_id(), "a1");
  EXPECT_EQ(e.job_id(), "j1");
  EXPECT_EQ(e.reason(), "customer away");
}

TEST(DecideCancel, MissingIsNotFoundAndCancelledIsFailedPrecondition) {
  EXPECT_THAT(DecideCancel(Schedule(), "a9", "x"),
              IsRefusal(absl::StatusCode::kNotFound, "appointment a9 not found"));
  EXPECT_THAT(DecideCancel(Schedule({Cancelled(Visit())}), "a1", "x"),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "appointment a1 is cancelled"));
}

// ================================================================ dispatch

const v1::DispatchState kAllStates[] = {
    v1::DISPATCH_STATE_UNSPECIFIED, v1::DISPATCH_STATE_SCHEDULED, v1::DISPATCH_STATE_EN_ROUTE,
    v1::DISPATCH_STATE_ARRIVED,     v1::DISPATCH_STATE_WORKING,   v1::DISPATCH_STATE_PAUSED,
    v1::DISPATCH_STATE_DEPARTED,    v1::DISPATCH_STATE_COMPLETED,
};

TEST(DispatchMoveAllowed, EveryPair) {
  using S = v1::DispatchState;
  const std::set<std::pair<S, S>> allowed = {
      // Forward along the line, skipping allowed.
      {v1::DISPATCH_STATE_SCHEDULED, v1::DISPATCH_STATE_EN_ROUTE},
      {v1::DISPATCH_STATE_SCHEDULED, v1::DISPATCH_STATE_ARRIVED},
      {v1::DISPATCH_STATE_SCHEDULED, v1::DISPATCH_STATE_WORKING},
      {v1::DISPATCH_STATE_SCHEDULED, v1::DISPATCH_STATE_DEPARTED},
      {v1::DISPATCH_STATE_SCHEDULED, v1::DISPATCH_STATE_COMPLETED},
      {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED},
      {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_WORKING},
      {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_DEPARTED},
      {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_COMPLETED},
      {v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING},
      {v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_DEPARTED},
      {v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_COMPLETED},
      {v1::DISPATCH_STATE_WORKING, v1::DISPATCH_STATE_DEPARTED},
      {v1::DISPATCH_STATE_WORKING, v1::DISPATCH_STATE_COMPLETED},
      {v1::DISPATCH_STATE_DEPARTED, v1::DISPATCH_STATE_COMPLETED},
      // A pause, and out of it.
      {v1::DISPATCH_STATE_WORKING, v1::DISPATCH_STATE_PAUSED},
      {v1::DISPATCH_STATE_PAUSED, v1::DISPATCH_STATE_WORKING},
      {v1::DISPATCH_STATE_PAUSED, v1::DISPATCH_STATE_DEPARTED},
      {v1::DISPATCH_STATE_PAUSED, v1::DISPATCH_STATE_COMPLETED},
  };
  for (S from : kAllStates) {
    for (S to : kAllStates) {
      EXPECT_EQ(DispatchMoveAllowed(from, to), allowed.contains({from, to}))
          << v1::DispatchState_Name(from) << " → " << v1::DispatchState_Name(to);
    }
  }
}

TEST(DispatchMoveAllowed, UnknownStatesGoNowhere) {
  const auto unknown = static_cast<v1::DispatchState>(42);
  for (v1::DispatchState state : kAllStates) {
    EXPECT_FALSE(DispatchMoveAllowed(unknown, state));
    EXPECT_FALSE(DispatchMoveAllowed(state, unknown));
  }
}

TEST(DispatchStateOf, ScheduledBeforeAnyStep) {
  const v1::Appointment visit = WithDispatch(Visit(), "t2", v1::DISPATCH_STATE_WORKING);
  EXPECT_EQ(DispatchStateOf(visit, "t1"), v1::DISPATCH_STATE_SCHEDULED);
  EXPECT_EQ(DispatchStateOf(visit, "t2"), v1::DISPATCH_STATE_WORKING);
}

TEST(DecideDispatch, RecordsTheStep) {
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t1", v1::DISPATCH_STATE_EN_ROUTE)});
  const auto e = Only<v1::DispatchStateChanged>(
      DecideDispatch(schedule, "a1", "t1", v1::DISPATCH_STATE_ARRIVED, Ts(kBase + 600)));
  EXPECT_EQ(e.appointment_id(), "a1");
  EXPECT_EQ(e.job_id(), "j1");
  EXPECT_EQ(e.technician_id(), "t1");
  EXPECT_EQ(e.state(), v1::DISPATCH_STATE_ARRIVED);
  EXPECT_EQ(e.previous_state(), v1::DISPATCH_STATE_EN_ROUTE);
  EXPECT_THAT(e.at(), EqualsProto(Ts(kBase + 600)));
}

TEST(DecideDispatch, FirstStepStartsFromScheduled) {
  const auto e = Only<v1::DispatchStateChanged>(
      DecideDispatch(Schedule(), "a1", "t2", v1::DISPATCH_STATE_EN_ROUTE, Ts(kBase)));
  EXPECT_EQ(e.previous_state(), v1::DISPATCH_STATE_SCHEDULED);
}

TEST(DecideDispatch, ACrewMemberIsOnTheVisit) {
  const auto e = Only<v1::DispatchStateChanged>(
      DecideDispatch(Schedule(), "a1", "t3", v1::DISPATCH_STATE_EN_ROUTE, Ts(kBase)));
  EXPECT_EQ(e.technician_id(), "t3");
}

TEST(DecideDispatch, RepeatedTapIsNoOp) {
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t1", v1::DISPATCH_STATE_WORKING)});
  auto decided = DecideDispatch(schedule, "a1", "t1", v1::DISPATCH_STATE_WORKING, Ts(kBase));
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideDispatch, ATechnicianNotOnTheVisitIsRefused) {
  EXPECT_THAT(DecideDispatch(Schedule(), "a1", "t9", v1::DISPATCH_STATE_EN_ROUTE, Ts(kBase)),
              IsRefusal(absl::StatusCode::kFailedPrecondition,
                        "technician t9 is not assigned to appointment a1"));
}

TEST(DecideDispatch, CancelledOrMissingAppointmentIsRefused) {
  EXPECT_THAT(DecideDispatch(Schedule({Cancelled(Visit())}), "a1", "t1",
                             v1::DISPATCH_STATE_EN_ROUTE, Ts(kBase)),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "appointment a1 is cancelled"));
  EXPECT_THAT(DecideDispatch(Schedule(), "a9", "t1", v1::DISPATCH_STATE_EN_ROUTE, Ts(kBase)),
              IsRefusal(absl::StatusCode::kNotFound, "appointment a9 not found"));
}

TEST(DecideDispatch, BackwardsIsRefusedNamingBothStates) {
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t1", v1::DISPATCH_STATE_WORKING)});
  EXPECT_THAT(
      DecideDispatch(schedule, "a1", "t1", v1::DISPATCH_STATE_EN_ROUTE, Ts(kBase)),
      IsRefusal(absl::StatusCode::kFailedPrecondition,
                "technician t1 cannot go from DISPATCH_STATE_WORKING to DISPATCH_STATE_EN_ROUTE"));
}

TEST(DecideDispatch, NothingLeavesCompleted) {
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t1", v1::DISPATCH_STATE_COMPLETED)});
  for (v1::DispatchState to :
       {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING,
        v1::DISPATCH_STATE_PAUSED, v1::DISPATCH_STATE_DEPARTED}) {
    EXPECT_THAT(DecideDispatch(schedule, "a1", "t1", to, Ts(kBase)),
                IsRefusal(absl::StatusCode::kFailedPrecondition,
                          "cannot go from DISPATCH_STATE_COMPLETED"));
  }
}

TEST(DecideDispatch, OnlyTheTechniciansOwnStateCounts) {
  // t2 working does not let t1 pause.
  const v1::JobSchedule schedule =
      Schedule({WithDispatch(Visit(), "t2", v1::DISPATCH_STATE_WORKING)});
  EXPECT_THAT(DecideDispatch(schedule, "a1", "t1", v1::DISPATCH_STATE_PAUSED, Ts(kBase)),
              IsRefusal(absl::StatusCode::kFailedPrecondition,
                        "cannot go from DISPATCH_STATE_SCHEDULED to DISPATCH_STATE_PAUSED"));
}

// ================================================================ technicians

TEST(NormalizeSkills, LowerCasesTrimsAndSortsByName) {
  const auto normalized =
      NormalizeSkills(Repeated({Skill(" Plumbing ", 2), Skill("HVAC", 4), Skill("backflow", 1)}));
  ASSERT_THAT(normalized, SizeIs(3));
  EXPECT_THAT(normalized[0], EqualsProto(Skill("backflow", 1)));
  EXPECT_THAT(normalized[1], EqualsProto(Skill("hvac", 4)));
  EXPECT_THAT(normalized[2], EqualsProto(Skill("plumbing", 2)));
}

v1::RegisterTechnicianRequest Registration() {
  v1::RegisterTechnicianRequest request;
  request.set_name("  Ana Ruiz ");
  request.set_phone("+15551234567");
  request.set_email("ana@example.com");
  *request.add_skills() = Skill("HVAC", 3);
  *request.add_skills() = Skill("electrical", 2);
  request.set_home_zone_id("z1");
  return request;
}

TEST(DecideRegisterTechnician, RegistersWithNormalizedProfile) {
  auto decided = DecideRegisterTechnician(kNew, "t1", Registration());
  const auto e = Only<v1::TechnicianRegistered>(decided);
  EXPECT_EQ(e.technician_id(), "t1");
  EXPECT_EQ(e.name(), "Ana Ruiz");
  EXPECT_EQ(e.phone(), "+15551234567");
  EXPECT_EQ(e.email(), "ana@example.com");
  ASSERT_THAT(e.skills(), SizeIs(2));
  EXPECT_EQ(e.skills(0).name(), "electrical");
  EXPECT_EQ(e.skills(1).name(), "hvac");
  EXPECT_EQ(e.home_zone_id(), "z1");
}

TEST(DecideRegisterTechnician, ShiftsComeAsASecondEventSortedByDay) {
  v1::RegisterTechnicianRequest request = Registration();
  *request.add_shifts() = Period(3, 8 * 60, 12 * 60);
  *request.add_shifts() = Period(1, 13 * 60, 17 * 60);
  *request.add_shifts() = Period(1, 8 * 60, 12 * 60);
  auto decided = DecideRegisterTechnician(kNew, "t1", request);
  ASSERT_TRUE(decided.ok()) << decided.status();
  ASSERT_THAT(*decided, SizeIs(2));
  At<v1::TechnicianRegistered>(*decided, 0);
  const auto shifts = At<v1::ShiftsSet>(*decided, 1);
  EXPECT_EQ(shifts.technician_id(), "t1");
  ASSERT_THAT(shifts.shifts(), SizeIs(3));
  EXPECT_THAT(shifts.shifts(0), EqualsProto(Period(1, 8 * 60, 12 * 60)));
  EXPECT_THAT(shifts.shifts(1), EqualsProto(Period(1, 13 * 60, 17 * 60)));
  EXPECT_THAT(shifts.shifts(2), EqualsProto(Period(3, 8 * 60, 12 * 60)));
}

TEST(DecideRegisterTechnician, ExistingIsAlreadyExists) {
  EXPECT_THAT(DecideRegisterTechnician(Existing(), "t1", Registration()),
              IsRefusal(absl::StatusCode::kAlreadyExists, "technician t1 exists already"));
}

v1::UpdateTechnicianRequest Update(std::initializer_list<const char*> fields) {
  v1::UpdateTechnicianRequest request;
  request.set_technician_id("t1");
  for (const char* field : fields) request.add_update_fields(field);
  return request;
}

TEST(DecideUpdateTechnician, ChangesOnlyTheListedFields) {
  v1::UpdateTechnicianRequest request = Update({"name", "skills"});
  request.set_name(" Ana Ruiz-Lopez ");
  *request.add_skills() = Skill("Plumbing", 2);
  request.set_phone("+15559999999");  // not listed: kept
  const auto e = Only<v1::TechnicianUpdated>(DecideUpdateTechnician(Tech(), Existing(), request));
  EXPECT_EQ(e.technician_id(), "t1");
  EXPECT_EQ(e.name(), "Ana Ruiz-Lopez");
  EXPECT_EQ(e.phone(), "+15551234567");
  EXPECT_EQ(e.email(), "ana@example.com");
  ASSERT_THAT(e.skills(), SizeIs(1));
  EXPECT_THAT(e.skills(0), EqualsProto(Skill("plumbing", 2)));
  EXPECT_EQ(e.home_zone_id(), "z1");
  EXPECT_THAT(e.changed_fields(), ElementsAre("name", "skills"));
}

TEST(DecideUpdateTechnician, EveryFieldCanChange) {
  v1::UpdateTechnicianRequest request =
      Update({"name", "phone", "email", "skills", "home_zone_id"});
  request.set_name("Bo");
  request.set_phone("+15550000000");
  request.set_email("bo@example.com");
  *request.add_skills() = Skill("hvac", 5);
  request.set_home_zone_id("z2");
  const auto e = Only<v1::TechnicianUpdated>(DecideUpdateTechnician(Tech(), Existing(), request));
  EXPECT_THAT(e.changed_fields(), ElementsAre("name", "phone", "email", "skills", "home_zone_id"));
  EXPECT_EQ(e.email(), "bo@example.com");
  EXPECT_EQ(e.home_zone_id(), "z2");
}

TEST(DecideUpdateTechnician, ClearingAFieldIsAChange) {
  const auto e = Only<v1::TechnicianUpdated>(
      DecideUpdateTechnician(Tech(), Existing(), Update({"phone", "home_zone_id"})));
  EXPECT_EQ(e.phone(), "");
  EXPECT_EQ(e.home_zone_id(), "");
  EXPECT_THAT(e.changed_fields(), ElementsAre("phone", "home_zone_id"));
}

TEST(DecideUpdateTechnician, NothingDifferentIsNoOp) {
  v1::UpdateTechnicianRequest request = Update({"name", "skills"});
  request.set_name("Ana Ruiz ");
  *request.add_skills() = Skill("HVAC", 3);
  auto decided = DecideUpdateTechnician(Tech(), Existing(), request);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideUpdateTechnician, MissingIsNotFoundNamingIt) {
  v1::UpdateTechnicianRequest request = Update({"name"});
  request.set_technician_id("t9");
  request.set_name("X");
  EXPECT_THAT(DecideUpdateTechnician(v1::Technician(), kNew, request),
              IsRefusal(absl::StatusCode::kNotFound, "technician t9 not found"));
}

TEST(DecideSetActive, DeactivatesWithReasonAndReactivates) {
  const auto off =
      Only<v1::TechnicianDeactivated>(DecideSetActive(Tech(), Existing(), false, "left"));
  EXPECT_EQ(off.technician_id(), "t1");
  EXPECT_EQ(off.reason(), "left");
  v1::Technician inactive = Tech();
  inactive.set_active(false);
  const auto on = Only<v1::TechnicianActivated>(DecideSetActive(inactive, Existing(), true, ""));
  EXPECT_EQ(on.technician_id(), "t1");
}

TEST(DecideSetActive, AlreadySoIsNoOp) {
  auto decided = DecideSetActive(Tech(), Existing(), true, "");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
  v1::Technician inactive = Tech();
  inactive.set_active(false);
  decided = DecideSetActive(inactive, Existing(), false, "again");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideSetActive, MissingIsNotFound) {
  EXPECT_THAT(DecideSetActive(v1::Technician(), kNew, false, "x"),
              IsRefusal(absl::StatusCode::kNotFound, "technician not found"));
}

TEST(DecideSetShifts, SetsTheWholePatternSorted) {
  const auto e = Only<v1::ShiftsSet>(DecideSetShifts(
      Tech(), Existing(), Repeated({Period(5, 22 * 60, 6 * 60), Period(4, 8 * 60, 17 * 60)})));
  EXPECT_EQ(e.technician_id(), "t1");
  ASSERT_THAT(e.shifts(), SizeIs(2));
  EXPECT_THAT(e.shifts(0), EqualsProto(Period(4, 8 * 60, 17 * 60)));
  EXPECT_THAT(e.shifts(1), EqualsProto(Period(5, 22 * 60, 6 * 60)));
}

TEST(DecideSetShifts, SamePatternInAnyOrderIsNoOp) {
  auto decided = DecideSetShifts(
      Tech(), Existing(), Repeated({Period(2, 8 * 60, 17 * 60), Period(1, 8 * 60, 17 * 60)}));
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideSetShifts, ClearingThePatternIsAChange) {
  const auto e = Only<v1::ShiftsSet>(DecideSetShifts(Tech(), Existing(), {}));
  EXPECT_THAT(e.shifts(), IsEmpty());
  v1::Technician unrestricted = Tech();
  unrestricted.clear_shifts();
  auto decided = DecideSetShifts(unrestricted, Existing(), {});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideSetShifts, MissingIsNotFound) {
  EXPECT_THAT(DecideSetShifts(v1::Technician(), kNew, {}),
              IsRefusal(absl::StatusCode::kNotFound, "technician not found"));
}

TEST(DecideSetShifts, RegisteredPatternRepeatedIsNoOp) {
  // Registered with periods out of order, then the same pattern again.
  v1::RegisterTechnicianRequest request = Registration();
  *request.add_shifts() = Period(2, 8 * 60, 17 * 60);
  *request.add_shifts() = Period(1, 8 * 60, 17 * 60);
  auto registered = DecideRegisterTechnician(kNew, "t1", request);
  ASSERT_TRUE(registered.ok()) << registered.status();
  v1::Technician technician;
  int64_t sequence = 0;
  for (const TechnicianEvent& event : *registered) {
    ASSERT_THAT(EvolveTechnician(technician, Envelope(++sequence), event), IsOk());
  }
  auto decided = DecideSetShifts(technician, Existing(sequence), request.shifts());
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideAddTimeOff, AddsTheResolvedTimeOff) {
  const v1::TimeOff time_off = TimeOff("to1", kBase, kBase + 8 * kHour);
  const auto e = Only<v1::TimeOffAdded>(DecideAddTimeOff(Tech(), Existing(), time_off));
  EXPECT_EQ(e.technician_id(), "t1");
  EXPECT_THAT(e.time_off(), EqualsProto(time_off));
}

TEST(DecideAddTimeOff, MissingTechnicianIsNotFound) {
  EXPECT_THAT(DecideAddTimeOff(v1::Technician(), kNew, TimeOff("to1", kBase, kBase + 1)),
              IsRefusal(absl::StatusCode::kNotFound, "technician not found"));
}

TEST(DecideAddTimeOff, AKnownIdIsAlreadyExists) {
  v1::Technician technician = Tech();
  *technician.add_time_off() = TimeOff("to1", kBase, kBase + kHour);
  EXPECT_THAT(DecideAddTimeOff(technician, Existing(), TimeOff("to1", kBase, kBase + 2 * kHour)),
              IsRefusal(absl::StatusCode::kAlreadyExists, "time off to1 exists already"));
}

TEST(DecideRemoveTimeOff, RemovesAKnownOne) {
  v1::Technician technician = Tech();
  *technician.add_time_off() = TimeOff("to1", kBase, kBase + kHour);
  const auto e = Only<v1::TimeOffRemoved>(DecideRemoveTimeOff(technician, Existing(), "to1"));
  EXPECT_EQ(e.technician_id(), "t1");
  EXPECT_EQ(e.time_off_id(), "to1");
}

TEST(DecideRemoveTimeOff, UnknownIsNotFound) {
  EXPECT_THAT(DecideRemoveTimeOff(Tech(), Existing(), "to9"),
              IsRefusal(absl::StatusCode::kNotFound, "time off to9 not found"));
  EXPECT_THAT(DecideRemoveTimeOff(v1::Technician(), kNew, "to1"),
              IsRefusal(absl::StatusCode::kNotFound, "technician not found"));
}

// ================================================================ crews and zones

TEST(DecideCreateCrew, CreatesAndAddsMembersSorted) {
  auto decided = DecideCreateCrew(kNew, "c1", "  North ", {"t2", "t1"});
  ASSERT_TRUE(decided.ok()) << decided.status();
  ASSERT_THAT(*decided, SizeIs(3));
  const auto created = At<v1::CrewCreated>(*decided, 0);
  EXPECT_EQ(created.crew_id(), "c1");
  EXPECT_EQ(created.name(), "North");
  EXPECT_EQ(At<v1::CrewMemberAdded>(*decided, 1).technician_id(), "t1");
  EXPECT_EQ(At<v1::CrewMemberAdded>(*decided, 2).technician_id(), "t2");
  EXPECT_EQ(At<v1::CrewMemberAdded>(*decided, 2).crew_id(), "c1");
}

TEST(DecideCreateCrew, WithoutMembers) {
  auto decided = DecideCreateCrew(kNew, "c1", "North", {});
  EXPECT_EQ(Only<v1::CrewCreated>(decided).name(), "North");
}

TEST(DecideCreateCrew, AMemberListedTwiceIsAddedOnce) {
  auto decided = DecideCreateCrew(kNew, "c1", "North", {"t1", "t1"});
  ASSERT_TRUE(decided.ok()) << decided.status();
  ASSERT_THAT(*decided, SizeIs(2));
  v1::Crew crew;
  int64_t sequence = 0;
  for (const CrewEvent& event : *decided) {
    EXPECT_THAT(EvolveCrew(crew, Envelope(++sequence), event), IsOk());
  }
  EXPECT_THAT(crew.member_ids(), ElementsAre("t1"));
}

TEST(DecideCreateCrew, ExistingIsAlreadyExists) {
  EXPECT_THAT(DecideCreateCrew(Existing(), "c1", "North", {}),
              IsRefusal(absl::StatusCode::kAlreadyExists, "crew c1 exists already"));
}

TEST(DecideRenameCrew, RenamesTrimmed) {
  const auto e = Only<v1::CrewRenamed>(DecideRenameCrew(Crew(), Existing(), " South  "));
  EXPECT_EQ(e.crew_id(), "c1");
  EXPECT_EQ(e.name(), "South");
}

TEST(DecideRenameCrew, SameNameIsNoOp) {
  auto decided = DecideRenameCrew(Crew(), Existing(), " North ");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideRenameCrew, MissingIsNotFound) {
  EXPECT_THAT(DecideRenameCrew(v1::Crew(), kNew, "South"),
              IsRefusal(absl::StatusCode::kNotFound, "crew not found"));
}

TEST(DecideCrewMember, AddsAndRemoves) {
  const auto added = Only<v1::CrewMemberAdded>(DecideCrewMember(Crew(), Existing(), "t3", true));
  EXPECT_EQ(added.crew_id(), "c1");
  EXPECT_EQ(added.technician_id(), "t3");
  const auto removed =
      Only<v1::CrewMemberRemoved>(DecideCrewMember(Crew(), Existing(), "t1", false));
  EXPECT_EQ(removed.crew_id(), "c1");
  EXPECT_EQ(removed.technician_id(), "t1");
}

TEST(DecideCrewMember, AlreadySoIsNoOp) {
  auto decided = DecideCrewMember(Crew(), Existing(), "t1", true);  // already a member
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
  decided = DecideCrewMember(Crew(), Existing(), "t9", false);  // not a member
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideCrewMember, MissingCrewIsNotFound) {
  EXPECT_THAT(DecideCrewMember(v1::Crew(), kNew, "t1", true),
              IsRefusal(absl::StatusCode::kNotFound, "crew not found"));
}

v1::ServiceZone Zone() {
  v1::ServiceZone zone;
  zone.set_zone_id("z1");
  zone.set_name("Downtown");
  for (const char* code : {"60601", "60602", "SW1A"}) zone.add_postal_codes(code);
  zone.set_version(2);
  return zone;
}

TEST(DecideSaveZone, NewZoneNormalizesPostalCodes) {
  const auto e = Only<v1::ServiceZoneSaved>(
      DecideSaveZone(v1::ServiceZone(), "z1", " Downtown ", {" sw1a", "60602", "60601", "60602"}));
  EXPECT_EQ(e.zone_id(), "z1");
  EXPECT_EQ(e.name(), "Downtown");
  EXPECT_THAT(e.postal_codes(), ElementsAre("60601", "60602", "SW1A"));
}

TEST(DecideSaveZone, UnchangedIsNoOp) {
  auto decided = DecideSaveZone(Zone(), "z1", "Downtown ", {"sw1a", "60602", "60601"});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideSaveZone, ChangedNameOrCodesIsSaved) {
  EXPECT_EQ(
      Only<v1::ServiceZoneSaved>(DecideSaveZone(Zone(), "z1", "Loop", {"60601", "60602", "SW1A"}))
          .name(),
      "Loop");
  EXPECT_THAT(Only<v1::ServiceZoneSaved>(DecideSaveZone(Zone(), "z1", "Downtown", {"60601"}))
                  .postal_codes(),
              ElementsAre("60601"));
}

// ================================================================ agreements and tracks

TEST(DecideCreateAgreement, CreatesActiveWithSkillsSortedUnique) {
  const auto e = Only<v1::AgreementCreated>(DecideCreateAgreement(kNew, Agreement()));
  EXPECT_EQ(e.agreement().agreement_id(), "ag1");
  EXPECT_TRUE(e.agreement().active());
  EXPECT_THAT(e.agreement().required_skills(), ElementsAre("electrical", "hvac"));
  EXPECT_EQ(e.agreement().title(), "Quarterly filter change");
  EXPECT_THAT(e.agreement().visits(), IsEmpty());
}

TEST(DecideCreateAgreement, SkillsAreStoredAsTechniciansHaveThem) {
  v1::Agreement agreement = Agreement();
  agreement.clear_required_skills();
  for (const char* skill : {" HVAC", "hvac ", "Electrical"}) agreement.add_required_skills(skill);
  EXPECT_THAT(Only<v1::AgreementCreated>(DecideCreateAgreement(kNew, agreement))
                  .agreement()
                  .required_skills(),
              ElementsAre("electrical", "hvac"));
}

TEST(DecideCreateAgreement, ExistingIsAlreadyExists) {
  EXPECT_THAT(DecideCreateAgreement(Existing(), Agreement()),
              IsRefusal(absl::StatusCode::kAlreadyExists, "agreement ag1 exists already"));
}

v1::Agreement Created() {
  v1::Agreement agreement = Agreement();
  agreement.set_active(true);
  *agreement.add_visits() = AgreementVisit(0, "j0");
  agreement.set_version(2);
  return agreement;
}

TEST(DecideRecordVisit, RecordsANewOccurrence) {
  const auto e = Only<v1::AgreementVisitCreated>(
      DecideRecordVisit(Created(), Existing(), AgreementVisit(1, "j1")));
  EXPECT_EQ(e.agreement_id(), "ag1");
  EXPECT_THAT(e.visit(), EqualsProto(AgreementVisit(1, "j1")));
}

TEST(DecideRecordVisit, SameOccurrenceSameJobIsNoOp) {
  auto decided = DecideRecordVisit(Created(), Existing(), AgreementVisit(0, "j0"));
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideRecordVisit, SameOccurrenceAnotherJobIsRefused) {
  EXPECT_THAT(DecideRecordVisit(Created(), Existing(), AgreementVisit(0, "j-other")),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "occurrence 0 has job j0 already"));
}

TEST(DecideRecordVisit, MissingAgreementIsNotFound) {
  EXPECT_THAT(DecideRecordVisit(v1::Agreement(), kNew, AgreementVisit(0, "j0")),
              IsRefusal(absl::StatusCode::kNotFound, "agreement not found"));
}

TEST(DecideEndAgreement, EndsWithTheReason) {
  const auto e = Only<v1::AgreementEnded>(DecideEndAgreement(Created(), Existing(), "sold"));
  EXPECT_EQ(e.agreement_id(), "ag1");
  EXPECT_EQ(e.reason(), "sold");
}

TEST(DecideEndAgreement, EndedIsNoOp) {
  v1::Agreement ended = Created();
  ended.set_active(false);
  auto decided = DecideEndAgreement(ended, Existing(), "again");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

TEST(DecideEndAgreement, MissingIsNotFound) {
  EXPECT_THAT(DecideEndAgreement(v1::Agreement(), kNew, "x"),
              IsRefusal(absl::StatusCode::kNotFound, "agreement not found"));
}

TEST(DecideRecordLocations, SortsPingsByTimeKeepingTiesInOrder) {
  const auto e = Only<v1::LocationsRecorded>(DecideRecordLocations(
      "t1", Repeated({Ping(kBase + 20, 1), Ping(kBase, 2), Ping(kBase + 20, 3), Ping(kBase, 4)})));
  EXPECT_EQ(e.technician_id(), "t1");
  ASSERT_THAT(e.pings(), SizeIs(4));
  EXPECT_EQ(e.pings(0).latitude(), 2);
  EXPECT_EQ(e.pings(1).latitude(), 4);
  EXPECT_EQ(e.pings(2).latitude(), 1);
  EXPECT_EQ(e.pings(3).latitude(), 3);
}

// ================================================================ EvolveSchedule

v1::AppointmentScheduled ScheduledEvent(const std::string& appointment_id = "a1") {
  auto decided = DecideSchedule(v1::JobSchedule(), "j1", Plan(appointment_id), {});
  return Only<v1::AppointmentScheduled>(decided);
}

// The schedule after AppointmentScheduled a1 at sequence 1.
v1::JobSchedule Booked1() {
  v1::JobSchedule schedule;
  EXPECT_THAT(EvolveSchedule(schedule, Envelope(1, kBase - kHour), ScheduledEvent()), IsOk());
  return schedule;
}

TEST(EvolveSchedule, ScheduledAddsTheAppointment) {
  const v1::JobSchedule schedule = Booked1();
  EXPECT_EQ(schedule.job_id(), "j1");
  EXPECT_EQ(schedule.version(), 1);
  ASSERT_THAT(schedule.appointments(), SizeIs(1));
  const v1::Appointment& a = schedule.appointments(0);
  EXPECT_EQ(a.appointment_id(), "a1");
  EXPECT_EQ(a.job_id(), "j1");
  EXPECT_THAT(a.date(), EqualsProto(Date(2026, 3, 9)));
  EXPECT_THAT(a.window(), EqualsProto(Window(kBase, kBase + 2 * kHour)));
  EXPECT_EQ(a.duration_minutes(), 90);
  EXPECT_THAT(a.technician_ids(), ElementsAre("t1", "t2"));
  EXPECT_THAT(a.crew_ids(), ElementsAre("c1"));
  EXPECT_THAT(a.crew_member_ids(), ElementsAre("t3"));
  EXPECT_EQ(a.status(), v1::APPOINTMENT_STATUS_SCHEDULED);
  EXPECT_FALSE(a.allow_overlap());
  EXPECT_THAT(a.created_at(), EqualsProto(Ts(kBase - kHour)));
  EXPECT_THAT(a.updated_at(), EqualsProto(Ts(kBase - kHour)));
  EXPECT_EQ(a.notes(), "gate code 1234");
}

TEST(EvolveSchedule, AppointmentsKeepTheirOrder) {
  v1::JobSchedule schedule = Booked1();
  ASSERT_THAT(EvolveSchedule(schedule, Envelope(2), ScheduledEvent("a0")), IsOk());
  ASSERT_THAT(schedule.appointments(), SizeIs(2));
  EXPECT_EQ(schedule.appointments(0).appointment_id(), "a1");
  EXPECT_EQ(schedule.appointments(1).appointment_id(), "a0");
  EXPECT_EQ(schedule.version(), 2);
}

TEST(EvolveSchedule, ScheduledTwiceIsRefused) {
  v1::JobSchedule schedule = Booked1();
  EXPECT_THAT(EvolveSchedule(schedule, Envelope(2), ScheduledEvent()),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "appointment a1 exists already"));
  EXPECT_EQ(schedule.version(), 1);
  EXPECT_THAT(schedule.appointments(), SizeIs(1));
}

TEST(EvolveSchedule, Rescheduled) {
  v1::JobSchedule schedule = Booked1();
  VisitPlan plan = Moved(24, 120);
  plan.allow_overlap = true;
  const auto e = Only<v1::AppointmentRescheduled>(DecideReschedule(schedule, plan, "", {Booked()}));
  ASSERT_THAT(EvolveSchedule(schedule, Envelope(2, kBase + 60), e), IsOk());
  const v1::Appointment& a = schedule.appointments(0);
  EXPECT_THAT(a.date(), EqualsProto(Date(2026, 3, 10)));
  EXPECT_THAT(a.window(), EqualsProto(Window(kBase + 24 * kHour, kBase + 26 * kHour)));
  EXPECT_EQ(a.duration_minutes(), 120);
  EXPECT_TRUE(a.allow_overlap());
  EXPECT_THAT(a.created_at(), EqualsProto(Ts(kBase - kHour)));
  EXPECT_THAT(a.updated_at(), EqualsProto(Ts(kBase + 60)));
  EXPECT_EQ(schedule.version(), 2);
}

TEST(EvolveSchedule, Reassigned) {
  v1::JobSchedule schedule = Booked1();
  const auto e = Only<v1::AppointmentReassigned>(
      DecideReassign(schedule, People({"t4"}, {"c2"}, {"t5"}), "", {}));
  ASSERT_THAT(EvolveSchedule(schedule, Envelope(2, kBase + 60), e), IsOk());
  const v1::Appointment& a = schedule.appointments(0);
  EXPECT_THAT(a.technician_ids(), ElementsAre("t4"));
  EXPECT_THAT(a.crew_ids(), ElementsAre("c2"));
  EXPECT_THAT(a.crew_member_ids(), ElementsAre("t5"));
  EXPECT_FALSE(a.allow_overlap());
  EXPECT_THAT(a.updated_at(), EqualsProto(Ts(kBase + 60)));
  EXPECT_EQ(schedule.version(), 2);
}

TEST(EvolveSchedule, Cancelled) {
  v1::JobSchedule schedule = Booked1();
  const auto e = Only<v1::AppointmentCancelled>(DecideCancel(schedule, "a1", "rain"));
  ASSERT_THAT(EvolveSchedule(schedule, Envelope(2, kBase + 60), e), IsOk());
  const v1::Appointment& a = schedule.appointments(0);
  EXPECT_EQ(a.status(), v1::APPOINTMENT_STATUS_CANCELLED);
  EXPECT_EQ(a.cancel_reason(), "rain");
  EXPECT_THAT(a.updated_at(), EqualsProto(Ts(kBase + 60)));
  EXPECT_EQ(schedule.version(), 2);
}

TEST(EvolveSchedule, DispatchStepsBuildEachTechniciansTimeline) {
  v1::JobSchedule schedule = Booked1();
  int64_t sequence = 1;
  const std::vector<std::pair<std::string, v1::DispatchState>> steps = {
      {"t1", v1::DISPATCH_STATE_EN_ROUTE}, {"t2", v1::DISPATCH_STATE_EN_ROUTE},
      {"t1", v1::DISPATCH_STATE_ARRIVED},  {"t1", v1::DISPATCH_STATE_WORKING},
      {"t1", v1::DISPATCH_STATE_PAUSED},   {"t1", v1::DISPATCH_STATE_WORKING},
      {"t1", v1::DISPATCH_STATE_COMPLETED}};
  for (const auto& [technician, state] : steps) {
    ++sequence;
    auto decided = DecideDispatch(schedule, "a1", technician, state, Ts(kBase + sequence * 60));
    ASSERT_TRUE(decided.ok()) << decided.status();
    ASSERT_THAT(*decided, SizeIs(1));
    ASSERT_THAT(EvolveSchedule(schedule, Envelope(sequence, kBase + sequence * 100, technician),
                               decided->front()),
                IsOk());
  }
  EXPECT_EQ(schedule.version(), 8);
  const v1::Appointment& a = schedule.appointments(0);
  EXPECT_THAT(a.updated_at(), EqualsProto(Ts(kBase + 800)));
  ASSERT_THAT(a.dispatch(), SizeIs(2));
  EXPECT_EQ(DispatchStateOf(a, "t1"), v1::DISPATCH_STATE_COMPLETED);
  EXPECT_EQ(DispatchStateOf(a, "t2"), v1::DISPATCH_STATE_EN_ROUTE);
  EXPECT_EQ(DispatchStateOf(a, "t3"), v1::DISPATCH_STATE_SCHEDULED);
  const v1::TechnicianDispatch& t1 = a.dispatch(0);
  EXPECT_EQ(t1.technician_id(), "t1");
  ASSERT_THAT(t1.timeline(), SizeIs(6));
  EXPECT_EQ(t1.timeline(0).state(), v1::DISPATCH_STATE_EN_ROUTE);
  EXPECT_THAT(t1.timeline(0).at(), EqualsProto(Ts(kBase + 2 * 60)));  // the field time
  EXPECT_EQ(t1.timeline(0).actor_id(), "t1");
  EXPECT_EQ(t1.timeline(3).state(), v1::DISPATCH_STATE_PAUSED);
  EXPECT_EQ(t1.timeline(5).state(), v1::DISPATCH_STATE_COMPLETED);
  EXPECT_THAT(t1.timeline(5).at(), EqualsProto(Ts(kBase + 8 * 60)));
  // Under way now: who and when are settled.
  EXPECT_THAT(DecideReschedule(schedule, Moved(), "", {}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "has arrived already"));
  EXPECT_THAT(DecideReassign(schedule, People({"t4"}), "", {}),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "has arrived already"));
}

TEST(EvolveSchedule, EventsForAMissingAppointmentAreRefused) {
  v1::AppointmentRescheduled rescheduled;
  rescheduled.set_appointment_id("a9");
  v1::AppointmentReassigned reassigned;
  reassigned.set_appointment_id("a9");
  v1::AppointmentCancelled cancelled;
  cancelled.set_appointment_id("a9");
  v1::DispatchStateChanged dispatched;
  dispatched.set_appointment_id("a9");
  dispatched.set_technician_id("t1");
  dispatched.set_state(v1::DISPATCH_STATE_EN_ROUTE);
  for (const ScheduleEvent& event : {ScheduleEvent(rescheduled), ScheduleEvent(reassigned),
                                     ScheduleEvent(cancelled), ScheduleEvent(dispatched)}) {
    v1::JobSchedule schedule = Booked1();
    const v1::JobSchedule before = schedule;
    EXPECT_THAT(EvolveSchedule(schedule, Envelope(2), event),
                IsRefusal(absl::StatusCode::kFailedPrecondition, "no appointment a9"));
    EXPECT_THAT(schedule, EqualsProto(before));
  }
}

// ================================================================ EvolveTechnician

v1::Technician Registered(int64_t at = kBase) {
  v1::Technician technician;
  auto decided = DecideRegisterTechnician(kNew, "t1", Registration());
  EXPECT_THAT(
      EvolveTechnician(technician, Envelope(1, at), Only<v1::TechnicianRegistered>(decided)),
      IsOk());
  return technician;
}

TEST(EvolveTechnician, RegisteredStartsActive) {
  const v1::Technician technician = Registered();
  EXPECT_EQ(technician.technician_id(), "t1");
  EXPECT_EQ(technician.name(), "Ana Ruiz");
  EXPECT_EQ(technician.phone(), "+15551234567");
  EXPECT_EQ(technician.email(), "ana@example.com");
  ASSERT_THAT(technician.skills(), SizeIs(2));
  EXPECT_EQ(technician.home_zone_id(), "z1");
  EXPECT_TRUE(technician.active());
  EXPECT_EQ(technician.version(), 1);
  EXPECT_THAT(technician.created_at(), EqualsProto(Ts(kBase)));
  EXPECT_THAT(technician.updated_at(), EqualsProto(Ts(kBase)));
}

TEST(EvolveTechnician, RegisteredTwiceIsRefused) {
  v1::Technician technician = Registered();
  v1::TechnicianRegistered again;
  again.set_technician_id("t1");
  again.set_name("Other");
  EXPECT_THAT(EvolveTechnician(technician, Envelope(2), again),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "the technician exists already"));
  EXPECT_EQ(technician.name(), "Ana Ruiz");
  EXPECT_EQ(technician.version(), 1);
}

TEST(EvolveTechnician, AnyOtherEventNeedsTheTechnician) {
  v1::Technician technician;
  v1::TechnicianActivated activated;
  activated.set_technician_id("t1");
  EXPECT_THAT(EvolveTechnician(technician, Envelope(1), activated),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "the technician does not exist"));
  EXPECT_EQ(technician.version(), 0);
}

TEST(EvolveTechnician, UpdatedReplacesTheProfile) {
  v1::Technician technician = Registered();
  v1::UpdateTechnicianRequest request = Update({"name", "email"});
  request.set_name("Bo");
  request.set_email("bo@example.com");
  auto decided = DecideUpdateTechnician(technician, Existing(1), request);
  ASSERT_THAT(
      EvolveTechnician(technician, Envelope(2, kBase + 60), Only<v1::TechnicianUpdated>(decided)),
      IsOk());
  EXPECT_EQ(technician.name(), "Bo");
  EXPECT_EQ(technician.email(), "bo@example.com");
  EXPECT_EQ(technician.phone(), "+15551234567");
  EXPECT_EQ(technician.version(), 2);
  EXPECT_THAT(technician.created_at(), EqualsProto(Ts(kBase)));
  EXPECT_THAT(technician.updated_at(), EqualsProto(Ts(kBase + 60)));
}

TEST(EvolveTechnician, DeactivatedAndActivated) {
  v1::Technician technician = Registered();
  ASSERT_THAT(EvolveTechnician(technician, Envelope(2), v1::TechnicianDeactivated()), IsOk());
  EXPECT_FALSE(technician.active());
  EXPECT_EQ(technician.version(), 2);
  ASSERT_THAT(EvolveTechnician(technician, Envelope(3), v1::TechnicianActivated()), IsOk());
  EXPECT_TRUE(technician.active());
  EXPECT_EQ(technician.version(), 3);
}

TEST(EvolveTechnician, ShiftsSetReplacesThePattern) {
  v1::Technician technician = Registered();
  v1::ShiftsSet shifts;
  *shifts.add_shifts() = Period(1, 60, 120);
  *shifts.add_shifts() = Period(2, 60, 120);
  ASSERT_THAT(EvolveTechnician(technician, Envelope(2), shifts), IsOk());
  ASSERT_THAT(technician.shifts(), SizeIs(2));
  shifts.clear_shifts();
  *shifts.add_shifts() = Period(7, 0, 0);
  ASSERT_THAT(EvolveTechnician(technician, Envelope(3), shifts), IsOk());
  ASSERT_THAT(technician.shifts(), SizeIs(1));
  EXPECT_THAT(technician.shifts(0), EqualsProto(Period(7, 0, 0)));
  EXPECT_EQ(technician.version(), 3);
}

v1::TimeOffAdded TimeOffAdded(const v1::TimeOff& time_off) {
  v1::TimeOffAdded added;
  added.set_technician_id("t1");
  *added.mutable_time_off() = time_off;
  return added;
}

TEST(EvolveTechnician, TimeOffIsKeptSortedByStart) {
  v1::Technician technician = Registered();
  ASSERT_THAT(EvolveTechnician(technician, Envelope(2),
                               TimeOffAdded(TimeOff("late", kBase + 10, kBase + 20))),
              IsOk());
  ASSERT_THAT(
      EvolveTechnician(technician, Envelope(3), TimeOffAdded(TimeOff("early", kBase, kBase + 5))),
      IsOk());
  ASSERT_THAT(EvolveTechnician(technician, Envelope(4),
                               TimeOffAdded(TimeOff("middle", kBase + 7, kBase + 8))),
              IsOk());
  ASSERT_THAT(technician.time_off(), SizeIs(3));
  EXPECT_EQ(technician.time_off(0).time_off_id(), "early");
  EXPECT_EQ(technician.time_off(1).time_off_id(), "middle");
  EXPECT_EQ(technician.time_off(2).time_off_id(), "late");
  EXPECT_EQ(technician.version(), 4);
}

TEST(EvolveTechnician, TimeOffAddedTwiceIsRefused) {
  v1::Technician technician = Registered();
  ASSERT_THAT(
      EvolveTechnician(technician, Envelope(2), TimeOffAdded(TimeOff("to1", kBase, kBase + 5))),
      IsOk());
  EXPECT_THAT(
      EvolveTechnician(technician, Envelope(3), TimeOffAdded(TimeOff("to1", kBase, kBase + 9))),
      IsRefusal(absl::StatusCode::kFailedPrecondition, "time off to1 exists already"));
  EXPECT_THAT(technician.time_off(), SizeIs(1));
  EXPECT_EQ(technician.version(), 2);
}

TEST(EvolveTechnician, TimeOffRemoved) {
  v1::Technician technician = Registered();
  ASSERT_THAT(
      EvolveTechnician(technician, Envelope(2), TimeOffAdded(TimeOff("to1", kBase, kBase + 5))),
      IsOk());
  ASSERT_THAT(
      EvolveTechnician(technician, Envelope(3), TimeOffAdded(TimeOff("to2", kBase + 6, kBase + 9))),
      IsOk());
  auto decided = DecideRemoveTimeOff(technician, Existing(3), "to1");
  ASSERT_THAT(EvolveTechnician(technician, Envelope(4), Only<v1::TimeOffRemoved>(decided)), IsOk());
  ASSERT_THAT(technician.time_off(), SizeIs(1));
  EXPECT_EQ(technician.time_off(0).time_off_id(), "to2");
  EXPECT_EQ(technician.version(), 4);
}

TEST(EvolveTechnician, RemovingUnknownTimeOffIsRefused) {
  v1::Technician technician = Registered();
  v1::TimeOffRemoved removed;
  removed.set_time_off_id("to9");
  EXPECT_THAT(EvolveTechnician(technician, Envelope(2), removed),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "no time off to9"));
  EXPECT_EQ(technician.version(), 1);
}

// ================================================================ EvolveCrew

v1::Crew CreatedCrew(std::vector<std::string> members = {"t2", "t1"}) {
  v1::Crew crew;
  auto decided = DecideCreateCrew(kNew, "c1", "North", std::move(members));
  EXPECT_TRUE(decided.ok()) << decided.status();
  int64_t sequence = 0;
  for (const CrewEvent& event : *decided) {
    ++sequence;
    EXPECT_THAT(EvolveCrew(crew, Envelope(sequence, kBase + sequence), event), IsOk());
  }
  return crew;
}

TEST(EvolveCrew, CreatedWithMembers) {
  const v1::Crew crew = CreatedCrew();
  EXPECT_EQ(crew.crew_id(), "c1");
  EXPECT_EQ(crew.name(), "North");
  EXPECT_THAT(crew.member_ids(), ElementsAre("t1", "t2"));
  ASSERT_THAT(crew.memberships(), SizeIs(2));
  EXPECT_EQ(crew.memberships(0).technician_id(), "t1");
  EXPECT_THAT(crew.memberships(0).joined_at(), EqualsProto(Ts(kBase + 2)));
  EXPECT_FALSE(crew.memberships(0).has_left_at());
  EXPECT_EQ(crew.memberships(1).technician_id(), "t2");
  EXPECT_THAT(crew.memberships(1).joined_at(), EqualsProto(Ts(kBase + 3)));
  EXPECT_EQ(crew.version(), 3);
}

TEST(EvolveCrew, CreatedTwiceIsRefused) {
  v1::Crew crew = CreatedCrew();
  v1::CrewCreated again;
  again.set_crew_id("c1");
  again.set_name("Other");
  EXPECT_THAT(EvolveCrew(crew, Envelope(4), again),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "the crew exists already"));
  EXPECT_EQ(crew.name(), "North");
  EXPECT_EQ(crew.version(), 3);
}

TEST(EvolveCrew, AnyOtherEventNeedsTheCrew) {
  v1::Crew crew;
  v1::CrewRenamed renamed;
  renamed.set_name("South");
  EXPECT_THAT(EvolveCrew(crew, Envelope(1), renamed),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "the crew does not exist"));
}

TEST(EvolveCrew, Renamed) {
  v1::Crew crew = CreatedCrew();
  auto decided = DecideRenameCrew(crew, Existing(3), "South");
  ASSERT_THAT(EvolveCrew(crew, Envelope(4), Only<v1::CrewRenamed>(decided)), IsOk());
  EXPECT_EQ(crew.name(), "South");
  EXPECT_EQ(crew.version(), 4);
}

TEST(EvolveCrew, MembershipsRecordJoiningAndLeaving) {
  v1::Crew crew = CreatedCrew();
  auto leave = DecideCrewMember(crew, Existing(3), "t1", false);
  ASSERT_THAT(EvolveCrew(crew, Envelope(4, kBase + 100), Only<v1::CrewMemberRemoved>(leave)),
              IsOk());
  EXPECT_THAT(crew.member_ids(), ElementsAre("t2"));
  auto join = DecideCrewMember(crew, Existing(4), "t0", true);
  ASSERT_THAT(EvolveCrew(crew, Envelope(5, kBase + 200), Only<v1::CrewMemberAdded>(join)), IsOk());
  EXPECT_THAT(crew.member_ids(), ElementsAre("t0", "t2"));  // sorted
  auto rejoin = DecideCrewMember(crew, Existing(5), "t1", true);
  ASSERT_THAT(EvolveCrew(crew, Envelope(6, kBase + 300), Only<v1::CrewMemberAdded>(rejoin)),
              IsOk());
  EXPECT_THAT(crew.member_ids(), ElementsAre("t0", "t1", "t2"));
  EXPECT_EQ(crew.version(), 6);

  // Every membership ever, in order; t1's first one closed when they left.
  ASSERT_THAT(crew.memberships(), SizeIs(4));
  EXPECT_EQ(crew.memberships(0).technician_id(), "t1");
  EXPECT_THAT(crew.memberships(0).joined_at(), EqualsProto(Ts(kBase + 2)));
  EXPECT_THAT(crew.memberships(0).left_at(), EqualsProto(Ts(kBase + 100)));
  EXPECT_EQ(crew.memberships(1).technician_id(), "t2");
  EXPECT_FALSE(crew.memberships(1).has_left_at());
  EXPECT_EQ(crew.memberships(2).technician_id(), "t0");
  EXPECT_THAT(crew.memberships(2).joined_at(), EqualsProto(Ts(kBase + 200)));
  EXPECT_EQ(crew.memberships(3).technician_id(), "t1");
  EXPECT_THAT(crew.memberships(3).joined_at(), EqualsProto(Ts(kBase + 300)));
  EXPECT_FALSE(crew.memberships(3).has_left_at());

  // Leaving again closes only the open membership.
  auto leave_again = DecideCrewMember(crew, Existing(6), "t1", false);
  ASSERT_THAT(EvolveCrew(crew, Envelope(7, kBase + 400), Only<v1::CrewMemberRemoved>(leave_again)),
              IsOk());
  EXPECT_THAT(crew.memberships(0).left_at(), EqualsProto(Ts(kBase + 100)));
  EXPECT_THAT(crew.memberships(3).left_at(), EqualsProto(Ts(kBase + 400)));
}

TEST(EvolveCrew, AddingAMemberTwiceIsRefused) {
  v1::Crew crew = CreatedCrew();
  v1::CrewMemberAdded added;
  added.set_crew_id("c1");
  added.set_technician_id("t1");
  EXPECT_THAT(EvolveCrew(crew, Envelope(4), added),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "t1 is a member already"));
  EXPECT_THAT(crew.memberships(), SizeIs(2));
  EXPECT_EQ(crew.version(), 3);
}

TEST(EvolveCrew, RemovingANonMemberIsRefused) {
  v1::Crew crew = CreatedCrew();
  v1::CrewMemberRemoved removed;
  removed.set_crew_id("c1");
  removed.set_technician_id("t9");
  EXPECT_THAT(EvolveCrew(crew, Envelope(4), removed),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "no member t9"));
  EXPECT_EQ(crew.version(), 3);
}

// ================================================================ EvolveZone

TEST(EvolveZone, SavedCreatesThenReplaces) {
  v1::ServiceZone zone;
  ASSERT_THAT(EvolveZone(zone, Envelope(1),
                         Only<v1::ServiceZoneSaved>(
                             DecideSaveZone(zone, "z1", "Downtown", {"60602", "60601"}))),
              IsOk());
  EXPECT_EQ(zone.zone_id(), "z1");
  EXPECT_EQ(zone.name(), "Downtown");
  EXPECT_THAT(zone.postal_codes(), ElementsAre("60601", "60602"));
  EXPECT_EQ(zone.version(), 1);
  ASSERT_THAT(EvolveZone(zone, Envelope(2),
                         Only<v1::ServiceZoneSaved>(DecideSaveZone(zone, "z1", "Loop", {"60603"}))),
              IsOk());
  EXPECT_EQ(zone.name(), "Loop");
  EXPECT_THAT(zone.postal_codes(), ElementsAre("60603"));
  EXPECT_EQ(zone.version(), 2);
  // Saved as it is: no change.
  auto decided = DecideSaveZone(zone, "z1", "Loop", {"60603"});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_THAT(*decided, IsEmpty());
}

// ================================================================ EvolveAgreement

v1::Agreement CreatedAgreement() {
  v1::Agreement agreement;
  EXPECT_THAT(EvolveAgreement(agreement, Envelope(1),
                              Only<v1::AgreementCreated>(DecideCreateAgreement(kNew, Agreement()))),
              IsOk());
  return agreement;
}

TEST(EvolveAgreement, CreatedIsActive) {
  const v1::Agreement agreement = CreatedAgreement();
  EXPECT_EQ(agreement.agreement_id(), "ag1");
  EXPECT_EQ(agreement.customer_id(), "cu1");
  EXPECT_TRUE(agreement.active());
  EXPECT_THAT(agreement.required_skills(), ElementsAre("electrical", "hvac"));
  EXPECT_EQ(agreement.version(), 1);
}

TEST(EvolveAgreement, CreatedTwiceIsRefused) {
  v1::Agreement agreement = CreatedAgreement();
  v1::AgreementCreated again;
  again.mutable_agreement()->set_agreement_id("ag1");
  again.mutable_agreement()->set_title("Other");
  EXPECT_THAT(EvolveAgreement(agreement, Envelope(2), again),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "the agreement exists already"));
  EXPECT_EQ(agreement.title(), "Quarterly filter change");
  EXPECT_EQ(agreement.version(), 1);
}

TEST(EvolveAgreement, AnyOtherEventNeedsTheAgreement) {
  v1::Agreement agreement;
  EXPECT_THAT(EvolveAgreement(agreement, Envelope(1), v1::AgreementEnded()),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "the agreement does not exist"));
}

TEST(EvolveAgreement, VisitsAreAppendedOncePerOccurrence) {
  v1::Agreement agreement = CreatedAgreement();
  for (int n = 0; n < 2; ++n) {
    auto decided = DecideRecordVisit(agreement, Existing(agreement.version()),
                                     AgreementVisit(n, absl::StrCat("j", n)));
    ASSERT_THAT(
        EvolveAgreement(agreement, Envelope(2 + n), Only<v1::AgreementVisitCreated>(decided)),
        IsOk());
  }
  ASSERT_THAT(agreement.visits(), SizeIs(2));
  EXPECT_THAT(agreement.visits(1), EqualsProto(AgreementVisit(1, "j1")));
  EXPECT_EQ(agreement.version(), 3);

  v1::AgreementVisitCreated again;
  again.set_agreement_id("ag1");
  *again.mutable_visit() = AgreementVisit(1, "j-other");
  EXPECT_THAT(EvolveAgreement(agreement, Envelope(4), again),
              IsRefusal(absl::StatusCode::kFailedPrecondition, "occurrence 1 has its job already"));
  EXPECT_THAT(agreement.visits(), SizeIs(2));
  EXPECT_EQ(agreement.version(), 3);
}

TEST(EvolveAgreement, Ended) {
  v1::Agreement agreement = CreatedAgreement();
  auto decided = DecideEndAgreement(agreement, Existing(1), "sold the house");
  ASSERT_THAT(EvolveAgreement(agreement, Envelope(2), Only<v1::AgreementEnded>(decided)), IsOk());
  EXPECT_FALSE(agreement.active());
  EXPECT_EQ(agreement.ended_reason(), "sold the house");
  EXPECT_EQ(agreement.version(), 2);
  auto again = DecideEndAgreement(agreement, Existing(2), "again");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(*again, IsEmpty());
}

// ================================================================ EvolveTrack

v1::LocationsRecorded Recorded(std::initializer_list<v1::LocationPing> pings) {
  return Only<v1::LocationsRecorded>(DecideRecordLocations("t1", Repeated(pings)));
}

TEST(EvolveTrack, KeepsTheLatestPing) {
  v1::TrackState track;
  ASSERT_THAT(EvolveTrack(track, Envelope(1),
                          Recorded({Ping(kBase + 30, 1), Ping(kBase + 60, 2), Ping(kBase, 3)})),
              IsOk());
  EXPECT_EQ(track.technician_id(), "t1");
  EXPECT_EQ(track.last_ping().latitude(), 2);
  EXPECT_EQ(track.version(), 1);

  // A late batch of older pings (an offline device) does not move it back.
  ASSERT_THAT(EvolveTrack(track, Envelope(2), Recorded({Ping(kBase + 10, 4)})), IsOk());
  EXPECT_EQ(track.last_ping().latitude(), 2);
  EXPECT_EQ(track.version(), 2);

  ASSERT_THAT(EvolveTrack(track, Envelope(3), Recorded({Ping(kBase + 61, 5)})), IsOk());
  EXPECT_EQ(track.last_ping().latitude(), 5);
  EXPECT_EQ(track.version(), 3);
}

TEST(EvolveTrack, UnsortedEventStillKeepsTheLatest) {
  v1::TrackState track;
  v1::LocationsRecorded recorded;
  recorded.set_technician_id("t1");
  *recorded.add_pings() = Ping(kBase + 60, 1);
  *recorded.add_pings() = Ping(kBase, 2);
  ASSERT_THAT(EvolveTrack(track, Envelope(7), recorded), IsOk());
  EXPECT_EQ(track.last_ping().latitude(), 1);
  EXPECT_EQ(track.version(), 7);
}

}  // namespace
}  // namespace jobledger::scheduling
