// The scheduling service's projection: its own aggregates (with their chain heads, for the
// command path), technicians' calendars by day, appointments by day, GPS pings, and what the job
// service's events say about jobs (status, skills, duration, address, clock-ins).
#pragma once

#include <string>
#include <vector>

#include "jobledger/projection/projection.h"

namespace jobledger::scheduling {

class SchedulingProjection final : public projection::Projection {
 public:
  SchedulingProjection(std::string scheduling_topic, std::string job_topic)
      : scheduling_topic_(std::move(scheduling_topic)), job_topic_(std::move(job_topic)) {}

  std::string name() const override { return "scheduling"; }
  // 3: change counters of technicians and calendar days (TechniciansVersionKey).
  int32_t version() const override { return 3; }
  std::vector<std::string> topics() const override { return {scheduling_topic_, job_topic_}; }

  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  std::string scheduling_topic_;
  std::string job_topic_;
};

}  // namespace jobledger::scheduling
