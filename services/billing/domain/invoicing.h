// Invoices made from jobs: the standard invoice of a completed job, progress invoices of a billing
// schedule, and credit notes correcting an issued invoice. Pure: ids, numbers and the price book
// come in as arguments.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::billing {

using NewId = std::function<std::string()>;
// The price book's tax category of an item ("" when it has none or is unknown).
using TaxCategoryOf = std::function<std::string(const std::string& price_item_id)>;

// "JOB-12" and "INV-7" as people read them.
std::string JobLabel(const job::v1::Job& job);
std::string InvoiceLabel(const v1::Invoice& invoice);

// The draft invoice of a completed job: a line per billable line item with a non-zero total
// (custom lines carry no tax category, price-book lines their item's), priced and taxed by the
// settings. FAILED_PRECONDITION when the job is not Completed, when it already has a standard
// invoice that is not void (naming it), or when it has no billable line ("nothing to invoice",
// rather than a zero invoice).
absl::StatusOr<v1::Invoice> BuildJobInvoice(const job::v1::Job& job,
                                            const v1::BillingSettings& settings,
                                            const TaxCategoryOf& tax_category_of,
                                            const std::vector<v1::Invoice>& existing,
                                            const std::string& invoice_id, int64_t number,
                                            const NewId& new_id);

// The draft progress invoice of stage `stage` (0-based) of the job's schedule: one untaxed line
// "<label> (<share> % of <contract>)" for the stage's amount ("Stage <n>" without a label).
// FAILED_PRECONDITION when the job has no schedule or contract amount, the stage does not exist or
// is invoiced already (by an invoice that is not void).
absl::StatusOr<v1::Invoice> BuildProgressInvoice(const job::v1::Job& job,
                                                 const v1::JobBilling& billing, int stage,
                                                 const std::vector<v1::Invoice>& existing,
                                                 const std::string& invoice_id, int64_t number,
                                                 const NewId& new_id);

// A credit note correcting an issued (or partly or fully paid) invoice: the given lines, with
// positive quantities and prices in the original's currency (else INVALID_ARGUMENT naming the
// field), priced with the original's tax rate for their category (today's rate for a category the
// original did not bill) and negated. FAILED_PRECONDITION for a draft or void original or a credit
// note, or when the notes against it that are not void would credit more than its total.
absl::StatusOr<v1::Invoice> BuildCreditNote(
    const v1::Invoice& original, const google::protobuf::RepeatedPtrField<v1::InvoiceLine>& lines,
    const std::vector<v1::Invoice>& existing_notes, const v1::BillingSettings& settings,
    const std::string& invoice_id, int64_t number, const NewId& new_id);

}  // namespace jobledger::billing
