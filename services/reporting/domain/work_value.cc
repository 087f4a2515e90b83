// Work value: billable line items plus priced labour.
#include "domain/work_value.h"

#include "absl/strings/str_cat.h"
#include "domain/invoicing.h"
#include "domain/pricing.h"
#include "domain/report_inputs.h"
#include "jobledger/common/status.h"

namespace jobledger::reporting {

absl::StatusOr<PricedLabor> PriceLabor(const billing::v1::BillingSettings& settings,
                                       const job::v1::WorkEntry& entry,
                                       absl::string_view currency) {
  const std::optional<billing::v1::LaborRate> rate = billing::LaborRateFor(
      settings, entry.employee_id(), entry.type(), billing::LaborAmountKind::kHourlyPrice);
  if (!rate.has_value()) return PricedLabor{std::nullopt, std::nullopt};
  JL_ASSIGN_OR_RETURN(Money hourly, AmountIn(rate->hourly_price(), currency,
                                             absl::StrCat("the hourly price of ",
                                                          entry.employee_id(), "/", entry.type())));
  JL_ASSIGN_OR_RETURN(Money amount, billing::LaborAmount(entry.minutes(), hourly));
  return PricedLabor{std::move(hourly), std::move(amount)};
}

absl::StatusOr<Money> LineItemValue(const job::v1::Job& job, const job::v1::LineItem& item,
                                    absl::string_view currency) {
  return AmountIn(item.total(), currency,
                  absl::StrCat(billing::JobLabel(job), " line item ", item.line_item_id()));
}

absl::StatusOr<Money> WorkValue(const job::v1::Job& job,
                                const billing::v1::BillingSettings& settings,
                                absl::string_view currency) {
  JL_ASSIGN_OR_RETURN(Money value, Money::Zero(currency));
  for (const job::v1::LineItem& item : job.line_items()) {
    if (!item.billable()) continue;
    JL_ASSIGN_OR_RETURN(const Money total, LineItemValue(job, item, currency));
    JL_RETURN_IF_ERROR(AddTo(value, total));
  }
  for (const job::v1::WorkEntry& entry : job.work_log()) {
    if (!IsClosedWork(entry)) continue;
    JL_ASSIGN_OR_RETURN(const PricedLabor labor, PriceLabor(settings, entry, currency));
    if (labor.amount.has_value()) JL_RETURN_IF_ERROR(AddTo(value, *labor.amount));
  }
  return value;
}

}  // namespace jobledger::reporting
