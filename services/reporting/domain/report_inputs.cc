// Report periods, job order and the report currency.
#include "domain/report_inputs.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "jobledger/common/local_time.h"

namespace jobledger::reporting {
namespace {

absl::StatusOr<std::optional<absl::CivilDay>> BoundOf(
    absl::string_view field, const std::optional<common::v1::LocalDate>& date) {
  if (!date.has_value()) return std::nullopt;
  auto day = LocalDateFromProto(*date);
  if (!day.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", day.status().message()));
  }
  return *day;
}

// The currency of an amount that has one.
std::optional<std::string> CurrencyOf(const common::v1::Money& amount) {
  if (amount.currency().empty()) return std::nullopt;
  return amount.currency();
}

std::optional<std::string> FirstCurrencyOf(const job::v1::Job& job) {
  for (const job::v1::LineItem& item : job.line_items()) {
    if (auto currency = CurrencyOf(item.total())) return currency;
    if (auto currency = CurrencyOf(item.unit_price())) return currency;
  }
  for (const job::v1::Expense& expense : job.expenses()) {
    if (auto currency = CurrencyOf(expense.amount())) return currency;
  }
  return CurrencyOf(job.contract_amount());
}

}  // namespace

absl::StatusOr<ReportPeriod> ReportPeriod::Of(const std::optional<common::v1::LocalDate>& from,
                                              const std::optional<common::v1::LocalDate>& to) {
  auto first = BoundOf("from", from);
  if (!first.ok()) return first.status();
  auto last = BoundOf("to", to);
  if (!last.ok()) return last.status();
  if (first->has_value() && last->has_value() && **last < **first) {
    return absl::InvalidArgumentError("to: before from");
  }
  return ReportPeriod{*first, *last};
}

bool ReportPeriod::Contains(absl::CivilDay day) const {
  return (!from.has_value() || *from <= day) && (!to.has_value() || day <= *to);
}

bool ReportPeriod::Contains(const common::v1::LocalDate& date) const {
  if (!from.has_value() && !to.has_value()) return true;
  const std::optional<absl::CivilDay> day = DayOf(date);
  return day.has_value() && Contains(*day);
}

std::optional<absl::CivilDay> DayOf(const common::v1::LocalDate& date) {
  auto day = LocalDateFromProto(date);
  if (!day.ok()) return std::nullopt;
  return *day;
}

std::vector<const job::v1::Job*> JobsByNumber(const std::vector<const job::v1::Job*>& jobs) {
  std::vector<const job::v1::Job*> ordered;
  ordered.reserve(jobs.size());
  for (const job::v1::Job* job : jobs) {
    if (job != nullptr) ordered.push_back(job);
  }
  std::sort(ordered.begin(), ordered.end(), [](const job::v1::Job* a, const job::v1::Job* b) {
    if (a->number() != b->number()) return a->number() < b->number();
    return a->job_id() < b->job_id();
  });
  ordered.erase(std::unique(ordered.begin(), ordered.end(),
                            [](const job::v1::Job* a, const job::v1::Job* b) {
                              return a->job_id() == b->job_id();
                            }),
                ordered.end());
  return ordered;
}

std::string ReportCurrency(const billing::v1::BillingSettings& settings,
                           const std::vector<const job::v1::Job*>& jobs,
                           const std::vector<const billing::v1::Invoice*>& invoices) {
  if (!settings.currency().empty()) return settings.currency();
  for (const job::v1::Job* job : jobs) {
    if (job == nullptr) continue;
    if (auto currency = FirstCurrencyOf(*job)) return *currency;
  }
  for (const billing::v1::Invoice* invoice : invoices) {
    if (invoice == nullptr) continue;
    if (auto currency = CurrencyOf(invoice->total())) return *currency;
  }
  return "USD";
}

absl::StatusOr<Money> AmountIn(const common::v1::Money& amount, absl::string_view currency,
                               absl::string_view what) {
  if (amount.currency().empty() && amount.minor_units() == 0) return Money::Zero(currency);
  if (amount.currency().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " has no currency"));
  }
  if (amount.currency() != currency) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mixed currencies: ", what, " is in ", amount.currency(), ", the report is in ", currency));
  }
  return Money::FromProto(amount);
}

bool IsIssuedInvoice(const billing::v1::Invoice& invoice) {
  switch (invoice.status()) {
    case billing::v1::INVOICE_STATUS_ISSUED:
    case billing::v1::INVOICE_STATUS_PARTIALLY_PAID:
    case billing::v1::INVOICE_STATUS_PAID:
      return true;
    default:
      return false;
  }
}

common::v1::Money InvoicedAmount(const billing::v1::Invoice& invoice) {
  common::v1::Money amount = invoice.total();
  if (invoice.kind() == billing::v1::INVOICE_KIND_CREDIT_NOTE && amount.minor_units() > 0) {
    amount.set_minor_units(-amount.minor_units());
  }
  return amount;
}

absl::Status AddTo(Money& sum, const Money& amount) {
  auto added = sum.Plus(amount);
  if (!added.ok()) return added.status();
  sum = *std::move(added);
  return absl::OkStatus();
}

}  // namespace jobledger::reporting
