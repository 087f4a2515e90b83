// The job service's projection: the job topic's aggregates (with their chain heads, for the
// command path), and the job list with the scheduling service's assignments (for queries and the
// visibility rule).
#pragma once

#include <string>
#include <vector>

#include "jobledger/projection/projection.h"

namespace jobledger::job {

class JobProjection final : public projection::Projection {
 public:
  JobProjection(std::string job_topic, std::string scheduling_topic)
      : job_topic_(std::move(job_topic)), scheduling_topic_(std::move(scheduling_topic)) {}

  std::string name() const override { return "job"; }
  int32_t version() const override { return 3; }
  std::vector<std::string> topics() const override { return {job_topic_, scheduling_topic_}; }

  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  std::string job_topic_;
  std::string scheduling_topic_;
};

// Rewrites a job's list row and its index entries and counts from the job, its schedule, its
// crews and its customer as they are in `state` (a no-op for a job that does not exist yet).
absl::Status RefreshJobListRow(projection::StateWriter& state, absl::string_view tenant,
                               absl::string_view job_id);

}  // namespace jobledger::job
