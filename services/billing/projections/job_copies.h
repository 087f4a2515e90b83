// The job service's jobs and customers as the billing projection copied them, read as the job
// topic holds them now: the projection is first given the time to read the partition of the job
// or customer to its end, so one created or changed a moment ago is seen as it is.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/projection/runner.h"

namespace jobledger::billing {

// The job as its events made it; NOT_FOUND "job <id> not found" when the job topic has no such
// job in this tenant. DEADLINE_EXCEEDED when the projection is too far behind to tell by
// `deadline` (give it min(caller's deadline, now + max_wait)).
absl::StatusOr<job::v1::Job> KnownJobCopy(const projection::ProjectionRunner& projection,
                                          eventlog::EventLog& log, const std::string& job_topic,
                                          const std::string& tenant, const std::string& job_id,
                                          absl::Time deadline);

// The same for a customer: NOT_FOUND "customer <id> not found".
absl::StatusOr<job::v1::Customer> KnownCustomerCopy(const projection::ProjectionRunner& projection,
                                                    eventlog::EventLog& log,
                                                    const std::string& job_topic,
                                                    const std::string& tenant,
                                                    const std::string& customer_id,
                                                    absl::Time deadline);

}  // namespace jobledger::billing
