// Job costing.
#include "domain/costing.h"

#include "domain/pricing.h"

namespace jobledger::billing {
namespace {

// Adds `amount` to `sum` (both in the job's currency).
absl::Status Add(Money& sum, const Money& amount) {
  auto added = sum.Plus(amount);
  if (!added.ok()) return added.status();
  sum = *added;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::JobCost> CostJob(const job::v1::Job& job, const v1::BillingSettings& settings,
                                    const CostPriceOf& cost_price_of) {
  auto zero = Money::Zero(settings.currency().empty() ? "USD" : settings.currency());
  if (!zero.ok()) return zero.status();
  Money services = *zero, materials = *zero, assets = *zero, expenses = *zero, labor = *zero,
        line_costs = *zero;
  bool complete = true;
  int64_t minutes = 0;
  for (const job::v1::LineItem& line : job.line_items()) {
    if (!line.billable()) continue;
    auto total = Money::FromProto(line.total());
    if (!total.ok()) return total.status();
    Money& bucket = line.kind() == job::v1::LINE_ITEM_KIND_SERVICE    ? services
                    : line.kind() == job::v1::LINE_ITEM_KIND_MATERIAL ? materials
                                                                      : assets;
    if (absl::Status s = Add(bucket, *total); !s.ok()) return s;
    const std::optional<Money> cost =
        line.price_book_item_id().empty() ? std::nullopt : cost_price_of(line.price_book_item_id());
    if (!cost.has_value()) {
      complete = false;
      continue;
    }
    auto line_cost = LineNet(line.quantity_milli(), *cost);
    if (!line_cost.ok()) return line_cost.status();
    if (absl::Status s = Add(line_costs, *line_cost); !s.ok()) return s;
  }
  for (const job::v1::Expense& expense : job.expenses()) {
    auto amount = Money::FromProto(expense.amount());
    if (!amount.ok()) return amount.status();
    if (absl::Status s = Add(expenses, *amount); !s.ok()) return s;
  }
  for (const job::v1::WorkEntry& entry : job.work_log()) {
    if (entry.open()) continue;  // still clocked in: counted once it ends
    minutes += entry.minutes();
    const auto rate =
        LaborRateFor(settings, entry.employee_id(), entry.type(), LaborAmountKind::kHourlyCost);
    if (!rate.has_value() || !rate->has_hourly_cost()) {
      complete = false;
      continue;
    }
    auto hourly = Money::FromProto(rate->hourly_cost());
    if (!hourly.ok()) return hourly.status();
    auto amount = LaborAmount(entry.minutes(), *hourly);
    if (!amount.ok()) return amount.status();
    if (absl::Status s = Add(labor, *amount); !s.ok()) return s;
  }
  Money price = services;
  if (absl::Status s = Add(price, materials); !s.ok()) return s;
  if (absl::Status s = Add(price, assets); !s.ok()) return s;
  Money cost = line_costs;
  if (absl::Status s = Add(cost, expenses); !s.ok()) return s;
  if (absl::Status s = Add(cost, labor); !s.ok()) return s;
  auto margin = price.Minus(cost);
  if (!margin.ok()) return margin.status();

  v1::JobCost result;
  result.set_job_id(job.job_id());
  services.ToProto(result.mutable_services());
  materials.ToProto(result.mutable_materials());
  assets.ToProto(result.mutable_assets());
  expenses.ToProto(result.mutable_expenses());
  labor.ToProto(result.mutable_labor_cost());
  price.ToProto(result.mutable_price());
  cost.ToProto(result.mutable_cost());
  margin->ToProto(result.mutable_margin());
  if (price.minor_units() != 0) {
    result.set_margin_ppm(ShareInPpm(margin->minor_units(), price.minor_units()));
  }
  result.set_costs_complete(complete);
  result.set_labor_minutes(minutes);
  return result;
}

}  // namespace jobledger::billing
