// A projection: a named, versioned, deterministic handler that turns events into rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/projection/state.h"

namespace jobledger::projection {

// Where the event being applied is in the log.
struct EventPosition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  absl::Time appended_at;
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Lower-case letters, digits and '_'; names the projection's directory and metrics.
  virtual std::string name() const = 0;
  // Bump it when what Apply writes changes: the runtime then rebuilds from offset 0.
  virtual int32_t version() const = 0;
  virtual std::vector<std::string> topics() const = 0;

  // Applies one event, writing through `state`. It must be deterministic: the same log gives the
  // same bytes. Each partition's events arrive in offset order, but the order between partitions
  // and topics is not fixed, so a projection over several topics keeps each topic's facts in
  // fields of their own. Events it does not handle are ignored (return OK). An error sends the
  // event to the dead letters with the error as the reason; its writes are undone.
  virtual absl::Status Apply(const events::v1::Event& event, const EventPosition& position,
                             StateWriter& state) const = 0;
};

}  // namespace jobledger::projection
