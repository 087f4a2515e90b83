// Fuzzes the scheduling service's command validation and decisions (appointments, bulk reassigns
// and reschedules, dispatch, technicians, crews, zones, agreements, locations) with serialized
// requests: see command_fuzz.h.
// The states are made by the domain itself (Decide, then Evolve), so they are ones the service
// can reach.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "command_fuzz.h"
#include "domain/bulk_items.h"
#include "domain/calendar.h"
#include "domain/decide.h"
#include "domain/evolve.h"
#include "domain/validate.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::scheduling {
namespace {

using fuzz::Accepted;
using fuzz::CheckDecision;
using fuzz::CommandTable;
using fuzz::Made;
using fuzz::Now;

constexpr char kJobId[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr char kAppointmentId[] = "0190a1b2-c3d4-7e5f-8a9b-000000000110";
constexpr char kTechnicianId[] = "u-tech";
const aggregate::Head kNew{};
const aggregate::Head kExisting{1, "hash"};

VisitPlan PlanAt(const v1::ArrivalWindow& window, int64_t duration_minutes) {
  VisitPlan plan;
  plan.appointment_id = kAppointmentId;
  plan.window = window;
  LocalDateToProto(LocalDay(TimeFromProto(window.start()), absl::UTCTimeZone()), &plan.date);
  plan.duration_minutes = duration_minutes;
  return plan;
}

// The job's schedule: appointment ap-1 for u-tech tomorrow 10:00-12:00, moved along the dispatch
// states `state % 4` steps.
v1::JobSchedule ScheduleInState(int state) {
  v1::ArrivalWindow window;
  *window.mutable_start() = ProtoFromTime(Now() + absl::Hours(19));
  *window.mutable_end() = ProtoFromTime(Now() + absl::Hours(21));
  VisitPlan plan = PlanAt(window, 90);
  plan.technician_ids = {kTechnicianId};
  v1::JobSchedule schedule =
      Made(v1::JobSchedule(), DecideSchedule(v1::JobSchedule(), kJobId, plan, {}), EvolveSchedule);
  const v1::DispatchState steps[] = {v1::DISPATCH_STATE_EN_ROUTE, v1::DISPATCH_STATE_ARRIVED,
                                     v1::DISPATCH_STATE_WORKING};
  for (int i = 0; i < state % 4; ++i) {
    schedule = Made(
        schedule,
        DecideDispatch(schedule, kAppointmentId, kTechnicianId, steps[i], ProtoFromTime(Now())),
        EvolveSchedule);
  }
  return schedule;
}

void CheckSchedule(const absl::StatusOr<std::vector<ScheduleEvent>>& decided,
                   const v1::JobSchedule& schedule) {
  CheckDecision(decided, schedule, kExisting, EvolveSchedule);
}

v1::Technician ExistingTechnician() {
  v1::RegisterTechnicianRequest request;
  request.set_name("Tess Tech");
  v1::Technician technician = Made(
      v1::Technician(), DecideRegisterTechnician(kNew, kTechnicianId, request), EvolveTechnician);
  v1::TimeOff time_off;
  time_off.set_time_off_id("0190a1b2-c3d4-7e5f-8a9b-000000000112");
  *time_off.mutable_start() = ProtoFromTime(Now() + absl::Hours(48));
  *time_off.mutable_end() = ProtoFromTime(Now() + absl::Hours(56));
  return Made(technician, DecideAddTimeOff(technician, kExisting, time_off), EvolveTechnician);
}

v1::Crew ExistingCrew() {
  return Made(
      v1::Crew(),
      DecideCreateCrew(kNew, "0190a1b2-c3d4-7e5f-8a9b-000000000114", "North", {kTechnicianId}),
      EvolveCrew);
}

v1::Agreement ExistingAgreement() {
  v1::CreateAgreementRequest request;
  v1::Agreement agreement = request.agreement();
  agreement.set_agreement_id("0190a1b2-c3d4-7e5f-8a9b-000000000116");
  agreement.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  agreement.set_title("Boiler service");
  return Made(v1::Agreement(), DecideCreateAgreement(kNew, agreement), EvolveAgreement);
}

std::vector<std::string> Sorted(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<std::string> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

// Reschedules and reassigns are also what the bulk commands run, one per appointment.
void CheckReschedule(int state, const v1::RescheduleAppointmentRequest& r) {
  if (!Accepted(ValidateReschedule(r))) return;
  const v1::JobSchedule schedule = ScheduleInState(state);
  VisitPlan plan = PlanAt(r.window(), r.duration_minutes() > 0 ? r.duration_minutes() : 90);
  plan.appointment_id = r.appointment_id();
  plan.allow_overlap = r.allow_overlap();
  CheckSchedule(DecideReschedule(schedule, plan, r.reason(), {}), schedule);
}

void CheckReassign(int state, const v1::ReassignAppointmentRequest& r) {
  if (!Accepted(ValidateReassign(r))) return;
  const v1::JobSchedule schedule = ScheduleInState(state);
  VisitPlan plan = PlanAt(schedule.appointments(0).window(), 90);
  plan.appointment_id = r.appointment_id();
  plan.technician_ids = Sorted(r.technician_ids());
  plan.allow_overlap = r.allow_overlap();
  CheckSchedule(DecideReassign(schedule, plan, r.reason(), {}), schedule);
}

CommandTable Commands() {
  CommandTable table;
  table.On<v1::ScheduleAppointmentRequest>([](int, const v1::ScheduleAppointmentRequest& r) {
    if (!Accepted(ValidateSchedule(r))) return;
    const absl::Time start = TimeFromProto(r.window().start());
    const absl::Time end = TimeFromProto(r.window().end());
    VisitPlan plan =
        PlanAt(r.window(), r.duration_minutes() > 0
                               ? r.duration_minutes()
                               : absl::ToInt64Minutes(absl::Ceil(end - start, absl::Minutes(1))));
    plan.appointment_id = "0190a1b2-c3d4-7e5f-8a9b-000000000111";
    plan.technician_ids = Sorted(r.technician_ids());
    plan.allow_overlap = r.allow_overlap();
    plan.notes = r.notes();
    (void)OccupiedRange(start, end, absl::Minutes(plan.duration_minutes));
    CheckDecision(DecideSchedule(v1::JobSchedule(), r.job_id(), plan, {}), v1::JobSchedule(), kNew,
                  EvolveSchedule);
  });
  table.On<v1::RescheduleAppointmentRequest>(CheckReschedule);
  table.On<v1::ReassignAppointmentRequest>(CheckReassign);
  table.On<v1::CancelAppointmentRequest>([](int state, const v1::CancelAppointmentRequest& r) {
    if (!Accepted(ValidateCancel(r))) return;
    const v1::JobSchedule schedule = ScheduleInState(state);
    CheckSchedule(DecideCancel(schedule, r.appointment_id(), r.reason()), schedule);
  });
  table.On<v1::ChangeDispatchStateRequest>([](int state, const v1::ChangeDispatchStateRequest& r) {
    if (!Accepted(ValidateChangeDispatchState(r))) return;
    const v1::JobSchedule schedule = ScheduleInState(state);
    const std::string technician = r.technician_id().empty() ? kTechnicianId : r.technician_id();
    CheckSchedule(
        DecideDispatch(schedule, r.appointment_id(), technician, r.state(), ProtoFromTime(Now())),
        schedule);
  });
  table.On<v1::RegisterTechnicianRequest>([](int, const v1::RegisterTechnicianRequest& r) {
    if (!Accepted(ValidateRegisterTechnician(r))) return;
    const std::string id = r.technician_id().empty() ? "u-new" : r.technician_id();
    CheckDecision(DecideRegisterTechnician(kNew, id, r), v1::Technician(), kNew, EvolveTechnician);
  });
  table.On<v1::UpdateTechnicianRequest>([](int, const v1::UpdateTechnicianRequest& r) {
    if (!Accepted(ValidateUpdateTechnician(r))) return;
    const v1::Technician technician = ExistingTechnician();
    CheckDecision(DecideUpdateTechnician(technician, kExisting, r), technician, kExisting,
                  EvolveTechnician);
  });
  table.On<v1::SetTechnicianActiveRequest>([](int, const v1::SetTechnicianActiveRequest& r) {
    if (!Accepted(ValidateSetTechnicianActive(r))) return;
    const v1::Technician technician = ExistingTechnician();
    CheckDecision(DecideSetActive(technician, kExisting, r.active(), r.reason()), technician,
                  kExisting, EvolveTechnician);
  });
  table.On<v1::SetShiftsRequest>([](int, const v1::SetShiftsRequest& r) {
    if (!Accepted(ValidateSetShifts(r))) return;
    const v1::Technician technician = ExistingTechnician();
    CheckDecision(DecideSetShifts(technician, kExisting, r.shifts()), technician, kExisting,
                  EvolveTechnician);
  });
  table.On<v1::AddTimeOffRequest>([](int, const v1::AddTimeOffRequest& r) {
    if (!Accepted(ValidateAddTimeOff(r))) return;
    v1::TimeOff time_off;
    time_off.set_time_off_id("0190a1b2-c3d4-7e5f-8a9b-000000000113");
    time_off.set_reason(r.reason());
    if (r.has_start()) {
      *time_off.mutable_start() = r.start();
      *time_off.mutable_end() = r.end();
    } else {
      // What the handler does with the days: they must be valid once validated.
      const absl::StatusOr<absl::CivilDay> first = LocalDateFromProto(r.first_day());
      const absl::StatusOr<absl::CivilDay> last = LocalDateFromProto(r.last_day());
      JL_FUZZ_CHECK_OK(first.status());
      JL_FUZZ_CHECK_OK(last.status());
      *time_off.mutable_first_day() = r.first_day();
      *time_off.mutable_last_day() = r.last_day();
      *time_off.mutable_start() = ProtoFromTime(LocalDayRange(*first, absl::UTCTimeZone()).start);
      *time_off.mutable_end() = ProtoFromTime(LocalDayRange(*last, absl::UTCTimeZone()).end);
    }
    const v1::Technician technician = ExistingTechnician();
    CheckDecision(DecideAddTimeOff(technician, kExisting, time_off), technician, kExisting,
                  EvolveTechnician);
  });
  table.On<v1::RemoveTimeOffRequest>([](int, const v1::RemoveTimeOffRequest& r) {
    if (!Accepted(ValidateRemoveTimeOff(r))) return;
    const v1::Technician technician = ExistingTechnician();
    CheckDecision(DecideRemoveTimeOff(technician, kExisting, r.time_off_id()), technician,
                  kExisting, EvolveTechnician);
  });
  table.On<v1::CreateCrewRequest>([](int, const v1::CreateCrewRequest& r) {
    if (!Accepted(ValidateCreateCrew(r))) return;
    CheckDecision(DecideCreateCrew(kNew, "0190a1b2-c3d4-7e5f-8a9b-000000000115", r.name(),
                                   {r.member_ids().begin(), r.member_ids().end()}),
                  v1::Crew(), kNew, EvolveCrew);
  });
  table.On<v1::RenameCrewRequest>([](int, const v1::RenameCrewRequest& r) {
    if (!Accepted(ValidateRenameCrew(r))) return;
    const v1::Crew crew = ExistingCrew();
    CheckDecision(DecideRenameCrew(crew, kExisting, r.name()), crew, kExisting, EvolveCrew);
  });
  table.On<v1::CrewMemberRequest>([](int state, const v1::CrewMemberRequest& r) {
    if (!Accepted(ValidateCrewMember(r))) return;
    const v1::Crew crew = ExistingCrew();
    CheckDecision(DecideCrewMember(crew, kExisting, r.technician_id(), state % 2 == 0), crew,
                  kExisting, EvolveCrew);
  });
  table.On<v1::SaveServiceZoneRequest>([](int, const v1::SaveServiceZoneRequest& r) {
    if (!Accepted(ValidateSaveServiceZone(r))) return;
    CheckDecision(DecideSaveZone(v1::ServiceZone(), "0190a1b2-c3d4-7e5f-8a9b-000000000122",
                                 r.name(), {r.postal_codes().begin(), r.postal_codes().end()}),
                  v1::ServiceZone(), kNew, EvolveZone);
  });
  table.On<v1::RecordLocationsRequest>([](int, const v1::RecordLocationsRequest& r) {
    if (!Accepted(ValidateRecordLocations(r))) return;
    const std::string technician = r.technician_id().empty() ? kTechnicianId : r.technician_id();
    CheckDecision(DecideRecordLocations(technician, r.pings()), v1::TrackState(), kNew,
                  EvolveTrack);
  });
  table.On<v1::CreateAgreementRequest>([](int, const v1::CreateAgreementRequest& r) {
    if (!Accepted(ValidateCreateAgreement(r))) return;
    v1::Agreement agreement = r.agreement();
    agreement.set_agreement_id("0190a1b2-c3d4-7e5f-8a9b-000000000117");
    if (agreement.window_start_minute() == 0 && agreement.window_end_minute() == 0) {
      agreement.set_window_start_minute(8 * 60);
      agreement.set_window_end_minute(17 * 60);
    }
    CheckDecision(DecideCreateAgreement(kNew, agreement), v1::Agreement(), kNew, EvolveAgreement);
  });
  table.On<v1::EndAgreementRequest>([](int, const v1::EndAgreementRequest& r) {
    if (!Accepted(ValidateEndAgreement(r))) return;
    const v1::Agreement agreement = ExistingAgreement();
    CheckDecision(DecideEndAgreement(agreement, kExisting, r.reason()), agreement, kExisting,
                  EvolveAgreement);
  });
  // Added after the first 18: a seed's selector byte keeps its command.
  table.On<v1::BulkReassignRequest>([](int state, const v1::BulkReassignRequest& r) {
    if (!Accepted(ValidateBulkReassign(r))) return;
    // What the handler does with the days: they must be valid once validated.
    JL_FUZZ_CHECK_OK(LocalDateFromProto(r.first_day()).status());
    JL_FUZZ_CHECK_OK(LocalDateFromProto(r.last_day()).status());
    // The schedule's appointment as one of from_technician_id's bookings in the range.
    const v1::Appointment current = ScheduleInState(state).appointments(0);
    const absl::StatusOr<v1::ReassignAppointmentRequest> item =
        BulkReassignItem(r, kJobId, current);
    if (!item.ok()) return;  // on it through a crew: FAILED_PRECONDITION
    JL_FUZZ_CHECK_OK(ValidateReassign(*item));
    CheckReassign(state, *item);
  });
  table.On<v1::BulkRescheduleRequest>([](int state, const v1::BulkRescheduleRequest& r) {
    if (!Accepted(ValidateBulkReschedule(r))) return;
    JL_FUZZ_CHECK_OK(LocalDateFromProto(r.day()).status());
    // The schedule's appointment as one of the day's.
    const v1::Appointment current = ScheduleInState(state).appointments(0);
    if (!r.technician_id().empty()) {
      const std::vector<std::string> people = PeopleOf(current);
      if (!std::binary_search(people.begin(), people.end(), r.technician_id())) return;
    }
    const v1::RescheduleAppointmentRequest item =
        BulkRescheduleItem(r, kJobId, current, absl::UTCTimeZone());
    JL_FUZZ_CHECK_OK(ValidateReschedule(item));
    CheckReschedule(state, item);
  });
  return table;
}

}  // namespace
}  // namespace jobledger::scheduling

JL_FUZZ_COMMAND_TARGET(jobledger::scheduling::Commands)
