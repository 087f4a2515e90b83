// Reactions to scheduling and job events.
#include "reactions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "domain/evolve.h"
#include "domain/schedule_events.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/projection/catch_up.h"
#include "jobledger/server/log.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using events::v1::Envelope;
using server::Level;
using server::Log;

// Failures worth trying again: the other side may answer differently later. A missing or
// refused token is a configuration to fix, after which the reaction must still happen.
bool Transient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::Status SchedulingReactions::Apply(const events::v1::Event& event,
                                        const projection::EventPosition& position,
                                        projection::StateWriter&) const {
  if (position.topic == options_.scheduling_topic) return OnScheduling(event);
  if (position.topic == options_.job_topic) return OnJob(event);
  return absl::OkStatus();
}

absl::Status SchedulingReactions::Retrying(absl::string_view what,
                                           absl::FunctionRef<absl::Status()> attempt) const {
  const absl::Time give_up = absl::Now() + options_.retry_budget;
  absl::Duration backoff = absl::Milliseconds(50);
  while (true) {
    const absl::Status status = attempt();
    if (status.ok()) return status;
    if (!Transient(status)) {
      Log(Level::kWarning, "reaction refused", {{"reaction", what}, {"error", status.ToString()}});
      return absl::OkStatus();  // decided: the other side said no
    }
    if (absl::Now() + backoff > give_up || stopping_.HasBeenNotified()) {
      Log(Level::kWarning, "reaction postponed",
          {{"reaction", what}, {"error", status.ToString()}});
      return absl::UnavailableError(absl::StrCat(what, ": ", status.message()));
    }
    stopping_.WaitForNotificationWithTimeout(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(1));
  }
}

absl::Status SchedulingReactions::MoveJob(const Envelope& cause, const std::string& job_id,
                                          job::v1::JobStatus to,
                                          const std::vector<job::v1::JobStatus>& from) const {
  // The job's status as the job topic has it now, not as the projection last read it: a draft
  // opened or a job put on hold a moment ago must be moved, not skipped on its older status.
  if (absl::Status s = projection::WaitForTopicEnd(*options_.projection, *options_.log,
                                                   options_.job_topic, absl::Now() + options_.wait);
      !s.ok()) {
    return absl::UnavailableError(s.ToString());
  }
  auto info =
      GetMessage<v1::JobInfo>(*options_.projection->store(), JobInfoKey(cause.tenant(), job_id));
  if (!info.ok()) return absl::UnavailableError(info.status().ToString());
  if (std::find(from.begin(), from.end(), info->status()) == from.end()) return absl::OkStatus();
  const std::string key = absl::StrCat("scheduling-reaction/", cause.event_id());
  return Retrying(absl::StrCat("move job ", job_id, " to ", job::v1::JobStatus_Name(to)), [&] {
    return options_.jobs->ChangeStatus(cause.tenant(), job_id, to, key, cause.traceparent());
  });
}

absl::Status SchedulingReactions::OnScheduling(const events::v1::Event& event) const {
  const Envelope& envelope = event.envelope();
  if (envelope.aggregate_type() != kScheduleAggregate) return absl::OkStatus();
  auto decoded = DecodeEventAs<ScheduleEvent>(envelope.type(), event.payload());
  if (!decoded.ok()) return absl::OkStatus();  // the scheduling projection dead-letters it
  if (const auto* scheduled = std::get_if<v1::AppointmentScheduled>(&*decoded)) {
    return MoveJob(envelope, scheduled->job_id(), job::v1::JOB_STATUS_SCHEDULED,
                   {job::v1::JOB_STATUS_OPEN});
  }
  if (const auto* dispatch = std::get_if<v1::DispatchStateChanged>(&*decoded);
      dispatch != nullptr && dispatch->state() == v1::DISPATCH_STATE_WORKING) {
    return MoveJob(
        envelope, dispatch->job_id(), job::v1::JOB_STATUS_IN_PROGRESS,
        {job::v1::JOB_STATUS_OPEN, job::v1::JOB_STATUS_SCHEDULED, job::v1::JOB_STATUS_ON_HOLD});
  }
  return absl::OkStatus();
}

absl::Status SchedulingReactions::OnJob(const events::v1::Event& event) const {
  const Envelope& envelope = event.envelope();
  if (envelope.aggregate_type() != "job" ||
      envelope.type() != job::v1::JobStatusChanged::descriptor()->full_name()) {
    return absl::OkStatus();
  }
  job::v1::JobStatusChanged changed;
  if (!changed.ParseFromString(event.payload())) return absl::OkStatus();
  if (changed.to() != job::v1::JOB_STATUS_COMPLETED &&
      changed.to() != job::v1::JOB_STATUS_CANCELLED) {
    return absl::OkStatus();
  }
  const std::string& job_id = envelope.aggregate_id();
  auto schedule = options_.schedules->Read(options_.schedules->Key(envelope.tenant(), job_id));
  if (!schedule.ok()) return absl::UnavailableError(schedule.status().ToString());
  const absl::Time when = TimeFromProto(envelope.occurred_at());
  const std::string reason =
      changed.to() == job::v1::JOB_STATUS_COMPLETED
          ? "job completed"
          : absl::StrCat("job cancelled", changed.reason().empty() ? "" : ": ", changed.reason());
  // Visits still ahead when the job ended, that existed then: a later visit (the job reopened
  // and booked again) is not this event's to free.
  for (const v1::Appointment& appointment : schedule->first.appointments()) {
    if (appointment.status() != v1::APPOINTMENT_STATUS_SCHEDULED) continue;
    if (TimeFromProto(appointment.created_at()) > when) continue;
    if (TimeFromProto(appointment.window().start()) <= when) continue;
    v1::CancelAppointmentRequest cancel;
    cancel.mutable_meta()->set_idempotency_key(absl::StrCat(
        "scheduling-reaction/", envelope.event_id(), "/", appointment.appointment_id()));
    cancel.set_job_id(job_id);
    cancel.set_appointment_id(appointment.appointment_id());
    cancel.set_reason(reason);
    const server::Caller caller =
        server::ServiceCaller("scheduling", envelope.tenant(), envelope.traceparent());
    absl::Status done =
        Retrying(absl::StrCat("free appointment ", appointment.appointment_id()),
                 [&] { return options_.appointments->Cancel(caller, cancel).status(); });
    if (!done.ok()) return done;
  }
  return absl::OkStatus();
}

}  // namespace jobledger::scheduling
