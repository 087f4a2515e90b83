// The project report.
#include "domain/project_report.h"

#include <cstdint>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/invoicing.h"
#include "domain/report_inputs.h"
#include "domain/work_value.h"
#include "jobledger/common/status.h"

namespace jobledger::reporting {
namespace {

// One job's money, in the report currency.
struct JobMoney {
  Money contract;
  Money work_value;
  Money invoiced;
  Money paid;
};

int32_t OpenItemsOf(const job::v1::Job& job) {
  int32_t open = 0;
  for (const job::v1::ChecklistItem& item : job.checklist()) {
    if (item.required() && !item.done()) ++open;
  }
  return open;
}

absl::StatusOr<JobMoney> MoneyOf(const job::v1::Job& job,
                                 const std::vector<const billing::v1::Invoice*>& invoices,
                                 const billing::v1::BillingSettings& settings, const Money& zero) {
  const std::string& currency = zero.currency();
  JL_ASSIGN_OR_RETURN(Money contract,
                      AmountIn(job.contract_amount(), currency,
                               absl::StrCat(billing::JobLabel(job), " contract amount")));
  JL_ASSIGN_OR_RETURN(Money work_value, WorkValue(job, settings, currency));
  JobMoney money{std::move(contract), std::move(work_value), zero, zero};
  for (const billing::v1::Invoice* invoice : invoices) {
    if (!IsIssuedInvoice(*invoice)) continue;
    const std::string label = billing::InvoiceLabel(*invoice);
    JL_ASSIGN_OR_RETURN(const Money invoiced, AmountIn(InvoicedAmount(*invoice), currency, label));
    JL_RETURN_IF_ERROR(AddTo(money.invoiced, invoiced));
    JL_ASSIGN_OR_RETURN(const Money paid, AmountIn(invoice->paid(), currency, label));
    JL_RETURN_IF_ERROR(AddTo(money.paid, paid));
  }
  return money;
}

}  // namespace

absl::StatusOr<v1::ProjectReport> ProjectReportOf(
    const std::string& project_id, const std::vector<const job::v1::Job*>& jobs,
    const std::vector<const billing::v1::Invoice*>& invoices,
    const billing::v1::BillingSettings& settings) {
  const std::vector<const job::v1::Job*> ordered = JobsByNumber(jobs);
  std::map<std::string, std::vector<const billing::v1::Invoice*>> invoices_of;
  for (const job::v1::Job* job : ordered) invoices_of[job->job_id()];
  for (const billing::v1::Invoice* invoice : invoices) {
    if (invoice == nullptr) continue;
    auto found = invoices_of.find(invoice->job_id());
    if (found != invoices_of.end()) found->second.push_back(invoice);
  }
  JL_ASSIGN_OR_RETURN(const Money zero, Money::Zero(ReportCurrency(settings, ordered, invoices)));
  JobMoney totals{zero, zero, zero, zero};
  v1::ProjectReport report;
  report.set_project_id(project_id);
  int32_t jobs_total = 0, jobs_completed = 0, open_items = 0;
  for (const job::v1::Job* job : ordered) {
    JL_ASSIGN_OR_RETURN(const JobMoney money,
                        MoneyOf(*job, invoices_of[job->job_id()], settings, zero));
    JL_RETURN_IF_ERROR(AddTo(totals.work_value, money.work_value));
    JL_RETURN_IF_ERROR(AddTo(totals.invoiced, money.invoiced));
    JL_RETURN_IF_ERROR(AddTo(totals.paid, money.paid));
    v1::ProjectJob& row = *report.add_jobs();
    row.set_job_id(job->job_id());
    row.set_number(job->number());
    row.set_title(job->title());
    row.set_status(job->status());
    money.work_value.ToProto(row.mutable_work_value());
    money.invoiced.ToProto(row.mutable_invoiced());
    money.paid.ToProto(row.mutable_paid());
    row.set_open_items(OpenItemsOf(*job));
    if (job->status() == job::v1::JOB_STATUS_CANCELLED) continue;
    JL_RETURN_IF_ERROR(AddTo(totals.contract, money.contract));
    ++jobs_total;
    if (job->status() == job::v1::JOB_STATUS_COMPLETED) ++jobs_completed;
    open_items += row.open_items();
  }
  report.set_jobs_total(jobs_total);
  report.set_jobs_completed(jobs_completed);
  report.set_percent_complete(jobs_total == 0 ? 0 : jobs_completed * 100 / jobs_total);
  report.set_open_items(open_items);
  totals.contract.ToProto(report.mutable_contract_amount());
  totals.work_value.ToProto(report.mutable_work_value());
  totals.invoiced.ToProto(report.mutable_invoiced());
  totals.paid.ToProto(report.mutable_paid());
  JL_ASSIGN_OR_RETURN(const Money balance, totals.invoiced.Minus(totals.paid));
  balance.ToProto(report.mutable_balance());
  JL_ASSIGN_OR_RETURN(const Money remaining, totals.contract.Minus(totals.invoiced));
  remaining.ToProto(report.mutable_remaining_contract());
  return report;
}

}  // namespace jobledger::reporting
