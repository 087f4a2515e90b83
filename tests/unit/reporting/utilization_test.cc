// A technician's utilization over a hand-built week in Chicago (US DST starts Sunday 2026-03-08).
#include "domain/utilization.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "reporting_test_util.h"

namespace jobledger::reporting {
namespace {

using testing::D;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Work;

absl::TimeZone Chicago() { return LoadTenantTimeZone("America/Chicago").value(); }

google::protobuf::Timestamp At(int month, int day, int hour, int minute = 0) {
  return ProtoFromTime(
      AtLocalTime(absl::CivilSecond(2026, month, day, hour, minute, 0), Chicago()));
}

scheduling::v1::ShiftPeriod Shift(int weekday, int start_hour, int end_hour) {
  scheduling::v1::ShiftPeriod shift;
  shift.set_weekday(weekday);
  shift.set_start_minute(start_hour * 60);
  shift.set_end_minute(end_hour * 60);
  return shift;
}

scheduling::v1::TimeOff Off(const std::string& id, google::protobuf::Timestamp start,
                            google::protobuf::Timestamp end) {
  scheduling::v1::TimeOff time_off;
  time_off.set_time_off_id(id);
  *time_off.mutable_start() = start;
  *time_off.mutable_end() = end;
  return time_off;
}

scheduling::v1::Appointment Visit(const std::string& id, google::protobuf::Timestamp start,
                                  google::protobuf::Timestamp end, int64_t duration_minutes,
                                  const std::vector<std::string>& technicians,
                                  const std::vector<std::string>& crew_members = {}) {
  scheduling::v1::Appointment appointment;
  appointment.set_appointment_id(id);
  *appointment.mutable_window()->mutable_start() = start;
  *appointment.mutable_window()->mutable_end() = end;
  appointment.set_duration_minutes(duration_minutes);
  for (const std::string& t : technicians) appointment.add_technician_ids(t);
  for (const std::string& t : crew_members) appointment.add_crew_member_ids(t);
  appointment.set_status(scheduling::v1::APPOINTMENT_STATUS_SCHEDULED);
  return appointment;
}

std::vector<std::string> Rows(const std::vector<v1::UtilizationDay>& days) {
  std::vector<std::string> rows;
  for (const v1::UtilizationDay& day : days) {
    rows.push_back(absl::StrCat(day.date().month(), "-", day.date().day(), " sched ",
                                day.scheduled_minutes(), " worked ", day.worked_minutes(),
                                " avail ", day.available_minutes(), " ", day.utilization_percent(),
                                "%"));
  }
  return rows;
}

class UtilizationTest : public ::testing::Test {
 protected:
  UtilizationTest() {
    // Mon–Fri 08:00–16:00 (480 min), Sat 08:00–12:00 (240), Wed night 22:00–02:00 (120 on
    // Wednesday, 120 on Thursday), nothing on Sunday.
    tech_.set_technician_id("tech-a");
    tech_.set_active(true);
    for (int weekday = 1; weekday <= 5; ++weekday) *tech_.add_shifts() = Shift(weekday, 8, 16);
    *tech_.add_shifts() = Shift(6, 8, 12);
    *tech_.add_shifts() = Shift(3, 22, 2);
    // Tuesday 12:00–16:00 and 14:00–18:00 overlap: 12:00–16:00 of the shift is off, once.
    *tech_.add_time_off() = Off("off-1", At(3, 3, 12), At(3, 3, 16));
    *tech_.add_time_off() = Off("off-2", At(3, 3, 14), At(3, 3, 18));
    // All of Friday.
    *tech_.add_time_off() = Off("off-3", At(3, 6, 0), At(3, 7, 0));

    visits_ = {
        Visit("a1", At(3, 2, 9), At(3, 2, 11), 90, {"tech-a"}),              // Mon: 90
        Visit("a2", At(3, 2, 13), At(3, 2, 15), 0, {"tech-c"}, {"tech-a"}),  // Mon: window 120
        Visit("a3", At(3, 3, 9), At(3, 3, 10), 60, {"tech-a"}),              // cancelled below
        Visit("a4", At(3, 4, 10), At(3, 4, 12), 60, {"tech-b"}),             // not tech-a's
        Visit("a5", At(3, 7, 8), At(3, 7, 12), 180, {"tech-a"}),             // Sat: 180
        // Sunday 23:30 in Chicago is already Monday in UTC: it is Sunday's.
        Visit("a6", At(3, 8, 23, 30), At(3, 8, 23, 59), 30, {"tech-a"}),
        Visit("a7", At(3, 10, 9), At(3, 10, 10), 60, {"tech-a"}),  // after the week
    };
    visits_[2].set_status(scheduling::v1::APPOINTMENT_STATUS_CANCELLED);

    job1_ = testing::JobNumbered(1);
    *job1_.add_work_log() = Work("tech-a", "regular", 240, D(2026, 3, 2));
    *job1_.add_work_log() = Work("tech-a", "travel", 60, D(2026, 3, 2));
    *job1_.add_work_log() = Work("tech-a", "regular", 120, D(2026, 3, 3));
    *job1_.add_work_log() = Work("tech-a", "regular", 90, D(2026, 3, 4), /*open=*/true);
    job2_ = testing::JobNumbered(2);
    *job2_.add_work_log() = Work("tech-a", "regular", 300, D(2026, 3, 4));
    *job2_.add_work_log() = Work("tech-a", "regular", 450, D(2026, 3, 5));
    *job2_.add_work_log() = Work("tech-a", "regular", 60, D(2026, 3, 6));
    *job2_.add_work_log() = Work("tech-a", "regular", 200, D(2026, 3, 7));
    *job2_.add_work_log() = Work("tech-b", "regular", 100, D(2026, 3, 2));
  }

  std::vector<v1::UtilizationDay> Week() {
    std::vector<const scheduling::v1::Appointment*> visits;
    for (const scheduling::v1::Appointment& visit : visits_) visits.push_back(&visit);
    return Utilization(tech_, visits, {&job1_, &job2_}, absl::CivilDay(2026, 3, 2),
                       absl::CivilDay(2026, 3, 8), Chicago());
  }

  scheduling::v1::Technician tech_;
  std::vector<scheduling::v1::Appointment> visits_;
  job::v1::Job job1_, job2_;
};

TEST_F(UtilizationTest, AWeekWithTimeOffAndANightShift) {
  // worked: Mon 240 + 60, Tue 120, Wed 300 (the open 90 not), Thu 450, Fri 60, Sat 200.
  // available: Mon 480; Tue 480 − 240 off; Wed 480 + 120 night; Thu 120 + 480; Fri all off;
  //            Sat 240; Sun no shift.
  // utilization: 300 × 100 / 480 = 62.5 → 62; 120/240 = 50; 300/600 = 50; 450/600 = 75;
  //              Fri nothing available → 0; 200/240 = 83.3 → 83; Sun 0.
  EXPECT_THAT(
      Rows(Week()),
      ElementsAre("3-2 sched 210 worked 300 avail 480 62%", "3-3 sched 0 worked 120 avail 240 50%",
                  "3-4 sched 0 worked 300 avail 600 50%", "3-5 sched 0 worked 450 avail 600 75%",
                  "3-6 sched 0 worked 60 avail 0 0%", "3-7 sched 180 worked 200 avail 240 83%",
                  "3-8 sched 30 worked 0 avail 0 0%"));
  EXPECT_EQ(Week().front().technician_id(), "tech-a");
}

TEST_F(UtilizationTest, NoShiftsMeansTheWholeLocalDayAsSchedulingDoes) {
  tech_.clear_shifts();
  tech_.clear_time_off();
  // Tuesday 09:00–12:00 off.
  *tech_.add_time_off() = Off("off-1", At(3, 3, 9), At(3, 3, 12));
  const std::vector<v1::UtilizationDay> week = Week();
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week[0].available_minutes(), 1440);
  EXPECT_EQ(week[0].utilization_percent(), 20);  // 300 × 100 / 1440 = 20.8
  EXPECT_EQ(week[1].available_minutes(), 1440 - 180);
  EXPECT_EQ(week[6].available_minutes(), 1380);  // the spring-forward Sunday has 23 hours
}

TEST_F(UtilizationTest, OneDayAndAnEmptyRange) {
  std::vector<const scheduling::v1::Appointment*> visits;
  for (const scheduling::v1::Appointment& visit : visits_) visits.push_back(&visit);
  EXPECT_THAT(Rows(Utilization(tech_, visits, {&job1_}, absl::CivilDay(2026, 3, 3),
                               absl::CivilDay(2026, 3, 3), Chicago())),
              ElementsAre("3-3 sched 0 worked 120 avail 240 50%"));
  EXPECT_THAT(Utilization(tech_, visits, {&job1_}, absl::CivilDay(2026, 3, 4),
                          absl::CivilDay(2026, 3, 3), Chicago()),
              IsEmpty());
}

}  // namespace
}  // namespace jobledger::reporting
