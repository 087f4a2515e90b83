// Decide for the scheduling aggregates.
#include "domain/decide.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/evolve.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/aggregate/repeated.h"

namespace jobledger::scheduling {
namespace {

using google::protobuf::util::MessageDifferencer;

template <typename Repeated>
std::vector<std::string> Sorted(const Repeated& values) {
  std::vector<std::string> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

template <typename Repeated>
void Assign(Repeated* field, const std::vector<std::string>& values) {
  field->Assign(values.begin(), values.end());
}

// A missing aggregate's state is empty, its id too: the message then names only the kind.
absl::Status NotFound(absl::string_view kind, absl::string_view id) {
  if (id.empty()) return absl::NotFoundError(absl::StrCat(kind, " not found"));
  return absl::NotFoundError(absl::StrCat(kind, " ", id, " not found"));
}

absl::Status NoTechnician(const Head& head, absl::string_view technician_id) {
  if (head.version != 0) return absl::OkStatus();
  return NotFound("technician", technician_id);
}

// By weekday, then start: one order for equal patterns, so that an unchanged one is a no-op.
google::protobuf::RepeatedPtrField<v1::ShiftPeriod> SortedShifts(
    const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts) {
  google::protobuf::RepeatedPtrField<v1::ShiftPeriod> sorted = shifts;
  std::sort(sorted.begin(), sorted.end(), [](const v1::ShiftPeriod& a, const v1::ShiftPeriod& b) {
    return std::pair(a.weekday(), a.start_minute()) < std::pair(b.weekday(), b.start_minute());
  });
  return sorted;
}

// Who is on the visit is settled once anyone has started on it.
absl::Status CheckNotUnderWay(const v1::Appointment& appointment, absl::string_view change) {
  for (const v1::TechnicianDispatch& dispatch : appointment.dispatch()) {
    if (dispatch.state() >= v1::DISPATCH_STATE_ARRIVED) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot ", change, " appointment ", appointment.appointment_id(),
                       ": technician ", dispatch.technician_id(), " has arrived already"));
    }
  }
  return absl::OkStatus();
}

int DispatchRank(v1::DispatchState state) {
  switch (state) {
    case v1::DISPATCH_STATE_SCHEDULED:
      return 1;
    case v1::DISPATCH_STATE_EN_ROUTE:
      return 2;
    case v1::DISPATCH_STATE_ARRIVED:
      return 3;
    case v1::DISPATCH_STATE_WORKING:
      return 4;
    case v1::DISPATCH_STATE_PAUSED:
      return 4;
    case v1::DISPATCH_STATE_DEPARTED:
      return 5;
    case v1::DISPATCH_STATE_COMPLETED:
      return 6;
    default:
      return 0;
  }
}

}  // namespace

absl::Status RefuseConflicts(const std::vector<Conflict>& conflicts, bool allow_overlap) {
  std::vector<std::string> refusals;
  for (const Conflict& conflict : conflicts) {
    if (allow_overlap && conflict.kind != Conflict::Kind::kInactive) continue;
    refusals.push_back(conflict.message);
  }
  if (refusals.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrJoin(refusals, "; "));
}

absl::StatusOr<const v1::Appointment*> OpenAppointment(const v1::JobSchedule& schedule,
                                                       absl::string_view appointment_id) {
  const v1::Appointment* appointment = FindAppointment(schedule, appointment_id);
  if (appointment == nullptr) {
    return absl::NotFoundError(absl::StrCat("appointment ", appointment_id, " not found"));
  }
  if (appointment->status() == v1::APPOINTMENT_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat("appointment ", appointment_id, " is cancelled"));
  }
  return appointment;
}

absl::StatusOr<std::vector<ScheduleEvent>> DecideSchedule(const v1::JobSchedule& schedule,
                                                          const std::string& job_id,
                                                          const VisitPlan& plan,
                                                          const std::vector<Conflict>& conflicts) {
  if (FindAppointment(schedule, plan.appointment_id) != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("appointment ", plan.appointment_id, " exists already"));
  }
  if (absl::Status s = RefuseConflicts(conflicts, plan.allow_overlap); !s.ok()) return s;
  v1::AppointmentScheduled e;
  e.set_appointment_id(plan.appointment_id);
  e.set_job_id(job_id);
  *e.mutable_date() = plan.date;
  *e.mutable_window() = plan.window;
  e.set_duration_minutes(plan.duration_minutes);
  Assign(e.mutable_technician_ids(), plan.technician_ids);
  Assign(e.mutable_crew_ids(), plan.crew_ids);
  Assign(e.mutable_crew_member_ids(), plan.crew_member_ids);
  e.set_allow_overlap(plan.allow_overlap && !conflicts.empty());
  e.set_notes(plan.notes);
  return std::vector<ScheduleEvent>{std::move(e)};
}

absl::StatusOr<std::vector<ScheduleEvent>> DecideReschedule(
    const v1::JobSchedule& schedule, const VisitPlan& plan, const std::string& reason,
    const std::vector<Conflict>& conflicts) {
  auto appointment = OpenAppointment(schedule, plan.appointment_id);
  if (!appointment.ok()) return appointment.status();
  const v1::Appointment& a = **appointment;
  if (MessageDifferencer::Equals(a.window(), plan.window) &&
      a.duration_minutes() == plan.duration_minutes) {
    return std::vector<ScheduleEvent>{};
  }
  if (absl::Status s = CheckNotUnderWay(a, "reschedule"); !s.ok()) return s;
  if (absl::Status s = RefuseConflicts(conflicts, plan.allow_overlap); !s.ok()) return s;
  v1::AppointmentRescheduled e;
  e.set_appointment_id(a.appointment_id());
  e.set_job_id(a.job_id());
  *e.mutable_date() = plan.date;
  *e.mutable_window() = plan.window;
  e.set_duration_minutes(plan.duration_minutes);
  e.set_reason(reason);
  *e.mutable_previous_date() = a.date();
  *e.mutable_previous_window() = a.window();
  e.set_previous_duration_minutes(a.duration_minutes());
  e.set_allow_overlap(plan.allow_overlap && !conflicts.empty());
  return std::vector<ScheduleEvent>{std::move(e)};
}

absl::StatusOr<std::vector<ScheduleEvent>> DecideReassign(const v1::JobSchedule& schedule,
                                                          const VisitPlan& plan,
                                                          const std::string& reason,
                                                          const std::vector<Conflict>& conflicts) {
  auto appointment = OpenAppointment(schedule, plan.appointment_id);
  if (!appointment.ok()) return appointment.status();
  const v1::Appointment& a = **appointment;
  if (Sorted(a.technician_ids()) == plan.technician_ids && Sorted(a.crew_ids()) == plan.crew_ids &&
      Sorted(a.crew_member_ids()) == plan.crew_member_ids) {
    return std::vector<ScheduleEvent>{};
  }
  if (absl::Status s = CheckNotUnderWay(a, "reassign"); !s.ok()) return s;
  if (absl::Status s = RefuseConflicts(conflicts, plan.allow_overlap); !s.ok()) return s;
  v1::AppointmentReassigned e;
  e.set_appointment_id(a.appointment_id());
  e.set_job_id(a.job_id());
  Assign(e.mutable_technician_ids(), plan.technician_ids);
  Assign(e.mutable_crew_ids(), plan.crew_ids);
  Assign(e.mutable_crew_member_ids(), plan.crew_member_ids);
  *e.mutable_previous_technician_ids() = a.technician_ids();
  *e.mutable_previous_crew_ids() = a.crew_ids();
  *e.mutable_previous_crew_member_ids() = a.crew_member_ids();
  e.set_reason(reason);
  e.set_allow_overlap(plan.allow_overlap && !conflicts.empty());
  return std::vector<ScheduleEvent>{std::move(e)};
}

absl::StatusOr<std::vector<ScheduleEvent>> DecideCancel(const v1::JobSchedule& schedule,
                                                        const std::string& appointment_id,
                                                        const std::string& reason) {
  auto appointment = OpenAppointment(schedule, appointment_id);
  if (!appointment.ok()) return appointment.status();
  v1::AppointmentCancelled e;
  e.set_appointment_id(appointment_id);
  e.set_job_id((*appointment)->job_id());
  e.set_reason(reason);
  return std::vector<ScheduleEvent>{std::move(e)};
}

bool DispatchMoveAllowed(v1::DispatchState from, v1::DispatchState to) {
  if (from == v1::DISPATCH_STATE_PAUSED) {
    return to == v1::DISPATCH_STATE_WORKING || to == v1::DISPATCH_STATE_DEPARTED ||
           to == v1::DISPATCH_STATE_COMPLETED;
  }
  if (to == v1::DISPATCH_STATE_PAUSED) return from == v1::DISPATCH_STATE_WORKING;
  return DispatchRank(to) > DispatchRank(from) && DispatchRank(from) > 0;
}

v1::DispatchState DispatchStateOf(const v1::Appointment& appointment,
                                  absl::string_view technician_id) {
  for (const v1::TechnicianDispatch& dispatch : appointment.dispatch()) {
    if (dispatch.technician_id() == technician_id) return dispatch.state();
  }
  return v1::DISPATCH_STATE_SCHEDULED;
}

absl::StatusOr<std::vector<ScheduleEvent>> DecideDispatch(const v1::JobSchedule& schedule,
                                                          const std::string& appointment_id,
                                                          const std::string& technician_id,
                                                          v1::DispatchState state,
                                                          const google::protobuf::Timestamp& at) {
  auto appointment = OpenAppointment(schedule, appointment_id);
  if (!appointment.ok()) return appointment.status();
  const v1::Appointment& a = **appointment;
  const std::vector<std::string> people = PeopleOf(a);
  if (!std::binary_search(people.begin(), people.end(), technician_id)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "technician ", technician_id, " is not assigned to appointment ", appointment_id));
  }
  const v1::DispatchState from = DispatchStateOf(a, technician_id);
  if (from == state) return std::vector<ScheduleEvent>{};  // a repeated tap
  if (!DispatchMoveAllowed(from, state)) {
    return absl::FailedPreconditionError(
        absl::StrCat("technician ", technician_id, " cannot go from ", v1::DispatchState_Name(from),
                     " to ", v1::DispatchState_Name(state)));
  }
  v1::DispatchStateChanged e;
  e.set_appointment_id(appointment_id);
  e.set_job_id(a.job_id());
  e.set_technician_id(technician_id);
  e.set_state(state);
  e.set_previous_state(from);
  *e.mutable_at() = at;
  return std::vector<ScheduleEvent>{std::move(e)};
}

google::protobuf::RepeatedPtrField<v1::Skill> NormalizeSkills(
    const google::protobuf::RepeatedPtrField<v1::Skill>& skills) {
  google::protobuf::RepeatedPtrField<v1::Skill> normalized = skills;
  for (v1::Skill& skill : normalized) {
    skill.set_name(absl::AsciiStrToLower(absl::StripAsciiWhitespace(skill.name())));
  }
  std::sort(normalized.begin(), normalized.end(),
            [](const v1::Skill& a, const v1::Skill& b) { return a.name() < b.name(); });
  return normalized;
}

absl::StatusOr<std::vector<TechnicianEvent>> DecideRegisterTechnician(
    const Head& head, const std::string& technician_id,
    const v1::RegisterTechnicianRequest& request) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(absl::StrCat("technician ", technician_id, " exists already"));
  }
  v1::TechnicianRegistered registered;
  registered.set_technician_id(technician_id);
  registered.set_name(std::string(absl::StripAsciiWhitespace(request.name())));
  registered.set_phone(request.phone());
  registered.set_email(request.email());
  *registered.mutable_skills() = NormalizeSkills(request.skills());
  registered.set_home_zone_id(request.home_zone_id());
  std::vector<TechnicianEvent> events{std::move(registered)};
  if (!request.shifts().empty()) {
    v1::ShiftsSet shifts;
    shifts.set_technician_id(technician_id);
    *shifts.mutable_shifts() = SortedShifts(request.shifts());
    events.emplace_back(std::move(shifts));
  }
  return events;
}

absl::StatusOr<std::vector<TechnicianEvent>> DecideUpdateTechnician(
    const v1::Technician& technician, const Head& head,
    const v1::UpdateTechnicianRequest& request) {
  if (absl::Status s = NoTechnician(head, request.technician_id()); !s.ok()) return s;
  v1::TechnicianUpdated e;
  e.set_technician_id(technician.technician_id());
  e.set_name(technician.name());
  e.set_phone(technician.phone());
  e.set_email(technician.email());
  *e.mutable_skills() = technician.skills();
  e.set_home_zone_id(technician.home_zone_id());
  for (const std::string& field : request.update_fields()) {
    if (field == "name") e.set_name(std::string(absl::StripAsciiWhitespace(request.name())));
    if (field == "phone") e.set_phone(request.phone());
    if (field == "email") e.set_email(request.email());
    if (field == "skills") *e.mutable_skills() = NormalizeSkills(request.skills());
    if (field == "home_zone_id") e.set_home_zone_id(request.home_zone_id());
  }
  if (e.name() != technician.name()) e.add_changed_fields("name");
  if (e.phone() != technician.phone()) e.add_changed_fields("phone");
  if (e.email() != technician.email()) e.add_changed_fields("email");
  if (!std::equal(e.skills().begin(), e.skills().end(), technician.skills().begin(),
                  technician.skills().end(), [](const v1::Skill& a, const v1::Skill& b) {
                    return MessageDifferencer::Equals(a, b);
                  })) {
    e.add_changed_fields("skills");
  }
  if (e.home_zone_id() != technician.home_zone_id()) e.add_changed_fields("home_zone_id");
  if (e.changed_fields().empty()) return std::vector<TechnicianEvent>{};
  return std::vector<TechnicianEvent>{std::move(e)};
}

absl::StatusOr<std::vector<TechnicianEvent>> DecideSetActive(const v1::Technician& technician,
                                                             const Head& head, bool active,
                                                             const std::string& reason) {
  if (absl::Status s = NoTechnician(head, technician.technician_id()); !s.ok()) return s;
  if (technician.active() == active) return std::vector<TechnicianEvent>{};
  if (active) {
    v1::TechnicianActivated e;
    e.set_technician_id(technician.technician_id());
    return std::vector<TechnicianEvent>{std::move(e)};
  }
  v1::TechnicianDeactivated e;
  e.set_technician_id(technician.technician_id());
  e.set_reason(reason);
  return std::vector<TechnicianEvent>{std::move(e)};
}

absl::StatusOr<std::vector<TechnicianEvent>> DecideSetShifts(
    const v1::Technician& technician, const Head& head,
    const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts) {
  if (absl::Status s = NoTechnician(head, technician.technician_id()); !s.ok()) return s;
  google::protobuf::RepeatedPtrField<v1::ShiftPeriod> sorted = SortedShifts(shifts);
  const bool same =
      std::equal(sorted.begin(), sorted.end(), technician.shifts().begin(),
                 technician.shifts().end(), [](const v1::ShiftPeriod& a, const v1::ShiftPeriod& b) {
                   return MessageDifferencer::Equals(a, b);
                 });
  if (same) return std::vector<TechnicianEvent>{};
  v1::ShiftsSet e;
  e.set_technician_id(technician.technician_id());
  *e.mutable_shifts() = std::move(sorted);
  return std::vector<TechnicianEvent>{std::move(e)};
}

absl::StatusOr<std::vector<TechnicianEvent>> DecideAddTimeOff(const v1::Technician& technician,
                                                              const Head& head,
                                                              const v1::TimeOff& time_off) {
  if (absl::Status s = NoTechnician(head, technician.technician_id()); !s.ok()) return s;
  // Evolve refuses a second entry with the id: refuse it here rather than append it.
  for (const v1::TimeOff& known : technician.time_off()) {
    if (known.time_off_id() == time_off.time_off_id()) {
      return absl::AlreadyExistsError(
          absl::StrCat("time off ", time_off.time_off_id(), " exists already"));
    }
  }
  v1::TimeOffAdded e;
  e.set_technician_id(technician.technician_id());
  *e.mutable_time_off() = time_off;
  return std::vector<TechnicianEvent>{std::move(e)};
}

absl::StatusOr<std::vector<TechnicianEvent>> DecideRemoveTimeOff(const v1::Technician& technician,
                                                                 const Head& head,
                                                                 const std::string& time_off_id) {
  if (absl::Status s = NoTechnician(head, technician.technician_id()); !s.ok()) return s;
  const bool found =
      std::any_of(technician.time_off().begin(), technician.time_off().end(),
                  [&](const v1::TimeOff& t) { return t.time_off_id() == time_off_id; });
  if (!found) return absl::NotFoundError(absl::StrCat("time off ", time_off_id, " not found"));
  v1::TimeOffRemoved e;
  e.set_technician_id(technician.technician_id());
  e.set_time_off_id(time_off_id);
  return std::vector<TechnicianEvent>{std::move(e)};
}

absl::StatusOr<std::vector<CrewEvent>> DecideCreateCrew(const Head& head,
                                                        const std::string& crew_id,
                                                        const std::string& name,
                                                        std::vector<std::string> member_ids) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(absl::StrCat("crew ", crew_id, " exists already"));
  }
  v1::CrewCreated created;
  created.set_crew_id(crew_id);
  created.set_name(std::string(absl::StripAsciiWhitespace(name)));
  std::vector<CrewEvent> events{std::move(created)};
  std::sort(member_ids.begin(), member_ids.end());
  // A second add of a member would not apply.
  member_ids.erase(std::unique(member_ids.begin(), member_ids.end()), member_ids.end());
  for (std::string& member : member_ids) {
    v1::CrewMemberAdded added;
    added.set_crew_id(crew_id);
    added.set_technician_id(std::move(member));
    events.emplace_back(std::move(added));
  }
  return events;
}

absl::StatusOr<std::vector<CrewEvent>> DecideRenameCrew(const v1::Crew& crew, const Head& head,
                                                        const std::string& name) {
  if (head.version == 0) return NotFound("crew", crew.crew_id());
  const std::string trimmed(absl::StripAsciiWhitespace(name));
  if (trimmed == crew.name()) return std::vector<CrewEvent>{};
  v1::CrewRenamed e;
  e.set_crew_id(crew.crew_id());
  e.set_name(trimmed);
  return std::vector<CrewEvent>{std::move(e)};
}

absl::StatusOr<std::vector<CrewEvent>> DecideCrewMember(const v1::Crew& crew, const Head& head,
                                                        const std::string& technician_id,
                                                        bool add) {
  if (head.version == 0) return NotFound("crew", crew.crew_id());
  const bool member = std::find(crew.member_ids().begin(), crew.member_ids().end(),
                                technician_id) != crew.member_ids().end();
  if (member == add) return std::vector<CrewEvent>{};  // already so
  if (add) {
    v1::CrewMemberAdded e;
    e.set_crew_id(crew.crew_id());
    e.set_technician_id(technician_id);
    return std::vector<CrewEvent>{std::move(e)};
  }
  v1::CrewMemberRemoved e;
  e.set_crew_id(crew.crew_id());
  e.set_technician_id(technician_id);
  return std::vector<CrewEvent>{std::move(e)};
}

absl::StatusOr<std::vector<ZoneEvent>> DecideSaveZone(const v1::ServiceZone& zone,
                                                      const std::string& zone_id,
                                                      const std::string& name,
                                                      std::vector<std::string> postal_codes) {
  for (std::string& code : postal_codes) {
    code = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
  }
  std::sort(postal_codes.begin(), postal_codes.end());
  postal_codes.erase(std::unique(postal_codes.begin(), postal_codes.end()), postal_codes.end());
  const std::string trimmed(absl::StripAsciiWhitespace(name));
  if (zone.version() != 0 && zone.name() == trimmed &&
      Sorted(zone.postal_codes()) == postal_codes) {
    return std::vector<ZoneEvent>{};
  }
  v1::ServiceZoneSaved e;
  e.set_zone_id(zone_id);
  e.set_name(trimmed);
  Assign(e.mutable_postal_codes(), postal_codes);
  return std::vector<ZoneEvent>{std::move(e)};
}

absl::StatusOr<std::vector<AgreementEvent>> DecideCreateAgreement(const Head& head,
                                                                  v1::Agreement agreement) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("agreement ", agreement.agreement_id(), " exists already"));
  }
  agreement.set_active(true);
  for (std::string& skill : *agreement.mutable_required_skills()) {
    skill = absl::AsciiStrToLower(absl::StripAsciiWhitespace(skill));
  }
  SortUnique(*agreement.mutable_required_skills());
  v1::AgreementCreated e;
  *e.mutable_agreement() = std::move(agreement);
  return std::vector<AgreementEvent>{std::move(e)};
}

absl::StatusOr<std::vector<AgreementEvent>> DecideRecordVisit(const v1::Agreement& agreement,
                                                              const Head& head,
                                                              const v1::AgreementVisit& visit) {
  if (head.version == 0) return NotFound("agreement", agreement.agreement_id());
  for (const v1::AgreementVisit& known : agreement.visits()) {
    if (known.occurrence() != visit.occurrence()) continue;
    if (known.job_id() == visit.job_id()) return std::vector<AgreementEvent>{};
    return absl::FailedPreconditionError(
        absl::StrCat("occurrence ", visit.occurrence(), " has job ", known.job_id(), " already"));
  }
  v1::AgreementVisitCreated e;
  e.set_agreement_id(agreement.agreement_id());
  *e.mutable_visit() = visit;
  return std::vector<AgreementEvent>{std::move(e)};
}

absl::StatusOr<std::vector<AgreementEvent>> DecideEndAgreement(const v1::Agreement& agreement,
                                                               const Head& head,
                                                               const std::string& reason) {
  if (head.version == 0) return NotFound("agreement", agreement.agreement_id());
  if (!agreement.active()) return std::vector<AgreementEvent>{};
  v1::AgreementEnded e;
  e.set_agreement_id(agreement.agreement_id());
  e.set_reason(reason);
  return std::vector<AgreementEvent>{std::move(e)};
}

absl::StatusOr<std::vector<TrackEvent>> DecideRecordLocations(
    const std::string& technician_id,
    const google::protobuf::RepeatedPtrField<v1::LocationPing>& pings) {
  v1::LocationsRecorded e;
  e.set_technician_id(technician_id);
  *e.mutable_pings() = pings;
  std::stable_sort(e.mutable_pings()->begin(), e.mutable_pings()->end(),
                   [](const v1::LocationPing& a, const v1::LocationPing& b) {
                     return a.recorded_at() < b.recorded_at();
                   });
  return std::vector<TrackEvent>{std::move(e)};
}

}  // namespace jobledger::scheduling
