// Stage amounts of a billing schedule.
#include "domain/progress.h"

#include "absl/strings/str_cat.h"
#include "domain/pricing.h"
#include "jobledger/common/field_checks.h"

namespace jobledger::billing {

absl::Status ValidateStages(const google::protobuf::RepeatedPtrField<v1::BillingStage>& stages) {
  if (stages.empty()) return Invalid("stages", "required");
  if (stages.size() > kMaxStages) return Invalid("stages", absl::StrCat("at most ", kMaxStages));
  int64_t sum = 0;
  for (int i = 0; i < stages.size(); ++i) {
    const v1::BillingStage& stage = stages[i];
    if (absl::Status s = ValidateText(Field(Indexed("stages", i), "label"), stage.label(),
                                      kMaxStageLabelLength, false);
        !s.ok()) {
      return s;
    }
    if (stage.share_ppm() <= 0 || stage.share_ppm() > kPpm) {
      return Invalid(Field(Indexed("stages", i), "share_ppm"), "between 1 and 1000000");
    }
    if (!stage.invoice_id().empty()) {
      return Invalid(Field(Indexed("stages", i), "invoice_id"), "set by the service");
    }
    sum += stage.share_ppm();
  }
  if (sum != kPpm) {
    return Invalid("stages", absl::StrCat("shares add up to ", sum, " ppm, not 1000000 (100 %)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Money>> StageAmounts(
    const Money& contract, const google::protobuf::RepeatedPtrField<v1::BillingStage>& stages) {
  std::vector<int64_t> weights;
  weights.reserve(stages.size());
  for (const v1::BillingStage& stage : stages) weights.push_back(stage.share_ppm());
  return contract.Split(weights);
}

}  // namespace jobledger::billing
