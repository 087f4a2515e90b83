// Applying the scheduling and job topics to the scheduling read model.
#include "projections/scheduling_projection.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/evolve.h"
#include "jobledger/aggregate/overloaded.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/job/v1/events.pb.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using events::v1::Envelope;
using projection::StateWriter;

// aggregate::ApplyToRow on the row of the event's aggregate.
template <typename Variant, typename Row, typename State>
absl::StatusOr<Variant> ApplyToRow(const events::v1::Event& event,
                                   const projection::Table<Row>& table, State* (Row::*state_of)(),
                                   absl::Status (*evolve)(State&, const Envelope&, const Variant&),
                                   StateWriter& state, Row* before = nullptr,
                                   Row* after = nullptr) {
  return aggregate::ApplyToRow<Variant>(
      event, table, PrimaryKey(event.envelope().tenant(), event.envelope().aggregate_id()),
      state_of, evolve, state, before, after);
}

// ---- calendars and day lists follow each appointment

void RemoveBusy(v1::CalendarDay& day, absl::string_view appointment_id) {
  auto& busy = *day.mutable_busy();
  busy.erase(
      std::remove_if(busy.begin(), busy.end(),
                     [&](const v1::Busy& b) { return b.appointment_id() == appointment_id; }),
      busy.end());
}

void InsertBusy(v1::CalendarDay& day, v1::Busy entry) {
  auto& busy = *day.mutable_busy();
  *busy.Add() = std::move(entry);
  std::sort(busy.begin(), busy.end(), [](const v1::Busy& a, const v1::Busy& b) {
    return std::tuple(a.start().seconds(), a.start().nanos(), a.appointment_id()) <
           std::tuple(b.start().seconds(), b.start().nanos(), b.appointment_id());
  });
}

// Adds (or with `add` false removes) the appointment's entries: its people's calendar days, the
// day list, and the unassigned list. Cancelled appointments have none.
absl::Status IndexAppointment(StateWriter& state, absl::string_view tenant,
                              const v1::Appointment& appointment, bool add) {
  if (appointment.status() != v1::APPOINTMENT_STATUS_SCHEDULED) return absl::OkStatus();
  const TimeRange range = OccupiedRange(appointment);
  const std::vector<std::string> people = PeopleOf(appointment);
  for (const std::string& technician : people) {
    for (int64_t day = UtcDayOf(range.start); day <= UtcDayOf(range.end - absl::Nanoseconds(1));
         ++day) {
      const std::string key = CalendarDayKey(tenant, technician, day);
      auto calendar = GetMessage<v1::CalendarDay>(state, key);
      if (!calendar.ok()) return calendar.status();
      RemoveBusy(*calendar, appointment.appointment_id());
      if (add) {
        v1::Busy busy;
        busy.set_appointment_id(appointment.appointment_id());
        busy.set_job_id(appointment.job_id());
        *busy.mutable_start() = ProtoFromTime(range.start);
        *busy.mutable_end() = ProtoFromTime(range.end);
        InsertBusy(*calendar, std::move(busy));
      }
      if (calendar->busy().empty()) {
        state.Delete(key);
      } else {
        state.Put(key, projection::DeterministicBytes(*calendar));
      }
    }
  }
  if (!people.empty()) {
    for (int64_t day = UtcDayOf(range.start); day <= UtcDayOf(range.end - absl::Nanoseconds(1));
         ++day) {
      if (absl::Status s = BumpVersion(state, CalendarDayVersionKey(tenant, day)); !s.ok()) {
        return s;
      }
    }
  }
  auto day = LocalDateFromProto(appointment.date());
  if (!day.ok()) return absl::DataLossError("an appointment has an invalid date");
  const absl::Time start = TimeFromProto(appointment.window().start());
  std::vector<std::string> keys = {
      DayAppointmentKey(tenant, *day, start, appointment.appointment_id())};
  if (people.empty()) {  // nobody goes (no technicians, or only crews without members)
    keys.push_back(UnassignedKey(tenant, *day, start, appointment.appointment_id()));
  }
  for (const std::string& key : keys) {
    if (add) {
      state.Put(key, appointment.job_id());
    } else {
      state.Delete(key);
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyScheduleEvent(const events::v1::Event& event, StateWriter& state) {
  v1::ScheduleRow before;
  v1::ScheduleRow after;
  auto applied =
      ApplyToRow<ScheduleEvent>(event, ScheduleTable(), &v1::ScheduleRow::mutable_schedule,
                                &EvolveSchedule, state, &before, &after);
  if (!applied.ok()) return applied.status();
  if (after.schedule().job_id() != event.envelope().aggregate_id()) {
    return absl::DataLossError("an appointment event names another job than its aggregate");
  }
  // The one appointment the event is about: re-index it.
  std::string appointment_id;
  std::visit([&](const auto& e) { appointment_id = e.appointment_id(); }, *applied);
  const std::string& tenant = event.envelope().tenant();
  if (const v1::Appointment* old = FindAppointment(before.schedule(), appointment_id)) {
    if (absl::Status s = IndexAppointment(state, tenant, *old, false); !s.ok()) return s;
  }
  if (const v1::Appointment* now = FindAppointment(after.schedule(), appointment_id)) {
    if (absl::Status s = IndexAppointment(state, tenant, *now, true); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ApplyTrackEvent(const events::v1::Event& event, StateWriter& state) {
  auto applied = ApplyToRow<TrackEvent>(event, TrackTable(), &v1::TrackRow::mutable_track,
                                        &EvolveTrack, state);
  if (!applied.ok()) return applied.status();
  const auto& recorded = std::get<v1::LocationsRecorded>(*applied);
  for (const v1::LocationPing& ping : recorded.pings()) {
    state.Put(PingKey(event.envelope().tenant(), recorded.technician_id(),
                      TimeFromProto(ping.recorded_at())),
              projection::DeterministicBytes(ping));
  }
  return absl::OkStatus();
}

absl::Status ApplySchedulingEvent(const events::v1::Event& event, StateWriter& state) {
  const std::string& type = event.envelope().aggregate_type();
  if (type == kScheduleAggregate) return ApplyScheduleEvent(event, state);
  if (type == kTechnicianAggregate) {
    auto applied = ApplyToRow<TechnicianEvent>(
        event, TechnicianTable(), &v1::TechnicianRow::mutable_technician, &EvolveTechnician, state);
    if (!applied.ok()) return applied.status();
    return BumpVersion(state, TechniciansVersionKey(event.envelope().tenant()));
  }
  if (type == kCrewAggregate) {
    return ApplyToRow<CrewEvent>(event, CrewTable(), &v1::CrewRow::mutable_crew, &EvolveCrew, state)
        .status();
  }
  if (type == kZoneAggregate) {
    return ApplyToRow<ZoneEvent>(event, ZoneTable(), &v1::ZoneRow::mutable_zone, &EvolveZone, state)
        .status();
  }
  if (type == kAgreementAggregate) {
    return ApplyToRow<AgreementEvent>(event, AgreementTable(), &v1::AgreementRow::mutable_agreement,
                                      &EvolveAgreement, state)
        .status();
  }
  if (type == kTrackAggregate) return ApplyTrackEvent(event, state);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown aggregate type on the scheduling topic: ", type));
}

// ---- the job service's facts

using JobFact =
    std::variant<job::v1::JobCreated, job::v1::JobDetailsChanged, job::v1::JobStatusChanged,
                 job::v1::WorkSessionStarted, job::v1::WorkSessionEnded>;

absl::Status ApplyJobEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  if (envelope.aggregate_type() != "job") return absl::OkStatus();
  auto fact = DecodeEventAs<JobFact>(envelope.type(), event.payload());
  if (absl::IsNotFound(fact.status())) return absl::OkStatus();  // not one scheduling needs
  if (!fact.ok()) return fact.status();
  const std::string& tenant = envelope.tenant();
  const std::string info_key = JobInfoKey(tenant, envelope.aggregate_id());
  auto info = GetMessage<v1::JobInfo>(state, info_key);
  if (!info.ok()) return info.status();
  // Skills compare with technicians' (lower-case) and postal codes with zones' (upper-case).
  auto set_skills = [&](const google::protobuf::RepeatedPtrField<std::string>& skills) {
    info->clear_required_skills();
    for (const std::string& skill : skills) {
      info->add_required_skills(absl::AsciiStrToLower(absl::StripAsciiWhitespace(skill)));
    }
  };
  auto set_postal_code = [&](absl::string_view code) {
    info->set_postal_code(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code)));
  };
  auto set_details = [&](const auto& job) {
    info->set_title(job.title());
    set_skills(job.required_skills());
    info->set_estimated_minutes(job.estimated_minutes());
  };
  absl::Status applied = std::visit(
      Overloaded{
          [&](const job::v1::JobCreated& e) {
            info->set_job_id(envelope.aggregate_id());
            info->set_number(e.job().number());
            set_details(e.job());
            info->set_status(e.job().status());
            set_postal_code(e.job().address().postal_code());
            info->set_customer_id(e.job().customer_id());
            info->set_created_by(envelope.actor().user_id());
            return absl::OkStatus();
          },
          [&](const job::v1::JobDetailsChanged& e) {
            for (const std::string& field : e.changed_fields()) {
              if (field == "title") info->set_title(e.details().title());
              if (field == "required_skills") set_skills(e.details().required_skills());
              if (field == "estimated_minutes") {
                info->set_estimated_minutes(e.details().estimated_minutes());
              }
              if (field == "address") set_postal_code(e.details().address().postal_code());
            }
            return absl::OkStatus();
          },
          [&](const job::v1::JobStatusChanged& e) {
            info->set_status(e.to());
            return absl::OkStatus();
          },
          [&](const job::v1::WorkSessionStarted& e) {
            v1::OpenWorkSession* session = info->add_open_sessions();
            session->set_entry_id(e.entry_id());
            session->set_employee_id(e.employee_id());
            v1::ClockState clock;
            clock.set_job_id(envelope.aggregate_id());
            clock.set_entry_id(e.entry_id());
            *clock.mutable_since() = e.clock_in();
            state.Put(ClockKey(tenant, e.employee_id()), projection::DeterministicBytes(clock));
            return absl::OkStatus();
          },
          [&](const job::v1::WorkSessionEnded& e) {
            auto& sessions = *info->mutable_open_sessions();
            for (int i = 0; i < sessions.size(); ++i) {
              if (sessions[i].entry_id() != e.entry_id()) continue;
              const std::string key = ClockKey(tenant, sessions[i].employee_id());
              auto clock = GetMessage<v1::ClockState>(state, key);
              if (!clock.ok()) return clock.status();
              if (clock->entry_id() == e.entry_id()) state.Delete(key);
              sessions.erase(sessions.begin() + i);
              break;
            }
            return absl::OkStatus();
          },
      },
      *fact);
  if (!applied.ok()) return applied;
  state.Put(info_key, projection::DeterministicBytes(*info));
  return absl::OkStatus();
}

}  // namespace

absl::Status SchedulingProjection::Apply(const events::v1::Event& event,
                                         const projection::EventPosition& position,
                                         StateWriter& state) const {
  if (position.topic == job_topic_) return ApplyJobEvent(event, state);
  if (position.topic != scheduling_topic_) return absl::OkStatus();
  if (absl::Status s = ApplySchedulingEvent(event, state); !s.ok()) return s;
  aggregate::RecordCommand(event.envelope(), position, state);
  return absl::OkStatus();
}

}  // namespace jobledger::scheduling
