// A small deterministic command load for the fault-injection tests: client threads create jobs,
// put some on hold, book the others with a technician who then heads out (texting the customer),
// each command retried with the same idempotency key while the system is failing; then checks that
// every acknowledged effect is there, that nothing unacknowledged was added, and that nobody was
// texted or emailed the same message twice.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "e2e_system.h"

namespace jobledger::fault {

// How long a test drives load: JL_FAULT_SECONDS when set (to run longer by hand), else `fallback`.
absl::Duration LoadDuration(absl::Duration fallback);

// The port offset reserved for this process (cli::testing::ReservePortOffset), +5 for a second
// system.
int PortOffset(int system = 0);

// One job a client created and which of its commands were acknowledged (OK).
struct AckedJob {
  std::string key;  // "c<client>/<n>", the stem of its idempotency keys
  int client = 0;
  std::string job_id;
  int64_t number = 0;
  bool on_hold = false;
  std::string appointment_id;  // booked with technician "tech-<client>"
  bool en_route = false;
};

struct WorkloadOptions {
  int clients = 2;
  // Book every other job and send its technician on the way (an SMS to the customer).
  bool book = true;
  bool en_route = true;
  // A client's pause between jobs, which keeps the number of jobs to check small.
  absl::Duration think_time = absl::Milliseconds(50);
  // Each client stops after this many jobs (0: runs until Stop()).
  int max_jobs_per_client = 0;
  // Each attempt's deadline (an attempt waits this long at most for a channel to a service that
  // is down); UNAVAILABLE and DEADLINE_EXCEEDED are retried with the same idempotency key until
  // `give_up_after`.
  absl::Duration attempt_deadline = absl::Seconds(2);
  absl::Duration give_up_after = absl::Seconds(150);
  // Further codes retried the same way (a service that cannot write may answer INTERNAL).
  std::vector<grpc::StatusCode> also_retry;
};

class Workload {
 public:
  Workload(e2e::System& system, WorkloadOptions options);
  ~Workload();  // stops the clients

  // A zone, one technician and one customer per client (all reachable by SMS and email).
  absl::Status SetUpBusiness();

  // Starts the client threads; Stop() lets each finish the command it is on, then joins them;
  // Wait() joins them once they have made `max_jobs_per_client` jobs.
  void Start();
  void Stop();
  void Wait();

  std::vector<AckedJob> Acked() const;
  // Commands that ended with a status other than OK, and why: each is a test failure.
  std::vector<std::string> Failures() const;
  // Failed attempts that were retried, by code name; and the first message of each code.
  std::map<std::string, int> Retried() const;
  std::map<std::string, std::string> RetriedExamples() const;
  // The longest single attempt that succeeded.
  absl::Duration SlowestOkAttempt() const;
  int commands_acknowledged() const { return acknowledged_.load(); }

  // Each returns what is wrong ("" when nothing), after waiting up to `timeout` for the
  // services to catch up:
  // the job service lists exactly the acknowledged jobs, each with its status and technician;
  // scheduling has every booked appointment with its dispatch state.
  std::string CheckJobsAndSchedules(absl::Duration timeout);
  // Reporting's board lists exactly the on-hold and the scheduled jobs.
  std::string CheckReporting(absl::Duration timeout);
  // Each en-route job texted its customer exactly once; no text was sent twice (the same
  // provider idempotency key, or the same words to the same number).
  std::string CheckTexts(absl::Duration timeout);
  // Each booked job emailed its customer exactly once; no email stored twice.
  std::string CheckEmails(absl::Duration timeout);

 private:
  // The client's loop; `client` numbers its technician, customer and keys.
  void RunClient(int client);
  // Sends `request` until OK, a status other than UNAVAILABLE / DEADLINE_EXCEEDED, or giving up.
  template <typename Stub, typename Request, typename Reply>
  bool Command(const std::string& what, const std::string& token, Stub& stub,
               grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
               const Request& request, Reply* reply);
  void Record(const AckedJob& job);

  e2e::System& system_;
  const WorkloadOptions options_;
  std::vector<std::string> customers_;  // by client
  std::vector<std::string> phones_;     // by client
  std::vector<std::string> emails_;     // by client
  std::atomic<bool> stopping_{false};
  std::atomic<int> acknowledged_{0};
  std::vector<std::thread> threads_;

  mutable absl::Mutex mu_;
  std::map<std::string, AckedJob> acked_ ABSL_GUARDED_BY(mu_);  // by key
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> retried_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> retried_examples_ ABSL_GUARDED_BY(mu_);
  absl::Duration slowest_ok_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::fault
