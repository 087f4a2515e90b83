// `jl verify`'s pass over whole topics: every record decodes, sits on its key's partition, and
// continues its aggregate's sequence and hash chain.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/eventlog/event_log.h"

namespace jobledger::cli {

struct LogProblem {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string aggregate;  // tenant/aggregate_type/aggregate_id; "?" for a record that is no event
  std::string what;
};

struct VerifySummary {
  int64_t events = 0;
  int64_t aggregates = 0;
  int64_t problems = 0;
};

using ProblemHandler = std::function<void(const LogProblem&)>;
using VerifyProgressHandler = std::function<void(int64_t read, int64_t planned)>;

// Reads every partition of `topics` from offset 0 to its high watermark at the start, in log
// order. One aggregate's events share a partition (the key's), so log order is their order.
// Problems go to `on_problem` as they are found; an error reading the log ends the pass.
absl::StatusOr<VerifySummary> VerifyLog(eventlog::EventLog& log,
                                        const std::vector<eventlog::TopicSpec>& topics,
                                        const ProblemHandler& on_problem,
                                        const VerifyProgressHandler& on_progress = nullptr);

}  // namespace jobledger::cli
