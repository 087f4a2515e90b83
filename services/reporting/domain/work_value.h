// What a job's work is worth at price, shared by the T&M report, the project report and the
// completed-work revenue so that the three always agree:
//
//   work value = the totals of its billable line items (every kind)
//              + its closed work entries at price: per entry, minutes × the billing settings'
//                hourly price for that employee and work type / 60, half away from zero
//                (billing's LaborRateFor and LaborAmount)
//
// Expenses are what the work cost, not what it is worth, so they are not part of it (the T&M
// report lists them and adds them to its own total). Labour with no hourly price adds nothing:
// the T&M report shows its minutes and names it unpriced. Open sessions (still clocked in) count
// once they are closed.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::reporting {

// Whether an entry is finished work (a manual entry, or a session clocked out).
inline bool IsClosedWork(const job::v1::WorkEntry& entry) { return !entry.open(); }

// A work entry at price.
struct PricedLabor {
  std::optional<Money> hourly_rate;  // nullopt: the settings have no price for it
  std::optional<Money> amount;       // set exactly when hourly_rate is
};

// INVALID_ARGUMENT when the rate is not in `currency`.
absl::StatusOr<PricedLabor> PriceLabor(const billing::v1::BillingSettings& settings,
                                       const job::v1::WorkEntry& entry, absl::string_view currency);

// The value of a billable line item (its total in `currency`).
absl::StatusOr<Money> LineItemValue(const job::v1::Job& job, const job::v1::LineItem& item,
                                    absl::string_view currency);

// The job's work value, all dates, in `currency` (INVALID_ARGUMENT for an amount in another).
absl::StatusOr<Money> WorkValue(const job::v1::Job& job,
                                const billing::v1::BillingSettings& settings,
                                absl::string_view currency);

}  // namespace jobledger::reporting
