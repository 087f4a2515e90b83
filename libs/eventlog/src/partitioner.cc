// Key → partition through librdkafka's Java-compatible murmur2 partitioner.
#include "jobledger/eventlog/partitioner.h"

#include <librdkafka/rdkafka.h>

namespace jobledger::eventlog {

int32_t PartitionForKey(absl::string_view key, int32_t partition_count) {
  if (partition_count <= 1) return 0;
  // The murmur2 partitioner reads only the key and the count; no topic handle is needed.
  return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partition_count, nullptr,
                                          nullptr);
}

}  // namespace jobledger::eventlog
