// Reading the copies of jobs and customers, up to date with the job topic.
#include "projections/job_copies.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "jobledger/eventlog/partitioner.h"
#include "projections/billing_tables.h"

namespace jobledger::billing {
namespace {

// Waits until the projection has applied everything in the partition of `key` (an aggregate id:
// the job service's writers partition by it) that the job topic holds now.
absl::Status WaitForPartitionEnd(const projection::ProjectionRunner& projection,
                                 eventlog::EventLog& log, const std::string& job_topic,
                                 const std::string& key, absl::Time deadline) {
  auto partitions = log.PartitionCount(job_topic);
  if (!partitions.ok()) return partitions.status();
  const int32_t partition = eventlog::PartitionForKey(key, *partitions);
  auto end = log.HighWatermark(job_topic, partition);
  if (!end.ok()) return end.status();
  if (*end == 0) return absl::OkStatus();
  return projection.WaitFor({job_topic, partition, *end - 1}, deadline);
}

// The row of `table` under (tenant, id) as the job topic holds it now: a decision on a job
// completed a moment ago must see it completed.
template <typename Row>
absl::StatusOr<std::optional<Row>> KnownRow(const projection::Table<Row>& table,
                                            const projection::ProjectionRunner& projection,
                                            eventlog::EventLog& log, const std::string& job_topic,
                                            const std::string& tenant, const std::string& id,
                                            absl::Time deadline) {
  if (absl::Status s = WaitForPartitionEnd(projection, log, job_topic, id, deadline); !s.ok()) {
    return s;
  }
  return table.Get(*projection.store(), PrimaryKey(tenant, id));
}

}  // namespace

absl::StatusOr<job::v1::Job> KnownJobCopy(const projection::ProjectionRunner& projection,
                                          eventlog::EventLog& log, const std::string& job_topic,
                                          const std::string& tenant, const std::string& job_id,
                                          absl::Time deadline) {
  auto row = KnownRow(JobCopyTable(), projection, log, job_topic, tenant, job_id, deadline);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return absl::NotFoundError(absl::StrCat("job ", job_id, " not found"));
  return std::move(*(*row)->mutable_job());
}

absl::StatusOr<job::v1::Customer> KnownCustomerCopy(const projection::ProjectionRunner& projection,
                                                    eventlog::EventLog& log,
                                                    const std::string& job_topic,
                                                    const std::string& tenant,
                                                    const std::string& customer_id,
                                                    absl::Time deadline) {
  auto row =
      KnownRow(CustomerCopyTable(), projection, log, job_topic, tenant, customer_id, deadline);
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return absl::NotFoundError(absl::StrCat("customer ", customer_id, " not found"));
  }
  return std::move(*(*row)->mutable_customer());
}

}  // namespace jobledger::billing
