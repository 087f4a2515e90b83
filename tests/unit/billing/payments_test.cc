// Payments and refunds against invoices and the statuses they leave.
#include "domain/payments.h"

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::billing {
namespace {

using ::testing::HasSubstr;
using testing::InvoiceOf;
using testing::IsMoney;
using testing::M;
using testing::StatusIs;

// INV-9: USD 100.00 with `paid` paid.
v1::Invoice Issued(int64_t paid = 0) {
  const v1::InvoiceStatus status = paid == 0       ? v1::INVOICE_STATUS_ISSUED
                                   : paid < 10'000 ? v1::INVOICE_STATUS_PARTIALLY_PAID
                                                   : v1::INVOICE_STATUS_PAID;
  return InvoiceOf(v1::INVOICE_KIND_STANDARD, status, 9, 10'000, paid);
}

TEST(PaidStatus, FromIssuedToPaid) {
  EXPECT_EQ(PaidStatus(M(10'000), M(0)), v1::INVOICE_STATUS_ISSUED);
  EXPECT_EQ(PaidStatus(M(10'000), M(1)), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_EQ(PaidStatus(M(10'000), M(9'999)), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_EQ(PaidStatus(M(10'000), M(10'000)), v1::INVOICE_STATUS_PAID);
}

TEST(ApplyPayment, PartialPayment) {
  absl::StatusOr<PaymentEffect> effect = ApplyPayment(Issued(), M(4'000), false);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->applied, IsMoney(4'000));
  EXPECT_THAT(effect->to_credit, IsMoney(0));
  EXPECT_THAT(effect->balance_after, IsMoney(6'000));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PARTIALLY_PAID);
}

TEST(ApplyPayment, ExactPaymentPays) {
  absl::StatusOr<PaymentEffect> effect = ApplyPayment(Issued(), M(10'000), false);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->applied, IsMoney(10'000));
  EXPECT_THAT(effect->balance_after, IsMoney(0));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PAID);
  // The rest of a partly paid invoice.
  effect = ApplyPayment(Issued(4'000), M(6'000), false);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->balance_after, IsMoney(0));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PAID);
  // One cent short.
  effect = ApplyPayment(Issued(4'000), M(5'999), false);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->balance_after, IsMoney(1));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PARTIALLY_PAID);
}

TEST(ApplyPayment, OverpaymentIsRefusedNamingTheBalance) {
  const absl::Status refused = ApplyPayment(Issued(4'000), M(6'001), false).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition, "overpayment"));
  EXPECT_THAT(refused.message(), HasSubstr("INV-9 has a balance of USD 60.00"));
  EXPECT_THAT(refused.message(), HasSubstr("USD 60.01"));
  EXPECT_THAT(refused.message(), HasSubstr("excess_to_credit"));
  EXPECT_THAT(ApplyPayment(Issued(10'000), M(1), false).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "balance of USD 0.00"));
}

TEST(ApplyPayment, ExcessKeptAsCreditWhenAskedFor) {
  absl::StatusOr<PaymentEffect> effect = ApplyPayment(Issued(4'000), M(7'500), true);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->applied, IsMoney(6'000));
  EXPECT_THAT(effect->to_credit, IsMoney(1'500));
  EXPECT_THAT(effect->balance_after, IsMoney(0));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PAID);
  // Asking for it without an excess changes nothing.
  effect = ApplyPayment(Issued(), M(2'500), true);
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->applied, IsMoney(2'500));
  EXPECT_THAT(effect->to_credit, IsMoney(0));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PARTIALLY_PAID);
}

TEST(ApplyPayment, DraftVoidAndCreditNotesTakeNoMoney) {
  EXPECT_THAT(
      ApplyPayment(InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_DRAFT, 9), M(100), false)
          .status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "INV-9 is a draft"));
  EXPECT_THAT(
      ApplyPayment(InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_VOID, 9), M(100), true)
          .status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "INV-9 is void"));
  EXPECT_THAT(ApplyPayment(InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_UNSPECIFIED, 9),
                           M(100), false)
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "INV-9"));
  EXPECT_THAT(
      ApplyPayment(InvoiceOf(v1::INVOICE_KIND_CREDIT_NOTE, v1::INVOICE_STATUS_ISSUED, 9, -10'000),
                   M(100), false)
          .status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "credit note INV-9 takes no payments"));
  // Progress invoices take payments like standard ones.
  EXPECT_TRUE(ApplyPayment(InvoiceOf(v1::INVOICE_KIND_PROGRESS, v1::INVOICE_STATUS_ISSUED, 9),
                           M(100), false)
                  .ok());
}

TEST(ApplyPayment, AmountMustBePositiveAndInTheInvoicesCurrency) {
  EXPECT_THAT(ApplyPayment(Issued(), M(0), false).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "amount: must be positive"));
  EXPECT_THAT(ApplyPayment(Issued(), M(-100), true).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "amount: must be positive"));
  EXPECT_THAT(ApplyPayment(Issued(), M(100, "EUR"), false).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "amount: in USD"));
}

TEST(ApplyRefund, UpToWhatWasPaidAndTheStatusGoesBack) {
  absl::StatusOr<PaymentEffect> effect = ApplyRefund(Issued(10'000), M(2'500));
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->applied, IsMoney(2'500));
  EXPECT_THAT(effect->to_credit, IsMoney(0));
  EXPECT_THAT(effect->balance_after, IsMoney(2'500));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_PARTIALLY_PAID);

  effect = ApplyRefund(Issued(10'000), M(10'000));
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_THAT(effect->balance_after, IsMoney(10'000));
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_ISSUED);

  effect = ApplyRefund(Issued(4'000), M(4'000));
  ASSERT_TRUE(effect.ok()) << effect.status();
  EXPECT_EQ(effect->status_after, v1::INVOICE_STATUS_ISSUED);
}

TEST(ApplyRefund, RefusesMoreThanWasPaid) {
  const absl::Status refused = ApplyRefund(Issued(4'000), M(4'001)).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                "a refund of USD 40.01 is more than the USD 40.00 paid on INV-9"));
  EXPECT_THAT(ApplyRefund(Issued(), M(1)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "USD 0.00 paid"));
}

TEST(ApplyRefund, SameChecksAsPayments) {
  EXPECT_THAT(ApplyRefund(InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_DRAFT, 9), M(100))
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "draft"));
  EXPECT_THAT(
      ApplyRefund(InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_VOID, 9, 10'000, 10'000),
                  M(100))
          .status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "void"));
  EXPECT_THAT(ApplyRefund(Issued(10'000), M(0)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "amount"));
  EXPECT_THAT(ApplyRefund(Issued(10'000), M(100, "CAD")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "amount: in USD"));
}

}  // namespace
}  // namespace jobledger::billing
