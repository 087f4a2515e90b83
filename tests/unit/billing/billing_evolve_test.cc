// Evolve: each billing aggregate's state after a sequence of its events.
#include "domain/billing_evolve.h"

#include <string>
#include <vector>

#include "billing_test_util.h"
#include "domain/invoice_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::billing {
namespace {

using testing::InvoiceOf;
using testing::IsMoney;
using testing::P;
using ::testing::SizeIs;

constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;

constexpr char kInvoiceId[] = "0190a1b2-c3d4-7e5f-8a9b-000000000109";
constexpr char kEstimateId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000e1";
constexpr char kItemId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000a1";
// 2026-01-01T00:00:00Z.
const absl::Time kStart = absl::FromUnixSeconds(1'767'225'600);

using testing::StatusIs;

// The envelope of event number `sequence` of `aggregate_id`, `sequence` hours after kStart.
events::v1::Envelope Env(const std::string& aggregate_id, int64_t sequence) {
  events::v1::Envelope envelope;
  envelope.set_aggregate_id(aggregate_id);
  envelope.set_sequence(sequence);
  *envelope.mutable_occurred_at() = ProtoFromTime(kStart + absl::Hours(sequence));
  return envelope;
}

// Applies `events` in order, numbered after the state's version; stops at the first error.
template <typename State, typename Event, typename Evolve>
absl::Status ApplyAll(State& state, const std::string& id, const std::vector<Event>& events,
                      Evolve evolve) {
  for (const Event& event : events) {
    if (absl::Status s = evolve(state, Env(id, state.version() + 1), event); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Apply(v1::Invoice& invoice, const std::vector<InvoiceEvent>& events) {
  return ApplyAll(invoice, kInvoiceId, events, EvolveInvoice);
}

// ---------------------------------------------------------------------------------------------
// Invoice events

// The draft the invoicing code builds: INV-9, USD 100.00, nothing paid.
v1::InvoiceCreated Created() {
  v1::InvoiceCreated created;
  *created.mutable_invoice() =
      InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_UNSPECIFIED, 9, 10'000, 0);
  created.mutable_invoice()->clear_invoice_id();
  return created;
}

v1::InvoiceIssued Issued(int year, int month, int day) {
  v1::InvoiceIssued issued;
  issued.mutable_due_date()->set_year(year);
  issued.mutable_due_date()->set_month(month);
  issued.mutable_due_date()->set_day(day);
  return issued;
}

v1::Payment Movement(const std::string& id, v1::PaymentKind kind, int64_t amount,
                     int64_t to_credit = 0) {
  v1::Payment payment;
  payment.set_payment_id(id);
  payment.set_kind(kind);
  *payment.mutable_amount() = P(amount);
  if (to_credit != 0) *payment.mutable_to_credit() = P(to_credit);
  payment.set_method("check");
  return payment;
}

v1::PaymentRecorded Paid(const std::string& id, int64_t amount, int64_t balance_after,
                         int64_t to_credit = 0) {
  v1::PaymentRecorded recorded;
  *recorded.mutable_payment() = Movement(id, v1::PAYMENT_KIND_PAYMENT, amount, to_credit);
  *recorded.mutable_balance_after() = P(balance_after);
  return recorded;
}

v1::RefundRecorded Refunded(const std::string& id, int64_t amount, int64_t balance_after) {
  v1::RefundRecorded recorded;
  *recorded.mutable_refund() = Movement(id, v1::PAYMENT_KIND_REFUND, amount);
  *recorded.mutable_balance_after() = P(balance_after);
  return recorded;
}

TEST(EvolveInvoice, CreatedIsADraft) {
  v1::Invoice invoice;
  ASSERT_TRUE(Apply(invoice, {Created()}).ok());
  EXPECT_EQ(invoice.invoice_id(), kInvoiceId) << "from the envelope";
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_DRAFT);
  EXPECT_EQ(invoice.number(), 9);
  EXPECT_EQ(TimeFromProto(invoice.created_at()), kStart + absl::Hours(1));
  EXPECT_THAT(invoice.total(), IsMoney(10'000));
  EXPECT_THAT(invoice.paid(), IsMoney(0));
  EXPECT_THAT(invoice.balance(), IsMoney(10'000));
  EXPECT_EQ(invoice.version(), 1);
}

TEST(EvolveInvoice, IssuedPaidInPartsAndRefunded) {
  v1::Invoice invoice;
  ASSERT_TRUE(Apply(invoice, {Created(), Issued(2026, 1, 31)}).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_ISSUED);
  EXPECT_EQ(TimeFromProto(invoice.issued_at()), kStart + absl::Hours(2));
  EXPECT_EQ(invoice.due_date().year(), 2026);
  EXPECT_EQ(invoice.due_date().month(), 1);
  EXPECT_EQ(invoice.due_date().day(), 31);
  EXPECT_EQ(invoice.version(), 2);

  ASSERT_TRUE(Apply(invoice, {Paid("p1", 4'000, 6'000)}).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_THAT(invoice.paid(), IsMoney(4'000));
  EXPECT_THAT(invoice.balance(), IsMoney(6'000));

  ASSERT_TRUE(Apply(invoice, {Paid("p2", 6'000, 0)}).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_PAID);
  EXPECT_THAT(invoice.paid(), IsMoney(10'000));
  EXPECT_THAT(invoice.balance(), IsMoney(0));

  ASSERT_TRUE(Apply(invoice, {Refunded("r1", 2'500, 2'500)}).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_THAT(invoice.paid(), IsMoney(7'500));
  EXPECT_THAT(invoice.balance(), IsMoney(2'500));
  EXPECT_EQ(invoice.version(), 5);

  ASSERT_THAT(invoice.payments(), SizeIs(3));
  EXPECT_EQ(invoice.payments(0).payment_id(), "p1");
  EXPECT_EQ(invoice.payments(1).payment_id(), "p2");
  EXPECT_EQ(invoice.payments(2).payment_id(), "r1");
  EXPECT_EQ(invoice.payments(2).kind(), v1::PAYMENT_KIND_REFUND);
  // Issue date and due date are untouched by money.
  EXPECT_EQ(TimeFromProto(invoice.issued_at()), kStart + absl::Hours(2));
  EXPECT_EQ(invoice.due_date().day(), 31);
}

TEST(EvolveInvoice, AFullRefundIsBackToIssued) {
  v1::Invoice invoice;
  ASSERT_TRUE(Apply(invoice, {Created(), Issued(2026, 1, 31), Paid("p1", 10'000, 0),
                              Refunded("r1", 10'000, 10'000)})
                  .ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_ISSUED);
  EXPECT_THAT(invoice.paid(), IsMoney(0));
  EXPECT_THAT(invoice.balance(), IsMoney(10'000));
  EXPECT_EQ(invoice.version(), 4);
}

TEST(EvolveInvoice, CreditKeptFromAnOverpaymentIsNotPaidOnTheInvoice) {
  v1::Invoice invoice;
  ASSERT_TRUE(Apply(invoice, {Created(), Issued(2026, 1, 31), Paid("p1", 4'000, 6'000),
                              Paid("p2", 7'500, 0, 1'500)})
                  .ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_PAID);
  EXPECT_THAT(invoice.paid(), IsMoney(10'000));
  EXPECT_THAT(invoice.balance(), IsMoney(0));
  ASSERT_THAT(invoice.payments(), SizeIs(2));
  EXPECT_THAT(invoice.payments(1).to_credit(), IsMoney(1'500));
}

TEST(EvolveInvoice, Voided) {
  v1::Invoice invoice;
  v1::InvoiceVoided voided;
  voided.set_reason("Billed twice");
  ASSERT_TRUE(Apply(invoice, {Created(), Issued(2026, 1, 31), voided}).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_VOID);
  EXPECT_EQ(invoice.void_reason(), "Billed twice");
  EXPECT_EQ(invoice.version(), 3);
}

// The decisions' events, evolved, give the state the decisions promised.
TEST(EvolveInvoice, AfterTheDecisions) {
  const aggregate::Head head{.version = 1, .hash = "h1"};
  v1::Invoice invoice;
  ASSERT_TRUE(Apply(invoice, DecideCreateInvoice(aggregate::Head(), Created().invoice())).ok());
  auto issued = DecideIssueInvoice(invoice, head, absl::CivilDay(2026, 1, 1), 30);
  ASSERT_TRUE(issued.ok()) << issued.status();
  ASSERT_TRUE(Apply(invoice, *issued).ok());
  EXPECT_EQ(invoice.due_date().day(), 31);

  v1::RecordPaymentRequest payment;
  payment.set_invoice_id(kInvoiceId);
  *payment.mutable_amount() = P(12'000);
  payment.set_excess_to_credit(true);
  auto paid = DecideRecordPayment(invoice, head, payment, "p1", kStart);
  ASSERT_TRUE(paid.ok()) << paid.status();
  ASSERT_TRUE(Apply(invoice, *paid).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_PAID);
  EXPECT_THAT(invoice.paid(), IsMoney(10'000));
  EXPECT_THAT(invoice.balance(), IsMoney(0));

  v1::RecordRefundRequest refund;
  refund.set_invoice_id(kInvoiceId);
  *refund.mutable_amount() = P(3'000);
  auto refunded = DecideRecordRefund(invoice, head, refund, "r1", kStart);
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  ASSERT_TRUE(Apply(invoice, *refunded).ok());
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_THAT(invoice.paid(), IsMoney(7'000));
  EXPECT_THAT(invoice.balance(), IsMoney(3'000));
  EXPECT_EQ(invoice.version(), 4);
}

TEST(EvolveInvoice, CreationOnlyStartsAnInvoice) {
  v1::Invoice invoice;
  ASSERT_TRUE(Apply(invoice, {Created(), Issued(2026, 1, 31)}).ok());
  const v1::Invoice before = invoice;
  EXPECT_THAT(EvolveInvoice(invoice, Env(kInvoiceId, 3), Created()),
              StatusIs(kPrecondition, "the invoice exists already"));
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_ISSUED);
  EXPECT_EQ(invoice.version(), before.version());

  v1::Invoice none;
  EXPECT_THAT(EvolveInvoice(none, Env(kInvoiceId, 1), Paid("p1", 100, 9'900)),
              StatusIs(kPrecondition, "the invoice does not exist"));
  EXPECT_EQ(none.version(), 0);
  EXPECT_THAT(none.payments(), SizeIs(0));
}

// ---------------------------------------------------------------------------------------------
// Estimate events

v1::EstimateDrafted Drafted() {
  v1::EstimateDrafted drafted;
  v1::Estimate& estimate = *drafted.mutable_estimate();
  estimate.set_number(4);
  estimate.set_customer_id(testing::kCustomerId);
  estimate.set_title("Water heater");
  *estimate.add_lines() = testing::Item("l1", job::v1::LINE_ITEM_KIND_ASSET, 1'000, 120'000);
  *estimate.mutable_subtotal() = P(120'000);
  *estimate.mutable_tax() = P(9'900);
  *estimate.mutable_total() = P(129'900);
  estimate.set_status(v1::ESTIMATE_STATUS_APPROVED);  // ignored: a new estimate is a draft
  return drafted;
}

v1::EstimateRevised Revised() {
  v1::EstimateRevised revised;
  *revised.add_lines() = testing::Item("l1", job::v1::LINE_ITEM_KIND_ASSET, 1'000, 110'000);
  *revised.add_lines() = testing::Item("l2", job::v1::LINE_ITEM_KIND_SERVICE, 2'000, 9'500);
  revised.set_title("Water heater, installed");
  revised.set_notes("Old unit hauled away");
  *revised.mutable_subtotal() = P(129'000);
  *revised.mutable_tax() = P(9'075);
  *revised.mutable_total() = P(138'075);
  return revised;
}

absl::Status Apply(v1::Estimate& estimate, const std::vector<EstimateEvent>& events) {
  return ApplyAll(estimate, kEstimateId, events, EvolveEstimate);
}

TEST(EvolveEstimate, DraftedAndSent) {
  v1::Estimate estimate;
  ASSERT_TRUE(Apply(estimate, {Drafted()}).ok());
  EXPECT_EQ(estimate.estimate_id(), kEstimateId);
  EXPECT_EQ(estimate.status(), v1::ESTIMATE_STATUS_DRAFT);
  EXPECT_EQ(estimate.title(), "Water heater");
  EXPECT_EQ(TimeFromProto(estimate.created_at()), kStart + absl::Hours(1));
  ASSERT_TRUE(Apply(estimate, {v1::EstimateSent()}).ok());
  EXPECT_EQ(estimate.status(), v1::ESTIMATE_STATUS_SENT);
  EXPECT_EQ(estimate.version(), 2);
}

TEST(EvolveEstimate, RevisingASentEstimateReturnsItToDraft) {
  v1::Estimate estimate;
  ASSERT_TRUE(Apply(estimate, {Drafted(), v1::EstimateSent(), Revised()}).ok());
  EXPECT_EQ(estimate.status(), v1::ESTIMATE_STATUS_DRAFT);
  EXPECT_EQ(estimate.title(), "Water heater, installed");
  EXPECT_EQ(estimate.notes(), "Old unit hauled away");
  ASSERT_THAT(estimate.lines(), SizeIs(2));
  EXPECT_EQ(estimate.lines(1).line_item_id(), "l2");
  EXPECT_THAT(estimate.subtotal(), IsMoney(129'000));
  EXPECT_THAT(estimate.tax(), IsMoney(9'075));
  EXPECT_THAT(estimate.total(), IsMoney(138'075));
  EXPECT_EQ(estimate.number(), 4) << "kept";
  EXPECT_EQ(estimate.customer_id(), testing::kCustomerId) << "kept";
  EXPECT_EQ(TimeFromProto(estimate.created_at()), kStart + absl::Hours(1)) << "kept";
  EXPECT_EQ(estimate.version(), 3);
}

TEST(EvolveEstimate, ApprovedDeclinedConverted) {
  v1::Estimate estimate;
  v1::EstimateApproved approved;
  approved.set_approved_by("Dana Ruiz");
  v1::EstimateConverted converted;
  converted.set_job_id(testing::kJobId);
  ASSERT_TRUE(Apply(estimate, {Drafted(), v1::EstimateSent(), approved}).ok());
  EXPECT_EQ(estimate.status(), v1::ESTIMATE_STATUS_APPROVED);
  EXPECT_EQ(estimate.approved_by(), "Dana Ruiz");
  ASSERT_TRUE(Apply(estimate, {converted}).ok());
  EXPECT_EQ(estimate.status(), v1::ESTIMATE_STATUS_CONVERTED);
  EXPECT_EQ(estimate.job_id(), testing::kJobId);

  v1::Estimate other;
  v1::EstimateDeclined declined;
  declined.set_reason("Too expensive");
  ASSERT_TRUE(ApplyAll(other, "other",
                       std::vector<EstimateEvent>{Drafted(), v1::EstimateSent(), declined},
                       EvolveEstimate)
                  .ok());
  EXPECT_EQ(other.status(), v1::ESTIMATE_STATUS_DECLINED);
  EXPECT_EQ(other.decline_reason(), "Too expensive");
}

TEST(EvolveEstimate, CreationOnlyStartsAnEstimate) {
  v1::Estimate estimate;
  EXPECT_THAT(EvolveEstimate(estimate, Env(kEstimateId, 1), Revised()),
              StatusIs(kPrecondition, "the estimate does not exist"));
  ASSERT_TRUE(Apply(estimate, {Drafted()}).ok());
  EXPECT_THAT(EvolveEstimate(estimate, Env(kEstimateId, 2), Drafted()),
              StatusIs(kPrecondition, "the estimate exists already"));
  EXPECT_EQ(estimate.version(), 1);
}

// ---------------------------------------------------------------------------------------------
// Price item events

v1::PriceItemCreated ItemCreated() {
  v1::PriceItemCreated created;
  v1::PriceItem& item = *created.mutable_item();
  item.set_code("SVC-DRAIN");
  item.set_name("Drain cleaning");
  item.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  *item.mutable_unit_price() = P(15'000);
  *item.mutable_cost_price() = P(6'000);
  item.set_tax_category("labor");
  return created;
}

absl::Status Apply(v1::PriceItem& item, const std::vector<PriceItemEvent>& events) {
  return ApplyAll(item, kItemId, events, EvolvePriceItem);
}

TEST(EvolvePriceItem, CreatedIsActive) {
  v1::PriceItemCreated created = ItemCreated();
  created.mutable_item()->set_active(false);
  created.mutable_item()->set_price_item_id("ignored");
  v1::PriceItem item;
  ASSERT_TRUE(Apply(item, {created}).ok());
  EXPECT_EQ(item.price_item_id(), kItemId);
  EXPECT_TRUE(item.active());
  EXPECT_EQ(item.code(), "SVC-DRAIN");
  EXPECT_THAT(item.unit_price(), IsMoney(15'000));
  EXPECT_EQ(item.version(), 1);
}

TEST(EvolvePriceItem, UpdatedPricedDeactivatedActivated) {
  v1::PriceItem item;
  ASSERT_TRUE(Apply(item, {ItemCreated()}).ok());

  v1::PriceItemUpdated updated;
  *updated.mutable_item() = item;
  updated.mutable_item()->set_name("Drain cleaning, main line");
  updated.mutable_item()->set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
  updated.mutable_item()->set_tax_category("materials");
  *updated.mutable_item()->mutable_unit_price() = P(1);  // prices do not change this way
  updated.add_changed_fields("name");
  v1::PriceItemPriceChanged priced;
  *priced.mutable_unit_price() = P(16'500);
  *priced.mutable_cost_price() = P(6'200);
  v1::PriceItemDeactivated deactivated;
  deactivated.set_reason("Discontinued");
  ASSERT_TRUE(Apply(item, {updated, priced, deactivated}).ok());
  EXPECT_EQ(item.name(), "Drain cleaning, main line");
  EXPECT_EQ(item.kind(), job::v1::LINE_ITEM_KIND_MATERIAL);
  EXPECT_EQ(item.tax_category(), "materials");
  EXPECT_THAT(item.unit_price(), IsMoney(16'500));
  EXPECT_THAT(item.cost_price(), IsMoney(6'200));
  EXPECT_FALSE(item.active());
  EXPECT_EQ(item.price_item_id(), kItemId);
  EXPECT_EQ(item.version(), 4);

  ASSERT_TRUE(Apply(item, {v1::PriceItemActivated()}).ok());
  EXPECT_TRUE(item.active());
  EXPECT_EQ(item.version(), 5);
}

// "unset when unknown": an item whose cost is unknown keeps it unknown through a price change
// that names none (the cost bar takes a present cost_price for a known one and parses it).
TEST(EvolvePriceItem, APriceChangeWithoutACostKeepsItUnknown) {
  v1::PriceItemCreated created = ItemCreated();
  created.mutable_item()->clear_cost_price();
  v1::PriceItem item;
  ASSERT_TRUE(Apply(item, {created}).ok());
  ASSERT_FALSE(item.has_cost_price());
  v1::PriceItemPriceChanged priced;
  *priced.mutable_unit_price() = P(16'500);
  *priced.mutable_previous_unit_price() = P(15'000);
  ASSERT_TRUE(Apply(item, {priced}).ok());
  EXPECT_THAT(item.unit_price(), IsMoney(16'500));
  EXPECT_FALSE(item.has_cost_price())
      << "an unknown cost price became " << item.cost_price().ShortDebugString();
}

TEST(EvolvePriceItem, ASecondCreationIsRefused) {
  v1::PriceItem item;
  ASSERT_TRUE(Apply(item, {ItemCreated()}).ok());
  v1::PriceItemCreated again = ItemCreated();
  again.mutable_item()->set_code("OTHER");
  EXPECT_THAT(EvolvePriceItem(item, Env(kItemId, 2), again),
              StatusIs(kPrecondition, "the price item exists already"));
  EXPECT_EQ(item.code(), "SVC-DRAIN");
  EXPECT_EQ(item.version(), 1);
}

TEST(EvolvePriceItem, AnUpdateOfAMissingItemIsRefused) {
  for (const PriceItemEvent& event :
       std::vector<PriceItemEvent>{v1::PriceItemUpdated(), v1::PriceItemPriceChanged(),
                                   v1::PriceItemActivated(), v1::PriceItemDeactivated()}) {
    v1::PriceItem item;
    EXPECT_THAT(EvolvePriceItem(item, Env(kItemId, 1), event),
                StatusIs(kPrecondition, "the price item does not exist"))
        << event.index();
    EXPECT_EQ(item.version(), 0);
    EXPECT_FALSE(item.active());
  }
}

// ---------------------------------------------------------------------------------------------
// Settings and job billing events

TEST(EvolveSettings, TheWholeSettingsAtTheSequence) {
  v1::BillingSettings settings = testing::Settings();
  settings.set_version(3);
  v1::BillingSettingsChanged changed;
  *changed.mutable_settings() = testing::Settings();
  changed.mutable_settings()->set_currency("EUR");
  changed.mutable_settings()->clear_tax_rates();
  changed.add_changed_fields("currency");
  ASSERT_TRUE(EvolveSettings(settings, Env("tenant", 4), changed).ok());
  EXPECT_EQ(settings.currency(), "EUR");
  EXPECT_THAT(settings.tax_rates(), SizeIs(0));
  EXPECT_EQ(settings.version(), 4);
}

TEST(EvolveJobBilling, ScheduleCommissionAndChargebacks) {
  v1::BillingScheduleSet set;
  set.add_stages()->set_label("Deposit");
  set.mutable_stages(0)->set_share_ppm(1'000'000);
  *set.mutable_contract_amount() = P(2'500'000);
  v1::CommissionDeferred deferred;
  deferred.set_note("Awaiting inspection");
  v1::ChargebackRecorded chargeback;
  chargeback.mutable_chargeback()->set_recall_job_id("recall-1");
  v1::CommissionReleased released;
  released.set_note("Passed");

  v1::JobBilling billing;
  ASSERT_TRUE(ApplyAll(billing, testing::kJobId,
                       std::vector<JobBillingEvent>{set, deferred, chargeback}, EvolveJobBilling)
                  .ok());
  EXPECT_EQ(billing.job_id(), testing::kJobId);
  ASSERT_THAT(billing.schedule(), SizeIs(1));
  EXPECT_EQ(billing.schedule(0).label(), "Deposit");
  EXPECT_THAT(billing.contract_amount(), IsMoney(2'500'000));
  EXPECT_TRUE(billing.commission_deferred());
  EXPECT_EQ(billing.commission_note(), "Awaiting inspection");
  ASSERT_THAT(billing.chargebacks(), SizeIs(1));
  EXPECT_EQ(billing.version(), 3);

  ASSERT_TRUE(EvolveJobBilling(billing, Env(testing::kJobId, 4), released).ok());
  EXPECT_FALSE(billing.commission_deferred());
  EXPECT_EQ(billing.commission_note(), "Passed");
  EXPECT_EQ(billing.version(), 4);
}

TEST(EvolveJobBilling, ChargebacksAccumulate) {
  v1::JobBilling billing;
  for (const char* recall : {"recall-1", "recall-2"}) {
    v1::ChargebackRecorded recorded;
    recorded.mutable_chargeback()->set_recall_job_id(recall);
    ASSERT_TRUE(
        EvolveJobBilling(billing, Env(testing::kJobId, billing.version() + 1), recorded).ok());
  }
  ASSERT_THAT(billing.chargebacks(), SizeIs(2));
  EXPECT_EQ(billing.chargebacks(0).recall_job_id(), "recall-1");
  EXPECT_EQ(billing.chargebacks(1).recall_job_id(), "recall-2");
  // A chargeback decided against the evolved record is not recorded twice.
  v1::Chargeback same;
  same.set_recall_job_id("recall-2");
  EXPECT_THAT(DecideChargeback(billing, same), ::testing::IsEmpty());
}

}  // namespace
}  // namespace jobledger::billing
