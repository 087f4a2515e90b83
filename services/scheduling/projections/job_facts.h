// What the scheduling service knows of a job from the job service's events, read so that a job
// created a moment ago is found: when the projection does not know the job yet, it is first
// given the time to read the job's partition of the job topic to its end.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/scheduling/v1/rows.pb.h"

namespace jobledger::scheduling {

// NOT_FOUND "job <id> not found" when the job topic has no such job (in this tenant).
absl::StatusOr<v1::JobInfo> KnownJob(const projection::ProjectionRunner& projection,
                                     eventlog::EventLog& log, const std::string& job_topic,
                                     const std::string& tenant, const std::string& job_id,
                                     absl::Time deadline);

}  // namespace jobledger::scheduling
