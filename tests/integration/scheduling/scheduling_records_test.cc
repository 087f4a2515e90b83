// The scheduling service's records over real gRPC with the real job service: who may see which
// schedule (and no tenant another's), GPS breadcrumbs and the live map with clock-ins from the job
// service, agreements planned exactly once across restarts and crashes, free slots and ranked
// technicians, and a projection equal to a clean rebuild that answers the same after one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/wait.h"
#include "scheduling_test_env.h"

namespace jobledger::scheduling::testing {
namespace {

using auth::Role;
using google::protobuf::util::MessageDifferencer;
using jobledger::testing::WaitUntil;
using ::testing::HasSubstr;

// A Monday far enough ahead that visits are in the future.
absl::CivilMinute Day(int hour, int minute = 0, int day_offset = 0) {
  return absl::CivilMinute(2030, 3, 4 + day_offset, hour, minute);
}

common::v1::LocalDate Date(absl::CivilDay day) {
  common::v1::LocalDate date;
  LocalDateToProto(day, &date);
  return date;
}

absl::CivilDay TodayUtc() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

// The same day of the next month, clamped to its length (the recurrence's monthly step).
absl::CivilDay NextMonth(absl::CivilDay day) {
  const absl::CivilMonth next = absl::CivilMonth(day) + 1;
  const absl::CivilDay last_of_next = absl::CivilDay(absl::CivilMonth(next) + 1) - 1;
  return absl::CivilDay(next.year(), next.month(), std::min(day.day(), last_of_next.day()));
}

v1::LocationPing Ping(absl::CivilMinute at, double latitude, double longitude) {
  v1::LocationPing ping;
  *ping.mutable_recorded_at() = At(at);
  ping.set_latitude(latitude);
  ping.set_longitude(longitude);
  ping.set_accuracy_meters(5);
  return ping;
}

std::string Describe(const google::protobuf::Message& message) { return message.DebugString(); }

class SchedulingRecordsTest : public ::testing::Test {
 protected:
  explicit SchedulingRecordsTest(Backend backend = Backend::kEmbedded) : env_(backend) {}

  std::unique_ptr<grpc::ClientContext> Tech(const std::string& id) {
    return env_.As(id, Role::kTechnician);
  }

  grpc::Status ScheduleOf(std::unique_ptr<grpc::ClientContext> context, const std::string& job_id,
                          const common::v1::LogPosition& min_position, v1::JobSchedule* schedule) {
    v1::GetJobScheduleRequest request;
    request.set_job_id(job_id);
    *request.mutable_min_position() = min_position;
    return env_.dispatch().GetJobSchedule(context.get(), request, schedule);
  }

  grpc::Status TechnicianSchedule(std::unique_ptr<grpc::ClientContext> context,
                                  const std::string& technician_id, absl::CivilDay first, int days,
                                  const common::v1::LogPosition& min_position,
                                  v1::AppointmentsResponse* response) {
    v1::GetTechnicianScheduleRequest request;
    request.set_technician_id(technician_id);
    *request.mutable_first_day() = Date(first);
    request.set_days(days);
    *request.mutable_min_position() = min_position;
    return env_.dispatch().GetTechnicianSchedule(context.get(), request, response);
  }

  v1::Agreement AgreementOf(const std::string& agreement_id,
                            const common::v1::LogPosition& min_position = {}) {
    v1::GetAgreementRequest request;
    request.set_agreement_id(agreement_id);
    *request.mutable_min_position() = min_position;
    v1::Agreement agreement;
    EXPECT_TRUE(IsOk(env_.agreements().GetAgreement(env_.Dispatcher().get(), request, &agreement)));
    return agreement;
  }

  // A monthly agreement from today (UTC) for `customer_id`, once the read model has it (the
  // planner plans what the read model lists, so a run woken next sees it).
  v1::Agreement CreateAgreement(const std::string& customer_id, const std::string& title,
                                int lead_days) {
    v1::CreateAgreementRequest request;
    v1::Agreement& agreement = *request.mutable_agreement();
    agreement.set_customer_id(customer_id);
    agreement.set_title(title);
    agreement.set_estimated_minutes(90);
    agreement.mutable_rule()->set_frequency(v1::FREQUENCY_MONTHLY);
    agreement.mutable_rule()->set_interval(1);
    *agreement.mutable_start_date() = Date(TodayUtc());
    agreement.set_lead_days(lead_days);
    v1::AgreementReply reply;
    EXPECT_TRUE(IsOk(env_.agreements().CreateAgreement(env_.Dispatcher().get(), request, &reply)));
    return AgreementOf(reply.agreement().agreement_id(), reply.result().position());
  }

  // Returns once a planning run that began after this call has finished. The planner says nothing
  // when it is done, so: a fresh agreement is planned by a run that began after it existed (and
  // read every active agreement once, at its start); a second fresh agreement, created after the
  // first one's visit is recorded, is planned by a later run, which began after that one ended.
  void FinishPlanningRun() {
    const job::v1::Customer customer = env_.jobs_env().CreateCustomer("Planning probe");
    for (int round = 0; round < 2; ++round) {
      const v1::Agreement probe =
          CreateAgreement(customer.customer_id(), absl::StrCat("Probe ", round), 1);
      env_.server().WakePlanner();
      ASSERT_TRUE(WaitUntil([&] { return AgreementOf(probe.agreement_id()).visits_size() == 1; },
                            absl::Seconds(30)));
    }
  }

  // Waits until a read model has applied everything written to `topic` so far: `query` is one of
  // its queries, asked with each partition's last position as min_position.
  void WaitForTopic(absl::string_view topic,
                    const std::function<grpc::Status(const common::v1::LogPosition&)>& query) {
    // Each topic's own writer knows its end without delay.
    eventlog::EventLog& log =
        topic == eventlog::kJobTopic ? env_.jobs_env().log() : env_.jobs_env().scheduling_log();
    for (int32_t partition = 0; partition < job::testing::kPartitions; ++partition) {
      auto end = log.HighWatermark(topic, partition);
      ASSERT_TRUE(end.ok()) << end.status();
      if (*end == 0) continue;
      common::v1::LogPosition position;
      position.set_topic(std::string(topic));
      position.set_partition(partition);
      position.set_offset(*end - 1);
      ASSERT_TRUE(IsOk(query(position))) << topic << "/" << partition;
    }
  }

  // The scheduling read model has applied all of `topic` (it reads both topics).
  void SchedulingCaughtUp(absl::string_view topic) {
    WaitForTopic(topic, [&](const common::v1::LogPosition& position) {
      v1::ListCrewsRequest request;
      *request.mutable_min_position() = position;
      v1::ListCrewsResponse response;
      return env_.technicians().ListCrews(env_.Dispatcher().get(), request, &response);
    });
  }

  // The job service's read model has applied all of the job topic.
  void JobsCaughtUp() {
    WaitForTopic(eventlog::kJobTopic, [&](const common::v1::LogPosition& position) {
      job::v1::ListJobsRequest request;
      *request.mutable_min_position() = position;
      job::v1::ListJobsResponse response;
      return env_.jobs().ListJobs(env_.Dispatcher().get(), request, &response);
    });
  }

  // The ids of the customer's jobs as the job service lists them, once it has read its whole log.
  std::set<std::string> JobsOfCustomer(const std::string& customer_id) {
    JobsCaughtUp();
    job::v1::ListJobsRequest request;
    request.set_customer_id(customer_id);
    request.set_page_size(500);
    job::v1::ListJobsResponse response;
    EXPECT_TRUE(IsOk(env_.jobs().ListJobs(env_.Dispatcher().get(), request, &response)));
    std::set<std::string> ids;
    for (const job::v1::JobSummary& summary : response.jobs()) ids.insert(summary.job_id());
    return ids;
  }

  // Waits until the agreement has `visits` visits and each visit's job one appointment; checks
  // the jobs and appointments are what the agreement says.
  v1::Agreement WaitForVisits(const std::string& agreement_id, int visits) {
    v1::Agreement agreement;
    EXPECT_TRUE(WaitUntil(
        [&] {
          agreement = AgreementOf(agreement_id);
          return agreement.visits_size() >= visits;
        },
        absl::Seconds(30)));
    EXPECT_EQ(agreement.visits_size(), visits);
    for (const v1::AgreementVisit& visit : agreement.visits()) {
      SCOPED_TRACE(absl::StrCat("occurrence ", visit.occurrence()));
      EXPECT_FALSE(visit.job_id().empty());
      job::v1::GetJobRequest get;
      get.set_job_id(visit.job_id());
      job::v1::JobView view;
      EXPECT_TRUE(
          WaitUntil([&] { return env_.jobs().GetJob(env_.Dispatcher().get(), get, &view).ok(); }));
      EXPECT_EQ(view.job().customer_id(), agreement.customer_id());
      // The visit is booked before it is recorded, but the two may be on different partitions.
      v1::JobSchedule schedule;
      EXPECT_TRUE(WaitUntil([&] {
        return ScheduleOf(env_.Dispatcher(), visit.job_id(), {}, &schedule).ok() &&
               schedule.appointments_size() > 0;
      }));
      EXPECT_EQ(schedule.appointments_size(), 1) << Describe(schedule);
      if (schedule.appointments_size() == 0) continue;
      const v1::Appointment& appointment = schedule.appointments(0);
      EXPECT_EQ(appointment.status(), v1::APPOINTMENT_STATUS_SCHEDULED);
      EXPECT_TRUE(appointment.technician_ids().empty());
      EXPECT_TRUE(appointment.crew_ids().empty());
      EXPECT_TRUE(MessageDifferencer::Equals(appointment.date(), visit.date()))
          << Describe(appointment) << Describe(visit);
      // The default window, 08:00–17:00 local (UTC here).
      const absl::CivilDay day = *LocalDateFromProto(visit.date());
      EXPECT_EQ(TimeFromProto(appointment.window().start()), Utc(absl::CivilMinute(day) + 8 * 60));
      EXPECT_EQ(TimeFromProto(appointment.window().end()), Utc(absl::CivilMinute(day) + 17 * 60));
    }
    return agreement;
  }

  SchedulingEnv env_;
};

// The tests that cost little on Kafka too.
class SchedulingRecordsBackendTest : public SchedulingRecordsTest,
                                     public ::testing::WithParamInterface<Backend> {
 protected:
  SchedulingRecordsBackendTest() : SchedulingRecordsTest(GetParam()) {}
};

// ---------------------------------------------------------------- 1. visibility and tenants

TEST_P(SchedulingRecordsBackendTest, TechniciansSeeTheirOwnVisitsAndTenantsNothingOfEachOther) {
  env_.RegisterTechnician("tech-ann", "Ann");
  env_.RegisterTechnician("tech-bob", "Bob");
  env_.RegisterTechnician("tech-cat", "Cat");
  const std::string ann_job = env_.CreateJob("Ann's boiler");
  const std::string bob_job = env_.CreateJob("Bob's leak");
  const std::string crew_job = env_.CreateJob("Crew install");
  v1::ScheduleReply ann_visit;
  v1::ScheduleReply bob_visit;
  ASSERT_TRUE(IsOk(env_.Schedule(ann_job, Utc(Day(9)), 2, {"tech-ann"}, &ann_visit)));
  ASSERT_TRUE(IsOk(env_.Schedule(bob_job, Utc(Day(9)), 2, {"tech-bob"}, &bob_visit)));
  // Cat goes on the third job only through her crew.
  v1::CreateCrewRequest crew;
  crew.set_name("Install crew");
  crew.add_member_ids("tech-cat");
  v1::CrewReply created;
  ASSERT_TRUE(IsOk(env_.technicians().CreateCrew(env_.Dispatcher().get(), crew, &created)));
  v1::ScheduleAppointmentRequest crew_request;
  crew_request.set_job_id(crew_job);
  *crew_request.mutable_window()->mutable_start() = At(Day(13));
  *crew_request.mutable_window()->mutable_end() = At(Day(15));
  crew_request.add_crew_ids(created.crew().crew_id());
  v1::ScheduleReply crew_visit;
  ASSERT_TRUE(IsOk(
      env_.dispatch().ScheduleAppointment(env_.Dispatcher().get(), crew_request, &crew_visit)));

  // Job schedules: the jobs one goes on, directly or through a crew; no other.
  v1::JobSchedule schedule;
  ASSERT_TRUE(
      IsOk(ScheduleOf(Tech("tech-ann"), ann_job, ann_visit.result().position(), &schedule)));
  ASSERT_EQ(schedule.appointments_size(), 1);
  EXPECT_EQ(schedule.appointments(0).appointment_id(), ann_visit.appointment().appointment_id());
  EXPECT_EQ(
      ScheduleOf(Tech("tech-ann"), bob_job, bob_visit.result().position(), &schedule).error_code(),
      grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(
      IsOk(ScheduleOf(Tech("tech-cat"), crew_job, crew_visit.result().position(), &schedule)));
  EXPECT_EQ(schedule.appointments_size(), 1);
  EXPECT_EQ(
      ScheduleOf(Tech("tech-cat"), ann_job, ann_visit.result().position(), &schedule).error_code(),
      grpc::StatusCode::NOT_FOUND);

  // Technician schedules: one's own (by id or by default), not another's.
  const absl::CivilDay monday(2030, 3, 4);
  v1::AppointmentsResponse visits;
  EXPECT_EQ(TechnicianSchedule(Tech("tech-ann"), "tech-bob", monday, 1,
                               bob_visit.result().position(), &visits)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  for (const std::string& id : {std::string("tech-ann"), std::string()}) {
    ASSERT_TRUE(IsOk(TechnicianSchedule(Tech("tech-ann"), id, monday, 1,
                                        ann_visit.result().position(), &visits)));
    ASSERT_EQ(visits.appointments_size(), 1) << "technician_id \"" << id << "\"";
    EXPECT_EQ(visits.appointments(0).job_id(), ann_job);
  }
  ASSERT_TRUE(IsOk(TechnicianSchedule(Tech("tech-cat"), "", monday, 1,
                                      crew_visit.result().position(), &visits)));
  ASSERT_EQ(visits.appointments_size(), 1);
  EXPECT_EQ(visits.appointments(0).job_id(), crew_job);

  // The office's views and commands are not a technician's.
  v1::GetBoardRequest board_request;
  *board_request.mutable_first_day() = Date(monday);
  v1::GetBoardResponse board;
  EXPECT_EQ(env_.dispatch().GetBoard(Tech("tech-ann").get(), board_request, &board).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListUnassignedRequest unassigned_request;
  *unassigned_request.mutable_date() = Date(monday);
  v1::AppointmentsResponse unassigned;
  EXPECT_EQ(env_.dispatch()
                .ListUnassigned(Tech("tech-ann").get(), unassigned_request, &unassigned)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ScheduleAppointmentRequest own_booking = crew_request;
  own_booking.set_job_id(ann_job);
  own_booking.clear_crew_ids();
  own_booking.add_technician_ids("tech-ann");
  v1::ScheduleReply refused;
  EXPECT_EQ(env_.dispatch()
                .ScheduleAppointment(Tech("tech-ann").get(), own_booking, &refused)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(IsOk(ScheduleOf(env_.Dispatcher(), ann_job, {}, &schedule)));
  EXPECT_EQ(schedule.appointments_size(), 1);  // nothing was booked

  // Another tenant's dispatcher sees none of it.
  const std::string other = "globex";
  EXPECT_EQ(ScheduleOf(env_.Dispatcher(other), ann_job, ann_visit.result().position(), &schedule)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TechnicianSchedule(env_.Dispatcher(other), "tech-ann", monday, 1,
                               ann_visit.result().position(), &visits)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListTechniciansRequest list_request;
  *list_request.mutable_min_position() = crew_visit.result().position();
  v1::ListTechniciansResponse listed;
  ASSERT_TRUE(IsOk(
      env_.technicians().ListTechnicians(env_.Dispatcher(other).get(), list_request, &listed)));
  EXPECT_EQ(listed.technicians_size(), 0);
  ASSERT_TRUE(
      IsOk(env_.technicians().ListTechnicians(env_.Dispatcher().get(), list_request, &listed)));
  EXPECT_EQ(listed.technicians_size(), 3);  // acme's own, for contrast
  ASSERT_TRUE(IsOk(env_.dispatch().GetBoard(env_.Dispatcher(other).get(), board_request, &board)));
  EXPECT_EQ(board.technicians_size(), 0);
  EXPECT_EQ(board.unassigned_size(), 0);

  // No token, no answer.
  grpc::ClientContext anonymous;
  v1::GetJobScheduleRequest get;
  get.set_job_id(ann_job);
  EXPECT_EQ(env_.dispatch().GetJobSchedule(&anonymous, get, &schedule).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// ---------------------------------------------------------------- 2. GPS

TEST_F(SchedulingRecordsTest, GpsBreadcrumbsAndTheLiveMapWithClockIns) {
  env_.RegisterTechnician("tech-ann", "Ann");
  env_.RegisterTechnician("tech-bob", "Bob");
  // A batch out of order, then a late ping older than all of them.
  v1::RecordLocationsRequest batch;
  *batch.add_pings() = Ping(Day(9, 10), 40.7130, -74.0060);
  *batch.add_pings() = Ping(Day(9, 0), 40.7100, -74.0000);
  *batch.add_pings() = Ping(Day(9, 5), 40.7115, -74.0030);
  v1::RecordLocationsResponse recorded;
  ASSERT_TRUE(IsOk(env_.technicians().RecordLocations(Tech("tech-ann").get(), batch, &recorded)));
  EXPECT_EQ(recorded.accepted(), 3);
  v1::RecordLocationsRequest late;
  late.set_technician_id("tech-ann");
  *late.add_pings() = Ping(Day(8, 50), 40.7000, -73.9900);
  ASSERT_TRUE(IsOk(env_.technicians().RecordLocations(Tech("tech-ann").get(), late, &recorded)));
  const common::v1::LogPosition pinged = recorded.result().position();

  // Only one's own pings, and only valid ones; a refused batch records none of its pings.
  v1::RecordLocationsRequest for_bob = late;
  for_bob.set_technician_id("tech-bob");
  EXPECT_EQ(
      env_.technicians().RecordLocations(Tech("tech-ann").get(), for_bob, &recorded).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::RecordLocationsRequest invalid;
  *invalid.add_pings() = Ping(Day(9, 30), 40.72, -74.01);
  *invalid.add_pings() = Ping(Day(9, 31), 91, -74.01);
  const grpc::Status bad_latitude =
      env_.technicians().RecordLocations(Tech("tech-ann").get(), invalid, &recorded);
  EXPECT_EQ(bad_latitude.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(bad_latitude.error_message(), "pings[1].latitude"))
      << bad_latitude.error_message();

  // The live map: the latest ping by time (not the last sent), nobody clocked in yet.
  v1::GetLiveMapRequest map_request;
  *map_request.mutable_min_position() = pinged;
  v1::GetLiveMapResponse map;
  ASSERT_TRUE(IsOk(env_.technicians().GetLiveMap(env_.Dispatcher().get(), map_request, &map)));
  ASSERT_EQ(map.technicians_size(), 1) << Describe(map);  // Bob has no ping
  EXPECT_EQ(map.technicians(0).technician_id(), "tech-ann");
  EXPECT_EQ(map.technicians(0).name(), "Ann");
  EXPECT_TRUE(MessageDifferencer::Equals(map.technicians(0).last_ping(), batch.pings(0)))
      << Describe(map);
  EXPECT_EQ(map.technicians(0).clocked_into_job_id(), "");
  EXPECT_EQ(env_.technicians().GetLiveMap(Tech("tech-ann").get(), map_request, &map).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Clocking in through the job service shows on the map; clocking out clears it.
  const std::string job_id = env_.CreateJob("Rooftop unit");
  v1::ScheduleReply booked;
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(9)), 2, {"tech-ann"}, &booked)));
  job::v1::GetJobRequest get_job;
  get_job.set_job_id(job_id);
  job::v1::JobView view;
  // The job service learns of the assignment from scheduling's events.
  ASSERT_TRUE(
      WaitUntil([&] { return env_.jobs().GetJob(Tech("tech-ann").get(), get_job, &view).ok(); },
                absl::Seconds(20)));
  job::v1::ClockInRequest clock_in;
  clock_in.set_job_id(job_id);
  job::v1::JobReply clocked;
  ASSERT_TRUE(IsOk(env_.jobs().ClockIn(Tech("tech-ann").get(), clock_in, &clocked)));
  auto clocked_into = [&]() -> std::string {
    v1::GetLiveMapResponse now;
    EXPECT_TRUE(IsOk(env_.technicians().GetLiveMap(env_.Dispatcher().get(), {}, &now)));
    return now.technicians_size() == 1 ? now.technicians(0).clocked_into_job_id() : "?";
  };
  EXPECT_TRUE(WaitUntil([&] { return clocked_into() == job_id; }, absl::Seconds(20)))
      << clocked_into();
  job::v1::ClockOutRequest clock_out;
  clock_out.set_job_id(job_id);
  ASSERT_TRUE(IsOk(env_.jobs().ClockOut(Tech("tech-ann").get(), clock_out, &clocked)));
  EXPECT_TRUE(WaitUntil([&] { return clocked_into().empty(); }, absl::Seconds(20)))
      << clocked_into();

  // Breadcrumbs: the day's pings in time order, for herself and the office; none another day.
  v1::GetBreadcrumbsRequest crumbs_request;
  crumbs_request.set_technician_id("tech-ann");
  *crumbs_request.mutable_date() = Date(absl::CivilDay(2030, 3, 4));
  *crumbs_request.mutable_min_position() = pinged;
  for (const auto& [user, role] :
       {std::pair("tech-ann", Role::kTechnician), std::pair("dispatcher-1", Role::kDispatcher)}) {
    v1::GetBreadcrumbsResponse crumbs;
    ASSERT_TRUE(
        IsOk(env_.technicians().GetBreadcrumbs(env_.As(user, role).get(), crumbs_request, &crumbs)))
        << user;
    ASSERT_EQ(crumbs.pings_size(), 4) << Describe(crumbs);
    EXPECT_TRUE(MessageDifferencer::Equals(crumbs.pings(0), late.pings(0)));
    EXPECT_TRUE(MessageDifferencer::Equals(crumbs.pings(1), batch.pings(1)));
    EXPECT_TRUE(MessageDifferencer::Equals(crumbs.pings(2), batch.pings(2)));
    EXPECT_TRUE(MessageDifferencer::Equals(crumbs.pings(3), batch.pings(0)));
  }
  for (const absl::CivilDay other_day : {absl::CivilDay(2030, 3, 3), absl::CivilDay(2030, 3, 5)}) {
    v1::GetBreadcrumbsRequest elsewhere = crumbs_request;
    *elsewhere.mutable_date() = Date(other_day);
    v1::GetBreadcrumbsResponse crumbs;
    ASSERT_TRUE(
        IsOk(env_.technicians().GetBreadcrumbs(env_.Dispatcher().get(), elsewhere, &crumbs)));
    EXPECT_EQ(crumbs.pings_size(), 0) << other_day;
  }
  v1::GetBreadcrumbsResponse crumbs;
  EXPECT_EQ(env_.technicians()
                .GetBreadcrumbs(Tech("tech-bob").get(), crumbs_request, &crumbs)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------- 3. agreements, exactly once

TEST_P(SchedulingRecordsBackendTest, AgreementVisitsArePlannedOnceAcrossRestarts) {
  const job::v1::Customer customer = env_.jobs_env().CreateCustomer("Maintenance plan");
  const v1::Agreement created = CreateAgreement(customer.customer_id(), "Filter change", 40);
  ASSERT_FALSE(created.agreement_id().empty());
  EXPECT_TRUE(created.active());
  EXPECT_EQ(created.visits_size(), 0);
  env_.server().WakePlanner();
  // Today's and next month's occurrences are due within 40 days; the one after is not.
  const v1::Agreement planned = WaitForVisits(created.agreement_id(), 2);
  ASSERT_EQ(planned.visits_size(), 2);
  EXPECT_EQ(planned.visits(0).occurrence(), 0);
  EXPECT_EQ(*LocalDateFromProto(planned.visits(0).date()), TodayUtc());
  EXPECT_EQ(planned.visits(1).occurrence(), 1);
  EXPECT_EQ(*LocalDateFromProto(planned.visits(1).date()), NextMonth(TodayUtc()));
  EXPECT_NE(planned.visits(0).job_id(), planned.visits(1).job_id());
  const std::set<std::string> jobs = JobsOfCustomer(customer.customer_id());
  EXPECT_EQ(jobs, (std::set<std::string>{planned.visits(0).job_id(), planned.visits(1).job_id()}));

  // Plan again after a restart: nothing new.
  env_.Stop();
  env_.Start();
  env_.server().WakePlanner();
  FinishPlanningRun();
  SchedulingCaughtUp(eventlog::kSchedulingTopic);
  const v1::Agreement replanned = AgreementOf(created.agreement_id());
  EXPECT_TRUE(MessageDifferencer::Equals(replanned, planned))
      << Describe(replanned) << Describe(planned);
  EXPECT_EQ(JobsOfCustomer(customer.customer_id()), jobs);
  for (const v1::AgreementVisit& visit : planned.visits()) {
    v1::JobSchedule schedule;
    ASSERT_TRUE(IsOk(ScheduleOf(env_.Dispatcher(), visit.job_id(), {}, &schedule)));
    EXPECT_EQ(schedule.appointments_size(), 1) << Describe(schedule);
  }
}

TEST_P(SchedulingRecordsBackendTest, APlannerThatDiedAfterCreatingAJobFinishesWithThatJob) {
  const job::v1::Customer customer = env_.jobs_env().CreateCustomer("Maintenance plan");
  const v1::Agreement created = CreateAgreement(customer.customer_id(), "Filter change", 40);
  // What a planner that died right after creating occurrence 0's job left behind: the job, made
  // under the planner's key for that step, and nothing else.
  job::v1::CreateJobRequest orphan;
  orphan.mutable_meta()->set_idempotency_key(
      absl::StrCat("agreement/", created.agreement_id(), "/0/job"));
  orphan.set_customer_id(customer.customer_id());
  orphan.set_title("Filter change");
  job::v1::JobReply orphaned;
  ASSERT_TRUE(IsOk(env_.jobs().CreateJob(env_.Dispatcher().get(), orphan, &orphaned)));

  env_.server().WakePlanner();
  const v1::Agreement planned = WaitForVisits(created.agreement_id(), 2);
  ASSERT_EQ(planned.visits_size(), 2);
  EXPECT_EQ(planned.visits(0).job_id(), orphaned.job().job_id());
  EXPECT_EQ(JobsOfCustomer(customer.customer_id()),
            (std::set<std::string>{orphaned.job().job_id(), planned.visits(1).job_id()}));
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulingRecordsBackendTest,
                         ::testing::Values(Backend::kEmbedded, Backend::kKafka),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::kKafka ? "Kafka" : "Embedded";
                         });

// ---------------------------------------------------------------- 4. free slots and suggestions

TEST_F(SchedulingRecordsTest, FreeSlotsAndSuggestionsKeepToSkillsAndBookings) {
  env_.RegisterTechnician("tech-ann", "Ann", {"hvac"});         // qualified and free
  env_.RegisterTechnician("tech-bob", "Bob", {"plumbing"});     // free, not qualified
  env_.RegisterTechnician("tech-cat", "Cat", {"hvac", "gas"});  // qualified, booked most of the day
  v1::ScheduleReply morning;
  v1::ScheduleReply afternoon;
  ASSERT_TRUE(
      IsOk(env_.Schedule(env_.CreateJob("Cat's morning"), Utc(Day(6)), 4, {"tech-cat"}, &morning)));
  ASSERT_TRUE(IsOk(
      env_.Schedule(env_.CreateJob("Cat's afternoon"), Utc(Day(12)), 8, {"tech-cat"}, &afternoon)));
  // Skills as typed in the job service; two hours.
  const std::string job_id = env_.CreateJob("Heat pump", {"HVAC"}, 120);
  // The queries know jobs from the job topic: let the read model have this one.
  SchedulingCaughtUp(eventlog::kJobTopic);

  v1::FindFreeSlotsRequest find;
  find.set_job_id(job_id);
  *find.mutable_first_day() = Date(absl::CivilDay(2030, 3, 4));
  find.set_days(1);
  *find.mutable_min_position() = afternoon.result().position();
  v1::FindFreeSlotsResponse found;
  ASSERT_TRUE(IsOk(env_.dispatch().FindFreeSlots(env_.Dispatcher().get(), find, &found)));
  // Ann's whole shift; Cat's two hours between her visits and two after them (06:00–22:00 shifts).
  const std::vector<std::tuple<std::string, absl::CivilMinute, absl::CivilMinute>> expected = {
      {"tech-ann", Day(6), Day(22)},
      {"tech-cat", Day(10), Day(12)},
      {"tech-cat", Day(20), Day(22)},
  };
  ASSERT_EQ(found.slots_size(), static_cast<int>(expected.size())) << Describe(found);
  const std::vector<std::pair<absl::Time, absl::Time>> cat_booked = {{Utc(Day(6)), Utc(Day(10))},
                                                                     {Utc(Day(12)), Utc(Day(20))}};
  for (int i = 0; i < found.slots_size(); ++i) {
    const v1::FreeSlot& slot = found.slots(i);
    const auto& [technician, start, end] = expected[i];
    EXPECT_EQ(slot.technician_id(), technician) << i;
    EXPECT_EQ(TimeFromProto(slot.start()), Utc(start)) << i;
    EXPECT_EQ(TimeFromProto(slot.end()), Utc(end)) << i;
    if (i > 0) {
      EXPECT_LE(TimeFromProto(found.slots(i - 1).start()), TimeFromProto(slot.start()));
    }
    EXPECT_GE(TimeFromProto(slot.end()) - TimeFromProto(slot.start()), absl::Hours(2)) << i;
    if (slot.technician_id() == "tech-cat") {
      for (const auto& [busy_start, busy_end] : cat_booked) {
        EXPECT_FALSE(TimeFromProto(slot.start()) < busy_end &&
                     busy_start < TimeFromProto(slot.end()))
            << "slot " << i << " overlaps a booking";
      }
    }
  }

  v1::SuggestTechniciansRequest suggest;
  suggest.set_job_id(job_id);
  *suggest.mutable_window()->mutable_start() = At(Day(14));
  *suggest.mutable_window()->mutable_end() = At(Day(16));
  *suggest.mutable_min_position() = afternoon.result().position();
  v1::SuggestTechniciansResponse suggested;
  ASSERT_TRUE(
      IsOk(env_.dispatch().SuggestTechnicians(env_.Dispatcher().get(), suggest, &suggested)));
  ASSERT_EQ(suggested.suggestions_size(), 3) << Describe(suggested);
  std::map<std::string, v1::TechnicianSuggestion> by_id;
  for (const v1::TechnicianSuggestion& s : suggested.suggestions()) by_id[s.technician_id()] = s;
  EXPECT_EQ(suggested.suggestions(0).technician_id(), "tech-ann") << Describe(suggested);
  const v1::TechnicianSuggestion& ann = by_id["tech-ann"];
  EXPECT_TRUE(ann.available());
  EXPECT_TRUE(ann.missing_skills().empty());
  EXPECT_EQ(ann.conflict(), "");
  EXPECT_EQ(ann.booked_minutes(), 0);
  const v1::TechnicianSuggestion& bob = by_id["tech-bob"];
  EXPECT_THAT(bob.missing_skills(), ::testing::ElementsAre("hvac"));
  EXPECT_TRUE(bob.available());
  const v1::TechnicianSuggestion& cat = by_id["tech-cat"];
  EXPECT_FALSE(cat.available());
  EXPECT_TRUE(cat.missing_skills().empty());
  EXPECT_THAT(cat.conflict(), HasSubstr(afternoon.appointment().appointment_id()));
  EXPECT_EQ(cat.booked_minutes(), 12 * 60);
  EXPECT_GT(ann.score(), cat.score());
  EXPECT_GT(ann.score(), bob.score());
}

// The queries keep technicians and calendar days parsed between calls (ReadCache): every change
// shows in the very next answer asked for at the change's position.
TEST_F(SchedulingRecordsTest, FreeSlotsAndSuggestionsShowEachChangeInTheVeryNextAnswer) {
  env_.RegisterTechnician("tech-ann", "Ann", {"hvac"});
  env_.RegisterTechnician("tech-bob", "Bob", {"hvac"});
  const std::string job_id = env_.CreateJob("Heat pump", {"hvac"}, 120);
  SchedulingCaughtUp(eventlog::kJobTopic);
  SchedulingCaughtUp(eventlog::kSchedulingTopic);
  const absl::CivilDay monday(2030, 3, 4);

  // Free slots on Monday and Tuesday, as "technician day hh:mm-hh:mm".
  auto slots = [&](const common::v1::LogPosition& position) {
    v1::FindFreeSlotsRequest find;
    find.set_job_id(job_id);
    *find.mutable_first_day() = Date(monday);
    find.set_days(2);
    *find.mutable_min_position() = position;
    v1::FindFreeSlotsResponse found;
    EXPECT_TRUE(IsOk(env_.dispatch().FindFreeSlots(env_.Dispatcher().get(), find, &found)));
    std::vector<std::string> described;
    for (const v1::FreeSlot& slot : found.slots()) {
      described.push_back(absl::StrCat(
          slot.technician_id(), " ",
          absl::FormatTime("%a %H:%M", TimeFromProto(slot.start()), absl::UTCTimeZone()), "-",
          absl::FormatTime("%H:%M", TimeFromProto(slot.end()), absl::UTCTimeZone())));
    }
    return described;
  };
  // Suggestions for Monday 10:00-12:00, by technician id.
  auto suggestions = [&](const common::v1::LogPosition& position) {
    v1::SuggestTechniciansRequest suggest;
    suggest.set_job_id(job_id);
    *suggest.mutable_window()->mutable_start() = At(Day(10));
    *suggest.mutable_window()->mutable_end() = At(Day(12));
    *suggest.mutable_min_position() = position;
    v1::SuggestTechniciansResponse suggested;
    EXPECT_TRUE(
        IsOk(env_.dispatch().SuggestTechnicians(env_.Dispatcher().get(), suggest, &suggested)));
    std::map<std::string, v1::TechnicianSuggestion> by_id;
    for (const v1::TechnicianSuggestion& s : suggested.suggestions()) by_id[s.technician_id()] = s;
    return by_id;
  };
  auto board = [&](const common::v1::LogPosition& position) {
    v1::GetBoardRequest request;
    *request.mutable_first_day() = Date(monday);
    *request.mutable_min_position() = position;
    v1::GetBoardResponse response;
    EXPECT_TRUE(IsOk(env_.dispatch().GetBoard(env_.Dispatcher().get(), request, &response)));
    return Describe(response);
  };

  const std::vector<std::string> all_free = {"tech-ann Mon 06:00-22:00", "tech-bob Mon 06:00-22:00",
                                             "tech-ann Tue 06:00-22:00",
                                             "tech-bob Tue 06:00-22:00"};
  EXPECT_EQ(slots({}), all_free);
  EXPECT_EQ(slots({}), all_free);  // asked again: the same
  EXPECT_TRUE(suggestions({})["tech-ann"].available());
  EXPECT_THAT(board({}), ::testing::Not(HasSubstr("appointment_id")));

  // Ann is booked 10:00-12:00 on Monday.
  v1::ScheduleReply booked;
  ASSERT_TRUE(IsOk(env_.Schedule(job_id, Utc(Day(10)), 2, {"tech-ann"}, &booked)));
  const std::string appointment_id = booked.appointment().appointment_id();
  EXPECT_EQ(slots(booked.result().position()),
            (std::vector<std::string>{"tech-ann Mon 06:00-10:00", "tech-bob Mon 06:00-22:00",
                                      "tech-ann Mon 12:00-22:00", "tech-ann Tue 06:00-22:00",
                                      "tech-bob Tue 06:00-22:00"}));
  auto after_booking = suggestions(booked.result().position());
  EXPECT_FALSE(after_booking["tech-ann"].available());
  EXPECT_THAT(after_booking["tech-ann"].conflict(), HasSubstr(appointment_id));
  EXPECT_EQ(after_booking["tech-ann"].booked_minutes(), 120);
  EXPECT_TRUE(after_booking["tech-bob"].available());
  EXPECT_THAT(board(booked.result().position()), HasSubstr(appointment_id));

  // Bob takes Tuesday off.
  v1::AddTimeOffRequest off;
  off.set_technician_id("tech-bob");
  *off.mutable_first_day() = Date(monday + 1);
  *off.mutable_last_day() = Date(monday + 1);
  off.set_reason("training");
  v1::TechnicianReply with_off;
  ASSERT_TRUE(IsOk(env_.technicians().AddTimeOff(env_.Dispatcher().get(), off, &with_off)));
  EXPECT_EQ(slots(with_off.result().position()),
            (std::vector<std::string>{"tech-ann Mon 06:00-10:00", "tech-bob Mon 06:00-22:00",
                                      "tech-ann Mon 12:00-22:00", "tech-ann Tue 06:00-22:00"}));

  // Ann is deactivated.
  v1::SetTechnicianActiveRequest deactivate;
  deactivate.set_technician_id("tech-ann");
  deactivate.set_active(false);
  deactivate.set_reason("on leave");
  v1::TechnicianReply deactivated;
  ASSERT_TRUE(IsOk(
      env_.technicians().SetTechnicianActive(env_.Dispatcher().get(), deactivate, &deactivated)));
  EXPECT_EQ(slots(deactivated.result().position()),
            (std::vector<std::string>{"tech-bob Mon 06:00-22:00"}));
  auto without_ann = suggestions(deactivated.result().position());
  EXPECT_FALSE(without_ann.contains("tech-ann"));
  EXPECT_TRUE(without_ann.contains("tech-bob"));
  EXPECT_THAT(board(deactivated.result().position()), ::testing::Not(HasSubstr("tech-ann")));

  // Back, then her visit cancelled: free again (her calendar day row is gone).
  deactivate.set_active(true);
  deactivate.clear_reason();
  v1::TechnicianReply reactivated;
  ASSERT_TRUE(IsOk(
      env_.technicians().SetTechnicianActive(env_.Dispatcher().get(), deactivate, &reactivated)));
  EXPECT_EQ(slots(reactivated.result().position()),
            (std::vector<std::string>{"tech-ann Mon 06:00-10:00", "tech-bob Mon 06:00-22:00",
                                      "tech-ann Mon 12:00-22:00", "tech-ann Tue 06:00-22:00"}));
  v1::CancelAppointmentRequest cancel;
  cancel.set_job_id(job_id);
  cancel.set_appointment_id(appointment_id);
  cancel.set_reason("not needed");
  v1::ScheduleReply cancelled;
  ASSERT_TRUE(IsOk(env_.dispatch().CancelAppointment(env_.Dispatcher().get(), cancel, &cancelled)));
  EXPECT_EQ(slots(cancelled.result().position()),
            (std::vector<std::string>{"tech-ann Mon 06:00-22:00", "tech-bob Mon 06:00-22:00",
                                      "tech-ann Tue 06:00-22:00"}));
  EXPECT_TRUE(suggestions(cancelled.result().position())["tech-ann"].available());
}

// ---------------------------------------------------------------- 5. restart and rebuild

// Every answer the tests compare across a rebuild, by name.
using Answers = std::map<std::string, std::string>;

TEST_F(SchedulingRecordsTest, TheProjectionEqualsACleanRebuildAndAnswersTheSameAfterOne) {
  env_.RegisterTechnician("tech-ann", "Ann", {"hvac"});
  env_.RegisterTechnician("tech-bob", "Bob", {"plumbing"});
  env_.RegisterTechnician("tech-cat", "Cat");
  v1::CreateCrewRequest crew;
  crew.set_name("Install crew");
  crew.add_member_ids("tech-bob");
  crew.add_member_ids("tech-cat");
  v1::CrewReply created_crew;
  ASSERT_TRUE(IsOk(env_.technicians().CreateCrew(env_.Dispatcher().get(), crew, &created_crew)));
  v1::AddTimeOffRequest off;
  off.set_technician_id("tech-ann");
  *off.mutable_first_day() = Date(absl::CivilDay(2030, 3, 6));
  *off.mutable_last_day() = off.first_day();
  off.set_reason("training");
  v1::TechnicianReply with_off;
  ASSERT_TRUE(IsOk(env_.technicians().AddTimeOff(env_.Dispatcher().get(), off, &with_off)));

  std::vector<std::string> jobs;
  for (const char* title : {"Reassigned", "Rescheduled", "Crew job", "Unassigned", "Cancelled"}) {
    jobs.push_back(env_.CreateJob(title));
  }
  v1::ScheduleReply reply;
  ASSERT_TRUE(IsOk(env_.Schedule(jobs[0], Utc(Day(9)), 2, {"tech-ann"}, &reply)));
  const std::string reassigned = reply.appointment().appointment_id();
  v1::ReassignAppointmentRequest reassign;
  reassign.set_job_id(jobs[0]);
  reassign.set_appointment_id(reassigned);
  reassign.add_technician_ids("tech-bob");
  reassign.set_reason("Ann is needed elsewhere");
  ASSERT_TRUE(IsOk(env_.dispatch().ReassignAppointment(env_.Dispatcher().get(), reassign, &reply)));

  ASSERT_TRUE(IsOk(env_.Schedule(jobs[1], Utc(Day(13)), 2, {"tech-ann"}, &reply)));
  v1::RescheduleAppointmentRequest move;
  move.set_job_id(jobs[1]);
  move.set_appointment_id(reply.appointment().appointment_id());
  *move.mutable_window()->mutable_start() = At(Day(10, 0, 1));
  *move.mutable_window()->mutable_end() = At(Day(12, 0, 1));
  move.set_reason("customer asked");
  ASSERT_TRUE(IsOk(env_.dispatch().RescheduleAppointment(env_.Dispatcher().get(), move, &reply)));

  v1::ScheduleAppointmentRequest crew_visit;
  crew_visit.set_job_id(jobs[2]);
  *crew_visit.mutable_window()->mutable_start() = At(Day(13));
  *crew_visit.mutable_window()->mutable_end() = At(Day(16));
  crew_visit.add_crew_ids(created_crew.crew().crew_id());
  ASSERT_TRUE(
      IsOk(env_.dispatch().ScheduleAppointment(env_.Dispatcher().get(), crew_visit, &reply)));

  ASSERT_TRUE(IsOk(env_.Schedule(jobs[3], Utc(Day(8)), 3, {}, &reply)));

  ASSERT_TRUE(IsOk(env_.Schedule(jobs[4], Utc(Day(17)), 1, {"tech-ann"}, &reply)));
  v1::CancelAppointmentRequest cancel;
  cancel.set_job_id(jobs[4]);
  cancel.set_appointment_id(reply.appointment().appointment_id());
  cancel.set_reason("not needed");
  ASSERT_TRUE(IsOk(env_.dispatch().CancelAppointment(env_.Dispatcher().get(), cancel, &reply)));

  // Bob works the reassigned visit; the job service moves the job along.
  v1::ChangeDispatchStateRequest step;
  step.set_job_id(jobs[0]);
  step.set_appointment_id(reassigned);
  for (v1::DispatchState state :
       {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED, v1::DISPATCH_STATE_WORKING}) {
    step.set_state(state);
    ASSERT_TRUE(IsOk(env_.dispatch().ChangeDispatchState(Tech("tech-bob").get(), step, &reply)));
  }
  ASSERT_TRUE(WaitUntil([&] { return env_.JobStatus(jobs[0]) == job::v1::JOB_STATUS_IN_PROGRESS; },
                        absl::Seconds(20)));

  const absl::CivilDay monday(2030, 3, 4);
  auto read_answers = [&] {
    SchedulingCaughtUp(eventlog::kSchedulingTopic);
    Answers answers;
    auto keep = [&](const std::string& name, const grpc::Status& status,
                    const google::protobuf::Message& message) {
      EXPECT_TRUE(IsOk(status)) << name;
      answers[name] = Describe(message);
    };
    v1::GetBoardRequest board_request;
    *board_request.mutable_first_day() = Date(monday);
    *board_request.mutable_last_day() = Date(monday + 3);
    v1::GetBoardResponse board;
    keep("board", env_.dispatch().GetBoard(env_.Dispatcher().get(), board_request, &board), board);
    for (const std::string id : {"tech-ann", "tech-bob", "tech-cat"}) {
      v1::AppointmentsResponse visits;
      keep(absl::StrCat("schedule of ", id),
           TechnicianSchedule(env_.Dispatcher(), id, monday, 7, {}, &visits), visits);
      v1::GetTechnicianRequest get;
      get.set_technician_id(id);
      v1::Technician technician;
      keep(absl::StrCat("technician ", id),
           env_.technicians().GetTechnician(env_.Dispatcher().get(), get, &technician), technician);
    }
    for (const std::string& job_id : jobs) {
      v1::JobSchedule schedule;
      keep(absl::StrCat("job ", job_id), ScheduleOf(env_.Dispatcher(), job_id, {}, &schedule),
           schedule);
    }
    for (int day = 0; day < 3; ++day) {
      v1::ListUnassignedRequest request;
      *request.mutable_date() = Date(monday + day);
      v1::AppointmentsResponse unassigned;
      keep(absl::StrCat("unassigned ", day),
           env_.dispatch().ListUnassigned(env_.Dispatcher().get(), request, &unassigned),
           unassigned);
    }
    v1::ListCrewsResponse crews;
    keep("crews", env_.technicians().ListCrews(env_.Dispatcher().get(), {}, &crews), crews);
    return answers;
  };
  const Answers before = read_answers();
  // Not a comparison of empty answers.
  EXPECT_THAT(before.at("board"), HasSubstr(reassigned));
  EXPECT_THAT(before.at("board"), HasSubstr("DISPATCH_STATE_WORKING"));
  EXPECT_THAT(before.at("schedule of tech-cat"), HasSubstr(jobs[2]));
  EXPECT_THAT(before.at("unassigned 0"), HasSubstr(jobs[3]));
  EXPECT_THAT(before.at("technician tech-ann"), HasSubstr("training"));
  EXPECT_THAT(before.at(absl::StrCat("job ", jobs[4])), HasSubstr("APPOINTMENT_STATUS_CANCELLED"));

  // The live projection equals a clean rebuild, as `jl projections verify` sees it.
  env_.Stop();
  auto child = jobledger::testing::ChildProcess::Spawn(
      {JL_CLI_PATH, "projections", "verify", "scheduling", "--data-dir", env_.data_dir()});
  ASSERT_TRUE(child.ok()) << child.status();
  std::string output;
  while (auto line = (*child)->ReadLine(absl::Seconds(60))) output += *line + "\n";
  EXPECT_EQ((*child)->Wait(), 0) << output;
  EXPECT_THAT(output, HasSubstr("OK: the live state equals a clean rebuild"));

  // Without its projection the service rebuilds it from the logs and answers the same.
  std::error_code error;
  ASSERT_GT(std::filesystem::remove_all(env_.projections_dir(), error), 0u) << error.message();
  env_.Start();
  const Answers after = read_answers();
  for (const auto& [name, answer] : before) {
    EXPECT_EQ(after.at(name), answer) << name;
  }
}

}  // namespace
}  // namespace jobledger::scheduling::testing
