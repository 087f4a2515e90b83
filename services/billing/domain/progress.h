// Progress billing: a contract split into stages (20 % / 20 % / 60 %) whose amounts add up to the
// contract to the cent, whatever the order the stages are invoiced in: each stage's amount is
// fixed by its place (every stage but the last is rounded toward zero, the last takes the
// remainder).
#pragma once

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"

namespace jobledger::billing {

inline constexpr int kMaxStages = 24;
inline constexpr size_t kMaxStageLabelLength = 100;

// 1..24 stages, each share > 0 ppm, adding up to exactly 1,000,000; labels up to 100 bytes; no
// invoice_id (the service sets it). INVALID_ARGUMENT naming the field ("stages[2].share_ppm").
absl::Status ValidateStages(const google::protobuf::RepeatedPtrField<v1::BillingStage>& stages);

// The amount of every stage, in order; they add up to `contract` exactly.
absl::StatusOr<std::vector<Money>> StageAmounts(
    const Money& contract, const google::protobuf::RepeatedPtrField<v1::BillingStage>& stages);

}  // namespace jobledger::billing
