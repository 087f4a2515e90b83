// The scheduling service's reactions to events, its own and the job service's:
//  - an appointment scheduled for an Open job moves the job to Scheduled;
//  - a technician working on a visit moves the job to In progress (from Open, Scheduled or On
//    hold);
//  - a job completed or cancelled frees its future visits (they are cancelled, naming why).
// It runs as a projection over both topics, so its place in the logs is checkpointed like any
// other: after a crash it resumes where it stopped and repeats at most the reactions of one
// batch, which change nothing the second time (each names an idempotency key derived from the
// event). A reaction that cannot be done now (the job service unreachable) is retried, never
// skipped; one the other side refuses (the job's lifecycle forbids the move) is logged and done.
// Its store holds nothing but the checkpoint: it is no read model, and a rebuild only repeats
// reactions, which their keys make harmless.
#pragma once

#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "appointment_commands.h"
#include "client/job_client.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/runner.h"

namespace jobledger::scheduling {

using job::JobsPort;

struct ReactionsOptions {
  std::string scheduling_topic;
  std::string job_topic;
  JobsPort* jobs = nullptr;
  AppointmentCommands* appointments = nullptr;
  ScheduleWriter* schedules = nullptr;
  // The scheduling projection: what it knows of the jobs' status. It reads the job topic at its
  // own pace, so a reaction waits until it has what that topic held when the reaction ran.
  const projection::ProjectionRunner* projection = nullptr;
  eventlog::EventLog* log = nullptr;
  // How long a reaction waits for the projection before the runner tries it again later.
  absl::Duration wait = absl::Seconds(10);
  // How long one reaction is retried in place before the runner tries it again later.
  absl::Duration retry_budget = absl::Seconds(5);
};

class SchedulingReactions final : public projection::Projection {
 public:
  explicit SchedulingReactions(ReactionsOptions options) : options_(std::move(options)) {}

  std::string name() const override { return "scheduling_reactions"; }
  int32_t version() const override { return 1; }
  std::vector<std::string> topics() const override {
    return {options_.scheduling_topic, options_.job_topic};
  }
  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

  // Ends waits between retries (before the runner is stopped).
  void Stop() {
    if (!stopping_.HasBeenNotified()) stopping_.Notify();
  }

 private:
  absl::Status OnScheduling(const events::v1::Event& event) const;
  absl::Status OnJob(const events::v1::Event& event) const;
  absl::Status MoveJob(const events::v1::Envelope& cause, const std::string& job_id,
                       job::v1::JobStatus to, const std::vector<job::v1::JobStatus>& from) const;
  // Runs `attempt` until it succeeds or is refused for good; UNAVAILABLE when it still fails
  // transiently after the retry budget (or on Stop), so that the runner tries again later.
  absl::Status Retrying(absl::string_view what, absl::FunctionRef<absl::Status()> attempt) const;

  ReactionsOptions options_;
  absl::Notification stopping_;
};

}  // namespace jobledger::scheduling
