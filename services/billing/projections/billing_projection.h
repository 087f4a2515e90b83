// The billing service's projection: its own aggregates (with their chain heads, for the command
// path), invoices by number, status, customer and job, customers' accounts, the jobs awaiting
// billing, and the job service's jobs and customers as their events made them (costing,
// invoicing and estimates decide on these).
#pragma once

#include <string>
#include <vector>

#include "jobledger/projection/projection.h"

namespace jobledger::billing {

class BillingProjection final : public projection::Projection {
 public:
  BillingProjection(std::string billing_topic, std::string job_topic)
      : billing_topic_(std::move(billing_topic)), job_topic_(std::move(job_topic)) {}

  std::string name() const override { return "billing"; }
  int32_t version() const override { return 1; }
  std::vector<std::string> topics() const override { return {billing_topic_, job_topic_}; }

  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  std::string billing_topic_;
  std::string job_topic_;
};

}  // namespace jobledger::billing
