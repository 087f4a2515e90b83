// Reading a job's facts, waiting for the job topic when needed.
#include "projections/job_facts.h"

#include "absl/strings/str_cat.h"
#include "jobledger/eventlog/partitioner.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {

absl::StatusOr<v1::JobInfo> KnownJob(const projection::ProjectionRunner& projection,
                                     eventlog::EventLog& log, const std::string& job_topic,
                                     const std::string& tenant, const std::string& job_id,
                                     absl::Time deadline) {
  auto info = GetMessage<v1::JobInfo>(*projection.store(), JobInfoKey(tenant, job_id));
  if (!info.ok()) return info.status();
  if (!info->job_id().empty()) return info;
  auto partitions = log.PartitionCount(job_topic);
  if (!partitions.ok()) return partitions.status();
  const int32_t partition = eventlog::PartitionForKey(job_id, *partitions);
  auto end = log.HighWatermark(job_topic, partition);
  if (!end.ok()) return end.status();
  if (*end > 0) {
    if (absl::Status s = projection.WaitFor({job_topic, partition, *end - 1}, deadline); !s.ok()) {
      return s;
    }
  }
  info = GetMessage<v1::JobInfo>(*projection.store(), JobInfoKey(tenant, job_id));
  if (!info.ok()) return info.status();
  if (info->job_id().empty())
    return absl::NotFoundError(absl::StrCat("job ", job_id, " not found"));
  return info;
}

}  // namespace jobledger::scheduling
