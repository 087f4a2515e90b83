// The billing service's commands on estimates: validate, read what the decision needs (settings,
// the customer's copy, price items), decide through the estimate writer, reply. Converting an
// approved estimate makes its job through the job service, once: the job is created under a key
// derived from the estimate, so a retried or resumed conversion finds the same job. No gRPC here.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/job_client.h"
#include "domain/estimates.h"
#include "jobledger/aggregate/tenant_numbering.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::billing {

struct EstimateCommandsOptions {
  EstimateWriter* estimates = nullptr;
  SettingsWriter* settings = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  eventlog::EventLog* log = nullptr;
  std::string billing_topic;  // estimates' numbers, price items
  std::string job_topic;      // customers
  job::JobsPort* jobs = nullptr;
  IdGenerator* ids = nullptr;
  const Clock* clock = &SystemClock();
  // How long a command waits for the projection to learn of a customer or price item it has not
  // seen yet (one created a moment ago).
  absl::Duration catch_up_timeout = absl::Seconds(5);
};

class EstimateCommands {
 public:
  explicit EstimateCommands(EstimateCommandsOptions options);

  absl::StatusOr<v1::EstimateReply> DraftEstimate(const server::Caller& caller,
                                                  const v1::DraftEstimateRequest& request);
  absl::StatusOr<v1::EstimateReply> ReviseEstimate(const server::Caller& caller,
                                                   const v1::ReviseEstimateRequest& request);
  absl::StatusOr<v1::EstimateReply> SendEstimate(const server::Caller& caller,
                                                 const v1::EstimateActionRequest& request);
  absl::StatusOr<v1::EstimateReply> ApproveEstimate(const server::Caller& caller,
                                                    const v1::ApproveEstimateRequest& request);
  absl::StatusOr<v1::EstimateReply> DeclineEstimate(const server::Caller& caller,
                                                    const v1::DeclineEstimateRequest& request);
  // An approved estimate becomes a job (a converted one is returned as it is). Errors of the job
  // service keep their codes, prefixed "job service: ".
  absl::StatusOr<v1::EstimateReply> ConvertEstimate(const server::Caller& caller,
                                                    const v1::EstimateActionRequest& request);

 private:
  using Decide = absl::FunctionRef<absl::StatusOr<std::vector<EstimateEvent>>(const v1::Estimate&,
                                                                              const Head&)>;
  // Runs `decide` on an existing estimate (NOT_FOUND naming it otherwise).
  absl::StatusOr<v1::EstimateReply> OnEstimate(const server::Caller& caller,
                                               const common::v1::CommandMeta& meta,
                                               const std::string& estimate_id, Decide decide);
  // FAILED_PRECONDITION until the tenant has billing settings with a currency.
  absl::StatusOr<v1::BillingSettings> SettingsOf(const std::string& tenant);
  // The lines priced with the tenant's price book and settings.
  absl::StatusOr<PricedLines> Price(
      const server::Caller& caller,
      const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines,
      const v1::BillingSettings& settings);
  // The price items the lines name that exist (waiting once for the billing topic when one is
  // not projected yet).
  absl::StatusOr<PriceItemsById> PriceItemsOf(
      const std::string& tenant, const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines,
      absl::Time deadline);
  absl::Time CatchUpDeadline(const server::Caller& caller) const;
  std::string NewAggregateId(const server::Caller& caller, const common::v1::CommandMeta& meta);

  EstimateCommandsOptions options_;
  aggregate::TenantNumbering numbering_;
};

}  // namespace jobledger::billing
