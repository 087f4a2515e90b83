// An event with where it is in the log: what the analyst commands read, filter and print.
#pragma once

#include <cstdint>
#include <string>

#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::cli {

struct LocatedEvent {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  events::v1::Event event;
};

}  // namespace jobledger::cli
