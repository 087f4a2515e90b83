// Job costing: the cost summary bar from a job as its events made it, the price book's cost
// prices and the tenant's labour rates.
//   price     = billable service + material + asset lines (their totals)
//   cost      = lines' cost prices × quantity + expenses + labour (minutes × hourly cost / 60)
//   margin    = price − cost, and margin / price in ppm
// costs_complete is false when a line has no known cost price or a work entry no labour rate:
// the margin then counts only what is known.
#pragma once

#include <functional>
#include <optional>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::billing {

// The price book's cost price of an item, if it has one.
using CostPriceOf = std::function<std::optional<Money>(const std::string& price_item_id)>;

absl::StatusOr<v1::JobCost> CostJob(const job::v1::Job& job, const v1::BillingSettings& settings,
                                    const CostPriceOf& cost_price_of);

}  // namespace jobledger::billing
