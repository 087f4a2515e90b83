// Waiting for a projection to have everything a topic holds now: for answers that must include
// writes whose positions the caller does not know (a number after an append that failed, an
// invoice created a moment ago by another caller).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"

namespace jobledger::projection {

// Returns once `projection` has applied every record of `topic` appended before the call;
// DEADLINE_EXCEEDED when it has not by `deadline`, the log's error when it cannot say how far
// the topic goes.
absl::Status WaitForTopicEnd(const ProjectionRunner& projection, eventlog::EventLog& log,
                             const std::string& topic, absl::Time deadline);

}  // namespace jobledger::projection
