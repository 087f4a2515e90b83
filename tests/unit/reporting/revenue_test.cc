// Revenue entries made from hand-built records, and their sums over a period.
#include "domain/revenue.h"

#include <vector>

#include "domain/work_value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reporting_test_util.h"

namespace jobledger::reporting {
namespace {

using testing::D;
using testing::IsUsd;
using testing::P;
using testing::StatusIs;

RevenueEntry Entry(RevenueEntry::Kind kind, const common::v1::LocalDate& date, int64_t minor_units,
                   bool counts = true, const std::string& currency = "USD") {
  return RevenueEntry{kind, date, minor_units, currency, counts};
}

billing::v1::Invoice InvoiceOf(billing::v1::InvoiceKind kind, int64_t total) {
  billing::v1::Invoice invoice;
  invoice.set_invoice_id("inv-1");
  invoice.set_number(1);
  invoice.set_kind(kind);
  invoice.set_status(billing::v1::INVOICE_STATUS_ISSUED);
  *invoice.mutable_total() = P(total);
  return invoice;
}

billing::v1::Payment PaymentOf(billing::v1::PaymentKind kind, int64_t amount) {
  billing::v1::Payment payment;
  payment.set_payment_id("pay-1");
  payment.set_kind(kind);
  *payment.mutable_amount() = P(amount);
  return payment;
}

TEST(CompletedWorkEntryTest, BillableItemsAndPricedLabourWithoutExpenses) {
  billing::v1::BillingSettings settings = testing::Settings();
  *settings.add_labor_rates() = testing::PriceRate("", "regular", 6000);
  job::v1::Job job = testing::JobNumbered(31, job::v1::JOB_STATUS_COMPLETED);
  *job.add_line_items() = testing::Line("s1", job::v1::LINE_ITEM_KIND_SERVICE, 1000, 20000, 20000);
  *job.add_line_items() = testing::Line("m1", job::v1::LINE_ITEM_KIND_MATERIAL, 1000, 500, 500,
                                        /*billable=*/false);
  *job.add_work_log() = testing::Work("tech-a", "regular", 90, D(2026, 3, 4));
  *job.add_work_log() = testing::Work("tech-a", "travel", 20, D(2026, 3, 4));  // no price
  *job.add_expenses() = testing::Spent("e1", 1500, D(2026, 3, 4));
  // 200.00 + 90 × 60.00 / 60 = 90.00 → 290.00; m1 not billable, travel unpriced, e1 a cost.
  auto entry = CompletedWorkEntry(job, settings, D(2026, 3, 5));
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->kind, RevenueEntry::kCompletedWork);
  EXPECT_EQ(entry->minor_units, 29000);
  EXPECT_EQ(entry->currency, "USD");
  EXPECT_EQ(entry->date.day(), 5);
  EXPECT_TRUE(entry->counts);
  auto value = WorkValue(job, settings, "USD");  // the project report's figure: the same code
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->minor_units(), entry->minor_units);
}

TEST(CompletedWorkEntryTest, MixedCurrenciesRefused) {
  job::v1::Job job = testing::JobNumbered(32, job::v1::JOB_STATUS_COMPLETED);
  *job.add_line_items() =
      testing::Line("s1", job::v1::LINE_ITEM_KIND_SERVICE, 1000, 100, 100, true, "EUR");
  EXPECT_THAT(CompletedWorkEntry(job, testing::Settings(), D(2026, 3, 5)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "is in EUR, the report is in USD"));
}

TEST(InvoicedEntryTest, InvoiceCountsCreditNoteIsDeducted) {
  const RevenueEntry invoice =
      InvoicedEntry(InvoiceOf(billing::v1::INVOICE_KIND_STANDARD, 20000), D(2026, 3, 6));
  EXPECT_EQ(invoice.kind, RevenueEntry::kInvoiced);
  EXPECT_EQ(invoice.minor_units, 20000);
  EXPECT_TRUE(invoice.counts);
  const RevenueEntry progress =
      InvoicedEntry(InvoiceOf(billing::v1::INVOICE_KIND_PROGRESS, 6000), D(2026, 3, 6));
  EXPECT_EQ(progress.minor_units, 6000);
  EXPECT_TRUE(progress.counts);
  const RevenueEntry note =
      InvoicedEntry(InvoiceOf(billing::v1::INVOICE_KIND_CREDIT_NOTE, -3000), D(2026, 3, 10));
  EXPECT_EQ(note.minor_units, -3000);
  EXPECT_FALSE(note.counts);
  EXPECT_EQ(note.currency, "USD");
}

TEST(CollectedEntryTest, PaymentCountsRefundIsNegativeAndDoesNot) {
  const RevenueEntry payment =
      CollectedEntry(PaymentOf(billing::v1::PAYMENT_KIND_PAYMENT, 12000), D(2026, 3, 7));
  EXPECT_EQ(payment.kind, RevenueEntry::kCollected);
  EXPECT_EQ(payment.minor_units, 12000);
  EXPECT_TRUE(payment.counts);
  const RevenueEntry refund =
      CollectedEntry(PaymentOf(billing::v1::PAYMENT_KIND_REFUND, 2000), D(2026, 3, 16));
  EXPECT_EQ(refund.minor_units, -2000);
  EXPECT_FALSE(refund.counts);
}

TEST(CollectedEntryTest, PaymentPartlyKeptAsCreditIsCollectedWhole) {
  billing::v1::Payment payment = PaymentOf(billing::v1::PAYMENT_KIND_PAYMENT, 15000);
  *payment.mutable_to_credit() = P(3000);
  EXPECT_EQ(CollectedEntry(payment, D(2026, 3, 7)).minor_units, 15000);
}

// March: three completions (290.00, 95.00, and a warranty job worth nothing), one invoice of
// 200.00 and a credit note of −30.00, payments of 120.00 and 80.00 and a refund of 20.00.
// Outside it: an invoice on 04-01 and a payment on 02-28.
std::vector<RevenueEntry> Entries() {
  return {
      Entry(RevenueEntry::kCompletedWork, D(2026, 3, 1), 29000),
      Entry(RevenueEntry::kCompletedWork, D(2026, 3, 20), 9500),
      Entry(RevenueEntry::kCompletedWork, D(2026, 3, 31), 0),
      Entry(RevenueEntry::kInvoiced, D(2026, 3, 6), 20000),
      Entry(RevenueEntry::kInvoiced, D(2026, 3, 10), -3000, /*counts=*/false),
      Entry(RevenueEntry::kInvoiced, D(2026, 4, 1), 6000),
      Entry(RevenueEntry::kCollected, D(2026, 3, 7), 12000),
      Entry(RevenueEntry::kCollected, D(2026, 3, 15), 8000),
      Entry(RevenueEntry::kCollected, D(2026, 3, 16), -2000, /*counts=*/false),
      Entry(RevenueEntry::kCollected, D(2026, 2, 28), 5000),
  };
}

TEST(RevenueOfTest, ThreeDefinitionsOverAPeriodBoundsIncluded) {
  auto report = RevenueOf(Entries(), D(2026, 3, 1), D(2026, 3, 31));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->completed_work_value(), IsUsd(29000 + 9500 + 0));
  EXPECT_EQ(report->jobs_completed(), 3);
  EXPECT_THAT(report->invoiced(), IsUsd(20000 - 3000));
  EXPECT_EQ(report->invoices_issued(), 1);
  EXPECT_THAT(report->collected(), IsUsd(12000 + 8000 - 2000));
  EXPECT_EQ(report->payments(), 2);
  EXPECT_EQ(report->from().day(), 1);
  EXPECT_EQ(report->to().day(), 31);
}

TEST(RevenueOfTest, UnboundedTakesEverything) {
  auto report = RevenueOf(Entries(), std::nullopt, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->invoiced(), IsUsd(20000 - 3000 + 6000));
  EXPECT_EQ(report->invoices_issued(), 2);
  EXPECT_THAT(report->collected(), IsUsd(12000 + 8000 - 2000 + 5000));
  EXPECT_EQ(report->payments(), 3);
  EXPECT_FALSE(report->has_from());
}

TEST(RevenueOfTest, VoidedInvoiceIsReversedWhenVoided) {
  const RevenueEntry issued =
      InvoicedEntry(InvoiceOf(billing::v1::INVOICE_KIND_STANDARD, 20000), D(2026, 3, 6));
  const RevenueEntry voided = ReversalOf(issued, D(2026, 4, 2));
  EXPECT_EQ(voided.minor_units, -20000);
  EXPECT_EQ(voided.date.month(), 4);
  EXPECT_FALSE(voided.counts);
  auto march = RevenueOf({issued, voided}, D(2026, 3, 1), D(2026, 3, 31));
  auto april = RevenueOf({issued, voided}, D(2026, 4, 1), D(2026, 4, 30));
  auto both = RevenueOf({issued, voided}, D(2026, 3, 1), D(2026, 4, 30));
  ASSERT_TRUE(march.ok() && april.ok() && both.ok());
  EXPECT_THAT(march->invoiced(), IsUsd(20000));
  EXPECT_EQ(march->invoices_issued(), 1);  // it was issued in March
  EXPECT_THAT(april->invoiced(), IsUsd(-20000));
  EXPECT_EQ(april->invoices_issued(), 0);
  EXPECT_THAT(both->invoiced(), IsUsd(0));
}

TEST(RevenueOfTest, MixedCurrenciesInThePeriodAreRefused) {
  std::vector<RevenueEntry> entries = Entries();
  entries.push_back(Entry(RevenueEntry::kCollected, D(2026, 3, 9), 100, true, "EUR"));
  EXPECT_THAT(RevenueOf(entries, D(2026, 3, 1), D(2026, 3, 31)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "mixed currencies: revenue entries in USD and EUR"));
  // Outside the period it is not looked at.
  EXPECT_TRUE(RevenueOf(entries, D(2026, 3, 10), D(2026, 3, 31)).ok());
}

TEST(RevenueOfTest, EmptyPeriods) {
  auto quiet = RevenueOf(Entries(), D(2026, 1, 1), D(2026, 1, 31));
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_THAT(quiet->completed_work_value(), IsUsd(0));
  EXPECT_EQ(quiet->jobs_completed(), 0);
  auto nothing = RevenueOf({}, D(2026, 1, 1), D(2026, 1, 31));
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_FALSE(nothing->has_invoiced());  // no currency known
}

TEST(RevenueOfTest, RangeEndingBeforeItStartsIsRefused) {
  EXPECT_THAT(RevenueOf(Entries(), D(2026, 3, 2), D(2026, 3, 1)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "to: before from"));
}

}  // namespace
}  // namespace jobledger::reporting
