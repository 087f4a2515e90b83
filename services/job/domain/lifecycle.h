// The job lifecycle: which status changes are allowed, which need a reason, and what blocks
// completion.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::job {

// "On hold", "In progress", ...
std::string StatusLabel(v1::JobStatus status);

// Whether ChangeJobStatus may move a job from `from` to `to`. Completed → In progress is not one
// of them: that is ReopenJob, which checks the job's invoices first.
bool IsAllowedTransition(v1::JobStatus from, v1::JobStatus to);

// Whether a move to `to` must say why (On hold, Cancelled).
bool RequiresReason(v1::JobStatus to);

// OK, or FAILED_PRECONDITION naming the current status and the refused target, or
// INVALID_ARGUMENT (field "reason") when a required reason is missing. Completion blockers are
// checked too.
absl::Status CheckStatusChange(const v1::Job& job, v1::JobStatus to, const std::string& reason);

// What is missing before the job may be completed: required checklist items not done, a
// required photo or signature not attached. Empty when nothing is.
std::vector<std::string> CompletionBlockers(const v1::Job& job);

// "JOB-12"
std::string JobLabel(const v1::Job& job);

}  // namespace jobledger::job
