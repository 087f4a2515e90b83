// The recall chargeback rule.
#include "domain/chargeback.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "domain/invoicing.h"
#include "domain/pricing.h"

namespace jobledger::billing {

absl::StatusOr<v1::Chargeback> ComputeChargeback(const job::v1::Job& recall,
                                                 const job::v1::Job& original,
                                                 const v1::BillingSettings& settings,
                                                 const std::string& chargeback_id) {
  if (recall.recall_of_job_id() != original.job_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(recall), " is not a recall of ", JobLabel(original)));
  }
  std::map<std::string, int64_t> minutes_by_employee;  // ordered: ties go to the smaller id
  for (const job::v1::WorkEntry& entry : original.work_log()) {
    if (entry.open() || entry.employee_id().empty()) continue;
    minutes_by_employee[entry.employee_id()] += entry.minutes();
  }
  std::string charged;
  int64_t most = 0;
  for (const auto& [employee, minutes] : minutes_by_employee) {
    if (minutes > most) {
      charged = employee;
      most = minutes;
    }
  }
  if (charged.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        JobLabel(original), " has no logged work: there is no original technician to charge"));
  }
  const std::string currency = settings.currency().empty() ? "USD" : settings.currency();
  auto labor = Money::Zero(currency);
  if (!labor.ok()) return labor.status();
  auto materials = Money::Zero(currency);
  if (!materials.ok()) return materials.status();
  int64_t recall_minutes = 0;
  for (const job::v1::WorkEntry& entry : recall.work_log()) {
    if (entry.open()) continue;
    const auto rate =
        LaborRateFor(settings, entry.employee_id(), entry.type(), LaborAmountKind::kHourlyPrice);
    if (!rate.has_value() || !rate->has_hourly_price()) {
      return absl::FailedPreconditionError(absl::StrCat("no hourly price for ", entry.employee_id(),
                                                        " (", entry.type(),
                                                        "): set a labour rate first"));
    }
    auto hourly = Money::FromProto(rate->hourly_price());
    if (!hourly.ok()) return hourly.status();
    auto entry_amount = LaborAmount(entry.minutes(), *hourly);
    if (!entry_amount.ok()) return entry_amount.status();
    auto sum = labor->Plus(*entry_amount);
    if (!sum.ok()) return sum.status();
    *labor = *sum;
    recall_minutes += entry.minutes();
  }
  for (const job::v1::LineItem& line : recall.line_items()) {
    if (!line.billable() || line.kind() != job::v1::LINE_ITEM_KIND_MATERIAL) continue;
    auto total = Money::FromProto(line.total());
    if (!total.ok()) return total.status();
    auto sum = materials->Plus(*total);
    if (!sum.ok()) return sum.status();
    *materials = *sum;
  }
  auto amount = labor->Plus(*materials);
  if (!amount.ok()) return amount.status();
  v1::Chargeback chargeback;
  chargeback.set_chargeback_id(chargeback_id);
  chargeback.set_recall_job_id(recall.job_id());
  chargeback.set_original_job_id(original.job_id());
  chargeback.set_technician_id(charged);
  amount->ToProto(chargeback.mutable_amount());
  chargeback.set_rule(absl::StrCat(JobLabel(recall), "'s ", recall_minutes,
                                   " minutes at the fixing technicians' hourly prices (",
                                   labor->ToString(), ") plus its billable materials (",
                                   materials->ToString(), ") = ", amount->ToString(),
                                   ", charged to ", charged, ", who logged the most minutes (",
                                   most, ") on ", JobLabel(original)));
  return chargeback;
}

}  // namespace jobledger::billing
