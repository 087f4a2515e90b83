// The scheduling service over real gRPC with the real job service: technicians, conflict-checked
// booking, reassign / reschedule / cancel, bulk moves, dispatch states moving the job along, and a
// finished job freeing its future visits.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/wait.h"
#include "scheduling_test_env.h"

namespace jobledger::scheduling::testing {
namespace {

using auth::Role;
using jobledger::testing::WaitUntil;

// A Monday far enough ahead that visits are in the future.
absl::CivilMinute Day(int hour, int minute = 0, int day_offset = 0) {
  return absl::CivilMinute(2030, 3, 4 + day_offset, hour, minute);
}

class SchedulingServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  SchedulingServiceTest() : env_(GetParam()) {}

  v1::JobSchedule ScheduleOf(const std::string& job_id) {
    v1::GetJobScheduleRequest request;
    request.set_job_id(job_id);
    v1::JobSchedule schedule;
    EXPECT_TRUE(IsOk(env_.dispatch().GetJobSchedule(env_.Dispatcher().get(), request, &schedule)));
    return schedule;
  }

  SchedulingEnv env_;
};

TEST_P(SchedulingServiceTest, RegistersTechniciansAndCrews) {
  const v1::Technician ann = env_.RegisterTechnician("tech-ann", "Ann", {"HVAC", "plumbing"});
  EXPECT_EQ(ann.technician_id(), "tech-ann");
  EXPECT_TRUE(ann.active());
  ASSERT_EQ(ann.skills_size(), 2);
  EXPECT_EQ(ann.skills(0).name(), "hvac");  // normalized
  env_.RegisterTechnician("tech-bob", "Bob");

  v1::CreateCrewRequest crew;
  crew.set_name("Install crew");
  crew.add_member_ids("tech-ann");
  crew.add_member_ids("tech-bob");
  v1::CrewReply created;
  ASSERT_TRUE(IsOk(env_.technicians().CreateCrew(env_.Dispatcher().get(), crew, &created)));
  EXPECT_EQ(created.crew().member_ids_size(), 2);
  EXPECT_EQ(created.crew().memberships_size(), 2);

  v1::CreateCrewRequest unknown;
  unknown.set_name("Ghosts");
  unknown.add_member_ids("tech-nobody");
  EXPECT_EQ(env_.technicians().CreateCrew(env_.Dispatcher().get(), unknown, &created).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::RegisterTechnicianRequest twice;
  twice.set_technician_id("tech-ann");
  twice.set_name("Ann again");
  v1::TechnicianReply reply;
  EXPECT_EQ(
      env_.technicians().RegisterTechnician(env_.Dispatcher().get(), twice, &reply).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);

  v1::RegisterTechnicianRequest bad;
  bad.set_name("Shifty");
  v1::ShiftPeriod* period = bad.add_shifts();
  period->set_weekday(8);
  const grpc::Status refused =
      env_.technicians().RegisterTechnician(env_.Dispatcher().get(), bad, &reply);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(refused.error_message(), "shifts[0].weekday"))
      << refused.error_message();
}

TEST_P(SchedulingServiceTest, RefusesDoubleBookingAndNamesTheConflict) {
  env_.RegisterTechnician("tech-ann", "Ann");
  const std::string first_job = env_.CreateJob("Boiler service");
  const std::string second_job = env_.CreateJob("Leak");
  v1::ScheduleReply first;
  ASSERT_TRUE(IsOk(env_.Schedule(first_job, Utc(Day(9)), 2, {"tech-ann"}, &first)));
  EXPECT_EQ(first.appointment().technician_ids(0), "tech-ann");
  EXPECT_EQ(first.appointment().date().day(), 4);

  v1::ScheduleReply second;
  const grpc::Status overlap = env_.Schedule(second_job, Utc(Day(10)), 2, {"tech-ann"}, &second);
  EXPECT_EQ(overlap.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(overlap.error_message(), first.appointment().appointment_id()))
      << overlap.error_message();

  // Back to back is no overlap.
  ASSERT_TRUE(IsOk(env_.Schedule(second_job, Utc(Day(11)), 1, {"tech-ann"}, &second)));
  // Off shift (the shift ends at 22:00).
  const grpc::Status late = env_.Schedule(second_job, Utc(Day(21)), 2, {"tech-ann"}, &second);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(late.error_message(), "off shift")) << late.error_message();

  // A dispatcher may override, and the override is recorded.
  ASSERT_TRUE(IsOk(env_.Schedule(second_job, Utc(Day(10)), 2, {"tech-ann"}, &second, true)));
  EXPECT_TRUE(second.appointment().allow_overlap());

  // Time off is a conflict too.
  v1::AddTimeOffRequest off;
  off.set_technician_id("tech-ann");
  *off.mutable_first_day() = [] {
    common::v1::LocalDate d;
    d.set_year(2030);
    d.set_month(3);
    d.set_day(5);
    return d;
  }();
  *off.mutable_last_day() = off.first_day();
  off.set_reason("dentist");
  v1::TechnicianReply with_off;
  ASSERT_TRUE(IsOk(env_.technicians().AddTimeOff(env_.Dispatcher().get(), off, &with_off)));
  const grpc::Status away = env_.Schedule(second_job, Utc(Day(9, 0, 1)), 1, {"tech-ann"}, &second);
  EXPECT_EQ(away.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(
      absl::StrContains(away.error_message(), with_off.technician().time_off(0).time_off_id()))
      << away.error_message();
}

TEST_P(SchedulingServiceTest, ConcurrentBookingsOfOneTechnicianNeverBothSucceed) {
  env_.RegisterTechnician("tech-ann", "Ann");
  constexpr int kRacers = 12;
  std::vector<std::string> jobs;
  for (int i = 0; i < kRacers; ++i) jobs.push_back(env_.CreateJob("Race " + std::to_string(i)));
  std::atomic<int> succeeded = 0;
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      v1::ScheduleReply reply;
      // Overlapping windows, each shifted by a few minutes.
      const grpc::Status status =
          env_.Schedule(jobs[i], Utc(Day(9, i * 5)), 1, {"tech-ann"}, &reply);
      if (status.ok()) {
        ++succeeded;
      } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        ++refused;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(refused.load(), kRacers - 1);
}

TEST_P(SchedulingServiceTest, ReassignsReschedulesUnassignsAndCancels) {
  env_.RegisterTechnician("tech-ann", "Ann");
  env_.RegisterTechnician("tech-bob", "Bob");
  const std::string job_id = env_.CreateJob("Furnace");
  v1::ScheduleReply booked;
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(9)), 2, {"tech-ann"}, &booked)));
  const std::string id = booked.appointment().appointment_id();

  v1::ReassignAppointmentRequest reassign;
  reassign.set_job_id(job_id);
  reassign.set_appointment_id(id);
  reassign.add_technician_ids("tech-bob");
  reassign.set_reason("Ann is sick");
  v1::ScheduleReply reply;
  ASSERT_TRUE(IsOk(env_.dispatch().ReassignAppointment(env_.Dispatcher().get(), reassign, &reply)));
  ASSERT_EQ(reply.appointment().technician_ids_size(), 1);
  EXPECT_EQ(reply.appointment().technician_ids(0), "tech-bob");
  // Ann is free again at that time.
  const std::string other = env_.CreateJob("Other");
  v1::ScheduleReply other_booked;
  ASSERT_TRUE(IsOk(env_.Schedule(other, Utc(Day(9)), 2, {"tech-ann"}, &other_booked)));

  v1::RescheduleAppointmentRequest move;
  move.set_job_id(job_id);
  move.set_appointment_id(id);
  *move.mutable_window()->mutable_start() = At(Day(13));
  *move.mutable_window()->mutable_end() = At(Day(15));
  move.set_reason("customer asked");
  ASSERT_TRUE(IsOk(env_.dispatch().RescheduleAppointment(env_.Dispatcher().get(), move, &reply)));
  EXPECT_EQ(TimeFromProto(reply.appointment().window().start()), Utc(Day(13)));

  v1::ReassignAppointmentRequest unassign;
  unassign.set_job_id(job_id);
  unassign.set_appointment_id(id);
  ASSERT_TRUE(IsOk(env_.dispatch().ReassignAppointment(env_.Dispatcher().get(), unassign, &reply)));
  v1::ListUnassignedRequest hot_list;
  hot_list.mutable_date()->set_year(2030);
  hot_list.mutable_date()->set_month(3);
  hot_list.mutable_date()->set_day(4);
  *hot_list.mutable_min_position() = reply.result().position();
  v1::AppointmentsResponse unassigned;
  ASSERT_TRUE(IsOk(env_.dispatch().ListUnassigned(env_.Dispatcher().get(), hot_list, &unassigned)));
  ASSERT_EQ(unassigned.appointments_size(), 1);
  EXPECT_EQ(unassigned.appointments(0).appointment_id(), id);

  v1::CancelAppointmentRequest cancel;
  cancel.set_job_id(job_id);
  cancel.set_appointment_id(id);
  const grpc::Status no_reason =
      env_.dispatch().CancelAppointment(env_.Dispatcher().get(), cancel, &reply);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  cancel.set_reason("customer cancelled");
  ASSERT_TRUE(IsOk(env_.dispatch().CancelAppointment(env_.Dispatcher().get(), cancel, &reply)));
  EXPECT_EQ(reply.appointment().status(), v1::APPOINTMENT_STATUS_CANCELLED);
  *hot_list.mutable_min_position() = reply.result().position();
  ASSERT_TRUE(IsOk(env_.dispatch().ListUnassigned(env_.Dispatcher().get(), hot_list, &unassigned)));
  EXPECT_EQ(unassigned.appointments_size(), 0);
}

TEST_P(SchedulingServiceTest, BulkReassignReportsEachVisit) {
  env_.RegisterTechnician("tech-sick", "Sick");
  env_.RegisterTechnician("tech-cover", "Cover");
  std::vector<std::string> ids;
  for (int hour : {8, 11, 14}) {
    v1::ScheduleReply booked;
    ASSERT_TRUE(IsOk(env_.Schedule(env_.CreateJob("Visit " + std::to_string(hour)), Utc(Day(hour)),
                                   2, {"tech-sick"}, &booked)));
    ids.push_back(booked.appointment().appointment_id());
  }
  // The cover technician is busy at 14:00.
  v1::ScheduleReply busy;
  ASSERT_TRUE(
      IsOk(env_.Schedule(env_.CreateJob("Cover's own"), Utc(Day(14)), 1, {"tech-cover"}, &busy)));

  v1::BulkReassignRequest bulk;
  bulk.set_from_technician_id("tech-sick");
  bulk.set_to_technician_id("tech-cover");
  bulk.mutable_first_day()->set_year(2030);
  bulk.mutable_first_day()->set_month(3);
  bulk.mutable_first_day()->set_day(4);
  *bulk.mutable_last_day() = bulk.first_day();
  bulk.set_reason("sick day");
  v1::BulkResponse response;
  ASSERT_TRUE(IsOk(env_.dispatch().BulkReassign(env_.Dispatcher().get(), bulk, &response)));
  ASSERT_EQ(response.items_size(), 3);
  EXPECT_EQ(response.succeeded(), 2);
  EXPECT_EQ(response.failed(), 1);
  EXPECT_EQ(response.items(2).appointment_id(), ids[2]);
  EXPECT_EQ(response.items(2).code(), static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(response.items(2).message(), busy.appointment().appointment_id()))
      << response.items(2).message();
}

TEST_P(SchedulingServiceTest, BulkRescheduleMovesADayForward) {
  env_.RegisterTechnician("tech-ann", "Ann");
  for (int hour : {8, 12}) {
    v1::ScheduleReply booked;
    ASSERT_TRUE(IsOk(env_.Schedule(env_.CreateJob("Roof " + std::to_string(hour)), Utc(Day(hour)),
                                   2, {"tech-ann"}, &booked)));
  }
  v1::BulkRescheduleRequest bulk;
  bulk.mutable_day()->set_year(2030);
  bulk.mutable_day()->set_month(3);
  bulk.mutable_day()->set_day(4);
  bulk.set_days_forward(2);
  bulk.set_reason("storm");
  v1::BulkResponse response;
  ASSERT_TRUE(IsOk(env_.dispatch().BulkReschedule(env_.Dispatcher().get(), bulk, &response)));
  ASSERT_EQ(response.items_size(), 2);
  EXPECT_EQ(response.succeeded(), 2);
  v1::GetTechnicianScheduleRequest day;
  day.set_technician_id("tech-ann");
  day.mutable_first_day()->set_year(2030);
  day.mutable_first_day()->set_month(3);
  day.mutable_first_day()->set_day(6);
  *day.mutable_min_position() = response.items(1).result().position();
  v1::AppointmentsResponse moved;
  ASSERT_TRUE(IsOk(env_.dispatch().GetTechnicianSchedule(env_.Dispatcher().get(), day, &moved)));
  ASSERT_EQ(moved.appointments_size(), 2);
  EXPECT_EQ(TimeFromProto(moved.appointments(0).window().start()), Utc(Day(8, 0, 2)));
}

TEST_P(SchedulingServiceTest, DispatchTimelineMovesTheJobAlong) {
  env_.RegisterTechnician("tech-ann", "Ann");
  const std::string job_id = env_.CreateJob("AC repair");
  v1::ScheduleReply booked;
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(9)), 2, {"tech-ann"}, &booked)));
  // Booking an Open job makes it Scheduled (a reaction through the job service).
  ASSERT_TRUE(WaitUntil([&] { return env_.JobStatus(job_id) == job::v1::JOB_STATUS_SCHEDULED; },
                        absl::Seconds(20)));

  v1::ChangeDispatchStateRequest step;
  step.set_job_id(job_id);
  step.set_appointment_id(booked.appointment().appointment_id());
  v1::ScheduleReply reply;
  for (v1::DispatchState state :
       {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING,
        v1::DISPATCH_STATE_PAUSED, v1::DISPATCH_STATE_WORKING, v1::DISPATCH_STATE_DEPARTED}) {
    step.set_state(state);
    ASSERT_TRUE(IsOk(env_.dispatch().ChangeDispatchState(
        env_.As("tech-ann", Role::kTechnician).get(), step, &reply)))
        << v1::DispatchState_Name(state);
  }
  ASSERT_EQ(reply.appointment().dispatch_size(), 1);
  EXPECT_EQ(reply.appointment().dispatch(0).timeline_size(), 6);
  EXPECT_EQ(reply.appointment().dispatch(0).state(), v1::DISPATCH_STATE_DEPARTED);
  ASSERT_TRUE(WaitUntil([&] { return env_.JobStatus(job_id) == job::v1::JOB_STATUS_IN_PROGRESS; },
                        absl::Seconds(20)));

  step.set_state(v1::DISPATCH_STATE_EN_ROUTE);  // backwards
  EXPECT_EQ(env_.dispatch()
                .ChangeDispatchState(env_.As("tech-ann", Role::kTechnician).get(), step, &reply)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Another technician cannot report on a visit they are not on.
  step.set_state(v1::DISPATCH_STATE_COMPLETED);
  EXPECT_EQ(env_.dispatch()
                .ChangeDispatchState(env_.As("tech-bob", Role::kTechnician).get(), step, &reply)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The reaction to a technician working reads the job's status from the scheduling projection,
// which reads the job topic at its own pace: here the job is put on hold behind 50,000 other
// events on that topic, and the technician resumes at once. The reaction waits for the job topic
// and moves the job back to In progress instead of skipping it as the In progress it was.
TEST_P(SchedulingServiceTest, WorkResumedOnAJobJustPutOnHoldMovesItBehindABacklogOfTheJobTopic) {
  env_.RegisterTechnician("tech-ann", "Ann");
  const std::string job_id = env_.CreateJob("Boiler service");
  v1::ScheduleReply booked;
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(9)), 2, {"tech-ann"}, &booked)));
  v1::ChangeDispatchStateRequest step;
  step.set_job_id(job_id);
  step.set_appointment_id(booked.appointment().appointment_id());
  v1::ScheduleReply reply;
  const auto dispatch = [&](v1::DispatchState state) {
    step.set_state(state);
    return env_.dispatch().ChangeDispatchState(env_.As("tech-ann", Role::kTechnician).get(), step,
                                               &reply);
  };
  for (v1::DispatchState state :
       {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING}) {
    ASSERT_TRUE(IsOk(dispatch(state))) << v1::DispatchState_Name(state);
  }
  ASSERT_TRUE(WaitUntil([&] { return env_.JobStatus(job_id) == job::v1::JOB_STATUS_IN_PROGRESS; },
                        absl::Seconds(20)));
  ASSERT_TRUE(IsOk(dispatch(v1::DISPATCH_STATE_PAUSED)));

  job::testing::AppendCustomerBacklog(env_.jobs_env().log(), "busy", 50'000);
  job::v1::ChangeJobStatusRequest hold;
  hold.set_job_id(job_id);
  hold.set_status(job::v1::JOB_STATUS_ON_HOLD);
  hold.set_reason("waiting for parts");
  job::v1::JobReply held;
  ASSERT_TRUE(IsOk(env_.jobs().ChangeJobStatus(env_.Dispatcher().get(), hold, &held)));
  ASSERT_TRUE(IsOk(dispatch(v1::DISPATCH_STATE_WORKING)));

  // Read at the hold or later (the job service works through the backlog too), until a change
  // after the hold shows.
  job::v1::GetJobRequest get;
  get.set_job_id(job_id);
  *get.mutable_min_position() = held.result().position();
  job::v1::JobView view;
  EXPECT_TRUE(WaitUntil(
      [&] {
        return IsOk(env_.jobs().GetJob(env_.Dispatcher().get(), get, &view)) &&
               view.job().version() > held.job().version();
      },
      absl::Seconds(120)))
      << view.job().ShortDebugString();
  EXPECT_EQ(view.job().status(), job::v1::JOB_STATUS_IN_PROGRESS);
}

TEST_P(SchedulingServiceTest, AFinishedJobFreesItsFutureVisits) {
  env_.RegisterTechnician("tech-ann", "Ann");
  const std::string job_id = env_.CreateJob("Two visits");
  v1::ScheduleReply first;
  v1::ScheduleReply second;
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(9)), 2, {"tech-ann"}, &first)));
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(9, 0, 1)), 2, {"tech-ann"}, &second)));
  ASSERT_TRUE(WaitUntil([&] { return env_.JobStatus(job_id) == job::v1::JOB_STATUS_SCHEDULED; },
                        absl::Seconds(20)));

  job::v1::ChangeJobStatusRequest cancel;
  cancel.set_job_id(job_id);
  cancel.set_status(job::v1::JOB_STATUS_CANCELLED);
  cancel.set_reason("customer moved away");
  job::v1::JobReply cancelled;
  ASSERT_TRUE(IsOk(env_.jobs().ChangeJobStatus(env_.Dispatcher().get(), cancel, &cancelled)));
  ASSERT_TRUE(WaitUntil(
      [&] {
        const v1::JobSchedule schedule = ScheduleOf(job_id);
        return schedule.appointments_size() == 2 &&
               schedule.appointments(0).status() == v1::APPOINTMENT_STATUS_CANCELLED &&
               schedule.appointments(1).status() == v1::APPOINTMENT_STATUS_CANCELLED;
      },
      absl::Seconds(20)));
  EXPECT_TRUE(
      absl::StrContains(ScheduleOf(job_id).appointments(0).cancel_reason(), "customer moved away"));
  // Ann's time is free again, and a cancelled job takes no more visits.
  v1::ScheduleReply again;
  ASSERT_TRUE(IsOk(env_.Schedule(env_.CreateJob("Next"), Utc(Day(9)), 2, {"tech-ann"}, &again)));
  EXPECT_EQ(env_.Schedule(job_id, Utc(Day(15)), 1, {}, &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulingServiceTest,
                         ::testing::Values(Backend::kEmbedded, Backend::kKafka),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::kKafka ? "Kafka" : "Embedded";
                         });

}  // namespace
}  // namespace jobledger::scheduling::testing
