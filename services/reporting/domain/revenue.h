// Revenue under three definitions side by side, each dated by the event that makes it:
//
//   completed work   a job's work value (work_value.h) when it is completed
//   invoiced         an invoice's total when it is issued; a credit note's total as a deduction
//   collected        a payment's whole amount when received (any part kept as the customer's
//                    credit was collected too); a refund as a deduction
//
// The projection records one RevenueEntry per such event, in the event's local date, and a
// reversal (ReversalOf) when one is undone: a completed job reopened, an issued invoice voided.
// RevenueOf then only adds entries up, so its numbers always reconcile to the events. The counts
// are of events: a job completed twice (reopened in between) is two completions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/reporting/v1/reporting.pb.h"

namespace jobledger::reporting {

struct RevenueEntry {
  enum Kind { kCompletedWork, kInvoiced, kCollected } kind;
  common::v1::LocalDate date;
  int64_t minor_units;  // signed: deductions are negative
  std::string currency;
  // Whether it counts in its kind's number (jobs_completed, invoices_issued, payments): a
  // completed job, an issued invoice, a payment. A credit note or a refund is a correction, not a
  // new invoice or payment, and a reversal undoes money, not the event: neither counts.
  bool counts;
};

// The job's work value at completion, in the settings' currency (else the job's).
absl::StatusOr<RevenueEntry> CompletedWorkEntry(const job::v1::Job& completed,
                                                const billing::v1::BillingSettings& settings,
                                                const common::v1::LocalDate& date);

// An invoice at issue: its total (a credit note's negative, and not counted as an invoice).
RevenueEntry InvoicedEntry(const billing::v1::Invoice& invoice, const common::v1::LocalDate& date);

// A payment (positive, counted) or a refund (negative, not counted) at receipt.
RevenueEntry CollectedEntry(const billing::v1::Payment& payment, const common::v1::LocalDate& date);

// Undoes `entry`'s amount on `date` (not counted).
RevenueEntry ReversalOf(const RevenueEntry& entry, const common::v1::LocalDate& date);

// The sums and counts of the entries dated in [from, to] (unset: no bound on that side). Amounts
// are in the entries' currency (mixed currencies in the period: INVALID_ARGUMENT naming them); a
// period with no entry has zero amounts in the first entry's currency, and no amounts at all
// (unset) when there are no entries. INVALID_ARGUMENT naming "from" / "to" for an impossible date
// or a range that ends before it starts.
absl::StatusOr<v1::RevenueReport> RevenueOf(const std::vector<RevenueEntry>& entries,
                                            std::optional<common::v1::LocalDate> from,
                                            std::optional<common::v1::LocalDate> to);

}  // namespace jobledger::reporting
