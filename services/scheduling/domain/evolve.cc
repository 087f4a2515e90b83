// Evolve for the scheduling aggregates.
#include "domain/evolve.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/aggregate/overloaded.h"
#include "jobledger/aggregate/repeated.h"

namespace jobledger::scheduling {
namespace {

using events::v1::Envelope;

const auto kAppointmentId = [](const v1::Appointment& a) -> const std::string& {
  return a.appointment_id();
};
const auto kTimeOffId = [](const v1::TimeOff& t) -> const std::string& { return t.time_off_id(); };
const auto kDispatchTechnician = [](const v1::TechnicianDispatch& d) -> const std::string& {
  return d.technician_id();
};

absl::Status Missing(absl::string_view what, absl::string_view id) {
  return absl::FailedPreconditionError(absl::StrCat("no ", what, " ", id));
}

// Creation events may only start an aggregate, and every other event needs one.
absl::Status CheckCreation(bool creating, int64_t version, absl::string_view what) {
  if (creating == (version == 0)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(what, creating ? " exists already" : " does not exist"));
}

absl::Status ApplyDispatch(const v1::DispatchStateChanged& e, const Envelope& envelope,
                           v1::Appointment& appointment) {
  v1::TechnicianDispatch* dispatch =
      FindMutableEntry(*appointment.mutable_dispatch(), e.technician_id(), kDispatchTechnician);
  if (dispatch == nullptr) {
    dispatch = appointment.add_dispatch();
    dispatch->set_technician_id(e.technician_id());
  }
  dispatch->set_state(e.state());
  v1::DispatchStep* step = dispatch->add_timeline();
  step->set_state(e.state());
  *step->mutable_at() = e.at();
  step->set_actor_id(envelope.actor().user_id());
  return absl::OkStatus();
}

}  // namespace

const v1::Appointment* FindAppointment(const v1::JobSchedule& schedule, absl::string_view id) {
  return FindEntry(schedule.appointments(), id, kAppointmentId);
}

absl::Status EvolveSchedule(v1::JobSchedule& schedule, const Envelope& envelope,
                            const ScheduleEvent& event) {
  auto appointment_of = [&](const std::string& id) {
    return FindMutableEntry(*schedule.mutable_appointments(), id, kAppointmentId);
  };
  absl::Status applied =
      std::visit(Overloaded{
                     [&](const v1::AppointmentScheduled& e) {
                       if (appointment_of(e.appointment_id()) != nullptr) {
                         return absl::FailedPreconditionError(
                             absl::StrCat("appointment ", e.appointment_id(), " exists already"));
                       }
                       schedule.set_job_id(e.job_id());
                       v1::Appointment* a = schedule.add_appointments();
                       a->set_appointment_id(e.appointment_id());
                       a->set_job_id(e.job_id());
                       *a->mutable_date() = e.date();
                       *a->mutable_window() = e.window();
                       a->set_duration_minutes(e.duration_minutes());
                       *a->mutable_technician_ids() = e.technician_ids();
                       *a->mutable_crew_ids() = e.crew_ids();
                       *a->mutable_crew_member_ids() = e.crew_member_ids();
                       a->set_status(v1::APPOINTMENT_STATUS_SCHEDULED);
                       a->set_allow_overlap(e.allow_overlap());
                       *a->mutable_created_at() = envelope.occurred_at();
                       *a->mutable_updated_at() = envelope.occurred_at();
                       a->set_notes(e.notes());
                       return absl::OkStatus();
                     },
                     [&](const v1::AppointmentRescheduled& e) {
                       v1::Appointment* a = appointment_of(e.appointment_id());
                       if (a == nullptr) return Missing("appointment", e.appointment_id());
                       *a->mutable_date() = e.date();
                       *a->mutable_window() = e.window();
                       a->set_duration_minutes(e.duration_minutes());
                       a->set_allow_overlap(e.allow_overlap());
                       *a->mutable_updated_at() = envelope.occurred_at();
                       return absl::OkStatus();
                     },
                     [&](const v1::AppointmentReassigned& e) {
                       v1::Appointment* a = appointment_of(e.appointment_id());
                       if (a == nullptr) return Missing("appointment", e.appointment_id());
                       *a->mutable_technician_ids() = e.technician_ids();
                       *a->mutable_crew_ids() = e.crew_ids();
                       *a->mutable_crew_member_ids() = e.crew_member_ids();
                       a->set_allow_overlap(e.allow_overlap());
                       *a->mutable_updated_at() = envelope.occurred_at();
                       return absl::OkStatus();
                     },
                     [&](const v1::AppointmentCancelled& e) {
                       v1::Appointment* a = appointment_of(e.appointment_id());
                       if (a == nullptr) return Missing("appointment", e.appointment_id());
                       a->set_status(v1::APPOINTMENT_STATUS_CANCELLED);
                       a->set_cancel_reason(e.reason());
                       *a->mutable_updated_at() = envelope.occurred_at();
                       return absl::OkStatus();
                     },
                     [&](const v1::DispatchStateChanged& e) {
                       v1::Appointment* a = appointment_of(e.appointment_id());
                       if (a == nullptr) return Missing("appointment", e.appointment_id());
                       *a->mutable_updated_at() = envelope.occurred_at();
                       return ApplyDispatch(e, envelope, *a);
                     },
                 },
                 event);
  if (!applied.ok()) return applied;
  schedule.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveTechnician(v1::Technician& technician, const Envelope& envelope,
                              const TechnicianEvent& event) {
  if (absl::Status s = CheckCreation(std::holds_alternative<v1::TechnicianRegistered>(event),
                                     technician.version(), "the technician");
      !s.ok()) {
    return s;
  }
  absl::Status applied = std::visit(
      Overloaded{
          [&](const v1::TechnicianRegistered& e) {
            technician.set_technician_id(e.technician_id());
            technician.set_name(e.name());
            technician.set_phone(e.phone());
            technician.set_email(e.email());
            *technician.mutable_skills() = e.skills();
            technician.set_home_zone_id(e.home_zone_id());
            technician.set_active(true);
            *technician.mutable_created_at() = envelope.occurred_at();
            return absl::OkStatus();
          },
          [&](const v1::TechnicianUpdated& e) {
            technician.set_name(e.name());
            technician.set_phone(e.phone());
            technician.set_email(e.email());
            *technician.mutable_skills() = e.skills();
            technician.set_home_zone_id(e.home_zone_id());
            return absl::OkStatus();
          },
          [&](const v1::TechnicianActivated&) {
            technician.set_active(true);
            return absl::OkStatus();
          },
          [&](const v1::TechnicianDeactivated&) {
            technician.set_active(false);
            return absl::OkStatus();
          },
          [&](const v1::ShiftsSet& e) {
            *technician.mutable_shifts() = e.shifts();
            return absl::OkStatus();
          },
          [&](const v1::TimeOffAdded& e) {
            if (FindEntry(technician.time_off(), e.time_off().time_off_id(), kTimeOffId)) {
              return absl::FailedPreconditionError(
                  absl::StrCat("time off ", e.time_off().time_off_id(), " exists already"));
            }
            auto& all = *technician.mutable_time_off();
            *all.Add() = e.time_off();
            std::stable_sort(
                all.begin(), all.end(),
                [](const v1::TimeOff& a, const v1::TimeOff& b) { return a.start() < b.start(); });
            return absl::OkStatus();
          },
          [&](const v1::TimeOffRemoved& e) {
            if (!RemoveEntry(*technician.mutable_time_off(), e.time_off_id(), kTimeOffId)) {
              return Missing("time off", e.time_off_id());
            }
            return absl::OkStatus();
          },
      },
      event);
  if (!applied.ok()) return applied;
  technician.set_version(envelope.sequence());
  *technician.mutable_updated_at() = envelope.occurred_at();
  return absl::OkStatus();
}

absl::Status EvolveCrew(v1::Crew& crew, const Envelope& envelope, const CrewEvent& event) {
  if (absl::Status s =
          CheckCreation(std::holds_alternative<v1::CrewCreated>(event), crew.version(), "the crew");
      !s.ok()) {
    return s;
  }
  absl::Status applied = std::visit(
      Overloaded{
          [&](const v1::CrewCreated& e) {
            crew.set_crew_id(e.crew_id());
            crew.set_name(e.name());
            return absl::OkStatus();
          },
          [&](const v1::CrewRenamed& e) {
            crew.set_name(e.name());
            return absl::OkStatus();
          },
          [&](const v1::CrewMemberAdded& e) {
            auto& members = *crew.mutable_member_ids();
            if (std::find(members.begin(), members.end(), e.technician_id()) != members.end()) {
              return absl::FailedPreconditionError(
                  absl::StrCat(e.technician_id(), " is a member already"));
            }
            members.Add(std::string(e.technician_id()));
            SortUnique(members);
            v1::CrewMembership* membership = crew.add_memberships();
            membership->set_technician_id(e.technician_id());
            *membership->mutable_joined_at() = envelope.occurred_at();
            return absl::OkStatus();
          },
          [&](const v1::CrewMemberRemoved& e) {
            auto& members = *crew.mutable_member_ids();
            auto it = std::find(members.begin(), members.end(), e.technician_id());
            if (it == members.end()) return Missing("member", e.technician_id());
            members.erase(it);
            for (v1::CrewMembership& membership : *crew.mutable_memberships()) {
              if (membership.technician_id() == e.technician_id() && !membership.has_left_at()) {
                *membership.mutable_left_at() = envelope.occurred_at();
              }
            }
            return absl::OkStatus();
          },
      },
      event);
  if (!applied.ok()) return applied;
  crew.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveZone(v1::ServiceZone& zone, const Envelope& envelope, const ZoneEvent& event) {
  const auto& saved = std::get<v1::ServiceZoneSaved>(event);
  zone.set_zone_id(saved.zone_id());
  zone.set_name(saved.name());
  *zone.mutable_postal_codes() = saved.postal_codes();
  zone.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveAgreement(v1::Agreement& agreement, const Envelope& envelope,
                             const AgreementEvent& event) {
  if (absl::Status s = CheckCreation(std::holds_alternative<v1::AgreementCreated>(event),
                                     agreement.version(), "the agreement");
      !s.ok()) {
    return s;
  }
  absl::Status applied =
      std::visit(Overloaded{
                     [&](const v1::AgreementCreated& e) {
                       agreement = e.agreement();
                       agreement.set_active(true);
                       return absl::OkStatus();
                     },
                     [&](const v1::AgreementVisitCreated& e) {
                       for (const v1::AgreementVisit& visit : agreement.visits()) {
                         if (visit.occurrence() == e.visit().occurrence()) {
                           return absl::FailedPreconditionError(absl::StrCat(
                               "occurrence ", visit.occurrence(), " has its job already"));
                         }
                       }
                       *agreement.add_visits() = e.visit();
                       return absl::OkStatus();
                     },
                     [&](const v1::AgreementEnded& e) {
                       agreement.set_active(false);
                       agreement.set_ended_reason(e.reason());
                       return absl::OkStatus();
                     },
                 },
                 event);
  if (!applied.ok()) return applied;
  agreement.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveTrack(v1::TrackState& track, const Envelope& envelope, const TrackEvent& event) {
  const auto& recorded = std::get<v1::LocationsRecorded>(event);
  track.set_technician_id(recorded.technician_id());
  for (const v1::LocationPing& ping : recorded.pings()) {
    if (!track.has_last_ping() || track.last_ping().recorded_at() < ping.recorded_at()) {
      *track.mutable_last_ping() = ping;
    }
  }
  track.set_version(envelope.sequence());
  return absl::OkStatus();
}

}  // namespace jobledger::scheduling
