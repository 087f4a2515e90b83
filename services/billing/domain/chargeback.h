// Recall chargebacks. The stated rule: a recall (warranty return) is charged against the technician
// who did the original job — the one with the most logged minutes on it (ties: the smaller id) —
// at what the fixing work would normally be billed: each closed work entry of the recall job,
// minutes × the fixing employee's hourly price for its work type / 60 (half away from zero), plus
// the recall job's billable material lines at their totals.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::billing {

// FAILED_PRECONDITION when `recall` is not a recall of `original`, the original job has no logged
// work (nobody to charge) or a work entry of the recall has no hourly price (naming the employee
// and type). The rule text states the minutes, both parts, the sum and why that technician.
absl::StatusOr<v1::Chargeback> ComputeChargeback(const job::v1::Job& recall,
                                                 const job::v1::Job& original,
                                                 const v1::BillingSettings& settings,
                                                 const std::string& chargeback_id);

}  // namespace jobledger::billing
