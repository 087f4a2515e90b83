#include "jobledger/projection/catch_up.h"

namespace jobledger::projection {

absl::Status WaitForTopicEnd(const ProjectionRunner& projection, eventlog::EventLog& log,
                             const std::string& topic, absl::Time deadline) {
  auto partitions = log.PartitionCount(topic);
  if (!partitions.ok()) return partitions.status();
  for (int32_t partition = 0; partition < *partitions; ++partition) {
    auto end = log.HighWatermark(topic, partition);
    if (!end.ok()) return end.status();
    if (*end == 0) continue;
    if (absl::Status s = projection.WaitFor({topic, partition, *end - 1}, deadline); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace jobledger::projection
