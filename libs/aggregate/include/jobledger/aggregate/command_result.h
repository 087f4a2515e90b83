// A command's outcome as its reply reports it (common.v1.CommandResult).
#pragma once

#include <optional>
#include <string>

#include "jobledger/aggregate/aggregate.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger::aggregate {

inline void FillCommandResult(const std::string& aggregate_id, int64_t version,
                              const std::optional<LogPosition>& position, bool replayed,
                              common::v1::CommandResult* result) {
  result->set_aggregate_id(aggregate_id);
  result->set_version(version);
  result->set_replayed(replayed);
  if (position.has_value()) {
    result->mutable_position()->set_topic(position->topic);
    result->mutable_position()->set_partition(position->partition);
    result->mutable_position()->set_offset(position->offset);
  }
}

}  // namespace jobledger::aggregate
