// Decisions on invoices (issue, void, payments, refunds) and on a job's billing record (schedule,
// commission deferral, chargebacks).
#include "domain/invoice_rules.h"

#include <string>
#include <variant>
#include <vector>

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/status_matchers.h"

namespace jobledger::billing {
namespace {

using jobledger::testing::Fails;
using ::testing::HasSubstr;
using testing::InvoiceOf;
using ::testing::IsEmpty;
using testing::IsMoney;
using testing::P;
using ::testing::SizeIs;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;
constexpr auto kNotFound = absl::StatusCode::kNotFound;

constexpr char kInvoiceId[] = "0190a1b2-c3d4-7e5f-8a9b-000000000109";
constexpr char kPaymentId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000a1";
constexpr char kRefundId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000a2";
constexpr char kRecallJob[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000f2";
constexpr char kOtherRecallJob[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000f3";

const aggregate::Head kNone{};
const aggregate::Head kExisting{.version = 3, .hash = "h3"};
// 2026-01-01T00:00:00Z.
const absl::Time kNow = absl::FromUnixSeconds(1'767'225'600);

// ---------------------------------------------------------------------------------------------
// Builders

// INV-9: a standard invoice of USD 100.00 in `status` with `paid` paid.
v1::Invoice Invoice(v1::InvoiceStatus status, int64_t paid = 0) {
  v1::Invoice invoice = InvoiceOf(v1::INVOICE_KIND_STANDARD, status, 9, 10'000, paid);
  invoice.set_invoice_id(kInvoiceId);
  invoice.set_version(kExisting.version);
  return invoice;
}

// A credit note INV-14 against INV-9.
v1::Invoice CreditNote(v1::InvoiceStatus status) {
  v1::Invoice note = InvoiceOf(v1::INVOICE_KIND_CREDIT_NOTE, status, 14, -2'500);
  note.set_credited_invoice_id(kInvoiceId);
  return note;
}

v1::RecordPaymentRequest Payment(int64_t amount, bool excess_to_credit = false,
                                 const std::string& currency = "USD") {
  v1::RecordPaymentRequest request;
  request.set_invoice_id(kInvoiceId);
  *request.mutable_amount() = P(amount, currency);
  request.set_method("check");
  request.set_reference("1043");
  request.set_excess_to_credit(excess_to_credit);
  return request;
}

v1::RecordRefundRequest Refund(int64_t amount) {
  v1::RecordRefundRequest request;
  request.set_invoice_id(kInvoiceId);
  *request.mutable_amount() = P(amount);
  request.set_method("card");
  request.set_reference("re_123");
  return request;
}

v1::VoidInvoiceRequest Void(const std::string& reason) {
  v1::VoidInvoiceRequest request;
  request.set_invoice_id(kInvoiceId);
  request.set_reason(reason);
  return request;
}

v1::BillingStage Stage(const std::string& label, int64_t share_ppm,
                       const std::string& invoice_id = "") {
  v1::BillingStage stage;
  stage.set_label(label);
  stage.set_share_ppm(share_ppm);
  stage.set_invoice_id(invoice_id);
  return stage;
}

// 20 / 20 / 60 %, with or without a contract amount of its own.
v1::SetBillingScheduleRequest Schedule(int64_t contract = -1, const std::string& currency = "USD") {
  v1::SetBillingScheduleRequest request;
  request.set_job_id(testing::kJobId);
  *request.add_stages() = Stage("Deposit", 200'000);
  *request.add_stages() = Stage("Rough-in", 200'000);
  *request.add_stages() = Stage("Final", 600'000);
  if (contract >= 0) *request.mutable_contract_amount() = P(contract, currency);
  return request;
}

// A progress invoice INV-<number> of stage `stage` (0-based).
v1::Invoice Progress(int64_t number, int stage, v1::InvoiceStatus status) {
  v1::Invoice invoice = InvoiceOf(v1::INVOICE_KIND_PROGRESS, status, number, 2'000'000);
  invoice.set_progress_stage(stage);
  return invoice;
}

v1::Chargeback ChargebackFor(const std::string& recall_job_id, int64_t amount) {
  v1::Chargeback chargeback;
  chargeback.set_chargeback_id(absl::StrCat("cb-", recall_job_id));
  chargeback.set_recall_job_id(recall_job_id);
  chargeback.set_original_job_id(testing::kJobId);
  chargeback.set_technician_id("0190a1b2-c3d4-7e5f-8a9b-0000000000d1");
  *chargeback.mutable_amount() = P(amount);
  chargeback.set_rule("labour of the recall at cost");
  return chargeback;
}

// The one event of `events`, which must be an `Event` (a default one, failing, otherwise).
template <typename Event, typename Events>
const Event& Only(const Events& events) {
  static const Event kNoEvent;
  EXPECT_THAT(events, SizeIs(1));
  if (events.size() != 1 || !std::holds_alternative<Event>(events.front())) {
    ADD_FAILURE() << "not one " << Event::descriptor()->name();
    return kNoEvent;
  }
  return std::get<Event>(events.front());
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST(ValidateRecordPayment, AcceptsAPayment) {
  EXPECT_TRUE(ValidateRecordPayment(Payment(4'000)).ok()) << ValidateRecordPayment(Payment(4'000));
  v1::RecordPaymentRequest request = Payment(4'000);
  *request.mutable_received_at() = ProtoFromTime(kNow);
  EXPECT_TRUE(ValidateRecordPayment(request).ok());
}

TEST(ValidateRecordPayment, NamesTheField) {
  EXPECT_THAT(ValidateRecordPayment(Payment(0)), Fails(kInvalid, "amount: must be positive"));
  EXPECT_THAT(ValidateRecordPayment(Payment(-100)), Fails(kInvalid, "amount: must be positive"));
  EXPECT_THAT(ValidateRecordPayment(Payment(100, false, "dollars")), Fails(kInvalid, "amount"));
  v1::RecordPaymentRequest request = Payment(4'000);
  request.clear_invoice_id();
  EXPECT_THAT(ValidateRecordPayment(request), Fails(kInvalid, "invoice_id: required"));
  request = Payment(4'000);
  request.set_invoice_id("INV-9");
  EXPECT_THAT(ValidateRecordPayment(request), Fails(kInvalid, "invoice_id: must be a UUID"));
  request = Payment(4'000);
  request.set_method(std::string(41, 'm'));
  EXPECT_THAT(ValidateRecordPayment(request), Fails(kInvalid, "method: at most"));
  request = Payment(4'000);
  request.set_reference(std::string(101, 'r'));
  EXPECT_THAT(ValidateRecordPayment(request), Fails(kInvalid, "reference: at most"));
  request = Payment(4'000);
  request.mutable_received_at()->set_seconds(-1);
  EXPECT_THAT(ValidateRecordPayment(request), Fails(kInvalid, "received_at"));
}

TEST(ValidateRecordRefund, NamesTheField) {
  EXPECT_TRUE(ValidateRecordRefund(Refund(1'000)).ok()) << ValidateRecordRefund(Refund(1'000));
  EXPECT_THAT(ValidateRecordRefund(Refund(0)), Fails(kInvalid, "amount: must be positive"));
  v1::RecordRefundRequest request = Refund(1'000);
  request.set_method("card\x1b");
  EXPECT_THAT(ValidateRecordRefund(request), Fails(kInvalid, "method"));
}

TEST(ValidateVoidInvoice, ReasonIsRequired) {
  EXPECT_TRUE(ValidateVoidInvoice(Void("Billed twice")).ok());
  EXPECT_THAT(ValidateVoidInvoice(Void("  ")), Fails(kInvalid, "reason: required"));
  EXPECT_THAT(ValidateVoidInvoice(Void(std::string(1001, 'x'))),
              Fails(kInvalid, "reason: at most"));
  v1::VoidInvoiceRequest request = Void("Billed twice");
  request.clear_invoice_id();
  EXPECT_THAT(ValidateVoidInvoice(request), Fails(kInvalid, "invoice_id: required"));
}

// ---------------------------------------------------------------------------------------------
// DecideCreateInvoice

TEST(DecideCreateInvoice, CreatesOnce) {
  v1::Invoice draft = Invoice(v1::INVOICE_STATUS_DRAFT);
  std::vector<InvoiceEvent> events = DecideCreateInvoice(kNone, draft);
  EXPECT_EQ(Only<v1::InvoiceCreated>(events).invoice().number(), 9);
  EXPECT_THAT(DecideCreateInvoice(kExisting, draft), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// DecideIssueInvoice

TEST(DecideIssueInvoice, DueAfterThePaymentTerms) {
  auto events = DecideIssueInvoice(Invoice(v1::INVOICE_STATUS_DRAFT), kExisting,
                                   absl::CivilDay(2026, 1, 20), 30);
  ASSERT_TRUE(events.ok()) << events.status();
  const common::v1::LocalDate& due = Only<v1::InvoiceIssued>(*events).due_date();
  EXPECT_EQ(due.year(), 2026);
  EXPECT_EQ(due.month(), 2);
  EXPECT_EQ(due.day(), 19);
}

TEST(DecideIssueInvoice, TermsAcrossTheYearAndDueOnReceipt) {
  auto events = DecideIssueInvoice(Invoice(v1::INVOICE_STATUS_DRAFT), kExisting,
                                   absl::CivilDay(2025, 12, 15), 30);
  ASSERT_TRUE(events.ok()) << events.status();
  const common::v1::LocalDate& due = Only<v1::InvoiceIssued>(*events).due_date();
  EXPECT_EQ(due.year(), 2026);
  EXPECT_EQ(due.month(), 1);
  EXPECT_EQ(due.day(), 14);

  events = DecideIssueInvoice(Invoice(v1::INVOICE_STATUS_DRAFT), kExisting,
                              absl::CivilDay(2028, 2, 29), 0);
  ASSERT_TRUE(events.ok()) << events.status();
  const common::v1::LocalDate& today = Only<v1::InvoiceIssued>(*events).due_date();
  EXPECT_EQ(today.year(), 2028);
  EXPECT_EQ(today.month(), 2);
  EXPECT_EQ(today.day(), 29);
}

TEST(DecideIssueInvoice, IssuedAgainGivesNoEvents) {
  for (auto status :
       {v1::INVOICE_STATUS_ISSUED, v1::INVOICE_STATUS_PARTIALLY_PAID, v1::INVOICE_STATUS_PAID}) {
    auto events = DecideIssueInvoice(Invoice(status, status == v1::INVOICE_STATUS_ISSUED ? 0 : 500),
                                     kExisting, absl::CivilDay(2026, 1, 20), 30);
    ASSERT_TRUE(events.ok()) << events.status();
    EXPECT_THAT(*events, IsEmpty()) << v1::InvoiceStatus_Name(status);
  }
}

TEST(DecideIssueInvoice, AVoidInvoiceIsNotIssued) {
  EXPECT_THAT(DecideIssueInvoice(Invoice(v1::INVOICE_STATUS_VOID), kExisting,
                                 absl::CivilDay(2026, 1, 20), 30),
              Fails(kPrecondition, "INV-9 is void"));
}

TEST(DecideIssueInvoice, MissingInvoiceIsNotFound) {
  v1::Invoice none;
  none.set_invoice_id(kInvoiceId);
  EXPECT_THAT(DecideIssueInvoice(none, kNone, absl::CivilDay(2026, 1, 20), 30),
              Fails(kNotFound, absl::StrCat("invoice ", kInvoiceId, " not found")));
}

// ---------------------------------------------------------------------------------------------
// DecideVoidInvoice

TEST(DecideVoidInvoice, VoidsADraftOrAnUnpaidIssuedInvoice) {
  for (auto status : {v1::INVOICE_STATUS_DRAFT, v1::INVOICE_STATUS_ISSUED}) {
    auto events = DecideVoidInvoice(Invoice(status), kExisting, "Billed twice", {});
    ASSERT_TRUE(events.ok()) << events.status();
    EXPECT_EQ(Only<v1::InvoiceVoided>(*events).reason(), "Billed twice");
  }
  // One refunded in full has nothing paid on it.
  auto refunded = DecideVoidInvoice(Invoice(v1::INVOICE_STATUS_ISSUED, 0), kExisting, "Refunded",
                                    {CreditNote(v1::INVOICE_STATUS_VOID)});
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_THAT(*refunded, SizeIs(1));
}

TEST(DecideVoidInvoice, APaidInvoiceIsRefusedNamingTheAmount) {
  const absl::Status refused = DecideVoidInvoice(Invoice(v1::INVOICE_STATUS_PARTIALLY_PAID, 4'000),
                                                 kExisting, "Wrong job", {})
                                   .status();
  EXPECT_THAT(refused, Fails(kPrecondition, "INV-9 has USD 40.00 paid on it"));
  EXPECT_THAT(refused.message(), HasSubstr("refund it before voiding"));
  EXPECT_THAT(
      DecideVoidInvoice(Invoice(v1::INVOICE_STATUS_PAID, 10'000), kExisting, "Wrong job", {}),
      Fails(kPrecondition, "USD 100.00 paid"));
}

TEST(DecideVoidInvoice, ACreditNoteAgainstItMustBeVoidFirst) {
  for (auto status : {v1::INVOICE_STATUS_DRAFT, v1::INVOICE_STATUS_ISSUED}) {
    EXPECT_THAT(DecideVoidInvoice(Invoice(v1::INVOICE_STATUS_ISSUED), kExisting, "Wrong job",
                                  {CreditNote(v1::INVOICE_STATUS_VOID), CreditNote(status)}),
                Fails(kPrecondition, "credit note INV-14 corrects INV-9: void it first"))
        << v1::InvoiceStatus_Name(status);
  }
}

TEST(DecideVoidInvoice, VoidAgainGivesNoEvents) {
  auto events = DecideVoidInvoice(Invoice(v1::INVOICE_STATUS_VOID), kExisting, "again", {});
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, IsEmpty());
}

TEST(DecideVoidInvoice, MissingInvoiceIsNotFound) {
  EXPECT_THAT(DecideVoidInvoice(Invoice(v1::INVOICE_STATUS_DRAFT), kNone, "x", {}),
              Fails(kNotFound, "not found"));
}

// ---------------------------------------------------------------------------------------------
// DecideRecordPayment

TEST(DecideRecordPayment, PartialPayment) {
  auto events = DecideRecordPayment(Invoice(v1::INVOICE_STATUS_ISSUED), kExisting, Payment(4'000),
                                    kPaymentId, kNow);
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::PaymentRecorded& recorded = Only<v1::PaymentRecorded>(*events);
  const v1::Payment& payment = recorded.payment();
  EXPECT_EQ(payment.payment_id(), kPaymentId);
  EXPECT_EQ(payment.kind(), v1::PAYMENT_KIND_PAYMENT);
  EXPECT_THAT(payment.amount(), IsMoney(4'000));
  EXPECT_EQ(payment.method(), "check");
  EXPECT_EQ(payment.reference(), "1043");
  EXPECT_EQ(TimeFromProto(payment.received_at()), kNow) << "received now when not said";
  EXPECT_FALSE(payment.has_to_credit());
  EXPECT_THAT(recorded.balance_after(), IsMoney(6'000));
}

TEST(DecideRecordPayment, FullPaymentLeavesNoBalance) {
  auto events = DecideRecordPayment(Invoice(v1::INVOICE_STATUS_PARTIALLY_PAID, 4'000), kExisting,
                                    Payment(6'000), kPaymentId, kNow);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Only<v1::PaymentRecorded>(*events).balance_after(), IsMoney(0));
  EXPECT_FALSE(Only<v1::PaymentRecorded>(*events).payment().has_to_credit());
}

TEST(DecideRecordPayment, KeepsTheReceivedTime) {
  v1::RecordPaymentRequest request = Payment(4'000);
  const absl::Time received = kNow - absl::Hours(50);
  *request.mutable_received_at() = ProtoFromTime(received);
  auto events =
      DecideRecordPayment(Invoice(v1::INVOICE_STATUS_ISSUED), kExisting, request, kPaymentId, kNow);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(TimeFromProto(Only<v1::PaymentRecorded>(*events).payment().received_at()), received);
}

TEST(DecideRecordPayment, OverpaymentIsRefused) {
  const absl::Status refused =
      DecideRecordPayment(Invoice(v1::INVOICE_STATUS_PARTIALLY_PAID, 4'000), kExisting,
                          Payment(6'001), kPaymentId, kNow)
          .status();
  EXPECT_THAT(refused, Fails(kPrecondition, "overpayment"));
  EXPECT_THAT(refused.message(), HasSubstr("balance of USD 60.00"));
  EXPECT_THAT(refused.message(), HasSubstr("excess_to_credit"));
}

TEST(DecideRecordPayment, ExcessToCreditKeepsTheRest) {
  auto events = DecideRecordPayment(Invoice(v1::INVOICE_STATUS_PARTIALLY_PAID, 4'000), kExisting,
                                    Payment(7'500, true), kPaymentId, kNow);
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::PaymentRecorded& recorded = Only<v1::PaymentRecorded>(*events);
  EXPECT_THAT(recorded.payment().amount(), IsMoney(7'500)) << "the whole payment is recorded";
  ASSERT_TRUE(recorded.payment().has_to_credit());
  EXPECT_THAT(recorded.payment().to_credit(), IsMoney(1'500));
  EXPECT_THAT(recorded.balance_after(), IsMoney(0));
}

TEST(DecideRecordPayment, DraftVoidAndCreditNotesTakeNoMoney) {
  EXPECT_THAT(DecideRecordPayment(Invoice(v1::INVOICE_STATUS_DRAFT), kExisting, Payment(1'000),
                                  kPaymentId, kNow),
              Fails(kPrecondition, "INV-9 is a draft: issue it first"));
  EXPECT_THAT(DecideRecordPayment(Invoice(v1::INVOICE_STATUS_VOID), kExisting, Payment(1'000),
                                  kPaymentId, kNow),
              Fails(kPrecondition, "INV-9 is void"));
  EXPECT_THAT(DecideRecordPayment(CreditNote(v1::INVOICE_STATUS_ISSUED), kExisting, Payment(1'000),
                                  kPaymentId, kNow),
              Fails(kPrecondition, "takes no payments"));
}

TEST(DecideRecordPayment, InTheInvoicesCurrency) {
  EXPECT_THAT(DecideRecordPayment(Invoice(v1::INVOICE_STATUS_ISSUED), kExisting,
                                  Payment(1'000, false, "EUR"), kPaymentId, kNow),
              Fails(kInvalid, "amount: in USD"));
}

TEST(DecideRecordPayment, MissingInvoiceIsNotFound) {
  EXPECT_THAT(DecideRecordPayment(v1::Invoice(), kNone, Payment(1'000), kPaymentId, kNow),
              Fails(kNotFound, absl::StrCat("invoice ", kInvoiceId, " not found")));
}

// ---------------------------------------------------------------------------------------------
// DecideRecordRefund

TEST(DecideRecordRefund, PartialRefundRaisesTheBalance) {
  auto events = DecideRecordRefund(Invoice(v1::INVOICE_STATUS_PAID, 10'000), kExisting,
                                   Refund(2'500), kRefundId, kNow);
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::RefundRecorded& recorded = Only<v1::RefundRecorded>(*events);
  EXPECT_EQ(recorded.refund().payment_id(), kRefundId);
  EXPECT_EQ(recorded.refund().kind(), v1::PAYMENT_KIND_REFUND);
  EXPECT_THAT(recorded.refund().amount(), IsMoney(2'500));
  EXPECT_EQ(recorded.refund().method(), "card");
  EXPECT_EQ(recorded.refund().reference(), "re_123");
  EXPECT_EQ(TimeFromProto(recorded.refund().received_at()), kNow);
  EXPECT_THAT(recorded.balance_after(), IsMoney(2'500));
}

TEST(DecideRecordRefund, EverythingPaidCanBeRefunded) {
  auto events = DecideRecordRefund(Invoice(v1::INVOICE_STATUS_PARTIALLY_PAID, 4'000), kExisting,
                                   Refund(4'000), kRefundId, kNow);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Only<v1::RefundRecorded>(*events).balance_after(), IsMoney(10'000));
}

TEST(DecideRecordRefund, MoreThanPaidIsRefused) {
  EXPECT_THAT(
      DecideRecordRefund(Invoice(v1::INVOICE_STATUS_PARTIALLY_PAID, 4'000), kExisting,
                         Refund(4'001), kRefundId, kNow),
      Fails(kPrecondition, "a refund of USD 40.01 is more than the USD 40.00 paid on INV-9"));
  EXPECT_THAT(
      DecideRecordRefund(Invoice(v1::INVOICE_STATUS_ISSUED), kExisting, Refund(1), kRefundId, kNow),
      Fails(kPrecondition, "more than the USD 0.00 paid"));
}

TEST(DecideRecordRefund, DraftIsRefused) {
  EXPECT_THAT(DecideRecordRefund(Invoice(v1::INVOICE_STATUS_DRAFT), kExisting, Refund(100),
                                 kRefundId, kNow),
              Fails(kPrecondition, "INV-9 is a draft"));
  EXPECT_THAT(DecideRecordRefund(v1::Invoice(), kNone, Refund(100), kRefundId, kNow),
              Fails(kNotFound, "not found"));
}

// ---------------------------------------------------------------------------------------------
// DecideSetBillingSchedule

TEST(DecideSetBillingSchedule, DefaultsToTheJobsContractAmount) {
  auto events = DecideSetBillingSchedule(Schedule(), P(2'500'000), "USD", {});
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::BillingScheduleSet& set = Only<v1::BillingScheduleSet>(*events);
  EXPECT_THAT(set.contract_amount(), IsMoney(2'500'000));
  ASSERT_THAT(set.stages(), SizeIs(3));
  EXPECT_EQ(set.stages(0).label(), "Deposit");
  EXPECT_EQ(set.stages(2).share_ppm(), 600'000);
}

TEST(DecideSetBillingSchedule, TheRequestsContractAmountWins) {
  auto events = DecideSetBillingSchedule(Schedule(3'000'000), P(2'500'000), "USD", {});
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Only<v1::BillingScheduleSet>(*events).contract_amount(), IsMoney(3'000'000));
  // Even when the job has none.
  events = DecideSetBillingSchedule(Schedule(3'000'000), common::v1::Money(), "USD", {});
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Only<v1::BillingScheduleSet>(*events).contract_amount(), IsMoney(3'000'000));
}

TEST(DecideSetBillingSchedule, StagesCarryNoInvoiceIds) {
  v1::SetBillingScheduleRequest request = Schedule();
  request.mutable_stages(0)->set_invoice_id("invoice-3");
  auto events = DecideSetBillingSchedule(request, P(2'500'000), "USD", {});
  ASSERT_TRUE(events.ok()) << events.status();
  for (const v1::BillingStage& stage : Only<v1::BillingScheduleSet>(*events).stages()) {
    EXPECT_EQ(stage.invoice_id(), "") << stage.label();
  }
}

TEST(DecideSetBillingSchedule, NeedsAPositiveContractAmount) {
  EXPECT_THAT(DecideSetBillingSchedule(Schedule(), common::v1::Money(), "USD", {}),
              Fails(kInvalid, "contract_amount: required and positive"));
  EXPECT_THAT(DecideSetBillingSchedule(Schedule(), P(0), "USD", {}),
              Fails(kInvalid, "contract_amount"));
  v1::SetBillingScheduleRequest negative = Schedule();
  *negative.mutable_contract_amount() = P(-100);
  EXPECT_THAT(DecideSetBillingSchedule(negative, P(2'500'000), "USD", {}),
              Fails(kInvalid, "contract_amount: required and positive"));
}

TEST(DecideSetBillingSchedule, InTheTenantsCurrency) {
  EXPECT_THAT(DecideSetBillingSchedule(Schedule(), P(2'500'000, "EUR"), "USD", {}),
              Fails(kInvalid, "contract_amount: in USD, the tenant's currency"));
  EXPECT_THAT(DecideSetBillingSchedule(Schedule(3'000'000, "CAD"), P(2'500'000), "USD", {}),
              Fails(kInvalid, "contract_amount: in USD"));
}

TEST(DecideSetBillingSchedule, ALiveProgressInvoiceRefuses) {
  for (auto status :
       {v1::INVOICE_STATUS_DRAFT, v1::INVOICE_STATUS_ISSUED, v1::INVOICE_STATUS_PAID}) {
    EXPECT_THAT(
        DecideSetBillingSchedule(Schedule(), P(2'500'000), "USD",
                                 {Progress(2, 0, v1::INVOICE_STATUS_VOID), Progress(3, 1, status)}),
        Fails(kPrecondition, "INV-3 billed stage 2 of the schedule: void it before"))
        << v1::InvoiceStatus_Name(status);
  }
  // Void ones fixed nothing.
  auto events = DecideSetBillingSchedule(Schedule(), P(2'500'000), "USD",
                                         {Progress(2, 0, v1::INVOICE_STATUS_VOID)});
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, SizeIs(1));
}

// ---------------------------------------------------------------------------------------------
// DecideCommission

TEST(DecideCommission, DefersAndReleases) {
  v1::JobBilling billing;
  auto deferred = DecideCommission(billing, true, "Awaiting inspection");
  ASSERT_TRUE(deferred.ok()) << deferred.status();
  EXPECT_EQ(Only<v1::CommissionDeferred>(*deferred).note(), "Awaiting inspection");

  billing.set_commission_deferred(true);
  auto released = DecideCommission(billing, false, "Passed");
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(Only<v1::CommissionReleased>(*released).note(), "Passed");
}

TEST(DecideCommission, RefusedWhenAlreadySo) {
  v1::JobBilling billing;
  EXPECT_THAT(DecideCommission(billing, false, ""),
              Fails(kPrecondition, "the job's commission is not deferred"));
  billing.set_commission_deferred(true);
  EXPECT_THAT(DecideCommission(billing, true, ""),
              Fails(kPrecondition, "the job's commission is deferred already"));
}

// ---------------------------------------------------------------------------------------------
// DecideChargeback

TEST(DecideChargeback, OncePerRecallJob) {
  v1::JobBilling billing;
  std::vector<JobBillingEvent> first = DecideChargeback(billing, ChargebackFor(kRecallJob, 12'000));
  const v1::ChargebackRecorded& recorded = Only<v1::ChargebackRecorded>(first);
  EXPECT_EQ(recorded.chargeback().recall_job_id(), kRecallJob);
  EXPECT_THAT(recorded.chargeback().amount(), IsMoney(12'000));
  EXPECT_EQ(recorded.chargeback().rule(), "labour of the recall at cost");

  *billing.add_chargebacks() = recorded.chargeback();
  // The same recall job again, even with another amount: nothing.
  EXPECT_THAT(DecideChargeback(billing, ChargebackFor(kRecallJob, 9'000)), IsEmpty());
  // Another recall job of the same original job: one more.
  std::vector<JobBillingEvent> second =
      DecideChargeback(billing, ChargebackFor(kOtherRecallJob, 9'000));
  EXPECT_EQ(Only<v1::ChargebackRecorded>(second).chargeback().recall_job_id(), kOtherRecallJob);
}

}  // namespace
}  // namespace jobledger::billing
