// Conflict-checked appointment commands.
#include "appointment_commands.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "domain/bulk_items.h"
#include "domain/decide.h"
#include "domain/evolve.h"
#include "domain/validate.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/job/v1/job.pb.h"
#include "projections/job_facts.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using server::Caller;

absl::Status AppointmentNotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("appointment ", id, " not found"));
}

template <typename Repeated>
std::vector<std::string> SortedUnique(const Repeated& values) {
  std::vector<std::string> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

void ReportItem(const absl::StatusOr<v1::ScheduleReply>& reply, const std::string& job_id,
                const std::string& appointment_id, v1::BulkResponse& response) {
  v1::BulkItemResult* item = response.add_items();
  item->set_job_id(job_id);
  item->set_appointment_id(appointment_id);
  if (reply.ok()) {
    *item->mutable_result() = reply->result();
    response.set_succeeded(response.succeeded() + 1);
  } else {
    item->set_code(static_cast<int32_t>(reply.status().code()));
    item->set_message(std::string(reply.status().message()));
    response.set_failed(response.failed() + 1);
  }
}

// The same local wall-clock time `days` later (DST-aware).
}  // namespace

std::vector<std::string> AppointmentCommands::People::all() const {
  std::vector<std::string> everyone = technician_ids;
  everyone.insert(everyone.end(), crew_member_ids.begin(), crew_member_ids.end());
  std::sort(everyone.begin(), everyone.end());
  everyone.erase(std::unique(everyone.begin(), everyone.end()), everyone.end());
  return everyone;
}

v1::ScheduleReply ScheduleReplyOf(const aggregate::Outcome<v1::JobSchedule>& outcome,
                                  const std::string& appointment_id) {
  v1::ScheduleReply reply;
  aggregate::FillCommandResult(outcome.state.job_id(), outcome.version, outcome.position,
                               outcome.replayed, reply.mutable_result());
  if (const v1::Appointment* appointment = FindAppointment(outcome.state, appointment_id)) {
    *reply.mutable_appointment() = *appointment;
  }
  return reply;
}

absl::Time AppointmentCommands::Deadline(const Caller& caller) const {
  return std::min(caller.deadline, options_.clock->Now() + options_.wait);
}

absl::Time AppointmentCommands::OccurredAt(const common::v1::CommandMeta& meta) const {
  return meta.has_occurred_at() ? TimeFromProto(meta.occurred_at()) : options_.clock->Now();
}

absl::StatusOr<AppointmentCommands::People> AppointmentCommands::ResolvePeople(
    const std::string& tenant, const google::protobuf::RepeatedPtrField<std::string>& technicians,
    const google::protobuf::RepeatedPtrField<std::string>& crews) {
  People people;
  people.technician_ids = SortedUnique(technicians);
  people.crew_ids = SortedUnique(crews);
  for (const std::string& technician : people.technician_ids) {
    auto current = options_.technicians->Read(options_.technicians->Key(tenant, technician));
    if (!current.ok()) return current.status();
    if (current->second.version == 0) {
      return absl::NotFoundError(absl::StrCat("technician ", technician, " not found"));
    }
  }
  std::set<std::string> members;
  for (const std::string& crew_id : people.crew_ids) {
    auto crew = options_.crews->Read(options_.crews->Key(tenant, crew_id));
    if (!crew.ok()) return crew.status();
    if (crew->second.version == 0) {
      return absl::NotFoundError(absl::StrCat("crew ", crew_id, " not found"));
    }
    members.insert(crew->first.member_ids().begin(), crew->first.member_ids().end());
  }
  people.crew_member_ids.assign(members.begin(), members.end());
  return people;
}

absl::StatusOr<std::vector<Conflict>> AppointmentCommands::ConflictsOf(
    const std::string& tenant, const std::vector<std::string>& people, TimeRange range,
    absl::string_view ignore_appointment_id) {
  std::vector<Conflict> conflicts;
  for (const std::string& person : people) {
    auto technician = options_.technicians->Read(options_.technicians->Key(tenant, person));
    if (!technician.ok()) return technician.status();
    auto bookings = options_.calendars->BookingsOf(tenant, person, range);
    if (!bookings.ok()) return bookings.status();
    std::vector<Conflict> found =
        ConflictsFor(technician->first, *bookings, range, ignore_appointment_id, options_.zone);
    conflicts.insert(conflicts.end(), std::make_move_iterator(found.begin()),
                     std::make_move_iterator(found.end()));
  }
  return conflicts;
}

absl::StatusOr<v1::JobInfo> AppointmentCommands::JobOf(const std::string& tenant,
                                                       const std::string& job_id,
                                                       absl::Time deadline) {
  return KnownJob(*options_.projection, *options_.log, options_.job_topic, tenant, job_id,
                  deadline);
}

absl::StatusOr<v1::Appointment> AppointmentCommands::CurrentAppointment(
    const std::string& tenant, const std::string& job_id, const std::string& appointment_id) {
  auto schedule = options_.schedules->Read(options_.schedules->Key(tenant, job_id));
  if (!schedule.ok()) return schedule.status();
  const v1::Appointment* appointment = FindAppointment(schedule->first, appointment_id);
  if (appointment == nullptr) return AppointmentNotFound(appointment_id);
  return *appointment;
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::Book(
    const Caller& caller, const common::v1::CommandMeta& meta, const std::string& job_id,
    const std::string& appointment_id, const std::vector<std::string>& booked,
    const std::vector<std::string>& freed, TimeRange range, ScheduleDecide decide) {
  std::vector<std::string> everyone = booked;
  everyone.insert(everyone.end(), freed.begin(), freed.end());
  auto lease = options_.calendars->Acquire(caller.tenant, std::move(everyone), Deadline(caller));
  if (!lease.ok()) return lease.status();
  auto conflicts = ConflictsOf(caller.tenant, booked, range, appointment_id);
  if (!conflicts.ok()) return conflicts.status();
  auto outcome = options_.schedules->Execute(
      options_.schedules->Key(caller.tenant, job_id), server::CommandMetaOf(caller, meta),
      [&](const v1::JobSchedule& schedule, const Head&) { return decide(schedule, *conflicts); });
  if (!outcome.ok()) return outcome.status();
  if (outcome->position.has_value()) lease->Wrote(*outcome->position);
  return ScheduleReplyOf(*outcome, appointment_id);
}

absl::Status AppointmentCommands::CatchUp(absl::Time deadline) {
  auto partitions = options_.log->PartitionCount(options_.scheduling_topic);
  if (!partitions.ok()) return partitions.status();
  for (int32_t partition = 0; partition < *partitions; ++partition) {
    auto end = options_.log->HighWatermark(options_.scheduling_topic, partition);
    if (!end.ok()) return end.status();
    if (*end == 0) continue;
    if (absl::Status s = options_.projection->WaitFor(
            {options_.scheduling_topic, partition, *end - 1}, deadline);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::Change(
    const Caller& caller, const common::v1::CommandMeta& meta, const std::string& job_id,
    const std::string& appointment_id,
    absl::FunctionRef<absl::StatusOr<std::vector<ScheduleEvent>>(const v1::JobSchedule&)> decide) {
  auto outcome = options_.schedules->Execute(
      options_.schedules->Key(caller.tenant, job_id), server::CommandMetaOf(caller, meta),
      [&](const v1::JobSchedule& schedule, const Head&) { return decide(schedule); });
  if (!outcome.ok()) return outcome.status();
  return ScheduleReplyOf(*outcome, appointment_id);
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::Schedule(
    const Caller& caller, const v1::ScheduleAppointmentRequest& request) {
  if (absl::Status s = ValidateSchedule(request); !s.ok()) return s;
  auto job = JobOf(caller.tenant, request.job_id(), Deadline(caller));
  if (!job.ok()) return job.status();
  if (job->status() == job::v1::JOB_STATUS_COMPLETED ||
      job->status() == job::v1::JOB_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat("JOB-", job->number(), " is ",
                     job->status() == job::v1::JOB_STATUS_COMPLETED ? "completed" : "cancelled",
                     ": it takes no more visits"));
  }
  auto people = ResolvePeople(caller.tenant, request.technician_ids(), request.crew_ids());
  if (!people.ok()) return people.status();

  VisitPlan plan;
  // A retried create names the same appointment (and then finds it made).
  plan.appointment_id = request.meta().idempotency_key().empty()
                            ? options_.ids->NewId().ToString()
                            : aggregate::DerivedAggregateId(caller.tenant, "appointment",
                                                            request.meta().idempotency_key())
                                  .ToString();
  plan.window = request.window();
  const absl::Time start = TimeFromProto(request.window().start());
  const absl::Time end = TimeFromProto(request.window().end());
  LocalDateToProto(LocalDay(start, options_.zone), &plan.date);
  plan.duration_minutes = request.duration_minutes() > 0 ? request.duration_minutes()
                          : job->estimated_minutes() > 0
                              ? std::min<int64_t>(job->estimated_minutes(), kMaxDurationMinutes)
                              : absl::ToInt64Minutes(absl::Ceil(end - start, absl::Minutes(1)));
  plan.technician_ids = people->technician_ids;
  plan.crew_ids = people->crew_ids;
  plan.crew_member_ids = people->crew_member_ids;
  plan.allow_overlap = request.allow_overlap();
  plan.notes = request.notes();
  const TimeRange range = OccupiedRange(start, end, absl::Minutes(plan.duration_minutes));
  return Book(caller, request.meta(), request.job_id(), plan.appointment_id, people->all(), {},
              range, [&](const v1::JobSchedule& schedule, const std::vector<Conflict>& conflicts) {
                return DecideSchedule(schedule, request.job_id(), plan, conflicts);
              });
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::Reschedule(
    const Caller& caller, const v1::RescheduleAppointmentRequest& request) {
  if (absl::Status s = ValidateReschedule(request); !s.ok()) return s;
  auto current = CurrentAppointment(caller.tenant, request.job_id(), request.appointment_id());
  if (!current.ok()) return current.status();
  const std::vector<std::string> people = PeopleOf(*current);
  VisitPlan plan;
  plan.appointment_id = request.appointment_id();
  plan.window = request.window();
  const absl::Time start = TimeFromProto(request.window().start());
  LocalDateToProto(LocalDay(start, options_.zone), &plan.date);
  plan.duration_minutes =
      request.duration_minutes() > 0 ? request.duration_minutes() : current->duration_minutes();
  plan.allow_overlap = request.allow_overlap();
  const TimeRange range = OccupiedRange(start, TimeFromProto(request.window().end()),
                                        absl::Minutes(plan.duration_minutes));
  // The same people: booked at the new time, freed at the old.
  return Book(
      caller, request.meta(), request.job_id(), plan.appointment_id, people, people, range,
      [&](const v1::JobSchedule& schedule,
          const std::vector<Conflict>& conflicts) -> absl::StatusOr<std::vector<ScheduleEvent>> {
        const v1::Appointment* now = FindAppointment(schedule, plan.appointment_id);
        if (now != nullptr && PeopleOf(*now) != people) {
          return absl::AbortedError("the appointment was reassigned meanwhile; retry");
        }
        return DecideReschedule(schedule, plan, request.reason(), conflicts);
      });
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::Reassign(
    const Caller& caller, const v1::ReassignAppointmentRequest& request) {
  if (absl::Status s = ValidateReassign(request); !s.ok()) return s;
  auto current = CurrentAppointment(caller.tenant, request.job_id(), request.appointment_id());
  if (!current.ok()) return current.status();
  auto people = ResolvePeople(caller.tenant, request.technician_ids(), request.crew_ids());
  if (!people.ok()) return people.status();
  VisitPlan plan;
  plan.appointment_id = request.appointment_id();
  plan.window = current->window();
  plan.date = current->date();
  plan.duration_minutes = current->duration_minutes();
  plan.technician_ids = people->technician_ids;
  plan.crew_ids = people->crew_ids;
  plan.crew_member_ids = people->crew_member_ids;
  plan.allow_overlap = request.allow_overlap();
  const std::vector<std::string> previous = PeopleOf(*current);
  return Book(
      caller, request.meta(), request.job_id(), plan.appointment_id, people->all(), previous,
      OccupiedRange(*current),
      [&](const v1::JobSchedule& schedule,
          const std::vector<Conflict>& conflicts) -> absl::StatusOr<std::vector<ScheduleEvent>> {
        const v1::Appointment* now = FindAppointment(schedule, plan.appointment_id);
        if (now != nullptr &&
            (!(OccupiedRange(*now) == OccupiedRange(*current)) || PeopleOf(*now) != previous)) {
          return absl::AbortedError("the appointment changed meanwhile; retry");
        }
        return DecideReassign(schedule, plan, request.reason(), conflicts);
      });
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::Cancel(
    const Caller& caller, const v1::CancelAppointmentRequest& request) {
  if (absl::Status s = ValidateCancel(request); !s.ok()) return s;
  auto current = CurrentAppointment(caller.tenant, request.job_id(), request.appointment_id());
  if (!current.ok()) return current.status();
  const std::vector<std::string> people = PeopleOf(*current);
  // Frees its people's time: the next booking of any of them must see that.
  return Book(caller, request.meta(), request.job_id(), request.appointment_id(), {}, people,
              OccupiedRange(*current),
              [&](const v1::JobSchedule& schedule,
                  const std::vector<Conflict>&) -> absl::StatusOr<std::vector<ScheduleEvent>> {
                const v1::Appointment* now = FindAppointment(schedule, request.appointment_id());
                if (now != nullptr && PeopleOf(*now) != people) {
                  return absl::AbortedError("the appointment was reassigned meanwhile; retry");
                }
                return DecideCancel(schedule, request.appointment_id(), request.reason());
              });
}

absl::StatusOr<v1::ScheduleReply> AppointmentCommands::ChangeDispatchState(
    const Caller& caller, const v1::ChangeDispatchStateRequest& request) {
  if (absl::Status s = ValidateChangeDispatchState(request); !s.ok()) return s;
  const std::string technician =
      request.technician_id().empty() ? caller.user_id : request.technician_id();
  if (!caller.sees_everything()) {
    if (technician != caller.user_id) {
      return absl::PermissionDeniedError("technician_id: technicians report their own progress");
    }
    // A technician sees only visits they are on.
    auto current = CurrentAppointment(caller.tenant, request.job_id(), request.appointment_id());
    if (!current.ok()) return current.status();
    const std::vector<std::string> people = PeopleOf(*current);
    if (!std::binary_search(people.begin(), people.end(), technician)) {
      return AppointmentNotFound(request.appointment_id());
    }
  }
  const google::protobuf::Timestamp at = ProtoFromTime(OccurredAt(request.meta()));
  return Change(caller, request.meta(), request.job_id(), request.appointment_id(),
                [&](const v1::JobSchedule& schedule) {
                  return DecideDispatch(schedule, request.appointment_id(), technician,
                                        request.state(), at);
                });
}

absl::StatusOr<v1::BulkResponse> AppointmentCommands::BulkReassign(
    const Caller& caller, const v1::BulkReassignRequest& request) {
  if (absl::Status s = ValidateBulkReassign(request); !s.ok()) return s;
  if (absl::Status s = CatchUp(Deadline(caller)); !s.ok()) return s;
  const TimeRange range{
      LocalDayRange(*LocalDateFromProto(request.first_day()), options_.zone).start,
      LocalDayRange(*LocalDateFromProto(request.last_day()), options_.zone).end};
  auto bookings =
      options_.calendars->BookingsOf(caller.tenant, request.from_technician_id(), range);
  if (!bookings.ok()) return bookings.status();
  std::sort(bookings->begin(), bookings->end(), [](const Booking& a, const Booking& b) {
    return std::pair(a.range.start, a.appointment_id) < std::pair(b.range.start, b.appointment_id);
  });
  v1::BulkResponse response;
  for (const Booking& booking : *bookings) {
    if (booking.range.start < range.start) continue;  // began before the first day
    auto reassign = [&]() -> absl::StatusOr<v1::ScheduleReply> {
      auto current = CurrentAppointment(caller.tenant, booking.job_id, booking.appointment_id);
      if (!current.ok()) return current.status();
      auto item = BulkReassignItem(request, booking.job_id, *current);
      if (!item.ok()) return item.status();
      return Reassign(caller, *item);
    };
    ReportItem(reassign(), booking.job_id, booking.appointment_id, response);
  }
  return response;
}

absl::StatusOr<v1::BulkResponse> AppointmentCommands::BulkReschedule(
    const Caller& caller, const v1::BulkRescheduleRequest& request) {
  if (absl::Status s = ValidateBulkReschedule(request); !s.ok()) return s;
  if (absl::Status s = CatchUp(Deadline(caller)); !s.ok()) return s;
  const absl::CivilDay day = *LocalDateFromProto(request.day());
  // The day's appointments, read whole before anything moves.
  std::vector<std::pair<std::string, std::string>> items;  // appointment id, job id
  {
    auto store = options_.projection->store();
    const std::string prefix = DayAppointmentPrefix(caller.tenant, day);
    auto it = store->NewIterator(prefix, projection::PrefixEnd(prefix));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      projection::KeyReader key(it->key().substr(prefix.size()));
      (void)key.Time();
      auto appointment_id = key.String();
      if (!appointment_id.ok()) return absl::DataLossError("a day list key does not parse");
      items.emplace_back(*appointment_id, std::string(it->value()));
    }
    if (!it->status().ok()) return it->status();
  }
  v1::BulkResponse response;
  for (const auto& [appointment_id, job_id] : items) {
    auto current = CurrentAppointment(caller.tenant, job_id, appointment_id);
    if (!current.ok()) {
      ReportItem(current.status(), job_id, appointment_id, response);
      continue;
    }
    if (!request.technician_id().empty()) {
      const std::vector<std::string> people = PeopleOf(*current);
      if (!std::binary_search(people.begin(), people.end(), request.technician_id())) continue;
    }
    const v1::RescheduleAppointmentRequest item =
        BulkRescheduleItem(request, job_id, *current, options_.zone);
    ReportItem(Reschedule(caller, item), job_id, appointment_id, response);
  }
  return response;
}

}  // namespace jobledger::scheduling
