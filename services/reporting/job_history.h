// A job's complete audit trail across the four topics, and the job as the logs had it at any past
// moment. Both read the events themselves from the log, found through the projection's history
// index (every event whose aggregate is the job or its schedule or billing record, or whose
// invoice or message names the job).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/reporting/v1/reporting_service.pb.h"
#include "jobledger/reporting/v1/rows.pb.h"
#include "jobledger/server/caller.h"

namespace jobledger::reporting {

struct JobHistoryOptions {
  const projection::ProjectionRunner* projection = nullptr;
  eventlog::EventLog* log = nullptr;
  const Clock* clock = &SystemClock();
  absl::Duration max_wait = absl::Seconds(5);
};

class JobHistoryReader {
 public:
  explicit JobHistoryReader(JobHistoryOptions options) : options_(options) {}

  // In causal order: by when each event happened, an event never before the one that caused it
  // nor before its aggregate's earlier events.
  // chain_verified: every event's hash matches its content and follows its aggregate's previous.
  absl::StatusOr<v1::JobHistory> History(const server::Caller& caller,
                                         const v1::JobHistoryRequest& request) const;
  // The job, its appointments, invoices and messages from the events that happened at or before
  // `at`.
  absl::StatusOr<v1::JobAsOf> AsOf(const server::Caller& caller,
                                   const v1::JobAsOfRequest& request) const;

 private:
  struct Located {
    v1::EventRef ref;
    events::v1::Event event;
  };
  // NOT_FOUND unless the job exists and the caller sees it.
  absl::Status CheckVisible(const server::Caller& caller, const std::string& job_id) const;
  absl::StatusOr<std::vector<Located>> EventsOf(const std::string& tenant,
                                                const std::string& job_id) const;

  JobHistoryOptions options_;
};

}  // namespace jobledger::reporting
