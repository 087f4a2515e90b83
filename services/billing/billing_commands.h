// The tenant's billing settings, the price book, and each job's billing record (progress
// schedule, commission deferral, chargebacks). No gRPC here.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/write_leases.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::billing {

struct BillingCommandsOptions {
  SettingsWriter* settings = nullptr;
  PriceItemWriter* price_items = nullptr;
  JobBillingWriter* job_billing = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  projection::WriteLeases* leases = nullptr;  // shared with the invoice commands
  eventlog::EventLog* log = nullptr;
  std::string job_topic;
  IdGenerator* ids = nullptr;
  const Clock* clock = &SystemClock();
  absl::Duration wait = absl::Seconds(5);  // for the projection to know a job or a write
};

class BillingCommands {
 public:
  explicit BillingCommands(BillingCommandsOptions options) : options_(std::move(options)) {}

  absl::StatusOr<v1::BillingSettingsReply> SetBillingSettings(
      const server::Caller& caller, const v1::SetBillingSettingsRequest& request);

  absl::StatusOr<v1::PriceItemReply> CreatePriceItem(const server::Caller& caller,
                                                     const v1::CreatePriceItemRequest& request);
  absl::StatusOr<v1::PriceItemReply> UpdatePriceItem(const server::Caller& caller,
                                                     const v1::UpdatePriceItemRequest& request);
  absl::StatusOr<v1::PriceItemReply> ChangePrice(const server::Caller& caller,
                                                 const v1::ChangePriceRequest& request);
  absl::StatusOr<v1::PriceItemReply> SetPriceItemActive(
      const server::Caller& caller, const v1::SetPriceItemActiveRequest& request);

  absl::StatusOr<v1::JobBillingReply> SetBillingSchedule(
      const server::Caller& caller, const v1::SetBillingScheduleRequest& request);
  absl::StatusOr<v1::JobBillingReply> ChangeCommission(const server::Caller& caller,
                                                       const v1::CommissionRequest& request,
                                                       bool defer);
  // The chargeback of a completed recall job against its original job's technician, once
  // (chargeback.h states the rule). For the reactions: the caller is the service itself.
  absl::StatusOr<v1::JobBillingReply> RecordChargeback(const server::Caller& caller,
                                                       const std::string& recall_job_id);

  // The tenant's settings; FAILED_PRECONDITION until they have a currency.
  absl::StatusOr<v1::BillingSettings> SettingsOf(const std::string& tenant);

 private:
  using PriceItemDecide = absl::FunctionRef<absl::StatusOr<std::vector<PriceItemEvent>>(
      const v1::PriceItem&, const Head&)>;
  absl::StatusOr<v1::PriceItemReply> OnPriceItem(const server::Caller& caller,
                                                 const common::v1::CommandMeta& meta,
                                                 const std::string& price_item_id,
                                                 const std::string* new_code,
                                                 PriceItemDecide decide);
  using JobBillingDecide = absl::FunctionRef<absl::StatusOr<std::vector<JobBillingEvent>>(
      const v1::JobBilling&, const Head&)>;
  absl::StatusOr<v1::JobBillingReply> OnJobBilling(const server::Caller& caller,
                                                   const common::v1::CommandMeta& meta,
                                                   const std::string& job_id,
                                                   JobBillingDecide decide);

  BillingCommandsOptions options_;
};

// The lease of a job's invoices (creating invoices, changing its schedule) and of a tenant's
// price codes.
std::string JobLeaseKey(absl::string_view tenant, absl::string_view job_id);
std::string CodeLeaseKey(absl::string_view tenant);

}  // namespace jobledger::billing
