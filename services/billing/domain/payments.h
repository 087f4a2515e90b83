// Payments and refunds against an invoice, and the status they leave it in.
//   issued → partially paid → paid; a refund moves it back. Draft and void invoices take none.
// A payment above the balance is refused (FAILED_PRECONDITION naming the balance) unless the
// excess is explicitly kept as the customer's credit.
#pragma once

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"

namespace jobledger::billing {

struct PaymentEffect {
  Money applied;    // to the invoice
  Money to_credit;  // kept as the customer's credit
  Money balance_after;
  v1::InvoiceStatus status_after;
};

// The status of an issued invoice with `paid` of `total` paid.
v1::InvoiceStatus PaidStatus(const Money& total, const Money& paid);

absl::StatusOr<PaymentEffect> ApplyPayment(const v1::Invoice& invoice, const Money& amount,
                                           bool excess_to_credit);
// A refund of at most what was paid.
absl::StatusOr<PaymentEffect> ApplyRefund(const v1::Invoice& invoice, const Money& amount);

}  // namespace jobledger::billing
