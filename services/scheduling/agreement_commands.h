// Service agreements (recurring work): create, end, and the planning that turns each due
// occurrence into a job with an unassigned visit, exactly once, even across restarts: the job,
// the visit and the record of the occurrence are each made under an idempotency key derived from
// the agreement and the occurrence, so a planning run interrupted anywhere and run again finishes
// the same occurrence without a second job.
#pragma once

#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "appointment_commands.h"
#include "client/job_client.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::scheduling {

using job::JobsPort;

struct AgreementCommandsOptions {
  AgreementWriter* agreements = nullptr;
  AppointmentCommands* appointments = nullptr;
  JobsPort* jobs = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  IdGenerator* ids = nullptr;
  const Clock* clock = &SystemClock();
  absl::TimeZone zone = absl::UTCTimeZone();
  int max_visits_per_run = 50;  // per agreement and planning run
};

class AgreementCommands {
 public:
  explicit AgreementCommands(AgreementCommandsOptions options) : options_(std::move(options)) {}

  absl::StatusOr<v1::AgreementReply> CreateAgreement(const server::Caller& caller,
                                                     const v1::CreateAgreementRequest& request);
  absl::StatusOr<v1::AgreementReply> EndAgreement(const server::Caller& caller,
                                                  const v1::EndAgreementRequest& request);

  // Plans every active agreement of every tenant: creates the jobs of occurrences due by today
  // plus the agreement's lead days. Returns how many visits it created.
  absl::StatusOr<int> PlanDueVisits();
  // Whether planning can run: the projection has caught up with the log.
  bool ready() const { return options_.projection->caught_up(); }
  // One agreement (as the projection has it) of one tenant.
  absl::StatusOr<int> PlanAgreement(const std::string& tenant, const v1::Agreement& agreement);

 private:
  absl::Status CreateVisit(const std::string& tenant, const v1::Agreement& agreement, int n,
                           absl::CivilDay date);

  AgreementCommandsOptions options_;
};

// Runs AgreementCommands::PlanDueVisits every `interval` (and when woken) on its own thread; a
// run due while the projection still catches up waits for it (checking every second).
class AgreementPlanner {
 public:
  AgreementPlanner(AgreementCommands* commands, absl::Duration interval);
  ~AgreementPlanner();
  void Wake() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop();

  AgreementCommands* commands_;
  absl::Duration interval_;
  absl::Mutex mu_;
  bool woken_ ABSL_GUARDED_BY(mu_) = true;  // plan once at start
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jobledger::scheduling
