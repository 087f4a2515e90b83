// Key → partition, identical in every backend and process, and compatible with Kafka's Java
// client default (murmur2 of the key, made positive, modulo the partition count), so
// co-partitioned topics put one job's events on the same partition number everywhere.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"

namespace jobledger::eventlog {

int32_t PartitionForKey(absl::string_view key, int32_t partition_count);

}  // namespace jobledger::eventlog
