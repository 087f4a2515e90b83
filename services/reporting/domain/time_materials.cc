// The Time & Materials report.
#include "domain/time_materials.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/invoicing.h"
#include "domain/report_inputs.h"
#include "domain/work_value.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/status.h"

namespace jobledger::reporting {
namespace {

using ItemLines = google::protobuf::RepeatedPtrField<v1::ItemLine>;

struct LaborSum {
  int64_t minutes = 0;
  std::optional<Money> hourly_rate;
  std::optional<Money> amount;
};
using LaborKey = std::pair<std::string, std::string>;  // employee, work type

struct DaySum {
  int64_t labor_minutes;
  Money labor_amount;
  Money expenses;
};

struct DatedExpense {
  std::optional<absl::CivilDay> day;  // undated first
  v1::ExpenseLine line;
};

// The report under construction, in one currency.
class TmBuilder {
 public:
  TmBuilder(const billing::v1::BillingSettings& settings, ReportPeriod period, const Money& zero)
      : settings_(settings),
        period_(period),
        zero_(zero),
        labor_total_(zero),
        materials_total_(zero),
        services_total_(zero),
        assets_total_(zero),
        expenses_total_(zero) {}

  absl::Status AddJob(const job::v1::Job& job) {
    report_.add_job_ids(job.job_id());
    JL_RETURN_IF_ERROR(AddLabor(job));
    JL_RETURN_IF_ERROR(AddItems(job));
    return AddExpenses(job);
  }

  absl::StatusOr<v1::TimeAndMaterialsReport> Finish() && {
    if (period_.from.has_value()) LocalDateToProto(*period_.from, report_.mutable_from());
    if (period_.to.has_value()) LocalDateToProto(*period_.to, report_.mutable_to());
    for (const auto& [key, sum] : labor_) {
      v1::LaborLine& line = *report_.add_labor();
      line.set_employee_id(key.first);
      line.set_work_type(key.second);
      line.set_minutes(sum.minutes);
      if (sum.hourly_rate.has_value()) sum.hourly_rate->ToProto(line.mutable_hourly_rate());
      if (sum.amount.has_value()) {
        sum.amount->ToProto(line.mutable_amount());
      } else {
        report_.add_unpriced_labor(absl::StrCat(key.first, "/", key.second));
      }
    }
    std::stable_sort(expenses_.begin(), expenses_.end(),
                     [](const DatedExpense& a, const DatedExpense& b) { return a.day < b.day; });
    for (DatedExpense& expense : expenses_) *report_.add_expenses() = std::move(expense.line);
    for (const auto& [day, sum] : days_) {
      v1::TmDay& row = *report_.add_days();
      LocalDateToProto(day, row.mutable_date());
      row.set_labor_minutes(sum.labor_minutes);
      sum.labor_amount.ToProto(row.mutable_labor_amount());
      sum.expenses.ToProto(row.mutable_expenses());
    }
    Money total = zero_;
    for (const Money* part :
         {&labor_total_, &materials_total_, &services_total_, &assets_total_, &expenses_total_}) {
      JL_RETURN_IF_ERROR(AddTo(total, *part));
    }
    labor_total_.ToProto(report_.mutable_labor_total());
    materials_total_.ToProto(report_.mutable_materials_total());
    services_total_.ToProto(report_.mutable_services_total());
    assets_total_.ToProto(report_.mutable_assets_total());
    expenses_total_.ToProto(report_.mutable_expenses_total());
    total.ToProto(report_.mutable_total());
    return std::move(report_);
  }

 private:
  const std::string& currency() const { return zero_.currency(); }

  DaySum& Day(absl::CivilDay day) {
    return days_.try_emplace(day, DaySum{0, zero_, zero_}).first->second;
  }

  absl::Status AddLabor(const job::v1::Job& job) {
    for (const job::v1::WorkEntry& entry : job.work_log()) {
      if (!IsClosedWork(entry) || !period_.Contains(entry.date())) continue;
      JL_ASSIGN_OR_RETURN(PricedLabor priced, PriceLabor(settings_, entry, currency()));
      LaborSum& sum = labor_[{entry.employee_id(), entry.type()}];
      sum.minutes += entry.minutes();
      sum.hourly_rate = priced.hourly_rate;
      const std::optional<absl::CivilDay> day = DayOf(entry.date());
      if (day.has_value()) Day(*day).labor_minutes += entry.minutes();
      if (!priced.amount.has_value()) continue;
      if (!sum.amount.has_value()) sum.amount = zero_;
      JL_RETURN_IF_ERROR(AddTo(*sum.amount, *priced.amount));
      JL_RETURN_IF_ERROR(AddTo(labor_total_, *priced.amount));
      if (day.has_value()) JL_RETURN_IF_ERROR(AddTo(Day(*day).labor_amount, *priced.amount));
    }
    return absl::OkStatus();
  }

  absl::Status AddItems(const job::v1::Job& job) {
    for (const job::v1::LineItem& item : job.line_items()) {
      JL_ASSIGN_OR_RETURN(const Money total, LineItemValue(job, item, currency()));
      JL_ASSIGN_OR_RETURN(
          const Money unit_price,
          AmountIn(item.unit_price(), currency(),
                   absl::StrCat(billing::JobLabel(job), " line item ", item.line_item_id())));
      auto [lines, kind_total] = BucketOf(item.kind());
      v1::ItemLine& line = *lines->Add();
      line.set_job_id(job.job_id());
      line.set_job_number(job.number());
      line.set_line_item_id(item.line_item_id());
      line.set_kind(item.kind());
      line.set_name(item.name());
      line.set_quantity_milli(item.quantity_milli());
      unit_price.ToProto(line.mutable_unit_price());
      total.ToProto(line.mutable_total());
      line.set_billable(item.billable());
      if (item.billable()) JL_RETURN_IF_ERROR(AddTo(*kind_total, total));
    }
    return absl::OkStatus();
  }

  // Where a line of `kind` goes; a line of no kind is an asset, as in billing's job costing.
  std::pair<ItemLines*, Money*> BucketOf(job::v1::LineItemKind kind) {
    switch (kind) {
      case job::v1::LINE_ITEM_KIND_MATERIAL:
        return {report_.mutable_materials(), &materials_total_};
      case job::v1::LINE_ITEM_KIND_SERVICE:
        return {report_.mutable_services(), &services_total_};
      default:
        return {report_.mutable_assets(), &assets_total_};
    }
  }

  absl::Status AddExpenses(const job::v1::Job& job) {
    for (const job::v1::Expense& expense : job.expenses()) {
      if (!period_.Contains(expense.date())) continue;
      JL_ASSIGN_OR_RETURN(
          const Money amount,
          AmountIn(expense.amount(), currency(),
                   absl::StrCat(billing::JobLabel(job), " expense ", expense.expense_id())));
      JL_RETURN_IF_ERROR(AddTo(expenses_total_, amount));
      const std::optional<absl::CivilDay> day = DayOf(expense.date());
      if (day.has_value()) JL_RETURN_IF_ERROR(AddTo(Day(*day).expenses, amount));
      v1::ExpenseLine line;
      line.set_job_id(job.job_id());
      line.set_job_number(job.number());
      line.set_expense_id(expense.expense_id());
      line.set_description(expense.description());
      line.set_employee_id(expense.employee_id());
      if (day.has_value()) *line.mutable_date() = expense.date();
      amount.ToProto(line.mutable_amount());
      expenses_.push_back({day, std::move(line)});
    }
    return absl::OkStatus();
  }

  const billing::v1::BillingSettings& settings_;
  const ReportPeriod period_;
  const Money zero_;
  v1::TimeAndMaterialsReport report_;
  std::map<LaborKey, LaborSum> labor_;
  std::map<absl::CivilDay, DaySum> days_;
  std::vector<DatedExpense> expenses_;  // in job order; sorted by date at the end
  Money labor_total_;
  Money materials_total_;
  Money services_total_;
  Money assets_total_;
  Money expenses_total_;
};

}  // namespace

absl::StatusOr<v1::TimeAndMaterialsReport> TimeAndMaterials(
    const std::vector<const job::v1::Job*>& jobs, const billing::v1::BillingSettings& settings,
    std::optional<common::v1::LocalDate> from, std::optional<common::v1::LocalDate> to) {
  JL_ASSIGN_OR_RETURN(const ReportPeriod period, ReportPeriod::Of(from, to));
  const std::vector<const job::v1::Job*> ordered = JobsByNumber(jobs);
  JL_ASSIGN_OR_RETURN(const Money zero, Money::Zero(ReportCurrency(settings, ordered)));
  TmBuilder builder(settings, period, zero);
  for (const job::v1::Job* job : ordered) JL_RETURN_IF_ERROR(builder.AddJob(*job));
  return std::move(builder).Finish();
}

}  // namespace jobledger::reporting
