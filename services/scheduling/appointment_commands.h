// Appointments: schedule, reschedule, reassign / unassign, cancel, dispatch states and the bulk
// moves, each conflict-checked against the technicians' calendars. No gRPC here.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calendars.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::scheduling {

struct AppointmentCommandsOptions {
  ScheduleWriter* schedules = nullptr;
  TechnicianWriter* technicians = nullptr;
  CrewWriter* crews = nullptr;
  Calendars* calendars = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  IdGenerator* ids = nullptr;
  const Clock* clock = &SystemClock();
  absl::TimeZone zone = absl::UTCTimeZone();
  // The job topic: a job not yet known is waited for until the projection has read it to its end.
  eventlog::EventLog* log = nullptr;
  std::string job_topic;
  std::string scheduling_topic;
  absl::Duration wait = absl::Seconds(5);  // at most, for the projection and the locks
};

class AppointmentCommands {
 public:
  explicit AppointmentCommands(AppointmentCommandsOptions options) : options_(std::move(options)) {}

  absl::StatusOr<v1::ScheduleReply> Schedule(const server::Caller& caller,
                                             const v1::ScheduleAppointmentRequest& request);
  absl::StatusOr<v1::ScheduleReply> Reschedule(const server::Caller& caller,
                                               const v1::RescheduleAppointmentRequest& request);
  absl::StatusOr<v1::ScheduleReply> Reassign(const server::Caller& caller,
                                             const v1::ReassignAppointmentRequest& request);
  absl::StatusOr<v1::ScheduleReply> Cancel(const server::Caller& caller,
                                           const v1::CancelAppointmentRequest& request);
  absl::StatusOr<v1::ScheduleReply> ChangeDispatchState(
      const server::Caller& caller, const v1::ChangeDispatchStateRequest& request);

  // Each appointment on its own; the reply reports each.
  absl::StatusOr<v1::BulkResponse> BulkReassign(const server::Caller& caller,
                                                const v1::BulkReassignRequest& request);
  absl::StatusOr<v1::BulkResponse> BulkReschedule(const server::Caller& caller,
                                                  const v1::BulkRescheduleRequest& request);

 private:
  // Who goes on a visit: direct technicians and crews' current members, checked to exist.
  struct People {
    std::vector<std::string> technician_ids;
    std::vector<std::string> crew_ids;
    std::vector<std::string> crew_member_ids;
    std::vector<std::string> all() const;
  };
  absl::StatusOr<People> ResolvePeople(
      const std::string& tenant, const google::protobuf::RepeatedPtrField<std::string>& technicians,
      const google::protobuf::RepeatedPtrField<std::string>& crews);
  // Every conflict of `people` for `range` (ignoring the appointment being changed).
  absl::StatusOr<std::vector<Conflict>> ConflictsOf(const std::string& tenant,
                                                    const std::vector<std::string>& people,
                                                    TimeRange range,
                                                    absl::string_view ignore_appointment_id);
  // What scheduling knows of the job, waiting for the job topic when it knows nothing yet.
  absl::StatusOr<v1::JobInfo> JobOf(const std::string& tenant, const std::string& job_id,
                                    absl::Time deadline);
  // The appointment as it is now (with what is appended but not projected yet).
  absl::StatusOr<v1::Appointment> CurrentAppointment(const std::string& tenant,
                                                     const std::string& job_id,
                                                     const std::string& appointment_id);
  // Runs a change of calendars: locks everyone whose calendar it changes (`booked`, who gain
  // the time, and `freed`, who lose it), computes the conflicts of `booked` for `range`, then
  // decides and appends with the lease held, so that the next booking of any of them sees it.
  using ScheduleDecide = absl::FunctionRef<absl::StatusOr<std::vector<ScheduleEvent>>(
      const v1::JobSchedule&, const std::vector<Conflict>&)>;
  absl::StatusOr<v1::ScheduleReply> Book(
      const server::Caller& caller, const common::v1::CommandMeta& meta, const std::string& job_id,
      const std::string& appointment_id, const std::vector<std::string>& booked,
      const std::vector<std::string>& freed, TimeRange range, ScheduleDecide decide);
  // Waits until the projection has every record of the scheduling topic appended so far (bulk
  // commands read lists of visits: they must see every earlier booking).
  absl::Status CatchUp(absl::Time deadline);
  // Runs a change that leaves calendars alone (dispatch states).
  absl::StatusOr<v1::ScheduleReply> Change(
      const server::Caller& caller, const common::v1::CommandMeta& meta, const std::string& job_id,
      const std::string& appointment_id,
      absl::FunctionRef<absl::StatusOr<std::vector<ScheduleEvent>>(const v1::JobSchedule&)> decide);
  absl::Time Deadline(const server::Caller& caller) const;
  absl::Time OccurredAt(const common::v1::CommandMeta& meta) const;

  AppointmentCommandsOptions options_;
};

// The reply of a command on `appointment_id` from the writer's outcome.
v1::ScheduleReply ScheduleReplyOf(const aggregate::Outcome<v1::JobSchedule>& outcome,
                                  const std::string& appointment_id);

}  // namespace jobledger::scheduling
