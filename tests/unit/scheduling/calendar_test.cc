// Calendar logic: occupied ranges, weekly shifts (overnight and DST days), conflicts, free time.
#include "domain/calendar.h"

#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr int kMonday = 1;
constexpr int kTuesday = 2;
constexpr int kWednesday = 3;
constexpr int kSaturday = 6;
constexpr int kSunday = 7;

absl::TimeZone NewYork() { return LoadTenantTimeZone("America/New_York").value(); }

// Instants written as New York wall-clock times, and as UTC for DST checks.
// A 2026 wall-clock minute.
absl::CivilMinute Minute(int month, int day, int hour, int minute) {
  return absl::CivilMinute(2026, month, day, hour, minute);
}

absl::Time Local(absl::CivilMinute minute) {
  return AtLocalTime(absl::CivilSecond(minute), NewYork());
}
TimeRange LocalRange(absl::CivilMinute start, absl::CivilMinute end) {
  return {Local(start), Local(end)};
}
absl::Time Utc(absl::CivilMinute minute) { return absl::FromCivil(minute, absl::UTCTimeZone()); }

// Monday 2026-03-09 at hh:mm, New York.
absl::CivilMinute Mon(int hour, int minute = 0) { return Minute(3, 9, hour, minute); }
absl::CivilMinute Tue(int hour, int minute = 0) { return Minute(3, 10, hour, minute); }

google::protobuf::Timestamp Ts(absl::Time time) {
  google::protobuf::Timestamp proto;
  proto.set_seconds(absl::ToUnixSeconds(time));
  return proto;
}

v1::ShiftPeriod Period(int weekday, int start_minute, int end_minute) {
  v1::ShiftPeriod period;
  period.set_weekday(weekday);
  period.set_start_minute(start_minute);
  period.set_end_minute(end_minute);
  return period;
}

google::protobuf::RepeatedPtrField<v1::ShiftPeriod> Pattern(
    std::initializer_list<v1::ShiftPeriod> periods) {
  return {periods.begin(), periods.end()};
}

v1::Technician Technician(std::initializer_list<v1::ShiftPeriod> periods = {}) {
  v1::Technician technician;
  technician.set_technician_id("t1");
  technician.set_name("Ana Ruiz");
  technician.set_active(true);
  for (const v1::ShiftPeriod& period : periods) *technician.add_shifts() = period;
  return technician;
}

v1::Technician DayShifts() {
  return Technician({Period(kMonday, 8 * 60, 17 * 60), Period(kTuesday, 8 * 60, 17 * 60)});
}

void AddTimeOff(v1::Technician* technician, const std::string& id, TimeRange range,
                const std::string& reason = "") {
  v1::TimeOff* time_off = technician->add_time_off();
  time_off->set_time_off_id(id);
  *time_off->mutable_start() = Ts(range.start);
  *time_off->mutable_end() = Ts(range.end);
  time_off->set_reason(reason);
}

Booking Book(const std::string& appointment_id, TimeRange range) {
  return {appointment_id, "j-" + appointment_id, range};
}

// Ranges shown as wall-clock text, so failures read well and DST checks can use UTC.
std::string Shown(TimeRange range, absl::TimeZone zone) {
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", range.start, zone), " → ",
                      absl::FormatTime("%Y-%m-%d %H:%M", range.end, zone));
}
std::vector<std::string> Shown(const std::vector<TimeRange>& ranges,
                               absl::TimeZone zone = NewYork()) {
  std::vector<std::string> shown;
  for (const TimeRange& range : ranges) shown.push_back(Shown(range, zone));
  return shown;
}

std::string KindName(Conflict::Kind kind) {
  switch (kind) {
    case Conflict::Kind::kInactive:
      return "inactive";
    case Conflict::Kind::kAppointment:
      return "appointment";
    case Conflict::Kind::kTimeOff:
      return "time off";
    case Conflict::Kind::kOffShift:
      return "off shift";
  }
  return "unknown";
}

// "appointment a7 2026-03-09 09:00 → 2026-03-09 11:00", in New York time.
std::vector<std::string> Described(const std::vector<Conflict>& conflicts) {
  std::vector<std::string> described;
  for (const Conflict& conflict : conflicts) {
    described.push_back(absl::StrCat(KindName(conflict.kind), conflict.id.empty() ? "" : " ",
                                     conflict.id, " ", Shown(conflict.range, NewYork())));
  }
  return described;
}

std::vector<Conflict> Conflicts(const v1::Technician& technician,
                                const std::vector<Booking>& bookings, TimeRange want,
                                absl::string_view ignore = "") {
  return ConflictsFor(technician, bookings, want, ignore, NewYork());
}

// ---------------------------------------------------------------------------------------------
// OccupiedRange and PeopleOf

TEST(OccupiedRange, IsTheWindowWhenTheWorkFitsInIt) {
  EXPECT_EQ(OccupiedRange(Local(Mon(9)), Local(Mon(11)), absl::Minutes(60)),
            LocalRange(Mon(9), Mon(11)));
}

TEST(OccupiedRange, RunsFromWindowStartForTheDurationWhenTheWorkOutlastsTheWindow) {
  EXPECT_EQ(OccupiedRange(Local(Mon(9)), Local(Mon(10)), absl::Minutes(150)),
            LocalRange(Mon(9), Mon(11, 30)));
}

TEST(OccupiedRange, ReadsTheAppointmentsWindowAndDuration) {
  v1::Appointment appointment;
  *appointment.mutable_window()->mutable_start() = Ts(Local(Mon(13)));
  *appointment.mutable_window()->mutable_end() = Ts(Local(Mon(14)));
  appointment.set_duration_minutes(90);
  EXPECT_EQ(OccupiedRange(appointment), LocalRange(Mon(13), Mon(14, 30)));
}

TEST(PeopleOf, DirectTechniciansAndCrewMembersSortedAndUnique) {
  v1::Appointment appointment;
  appointment.add_technician_ids("t3");
  appointment.add_technician_ids("t1");
  appointment.add_crew_ids("c1");
  appointment.add_crew_member_ids("t2");
  appointment.add_crew_member_ids("t3");
  EXPECT_THAT(PeopleOf(appointment), ElementsAre("t1", "t2", "t3"));
}

// ---------------------------------------------------------------------------------------------
// OnShift

TEST(OnShift, NoPatternMeansTheWholeRange) {
  const TimeRange range = LocalRange(Mon(3), Tue(4));
  EXPECT_THAT(OnShift(Pattern({}), range, NewYork()), ElementsAre(range));
}

TEST(OnShift, EmptyRangeHasNothing) {
  EXPECT_THAT(OnShift(Pattern({}), LocalRange(Mon(9), Mon(9)), NewYork()), IsEmpty());
  EXPECT_THAT(OnShift(DayShifts().shifts(), LocalRange(Mon(10), Mon(9)), NewYork()), IsEmpty());
}

TEST(OnShift, WeeklyPatternIsSortedAndClippedToTheRange) {
  const auto pattern =
      Pattern({Period(kWednesday, 8 * 60, 17 * 60), Period(kMonday, 8 * 60, 17 * 60),
               Period(kTuesday, 8 * 60, 17 * 60)});
  EXPECT_THAT(
      Shown(OnShift(pattern, LocalRange(Mon(12), Minute(3, 11, 10, 0)), NewYork())),
      ElementsAre("2026-03-09 12:00 → 2026-03-09 17:00", "2026-03-10 08:00 → 2026-03-10 17:00",
                  "2026-03-11 08:00 → 2026-03-11 10:00"));
}

TEST(OnShift, RepeatsEveryWeekAndSundayIsSeven) {
  const auto pattern = Pattern({Period(kSunday, 9 * 60, 12 * 60)});
  EXPECT_THAT(
      Shown(OnShift(pattern, LocalRange(Mon(0), Minute(3, 23, 0, 0)), NewYork())),
      ElementsAre("2026-03-15 09:00 → 2026-03-15 12:00", "2026-03-22 09:00 → 2026-03-22 12:00"));
}

TEST(OnShift, OverlappingPeriodsJoin) {
  const auto pattern =
      Pattern({Period(kMonday, 11 * 60, 15 * 60), Period(kMonday, 8 * 60, 12 * 60)});
  EXPECT_THAT(Shown(OnShift(pattern, LocalRange(Mon(0), Tue(0)), NewYork())),
              ElementsAre("2026-03-09 08:00 → 2026-03-09 15:00"));
}

TEST(OnShift, PeriodsMeetingAtMidnightJoin) {
  const auto pattern = Pattern({Period(kTuesday, 0, 6 * 60), Period(kMonday, 22 * 60, 1440)});
  EXPECT_THAT(Shown(OnShift(pattern, LocalRange(Mon(0), Minute(3, 11, 0, 0)), NewYork())),
              ElementsAre("2026-03-09 22:00 → 2026-03-10 06:00"));
}

TEST(OnShift, EndAtOrBeforeStartRunsIntoTheNextDay) {
  const auto overnight = Pattern({Period(kMonday, 22 * 60, 6 * 60)});
  EXPECT_THAT(Shown(OnShift(overnight, LocalRange(Mon(0), Minute(3, 11, 0, 0)), NewYork())),
              ElementsAre("2026-03-09 22:00 → 2026-03-10 06:00"));
  const auto round_the_clock = Pattern({Period(kMonday, 8 * 60, 8 * 60)});
  EXPECT_THAT(Shown(OnShift(round_the_clock, LocalRange(Mon(0), Minute(3, 11, 0, 0)), NewYork())),
              ElementsAre("2026-03-09 08:00 → 2026-03-10 08:00"));
}

TEST(OnShift, OvernightPeriodFromTheDayBeforeCoversTheRangesEarlyHours) {
  const auto overnight = Pattern({Period(kMonday, 22 * 60, 6 * 60)});
  EXPECT_THAT(Shown(OnShift(overnight, LocalRange(Tue(0), Tue(12)), NewYork())),
              ElementsAre("2026-03-10 00:00 → 2026-03-10 06:00"));
  // The range may start in the middle of that period, too.
  EXPECT_THAT(Shown(OnShift(overnight, LocalRange(Mon(23), Tue(12)), NewYork())),
              ElementsAre("2026-03-09 23:00 → 2026-03-10 06:00"));
}

// 2026-03-08: New York springs forward at 02:00 EST to 03:00 EDT.
constexpr absl::CivilDay kSpringForward(2026, 3, 8);
// 2026-11-01: New York falls back at 02:00 EDT to 01:00 EST.
constexpr absl::CivilDay kFallBack(2026, 11, 1);

std::vector<TimeRange> SundayShift(absl::CivilDay day, int start_minute, int end_minute) {
  return OnShift(Pattern({Period(kSunday, start_minute, end_minute)}),
                 LocalDayRange(day, NewYork()), NewYork());
}

TEST(OnShift, DayShiftOnTheSpringForwardDayIsNineRealHours) {
  const std::vector<TimeRange> on = SundayShift(kSpringForward, 8 * 60, 17 * 60);
  EXPECT_THAT(Shown(on, absl::UTCTimeZone()),
              ElementsAre("2026-03-08 12:00 → 2026-03-08 21:00"));  // 08:00–17:00 EDT
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].length(), absl::Hours(9));
}

TEST(OnShift, DayShiftOnTheFallBackDayIsNineRealHours) {
  const std::vector<TimeRange> on = SundayShift(kFallBack, 8 * 60, 17 * 60);
  EXPECT_THAT(Shown(on, absl::UTCTimeZone()),
              ElementsAre("2026-11-01 13:00 → 2026-11-01 22:00"));  // 08:00–17:00 EST
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].length(), absl::Hours(9));
}

TEST(OnShift, ShiftAcrossTheSpringForwardJumpLosesAnHour) {
  const std::vector<TimeRange> on = SundayShift(kSpringForward, 1 * 60, 3 * 60);
  EXPECT_THAT(Shown(on, absl::UTCTimeZone()),
              ElementsAre("2026-03-08 06:00 → 2026-03-08 07:00"));  // 01:00 EST–03:00 EDT
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].length(), absl::Hours(1));
}

TEST(OnShift, ShiftAcrossTheFallBackRepeatGainsAnHour) {
  const std::vector<TimeRange> on = SundayShift(kFallBack, 1 * 60, 3 * 60);
  EXPECT_THAT(Shown(on, absl::UTCTimeZone()),
              ElementsAre("2026-11-01 05:00 → 2026-11-01 08:00"));  // first 01:00 EDT–03:00 EST
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].length(), absl::Hours(3));
}

TEST(OnShift, OvernightShiftIntoTheSpringForwardDayIsAnHourShorter) {
  const auto overnight = Pattern({Period(kSaturday, 22 * 60, 6 * 60)});
  const std::vector<TimeRange> on =
      OnShift(overnight, LocalRange(Minute(3, 7, 0, 0), Minute(3, 9, 0, 0)), NewYork());
  EXPECT_THAT(Shown(on, absl::UTCTimeZone()), ElementsAre("2026-03-08 03:00 → 2026-03-08 10:00"));
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].length(), absl::Hours(7));
}

// ---------------------------------------------------------------------------------------------
// ConflictsFor

TEST(ConflictsFor, NoneWhenOnShiftAndUnbooked) {
  EXPECT_THAT(Conflicts(DayShifts(), {}, LocalRange(Mon(9), Mon(11))), IsEmpty());
}

TEST(ConflictsFor, NoPatternMeansNeverOffShift) {
  EXPECT_THAT(Conflicts(Technician(), {}, LocalRange(Mon(2), Mon(4))), IsEmpty());
}

TEST(ConflictsFor, InactiveTechnician) {
  v1::Technician technician = DayShifts();
  technician.set_active(false);
  const std::vector<Conflict> conflicts = Conflicts(technician, {}, LocalRange(Mon(9), Mon(11)));
  EXPECT_THAT(Described(conflicts), ElementsAre("inactive 2026-03-09 09:00 → 2026-03-09 11:00"));
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].technician_id, "t1");
  EXPECT_EQ(conflicts[0].message, "technician t1 is inactive");
}

TEST(ConflictsFor, BackToBackBookingsDoNotConflict) {
  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(8), Mon(9))),
                                         Book("a2", LocalRange(Mon(11), Mon(12)))};
  EXPECT_THAT(Conflicts(DayShifts(), bookings, LocalRange(Mon(9), Mon(11))), IsEmpty());
}

TEST(ConflictsFor, OverlapByOneMinuteAtEitherEndConflicts) {
  const std::vector<Booking> bookings = {Book("a2", LocalRange(Mon(10, 59), Mon(12))),
                                         Book("a1", LocalRange(Mon(8), Mon(9, 1)))};
  EXPECT_THAT(Described(Conflicts(DayShifts(), bookings, LocalRange(Mon(9), Mon(11)))),
              ElementsAre("appointment a1 2026-03-09 08:00 → 2026-03-09 09:01",
                          "appointment a2 2026-03-09 10:59 → 2026-03-09 12:00"));
}

TEST(ConflictsFor, BookingConflictNamesTechnicianAppointmentJobAndLocalTimes) {
  const std::vector<Booking> bookings = {{"a7", "j3", LocalRange(Mon(9), Mon(11))}};
  const std::vector<Conflict> conflicts =
      Conflicts(DayShifts(), bookings, LocalRange(Mon(10), Mon(12)));
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].kind, Conflict::Kind::kAppointment);
  EXPECT_EQ(conflicts[0].technician_id, "t1");
  EXPECT_EQ(conflicts[0].id, "a7");
  EXPECT_EQ(conflicts[0].job_id, "j3");
  EXPECT_EQ(conflicts[0].range, LocalRange(Mon(9), Mon(11)));
  EXPECT_EQ(conflicts[0].message,
            "technician t1 is booked 2026-03-09 09:00–11:00 for appointment a7 (job j3)");
}

TEST(ConflictsFor, IgnoresTheAppointmentBeingMoved) {
  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(9), Mon(11))),
                                         Book("a2", LocalRange(Mon(10), Mon(12)))};
  EXPECT_THAT(Described(Conflicts(DayShifts(), bookings, LocalRange(Mon(9), Mon(11)), "a1")),
              ElementsAre("appointment a2 2026-03-09 10:00 → 2026-03-09 12:00"));
}

TEST(ConflictsFor, NoIgnoredAppointmentSkipsNothing) {
  const std::vector<Booking> bookings = {{"", "j3", LocalRange(Mon(9), Mon(11))}};
  EXPECT_THAT(Conflicts(DayShifts(), bookings, LocalRange(Mon(9), Mon(11)), ""), SizeIs(1));
}

TEST(ConflictsFor, TimeOffOverlapping) {
  v1::Technician technician = DayShifts();
  AddTimeOff(&technician, "off1", LocalRange(Mon(0), Tue(0)), "dentist");
  AddTimeOff(&technician, "off2", LocalRange(Tue(0), Tue(12)));
  const std::vector<Conflict> conflicts = Conflicts(technician, {}, LocalRange(Mon(16), Mon(17)));
  EXPECT_THAT(Described(conflicts),
              ElementsAre("time off off1 2026-03-09 00:00 → 2026-03-10 00:00"));
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].message,
            "technician t1 has time off off1 2026-03-09 00:00–2026-03-10 00:00 (dentist)");
}

TEST(ConflictsFor, TimeOffEndingWhenTheVisitStartsDoesNotConflict) {
  v1::Technician technician = DayShifts();
  AddTimeOff(&technician, "off1", LocalRange(Mon(8), Mon(12)));
  EXPECT_THAT(Conflicts(technician, {}, LocalRange(Mon(12), Mon(13))), IsEmpty());
}

TEST(ConflictsFor, VisitRunningPastShiftEndIsOffShiftForTheTail) {
  const std::vector<Conflict> conflicts = Conflicts(DayShifts(), {}, LocalRange(Mon(16), Mon(18)));
  EXPECT_THAT(Described(conflicts), ElementsAre("off shift 2026-03-09 17:00 → 2026-03-09 18:00"));
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].message, "technician t1 is off shift 2026-03-09 17:00–18:00");
}

TEST(ConflictsFor, VisitLongerThanTheShiftIsOffShiftAtBothEnds) {
  EXPECT_THAT(Described(Conflicts(DayShifts(), {}, LocalRange(Mon(7), Mon(18)))),
              ElementsAre("off shift 2026-03-09 07:00 → 2026-03-09 08:00",
                          "off shift 2026-03-09 17:00 → 2026-03-09 18:00"));
}

TEST(ConflictsFor, AcrossLocalMidnightOnAnOvernightShift) {
  const v1::Technician night = Technician({Period(kMonday, 22 * 60, 6 * 60)});
  EXPECT_THAT(Conflicts(night, {}, LocalRange(Mon(23), Tue(1))), IsEmpty());

  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(22), Mon(23, 30)))};
  EXPECT_THAT(Described(Conflicts(night, bookings, LocalRange(Mon(23), Tue(1)))),
              ElementsAre("appointment a1 2026-03-09 22:00 → 2026-03-09 23:30"));

  const std::vector<Conflict> tail = Conflicts(night, {}, LocalRange(Tue(5), Tue(7)));
  EXPECT_THAT(Described(tail), ElementsAre("off shift 2026-03-10 06:00 → 2026-03-10 07:00"));
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].message, "technician t1 is off shift 2026-03-10 06:00–07:00");
}

TEST(ConflictsFor, MessageShowsBothDatesWhenARangeCrossesMidnight) {
  const std::vector<Booking> bookings = {{"a7", "j3", LocalRange(Mon(23), Tue(1))}};
  const std::vector<Conflict> conflicts =
      Conflicts(Technician(), bookings, LocalRange(Tue(0), Tue(2)));
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(
      conflicts[0].message,
      "technician t1 is booked 2026-03-09 23:00–2026-03-10 01:00 for appointment a7 (job j3)");
}

TEST(ConflictsFor, SortedByStartWhateverTheInputOrder) {
  v1::Technician technician = DayShifts();
  technician.set_active(false);
  AddTimeOff(&technician, "off1", LocalRange(Mon(12), Mon(13)));
  const std::vector<Booking> bookings = {Book("a2", LocalRange(Mon(14), Mon(15))),
                                         Book("a1", LocalRange(Mon(7), Mon(10)))};
  EXPECT_THAT(Described(Conflicts(technician, bookings, LocalRange(Mon(9), Mon(18)))),
              ElementsAre("appointment a1 2026-03-09 07:00 → 2026-03-09 10:00",
                          "inactive 2026-03-09 09:00 → 2026-03-09 18:00",
                          "time off off1 2026-03-09 12:00 → 2026-03-09 13:00",
                          "appointment a2 2026-03-09 14:00 → 2026-03-09 15:00",
                          "off shift 2026-03-09 17:00 → 2026-03-09 18:00"));
}

TEST(ConflictsFor, OnTheSpringForwardDay) {
  const v1::Technician sunday = Technician({Period(kSunday, 8 * 60, 17 * 60)});
  EXPECT_THAT(Conflicts(sunday, {}, LocalRange(Minute(3, 8, 16, 0), Minute(3, 8, 17, 0))),
              IsEmpty());
  const std::vector<Conflict> early =
      Conflicts(sunday, {}, LocalRange(Minute(3, 8, 7, 30), Minute(3, 8, 8, 30)));
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].range, (TimeRange{Utc(Minute(3, 8, 11, 30)), Utc(Minute(3, 8, 12, 0))}));
  EXPECT_EQ(early[0].message, "technician t1 is off shift 2026-03-08 07:30–08:00");

  const std::vector<Booking> bookings = {
      {"a7", "j3", LocalRange(Minute(3, 8, 9, 0), Minute(3, 8, 11, 0))}};
  const std::vector<Conflict> booked =
      Conflicts(sunday, bookings, LocalRange(Minute(3, 8, 10, 0), Minute(3, 8, 12, 0)));
  ASSERT_EQ(booked.size(), 1u);
  EXPECT_EQ(booked[0].message,
            "technician t1 is booked 2026-03-08 09:00–11:00 for appointment a7 (job j3)");
}

TEST(ConflictsFor, OnTheFallBackDay) {
  const v1::Technician sunday = Technician({Period(kSunday, 8 * 60, 17 * 60)});
  EXPECT_THAT(Conflicts(sunday, {}, LocalRange(Minute(11, 1, 8, 0), Minute(11, 1, 17, 0))),
              IsEmpty());
  const std::vector<Conflict> late =
      Conflicts(sunday, {}, LocalRange(Minute(11, 1, 16, 0), Minute(11, 1, 18, 0)));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].range, (TimeRange{Utc(Minute(11, 1, 22, 0)), Utc(Minute(11, 1, 23, 0))}));
  EXPECT_EQ(late[0].message, "technician t1 is off shift 2026-11-01 17:00–18:00");
}

// ---------------------------------------------------------------------------------------------
// FreeRanges

std::vector<std::string> Free(const v1::Technician& technician,
                              const std::vector<Booking>& bookings, TimeRange range,
                              absl::Duration min_length) {
  return Shown(FreeRanges(technician, bookings, range, min_length, NewYork()));
}

TEST(FreeRanges, OnShiftLessTimeOffAndBookings) {
  v1::Technician technician = DayShifts();
  AddTimeOff(&technician, "off1", LocalRange(Mon(15), Mon(16)));
  const std::vector<Booking> bookings = {Book("a2", LocalRange(Mon(12), Mon(13))),
                                         Book("a1", LocalRange(Mon(9), Mon(10)))};
  EXPECT_THAT(
      Free(technician, bookings, LocalRange(Mon(0), Tue(0)), absl::Minutes(30)),
      ElementsAre("2026-03-09 08:00 → 2026-03-09 09:00", "2026-03-09 10:00 → 2026-03-09 12:00",
                  "2026-03-09 13:00 → 2026-03-09 15:00", "2026-03-09 16:00 → 2026-03-09 17:00"));
}

TEST(FreeRanges, KeepsOnlyStretchesAtLeastMinLength) {
  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(8, 59), Mon(10))),
                                         Book("a2", LocalRange(Mon(11), Mon(17)))};
  EXPECT_THAT(Free(DayShifts(), bookings, LocalRange(Mon(0), Tue(0)), absl::Minutes(60)),
              ElementsAre("2026-03-09 10:00 → 2026-03-09 11:00"));
}

TEST(FreeRanges, OverlappingBookingsAndTimeOffBlockTheirUnion) {
  v1::Technician technician = DayShifts();
  AddTimeOff(&technician, "off1", LocalRange(Mon(11), Mon(14)));
  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(9), Mon(12))),
                                         Book("a2", LocalRange(Mon(10), Mon(11))),
                                         Book("a3", LocalRange(Mon(13), Mon(15)))};
  EXPECT_THAT(
      Free(technician, bookings, LocalRange(Mon(0), Tue(0)), absl::ZeroDuration()),
      ElementsAre("2026-03-09 08:00 → 2026-03-09 09:00", "2026-03-09 15:00 → 2026-03-09 17:00"));
}

TEST(FreeRanges, ClippedToTheRangeAcrossDays) {
  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(16), Tue(9)))};
  EXPECT_THAT(
      Free(DayShifts(), bookings, LocalRange(Mon(10), Tue(12)), absl::Minutes(15)),
      ElementsAre("2026-03-09 10:00 → 2026-03-09 16:00", "2026-03-10 09:00 → 2026-03-10 12:00"));
}

TEST(FreeRanges, NoPatternIsTheWholeRangeLessBookings) {
  const std::vector<Booking> bookings = {Book("a1", LocalRange(Mon(9), Mon(10)))};
  EXPECT_THAT(
      Free(Technician(), bookings, LocalRange(Mon(0), Tue(0)), absl::Minutes(1)),
      ElementsAre("2026-03-09 00:00 → 2026-03-09 09:00", "2026-03-09 10:00 → 2026-03-10 00:00"));
}

TEST(FreeRanges, InactiveTechnicianHasNone) {
  v1::Technician technician = DayShifts();
  technician.set_active(false);
  EXPECT_THAT(Free(technician, {}, LocalRange(Mon(0), Tue(0)), absl::Minutes(1)), IsEmpty());
}

// The sweep against a minute-by-minute answer, over random bookings and time off.
TEST(FreeRanges, AgreesWithMinuteByMinuteCheck) {
  std::mt19937 random(20260309);
  const TimeRange day = LocalRange(Mon(0), Tue(0));
  const int minutes = static_cast<int>(absl::ToInt64Minutes(day.length()));
  for (int round = 0; round < 50; ++round) {
    std::vector<bool> busy(minutes, false);
    const auto random_stretch = [&] {
      const int start = static_cast<int>(random() % minutes);
      const int end = std::min(minutes, start + 1 + static_cast<int>(random() % 180));
      for (int m = start; m < end; ++m) busy[m] = true;
      return TimeRange{day.start + absl::Minutes(start), day.start + absl::Minutes(end)};
    };
    v1::Technician technician = Technician();
    std::vector<Booking> bookings;
    for (int i = 0; i < 8; ++i) bookings.push_back(Book(absl::StrCat("a", i), random_stretch()));
    for (int i = 0; i < 2; ++i) AddTimeOff(&technician, absl::StrCat("off", i), random_stretch());

    std::vector<TimeRange> expected;
    for (int m = 0; m < minutes; ++m) {
      if (busy[m]) continue;
      const absl::Time at = day.start + absl::Minutes(m);
      if (!expected.empty() && expected.back().end == at) {
        expected.back().end += absl::Minutes(1);
      } else {
        expected.push_back({at, at + absl::Minutes(1)});
      }
    }
    EXPECT_EQ(FreeRanges(technician, bookings, day, absl::ZeroDuration(), NewYork()), expected)
        << "round " << round;
  }
}

// ---------------------------------------------------------------------------------------------
// HasSkills

google::protobuf::RepeatedPtrField<std::string> Names(std::initializer_list<const char*> names) {
  google::protobuf::RepeatedPtrField<std::string> field;
  for (const char* name : names) field.Add(name);
  return field;
}

TEST(HasSkills, EveryRequiredSkillAtAnyLevel) {
  v1::Technician technician = Technician();
  v1::Skill* hvac = technician.add_skills();
  hvac->set_name("hvac");
  hvac->set_level(1);
  technician.add_skills()->set_name("plumbing");
  EXPECT_TRUE(HasSkills(technician, Names({"plumbing", "hvac"})));
  EXPECT_FALSE(HasSkills(technician, Names({"hvac", "backflow-cert"})));
  EXPECT_TRUE(HasSkills(technician, Names({})));
  EXPECT_FALSE(HasSkills(Technician(), Names({"hvac"})));
}

}  // namespace
}  // namespace jobledger::scheduling
