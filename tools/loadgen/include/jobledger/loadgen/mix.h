// The command mix of a run: which operations, in which proportions, e.g.
// "create=2,status=3,note=1,line=1,time=1,get=2,list=1".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::loadgen {

enum class Operation { kCreate, kStatus, kNote, kLineItem, kLogTime, kGet, kList, kEcho };

// "create", "status", "note", "line", "time", "get", "list", "echo".
absl::string_view OperationName(Operation operation);

class CommandMix {
 public:
  // Comma-separated name=weight pairs; weights are non-negative integers, at least one positive,
  // each name at most once. INVALID_ARGUMENT naming the bad part.
  static absl::StatusOr<CommandMix> Parse(absl::string_view text);

  // The operation for a uniform draw `u` in [0, 1): each gets a share equal to its weight.
  Operation Pick(double u) const;
  std::string ToString() const;
  const std::vector<std::pair<Operation, int64_t>>& weights() const { return weights_; }

 private:
  std::vector<std::pair<Operation, int64_t>> weights_;  // positive weights, in the given order
  int64_t total_ = 0;
};

}  // namespace jobledger::loadgen
