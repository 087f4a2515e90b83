// Payments and refunds.
#include "domain/payments.h"

#include "absl/strings/str_cat.h"

namespace jobledger::billing {
namespace {

std::string Label(const v1::Invoice& invoice) {
  return invoice.kind() == v1::INVOICE_KIND_CREDIT_NOTE
             ? absl::StrCat("credit note INV-", invoice.number())
             : absl::StrCat("INV-", invoice.number());
}

absl::Status CheckTakesMoney(const v1::Invoice& invoice, const Money& amount) {
  if (invoice.kind() == v1::INVOICE_KIND_CREDIT_NOTE) {
    return absl::FailedPreconditionError(absl::StrCat(Label(invoice), " takes no payments"));
  }
  switch (invoice.status()) {
    case v1::INVOICE_STATUS_ISSUED:
    case v1::INVOICE_STATUS_PARTIALLY_PAID:
    case v1::INVOICE_STATUS_PAID:
      break;
    case v1::INVOICE_STATUS_DRAFT:
      return absl::FailedPreconditionError(
          absl::StrCat(Label(invoice), " is a draft: issue it first"));
    case v1::INVOICE_STATUS_VOID:
      return absl::FailedPreconditionError(absl::StrCat(Label(invoice), " is void"));
    default:
      return absl::FailedPreconditionError(
          absl::StrCat(Label(invoice), " is in no known status: it takes no money"));
  }
  if (amount.minor_units() <= 0) return absl::InvalidArgumentError("amount: must be positive");
  if (amount.currency() != invoice.total().currency()) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount: in ", invoice.total().currency(), ", like the invoice"));
  }
  return absl::OkStatus();
}

}  // namespace

v1::InvoiceStatus PaidStatus(const Money& total, const Money& paid) {
  if (paid.minor_units() <= 0) return v1::INVOICE_STATUS_ISSUED;
  if (paid.minor_units() < total.minor_units()) return v1::INVOICE_STATUS_PARTIALLY_PAID;
  return v1::INVOICE_STATUS_PAID;
}

absl::StatusOr<PaymentEffect> ApplyPayment(const v1::Invoice& invoice, const Money& amount,
                                           bool excess_to_credit) {
  if (absl::Status s = CheckTakesMoney(invoice, amount); !s.ok()) return s;
  auto total = Money::FromProto(invoice.total());
  if (!total.ok()) return total.status();
  auto balance = Money::FromProto(invoice.balance());
  if (!balance.ok()) return balance.status();
  auto paid = Money::FromProto(invoice.paid());
  if (!paid.ok()) return paid.status();
  PaymentEffect effect{amount, *Money::Zero(amount.currency()), *balance, invoice.status()};
  if (amount.minor_units() > balance->minor_units()) {
    if (!excess_to_credit) {
      return absl::FailedPreconditionError(absl::StrCat(
          "overpayment: ", Label(invoice), " has a balance of ", balance->ToString(), ", not ",
          amount.ToString(), "; record the excess as the customer's credit (excess_to_credit)"));
    }
    effect.applied = *balance;
    auto excess = amount.Minus(*balance);
    if (!excess.ok()) return excess.status();
    effect.to_credit = *excess;
  }
  auto balance_after = balance->Minus(effect.applied);
  if (!balance_after.ok()) return balance_after.status();
  auto paid_after = paid->Plus(effect.applied);
  if (!paid_after.ok()) return paid_after.status();
  effect.balance_after = *balance_after;
  effect.status_after = PaidStatus(*total, *paid_after);
  return effect;
}

absl::StatusOr<PaymentEffect> ApplyRefund(const v1::Invoice& invoice, const Money& amount) {
  if (absl::Status s = CheckTakesMoney(invoice, amount); !s.ok()) return s;
  auto total = Money::FromProto(invoice.total());
  if (!total.ok()) return total.status();
  auto paid = Money::FromProto(invoice.paid());
  if (!paid.ok()) return paid.status();
  if (amount.minor_units() > paid->minor_units()) {
    return absl::FailedPreconditionError(absl::StrCat("a refund of ", amount.ToString(),
                                                      " is more than the ", paid->ToString(),
                                                      " paid on ", Label(invoice)));
  }
  auto paid_after = paid->Minus(amount);
  if (!paid_after.ok()) return paid_after.status();
  auto balance_after = total->Minus(*paid_after);
  if (!balance_after.ok()) return balance_after.status();
  return PaymentEffect{amount, *Money::Zero(amount.currency()), *balance_after,
                       PaidStatus(*total, *paid_after)};
}

}  // namespace jobledger::billing
