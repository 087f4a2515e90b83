// The job service's queries on jobs: the job page, the job list, the job's history. Every one
// applies the visibility rule and stays within the caller's tenant.
#pragma once

#include "absl/status/statusor.h"
#include "job_commands.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/job/v1/job_service.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"

namespace jobledger::job {

struct JobQueriesOptions {
  const projection::ProjectionRunner* projection = nullptr;
  JobCommands* commands = nullptr;  // for the freshest job state and the visibility check
  eventlog::EventLog* log = nullptr;
  const Clock* clock = &SystemClock();
  // The most a query waits for min_position, whatever the caller's deadline.
  absl::Duration max_wait = absl::Seconds(5);
  // The most index entries one list page examines before it returns what it has (with a cursor
  // to go on), so that a filter matching few jobs never makes a page slow.
  int max_examined = 5'000;
};

class JobQueries {
 public:
  explicit JobQueries(JobQueriesOptions options) : options_(std::move(options)) {}

  absl::StatusOr<v1::JobView> GetJob(const server::Caller& caller,
                                     const v1::GetJobRequest& request) const;
  absl::StatusOr<v1::ListJobsResponse> ListJobs(const server::Caller& caller,
                                                const v1::ListJobsRequest& request) const;
  absl::StatusOr<v1::GetJobHistoryResponse> GetHistory(
      const server::Caller& caller, const v1::GetJobHistoryRequest& request) const;

  // Waits, bounded, until the projection has applied `position` (read-your-writes).
  absl::Status WaitForPosition(const server::Caller& caller,
                               const common::v1::LogPosition& position) const;

 private:
  JobQueriesOptions options_;
};

}  // namespace jobledger::job
