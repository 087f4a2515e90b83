// Reactions of billing to the job service's events: a recall job, once completed and linked to
// its original job, is charged back against the original technician (chargeback.h states the
// rule), once. A chargeback that cannot be computed (no work logged on the original, no hourly
// price for the fixing work) is logged with the reason and skipped; it is not retried.
#pragma once

#include <string>
#include <vector>

#include "billing_commands.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/runner.h"

namespace jobledger::billing {

struct ReactionsOptions {
  std::string job_topic;
  BillingCommands* commands = nullptr;
  // The billing projection: the jobs as the events so far made them.
  const projection::ProjectionRunner* projection = nullptr;
  absl::Duration wait = absl::Seconds(5);
};

class BillingReactions final : public projection::Projection {
 public:
  explicit BillingReactions(ReactionsOptions options) : options_(std::move(options)) {}

  std::string name() const override { return "billing_reactions"; }
  int32_t version() const override { return 1; }
  std::vector<std::string> topics() const override { return {options_.job_topic}; }
  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  ReactionsOptions options_;
};

}  // namespace jobledger::billing
