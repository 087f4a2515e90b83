// Waiting, at a service's start, for the topics it reads that other services create.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::server {

// Returns once every topic exists; UNAVAILABLE naming a missing one after `wait`. Logs what it
// waits for every five seconds.
absl::Status WaitForTopics(eventlog::EventLog& log, const std::vector<std::string>& topics,
                           absl::Duration wait);

}  // namespace jobledger::server
