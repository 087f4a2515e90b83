// What every report starts from: a period of local dates, the jobs in number order, one currency
// that every amount must be in, and which invoices count as invoiced.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::reporting {

// [from, to] in local dates; an unset bound is open.
struct ReportPeriod {
  std::optional<absl::CivilDay> from;
  std::optional<absl::CivilDay> to;

  // INVALID_ARGUMENT naming "from" or "to" for a date that does not exist, or "to" before "from".
  static absl::StatusOr<ReportPeriod> Of(const std::optional<common::v1::LocalDate>& from,
                                         const std::optional<common::v1::LocalDate>& to);

  // An undated (or impossible) date is in an open period only: it cannot be placed in a bounded
  // one.
  bool Contains(const common::v1::LocalDate& date) const;
  bool Contains(absl::CivilDay day) const;
};

// The day of a record's date; nullopt when it is unset or impossible.
std::optional<absl::CivilDay> DayOf(const common::v1::LocalDate& date);

// The jobs by number (then id), without null pointers or a job given twice (it would count twice).
std::vector<const job::v1::Job*> JobsByNumber(const std::vector<const job::v1::Job*>& jobs);

// The currency of a report: the billing settings', else the first currency on the jobs (line
// items, expenses, contract amounts), else on the invoices, else USD (as billing's job costing).
std::string ReportCurrency(const billing::v1::BillingSettings& settings,
                           const std::vector<const job::v1::Job*>& jobs,
                           const std::vector<const billing::v1::Invoice*>& invoices = {});

// `amount` in the report's `currency`: an unset amount (no currency, zero) is zero; another
// currency is INVALID_ARGUMENT naming both currencies and `what` ("JOB-7 expense e1").
absl::StatusOr<Money> AmountIn(const common::v1::Money& amount, absl::string_view currency,
                               absl::string_view what);

// Whether an invoice has been issued and not voided: issued, partly paid or paid.
bool IsIssuedInvoice(const billing::v1::Invoice& invoice);

// What an issued invoice adds to "invoiced": its total; a credit note's total deducted whatever
// sign it was stored with (billing stores it negative).
common::v1::Money InvoicedAmount(const billing::v1::Invoice& invoice);

// sum += amount, refusing overflow.
[[nodiscard]] absl::Status AddTo(Money& sum, const Money& amount);

}  // namespace jobledger::reporting
