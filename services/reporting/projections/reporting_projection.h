// The reporting service's projection over all four topics: copies of jobs, customers, schedules,
// technicians, invoices, billing settings and messages (each service's own Evolve,
// chain-checked), the dispatch views' job rows with their indexes, counts by status, revenue
// entries, and each job's history index (where every event about it is in the logs).
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jobledger/projection/projection.h"

namespace jobledger::reporting {

struct ReportingTopics {
  std::string job;
  std::string scheduling;
  std::string billing;
  std::string notification;
};

class ReportingProjection final : public projection::Projection {
 public:
  // `zone`: the tenants' local days (visit days, revenue dates).
  ReportingProjection(ReportingTopics topics, absl::TimeZone zone)
      : topics_(std::move(topics)), zone_(zone) {}

  std::string name() const override { return "reporting"; }
  // 2: jobs' invoice lists (JobInvoicesKey); 3: those lists sorted by id; 4: board rows in
  // covering indexes; 5: jobs indexed by the days work is logged for.
  int32_t version() const override { return 5; }
  std::vector<std::string> topics() const override {
    return {topics_.job, topics_.scheduling, topics_.billing, topics_.notification};
  }

  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  ReportingTopics topics_;
  absl::TimeZone zone_;
};

}  // namespace jobledger::reporting
