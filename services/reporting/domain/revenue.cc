// Revenue entries and their sums.
#include "domain/revenue.h"

#include "absl/strings/str_cat.h"
#include "domain/report_inputs.h"
#include "domain/work_value.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/status.h"

namespace jobledger::reporting {
namespace {

// The running sums of one kind.
struct KindSum {
  int64_t minor_units = 0;
  int64_t count = 0;
};

absl::Status Add(KindSum& sum, const RevenueEntry& entry) {
  if (__builtin_add_overflow(sum.minor_units, entry.minor_units, &sum.minor_units)) {
    return absl::OutOfRangeError("revenue overflows 64-bit minor units");
  }
  if (entry.counts) ++sum.count;
  return absl::OkStatus();
}

void SetMoney(int64_t minor_units, const std::string& currency, common::v1::Money* money) {
  money->set_minor_units(minor_units);
  money->set_currency(currency);
}

}  // namespace

absl::StatusOr<RevenueEntry> CompletedWorkEntry(const job::v1::Job& completed,
                                                const billing::v1::BillingSettings& settings,
                                                const common::v1::LocalDate& date) {
  const std::string currency = ReportCurrency(settings, {&completed});
  JL_ASSIGN_OR_RETURN(const Money value, WorkValue(completed, settings, currency));
  return RevenueEntry{RevenueEntry::kCompletedWork, date, value.minor_units(), currency, true};
}

RevenueEntry InvoicedEntry(const billing::v1::Invoice& invoice, const common::v1::LocalDate& date) {
  const common::v1::Money amount = InvoicedAmount(invoice);
  const bool credit_note = invoice.kind() == billing::v1::INVOICE_KIND_CREDIT_NOTE;
  return RevenueEntry{RevenueEntry::kInvoiced, date, amount.minor_units(), amount.currency(),
                      !credit_note};
}

RevenueEntry CollectedEntry(const billing::v1::Payment& payment,
                            const common::v1::LocalDate& date) {
  const bool refund = payment.kind() == billing::v1::PAYMENT_KIND_REFUND;
  // Both kinds carry a positive amount; the sign says which way the money went.
  const int64_t magnitude = payment.amount().minor_units() < 0 ? -payment.amount().minor_units()
                                                               : payment.amount().minor_units();
  return RevenueEntry{RevenueEntry::kCollected, date, refund ? -magnitude : magnitude,
                      payment.amount().currency(), !refund};
}

RevenueEntry ReversalOf(const RevenueEntry& entry, const common::v1::LocalDate& date) {
  return RevenueEntry{entry.kind, date, -entry.minor_units, entry.currency, false};
}

absl::StatusOr<v1::RevenueReport> RevenueOf(const std::vector<RevenueEntry>& entries,
                                            std::optional<common::v1::LocalDate> from,
                                            std::optional<common::v1::LocalDate> to) {
  JL_ASSIGN_OR_RETURN(const ReportPeriod period, ReportPeriod::Of(from, to));
  std::string currency = entries.empty() ? "" : entries.front().currency;
  bool currency_from_period = false;
  KindSum completed, invoiced, collected;
  for (const RevenueEntry& entry : entries) {
    if (!period.Contains(entry.date)) continue;
    if (!currency_from_period) {
      currency = entry.currency;
      currency_from_period = true;
    } else if (entry.currency != currency) {
      return absl::InvalidArgumentError(
          absl::StrCat("mixed currencies: revenue entries in ", currency, " and ", entry.currency));
    }
    KindSum& sum = entry.kind == RevenueEntry::kCompletedWork ? completed
                   : entry.kind == RevenueEntry::kInvoiced    ? invoiced
                                                              : collected;
    JL_RETURN_IF_ERROR(Add(sum, entry));
  }
  v1::RevenueReport report;
  if (period.from.has_value()) LocalDateToProto(*period.from, report.mutable_from());
  if (period.to.has_value()) LocalDateToProto(*period.to, report.mutable_to());
  if (!currency.empty()) {
    SetMoney(completed.minor_units, currency, report.mutable_completed_work_value());
    SetMoney(invoiced.minor_units, currency, report.mutable_invoiced());
    SetMoney(collected.minor_units, currency, report.mutable_collected());
  }
  report.set_jobs_completed(static_cast<int32_t>(completed.count));
  report.set_invoices_issued(static_cast<int32_t>(invoiced.count));
  report.set_payments(static_cast<int32_t>(collected.count));
  return report;
}

}  // namespace jobledger::reporting
