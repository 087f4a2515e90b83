// The command mix of a run: which operations, in which proportions, e.g.
// "create=2,status=3,note=1,line=1,time=1,get=2,list=1" against the job service, or
// "assign=1,free_slots=1" against the scheduling service.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::loadgen {

enum class Operation {
  kCreate,
  kStatus,
  kNote,
  kLineItem,
  kLogTime,
  kGet,
  kList,
  kEcho,
  kAssign,     // the scheduling service's conflict-checked ScheduleAppointment
  kFreeSlots,  // the scheduling service's FindFreeSlots
};

// "create", "status", "note", "line", "time", "get", "list", "echo", "assign", "free_slots".
absl::string_view OperationName(Operation operation);

// True for the operations the scheduling service serves (assign, free_slots).
bool IsSchedulingOperation(Operation operation);

class CommandMix {
 public:
  // Comma-separated name=weight pairs; weights are non-negative integers, at least one positive,
  // each name at most once. INVALID_ARGUMENT naming the bad part.
  static absl::StatusOr<CommandMix> Parse(absl::string_view text);

  // The operation for a uniform draw `u` in [0, 1): each gets a share equal to its weight.
  Operation Pick(double u) const;
  std::string ToString() const;
  // True when every operation of the mix is a scheduling one; false when none is. A mix of both
  // kinds is refused by the runs (each drives one service).
  bool IsScheduling() const;
  bool IsMixedServices() const;
  const std::vector<std::pair<Operation, int64_t>>& weights() const { return weights_; }

 private:
  std::vector<std::pair<Operation, int64_t>> weights_;  // positive weights, in the given order
  int64_t total_ = 0;
};

}  // namespace jobledger::loadgen
