// Sealed events for the analyst CLI's tests, each aggregate's chain continued as a service
// continues it, and appended where a service would put them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::cli::testing {

class EventChains {
 public:
  // The aggregate's next event: sequence and previous_hash continue its chain, and it is sealed.
  events::v1::Event Next(const std::string& tenant, const std::string& aggregate_type,
                         const std::string& aggregate_id, const google::protobuf::Message& payload,
                         absl::Time occurred_at);

 private:
  UuidV7Generator ids_;
  std::map<std::string, std::pair<int64_t, std::string>> last_;  // sequence and hash
};

// Appends `event` to the partition its aggregate id belongs on; returns its offset.
absl::StatusOr<int64_t> AppendEvent(eventlog::EventLog& log, absl::string_view topic,
                                    int32_t partitions, const events::v1::Event& event);

}  // namespace jobledger::cli::testing
