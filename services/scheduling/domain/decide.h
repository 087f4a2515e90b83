// Decide: a scheduling command against its aggregate's current state gives the events to append,
// or the error that refuses it. Pure: ids, times and what the calendars say come in as arguments.
// No events (an empty vector) means the command changes nothing.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/calendar.h"
#include "domain/schedule_events.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/scheduling/v1/rows.pb.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"

namespace jobledger::scheduling {

using aggregate::Head;

// ---- appointments (aggregate job_schedule)

// A visit as the command layer resolved it: ids given, crews expanded to their members, the
// local date of the window's start computed, the duration defaulted.
struct VisitPlan {
  std::string appointment_id;
  v1::ArrivalWindow window;
  common::v1::LocalDate date;
  int64_t duration_minutes = 0;
  std::vector<std::string> technician_ids;   // sorted
  std::vector<std::string> crew_ids;         // sorted
  std::vector<std::string> crew_member_ids;  // sorted
  bool allow_overlap = false;
  std::string notes;
};

// FAILED_PRECONDITION listing every conflict, unless allow_overlap (an inactive technician is
// refused even then); OK when there are none.
absl::Status RefuseConflicts(const std::vector<Conflict>& conflicts, bool allow_overlap);

// The appointment, if it exists and is not cancelled: NOT_FOUND / FAILED_PRECONDITION otherwise.
absl::StatusOr<const v1::Appointment*> OpenAppointment(const v1::JobSchedule& schedule,
                                                       absl::string_view appointment_id);

absl::StatusOr<std::vector<ScheduleEvent>> DecideSchedule(const v1::JobSchedule& schedule,
                                                          const std::string& job_id,
                                                          const VisitPlan& plan,
                                                          const std::vector<Conflict>& conflicts);
// `plan` carries the new window, date and duration (its people are the appointment's own).
absl::StatusOr<std::vector<ScheduleEvent>> DecideReschedule(const v1::JobSchedule& schedule,
                                                            const VisitPlan& plan,
                                                            const std::string& reason,
                                                            const std::vector<Conflict>& conflicts);
// `plan` carries the new people (its window is the appointment's own).
absl::StatusOr<std::vector<ScheduleEvent>> DecideReassign(const v1::JobSchedule& schedule,
                                                          const VisitPlan& plan,
                                                          const std::string& reason,
                                                          const std::vector<Conflict>& conflicts);
absl::StatusOr<std::vector<ScheduleEvent>> DecideCancel(const v1::JobSchedule& schedule,
                                                        const std::string& appointment_id,
                                                        const std::string& reason);

// Whether a technician may move from one dispatch state to another: forward along scheduled →
// en route → arrived → working → departed → completed (steps may be skipped), working ⇄ paused,
// paused → departed / completed.
bool DispatchMoveAllowed(v1::DispatchState from, v1::DispatchState to);
// The technician's current state on the visit (SCHEDULED before any step).
v1::DispatchState DispatchStateOf(const v1::Appointment& appointment,
                                  absl::string_view technician_id);
absl::StatusOr<std::vector<ScheduleEvent>> DecideDispatch(const v1::JobSchedule& schedule,
                                                          const std::string& appointment_id,
                                                          const std::string& technician_id,
                                                          v1::DispatchState state,
                                                          const google::protobuf::Timestamp& at);

// ---- technicians

// Skills with lower-case names, sorted by name.
google::protobuf::RepeatedPtrField<v1::Skill> NormalizeSkills(
    const google::protobuf::RepeatedPtrField<v1::Skill>& skills);

absl::StatusOr<std::vector<TechnicianEvent>> DecideRegisterTechnician(
    const Head& head, const std::string& technician_id,
    const v1::RegisterTechnicianRequest& request);
absl::StatusOr<std::vector<TechnicianEvent>> DecideUpdateTechnician(
    const v1::Technician& technician, const Head& head, const v1::UpdateTechnicianRequest& request);
absl::StatusOr<std::vector<TechnicianEvent>> DecideSetActive(const v1::Technician& technician,
                                                             const Head& head, bool active,
                                                             const std::string& reason);
absl::StatusOr<std::vector<TechnicianEvent>> DecideSetShifts(
    const v1::Technician& technician, const Head& head,
    const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts);
// `time_off` is complete: id, start and end resolved.
absl::StatusOr<std::vector<TechnicianEvent>> DecideAddTimeOff(const v1::Technician& technician,
                                                              const Head& head,
                                                              const v1::TimeOff& time_off);
absl::StatusOr<std::vector<TechnicianEvent>> DecideRemoveTimeOff(const v1::Technician& technician,
                                                                 const Head& head,
                                                                 const std::string& time_off_id);

// ---- crews and zones

absl::StatusOr<std::vector<CrewEvent>> DecideCreateCrew(const Head& head,
                                                        const std::string& crew_id,
                                                        const std::string& name,
                                                        std::vector<std::string> member_ids);
absl::StatusOr<std::vector<CrewEvent>> DecideRenameCrew(const v1::Crew& crew, const Head& head,
                                                        const std::string& name);
absl::StatusOr<std::vector<CrewEvent>> DecideCrewMember(const v1::Crew& crew, const Head& head,
                                                        const std::string& technician_id, bool add);
absl::StatusOr<std::vector<ZoneEvent>> DecideSaveZone(const v1::ServiceZone& zone,
                                                      const std::string& zone_id,
                                                      const std::string& name,
                                                      std::vector<std::string> postal_codes);

// ---- agreements and location tracks

absl::StatusOr<std::vector<AgreementEvent>> DecideCreateAgreement(const Head& head,
                                                                  v1::Agreement agreement);
absl::StatusOr<std::vector<AgreementEvent>> DecideRecordVisit(const v1::Agreement& agreement,
                                                              const Head& head,
                                                              const v1::AgreementVisit& visit);
absl::StatusOr<std::vector<AgreementEvent>> DecideEndAgreement(const v1::Agreement& agreement,
                                                               const Head& head,
                                                               const std::string& reason);
absl::StatusOr<std::vector<TrackEvent>> DecideRecordLocations(
    const std::string& technician_id,
    const google::protobuf::RepeatedPtrField<v1::LocationPing>& pings);

}  // namespace jobledger::scheduling
