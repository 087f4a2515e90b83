// The project report across the jobs of a project: each job's status, work value, invoiced and
// paid amounts and open items, and the project's totals against its contract. Pure: the jobs,
// their invoices and the billing settings come in as arguments.
//
//   work value   work_value.h: billable line items + closed labour at price, all dates; no
//                expenses (they are costs, not value)
//   invoiced     the totals of the job's standard and progress invoices that are issued, partly
//                paid or paid, less its issued credit notes (their totals are negative in
//                billing; deducted by magnitude); drafts and void invoices do not count
//   paid         what those standard and progress invoices have been paid (refunds deducted)
//   open items   required checklist items not done
//   jobs_total   the jobs that are not cancelled; jobs_completed those completed;
//                percent_complete = jobs_completed × 100 / jobs_total, floor (0 with no jobs)
//   balance      invoiced − paid;  remaining_contract = contract − invoiced
//
//   contract     the contract amounts of the jobs that are not cancelled
//
// A cancelled job is listed and its work value, invoices and payments count (they happened), but
// its contract amount does not (that work will not be billed), nor is it in the progress figures:
// jobs_total, jobs_completed, percent_complete and open_items.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/reporting/v1/reporting.pb.h"

namespace jobledger::reporting {

// The report over `jobs` (the caller selects them: a project's jobs, or any jobs picked for a
// project report); invoices of other jobs are ignored. Jobs by number. Amounts are in the
// settings' currency (else the jobs', else the invoices'); anything in another is
// INVALID_ARGUMENT naming both currencies and the record.
absl::StatusOr<v1::ProjectReport> ProjectReportOf(
    const std::string& project_id, const std::vector<const job::v1::Job*>& jobs,
    const std::vector<const billing::v1::Invoice*>& invoices,
    const billing::v1::BillingSettings& settings);

}  // namespace jobledger::reporting
