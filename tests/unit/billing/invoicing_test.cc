// Standard invoices of completed jobs, progress invoices of billing schedules and credit notes.
#include "domain/invoicing.h"

#include <string>
#include <utility>
#include <vector>

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::billing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Ids;
using testing::InvoiceOf;
using testing::IsMoney;
using testing::Item;
using testing::JobIn;
using testing::P;
using testing::Rate;
using testing::Settings;
using testing::StatusIs;

constexpr auto kService = job::v1::LINE_ITEM_KIND_SERVICE;
constexpr auto kMaterial = job::v1::LINE_ITEM_KIND_MATERIAL;
constexpr auto kAsset = job::v1::LINE_ITEM_KIND_ASSET;

// The price book's categories; records which items were asked about.
struct PriceBook {
  std::vector<std::string> asked;
  TaxCategoryOf Categories() {
    return [this](const std::string& item) -> std::string {
      asked.push_back(item);
      if (item == "pb-svc") return "labor";
      if (item == "pb-mat") return "materials";
      if (item == "pb-fuel") return "fuel";  // no rate for it
      return "";
    };
  }
};

// A completed job (JOB-7) with billable, non-billable, zero, custom and price-book lines:
//   svc    1.5 × 80.00 "labor" 0 %        = 120.00, tax 0
//   mat    3 × 19.99 "materials" 8.25 %   =  59.97, tax 4.947525 → 4.95
//   custom 1 × 25.00 (no category)        =  25.00, tax 0
//   nb     non-billable                   (skipped)
//   free   0 × 10.00                      (skipped: zero total)
//   disc   1 × −10.00 custom discount     = −10.00, tax 0
//   odd    1.333 × 0.15 "materials"       =   0.20, tax 0.0165 → 0.02
job::v1::Job CompletedJob() {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED);
  *job.add_line_items() = Item("svc", kService, 1500, 8'000, "pb-svc");
  *job.add_line_items() = Item("mat", kMaterial, 3000, 1'999, "pb-mat");
  *job.add_line_items() = Item("custom", kService, 1000, 2'500);
  job::v1::LineItem non_billable = Item("nb", kAsset, 1000, 50'000, "pb-mat");
  non_billable.set_billable(false);
  *job.add_line_items() = non_billable;
  *job.add_line_items() = Item("free", kMaterial, 0, 1'000, "pb-mat");
  *job.add_line_items() = Item("disc", kService, 1000, -1'000);
  *job.add_line_items() = Item("odd", kMaterial, 1333, 15, "pb-mat");
  return job;
}

constexpr int64_t kSubtotal = 12'000 + 5'997 + 2'500 - 1'000 + 20;
constexpr int64_t kTax = 495 + 2;

absl::StatusOr<v1::Invoice> InvoiceJob(const job::v1::Job& job,
                                       const std::vector<v1::Invoice>& existing = {},
                                       const v1::BillingSettings& settings = Settings()) {
  PriceBook book;
  return BuildJobInvoice(job, settings, book.Categories(), existing, "invoice-new", 12, Ids());
}

// ---------------------------------------------------------------------------------------------
// Standard invoices

TEST(BuildJobInvoice, OneLinePerBillableNonZeroLineItem) {
  PriceBook book;
  absl::StatusOr<v1::Invoice> invoice =
      BuildJobInvoice(CompletedJob(), Settings(), book.Categories(), {}, "invoice-new", 12, Ids());
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  std::vector<std::string> sources;
  std::vector<std::string> ids;
  for (const v1::InvoiceLine& line : invoice->lines()) {
    sources.push_back(line.source_line_item_id());
    ids.push_back(line.line_id());
  }
  EXPECT_THAT(sources, ElementsAre("svc", "mat", "custom", "disc", "odd"));
  EXPECT_THAT(ids, ElementsAre("line-1", "line-2", "line-3", "line-4", "line-5"));
  // Custom lines are never looked up: they carry no tax category.
  EXPECT_THAT(book.asked, ElementsAre("pb-svc", "pb-mat", "pb-mat"));
}

TEST(BuildJobInvoice, CopiesAndPricesEachLine) {
  absl::StatusOr<v1::Invoice> invoice = InvoiceJob(CompletedJob());
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  ASSERT_EQ(invoice->lines_size(), 5);
  const v1::InvoiceLine& mat = invoice->lines(1);
  EXPECT_EQ(mat.kind(), kMaterial);
  EXPECT_EQ(mat.name(), "item mat");
  EXPECT_EQ(mat.description(), "about mat");
  EXPECT_EQ(mat.quantity_milli(), 3000);
  EXPECT_THAT(mat.unit_price(), IsMoney(1'999));
  EXPECT_THAT(mat.net(), IsMoney(5'997));
  EXPECT_EQ(mat.tax_category(), "materials");
  EXPECT_EQ(mat.tax_rate_ppm(), testing::kRate825);
  EXPECT_THAT(mat.tax(), IsMoney(495));

  const v1::InvoiceLine& svc = invoice->lines(0);
  EXPECT_EQ(svc.tax_category(), "labor");
  EXPECT_THAT(svc.net(), IsMoney(12'000));
  EXPECT_THAT(svc.tax(), IsMoney(0));

  for (int custom : {2, 3}) {
    EXPECT_EQ(invoice->lines(custom).tax_category(), "");
    EXPECT_EQ(invoice->lines(custom).tax_rate_ppm(), 0);
    EXPECT_THAT(invoice->lines(custom).tax(), IsMoney(0));
  }
  EXPECT_THAT(invoice->lines(3).net(), IsMoney(-1'000));

  const v1::InvoiceLine& odd = invoice->lines(4);
  EXPECT_THAT(odd.net(), IsMoney(20));  // 0.19995
  EXPECT_THAT(odd.tax(), IsMoney(2));   // 1.65 cents
}

TEST(BuildJobInvoice, HeaderAndTotalsAddUpLineByLine) {
  absl::StatusOr<v1::Invoice> invoice = InvoiceJob(CompletedJob());
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  EXPECT_EQ(invoice->invoice_id(), "invoice-new");
  EXPECT_EQ(invoice->number(), 12);
  EXPECT_EQ(invoice->kind(), v1::INVOICE_KIND_STANDARD);
  EXPECT_EQ(invoice->status(), v1::INVOICE_STATUS_DRAFT);
  EXPECT_EQ(invoice->job_id(), testing::kJobId);
  EXPECT_EQ(invoice->customer_id(), testing::kCustomerId);
  EXPECT_THAT(invoice->subtotal(), IsMoney(kSubtotal));
  EXPECT_THAT(invoice->tax(), IsMoney(kTax));
  EXPECT_THAT(invoice->total(), IsMoney(kSubtotal + kTax));
  EXPECT_THAT(invoice->paid(), IsMoney(0));
  EXPECT_THAT(invoice->balance(), IsMoney(kSubtotal + kTax));
  int64_t net = 0;
  int64_t tax = 0;
  for (const v1::InvoiceLine& line : invoice->lines()) {
    net += line.net().minor_units();
    tax += line.tax().minor_units();
  }
  EXPECT_EQ(net, invoice->subtotal().minor_units());
  EXPECT_EQ(tax, invoice->tax().minor_units());
}

TEST(BuildJobInvoice, OnlyCompletedJobs) {
  for (job::v1::JobStatus status :
       {job::v1::JOB_STATUS_UNSPECIFIED, job::v1::JOB_STATUS_DRAFT, job::v1::JOB_STATUS_OPEN,
        job::v1::JOB_STATUS_SCHEDULED, job::v1::JOB_STATUS_IN_PROGRESS, job::v1::JOB_STATUS_ON_HOLD,
        job::v1::JOB_STATUS_CANCELLED, job::v1::JOB_STATUS_DEFERRED}) {
    job::v1::Job job = CompletedJob();
    job.set_status(status);
    EXPECT_THAT(InvoiceJob(job).status(),
                StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 is not completed"))
        << job::v1::JobStatus_Name(status);
  }
}

TEST(BuildJobInvoice, RefusesASecondStandardInvoiceThatIsNotVoid) {
  for (v1::InvoiceStatus status : {v1::INVOICE_STATUS_DRAFT, v1::INVOICE_STATUS_ISSUED,
                                   v1::INVOICE_STATUS_PARTIALLY_PAID, v1::INVOICE_STATUS_PAID}) {
    const std::vector<v1::Invoice> existing = {
        InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_VOID, 2),
        InvoiceOf(v1::INVOICE_KIND_STANDARD, status, 3)};
    absl::Status refused = InvoiceJob(CompletedJob(), existing).status();
    EXPECT_THAT(refused,
                StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 is invoiced already"))
        << v1::InvoiceStatus_Name(status);
    EXPECT_THAT(refused.message(), HasSubstr("INV-3"));
    EXPECT_THAT(refused.message(), HasSubstr("void it first"));
  }
}

TEST(BuildJobInvoice, VoidProgressAndCreditNotesDoNotBlock) {
  const std::vector<v1::Invoice> existing = {
      InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_VOID, 2),
      InvoiceOf(v1::INVOICE_KIND_PROGRESS, v1::INVOICE_STATUS_PAID, 3),
      InvoiceOf(v1::INVOICE_KIND_CREDIT_NOTE, v1::INVOICE_STATUS_ISSUED, 4)};
  EXPECT_TRUE(InvoiceJob(CompletedJob(), existing).ok());
}

TEST(BuildJobInvoice, NothingBillableIsRefusedRatherThanAZeroInvoice) {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED);
  EXPECT_THAT(InvoiceJob(job).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 has no billable line"));
  job::v1::LineItem non_billable = Item("nb", kService, 1000, 10'000);
  non_billable.set_billable(false);
  *job.add_line_items() = non_billable;
  *job.add_line_items() = Item("free", kService, 1000, 0);
  *job.add_line_items() = Item("none", kService, 0, 5'000);
  EXPECT_THAT(InvoiceJob(job).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "nothing to invoice"));
}

TEST(BuildJobInvoice, MissingTaxRateNamesTheCategory) {
  job::v1::Job job = CompletedJob();
  *job.add_line_items() = Item("fuel", kMaterial, 1000, 5'000, "pb-fuel");
  EXPECT_THAT(InvoiceJob(job).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "\"fuel\""));
}

TEST(BuildJobInvoice, JurisdictionFallbackRate) {
  v1::BillingSettings settings = Settings();
  settings.clear_tax_rates();
  *settings.add_tax_rates() = Rate("labor", "", 0);
  *settings.add_tax_rates() = Rate("materials", "", 100'000);  // 10 %, any jurisdiction
  absl::StatusOr<v1::Invoice> invoice = InvoiceJob(CompletedJob(), {}, settings);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  EXPECT_THAT(invoice->lines(1).tax(), IsMoney(600));  // 599.7
  EXPECT_THAT(invoice->tax(), IsMoney(600 + 2));
}

// ---------------------------------------------------------------------------------------------
// Progress invoices

v1::JobBilling Schedule(std::vector<std::pair<std::string, int64_t>> stages,
                        int64_t contract_minor = 100'001) {
  v1::JobBilling billing;
  billing.set_job_id(testing::kJobId);
  for (const auto& [label, share] : stages) {
    v1::BillingStage& stage = *billing.add_schedule();
    stage.set_label(label);
    stage.set_share_ppm(share);
  }
  *billing.mutable_contract_amount() = P(contract_minor);
  return billing;
}

v1::JobBilling Deposit202060() {
  return Schedule({{"Deposit", 200'000}, {"Rough-in", 200'000}, {"", 600'000}});
}

absl::StatusOr<v1::Invoice> Progress(const v1::JobBilling& billing, int stage,
                                     const std::vector<v1::Invoice>& existing = {}) {
  return BuildProgressInvoice(JobIn(job::v1::JOB_STATUS_IN_PROGRESS), billing, stage, existing,
                              "invoice-p", 20, Ids());
}

v1::Invoice ProgressInvoiceOf(int stage, v1::InvoiceStatus status, int64_t number) {
  v1::Invoice invoice = InvoiceOf(v1::INVOICE_KIND_PROGRESS, status, number);
  invoice.set_progress_stage(stage);
  return invoice;
}

TEST(BuildProgressInvoice, OneUntaxedLineForTheStagesAmount) {
  absl::StatusOr<v1::Invoice> invoice = Progress(Deposit202060(), 0);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  EXPECT_EQ(invoice->invoice_id(), "invoice-p");
  EXPECT_EQ(invoice->number(), 20);
  EXPECT_EQ(invoice->kind(), v1::INVOICE_KIND_PROGRESS);
  EXPECT_EQ(invoice->status(), v1::INVOICE_STATUS_DRAFT);
  EXPECT_EQ(invoice->job_id(), testing::kJobId);
  EXPECT_EQ(invoice->customer_id(), testing::kCustomerId);
  EXPECT_EQ(invoice->progress_stage(), 0);
  EXPECT_EQ(invoice->progress_share_ppm(), 200'000);
  ASSERT_EQ(invoice->lines_size(), 1);
  const v1::InvoiceLine& line = invoice->lines(0);
  EXPECT_EQ(line.line_id(), "line-1");
  EXPECT_EQ(line.kind(), kService);
  EXPECT_EQ(line.name(), "Deposit (20 % of USD 1000.01)");
  EXPECT_EQ(line.quantity_milli(), 1000);
  EXPECT_THAT(line.unit_price(), IsMoney(20'000));
  EXPECT_THAT(line.net(), IsMoney(20'000));
  EXPECT_EQ(line.tax_category(), "");
  EXPECT_EQ(line.tax_rate_ppm(), 0);
  EXPECT_THAT(line.tax(), IsMoney(0));
  EXPECT_THAT(invoice->subtotal(), IsMoney(20'000));
  EXPECT_THAT(invoice->tax(), IsMoney(0));
  EXPECT_THAT(invoice->total(), IsMoney(20'000));
  EXPECT_THAT(invoice->paid(), IsMoney(0));
  EXPECT_THAT(invoice->balance(), IsMoney(20'000));
}

TEST(BuildProgressInvoice, TheLastStageTakesTheRemainderAndUnlabelledStagesAreNumbered) {
  absl::StatusOr<v1::Invoice> invoice = Progress(Deposit202060(), 2);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  EXPECT_EQ(invoice->lines(0).name(), "Stage 3 (60 % of USD 1000.01)");
  EXPECT_THAT(invoice->total(), IsMoney(60'001));
}

TEST(BuildProgressInvoice, SharesReadAsPercentages) {
  const v1::JobBilling billing =
      Schedule({{"a", 333'333}, {"b", 125'000}, {"c", 10}, {"d", 541'657}}, 1'000'000);
  std::vector<std::string> names;
  for (int stage = 0; stage < 4; ++stage) {
    absl::StatusOr<v1::Invoice> invoice = Progress(billing, stage);
    ASSERT_TRUE(invoice.ok()) << invoice.status();
    names.push_back(invoice->lines(0).name());
  }
  EXPECT_THAT(names, ElementsAre("a (33.3333 % of USD 10000.00)", "b (12.5 % of USD 10000.00)",
                                 "c (0.001 % of USD 10000.00)", "d (54.1657 % of USD 10000.00)"));
}

TEST(BuildProgressInvoice, RefusesWithoutAScheduleOrContract) {
  v1::JobBilling billing;
  billing.set_job_id(testing::kJobId);
  EXPECT_THAT(Progress(billing, 0).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 has no billing schedule"));
  billing = Deposit202060();
  billing.clear_contract_amount();
  EXPECT_THAT(Progress(billing, 0).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 has no contract amount"));
}

TEST(BuildProgressInvoice, RefusesAnUnknownStage) {
  EXPECT_THAT(
      Progress(Deposit202060(), 3).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 has no stage 3 (stages 0..2)"));
  EXPECT_THAT(Progress(Deposit202060(), -1).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "has no stage -1"));
}

TEST(BuildProgressInvoice, RefusesAStageInvoicedByAnInvoiceThatIsNotVoid) {
  for (v1::InvoiceStatus status : {v1::INVOICE_STATUS_DRAFT, v1::INVOICE_STATUS_ISSUED,
                                   v1::INVOICE_STATUS_PARTIALLY_PAID, v1::INVOICE_STATUS_PAID}) {
    EXPECT_THAT(Progress(Deposit202060(), 1, {ProgressInvoiceOf(1, status, 8)}).status(),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         "stage 1 of JOB-7 is invoiced already (INV-8)"))
        << v1::InvoiceStatus_Name(status);
  }
}

TEST(BuildProgressInvoice, AllowedAgainOnceVoidAndNotBlockedByOtherStagesOrKinds) {
  const std::vector<v1::Invoice> existing = {
      ProgressInvoiceOf(1, v1::INVOICE_STATUS_VOID, 8),
      ProgressInvoiceOf(0, v1::INVOICE_STATUS_PAID, 9),
      InvoiceOf(v1::INVOICE_KIND_STANDARD, v1::INVOICE_STATUS_ISSUED, 10),      // stage field 0
      InvoiceOf(v1::INVOICE_KIND_CREDIT_NOTE, v1::INVOICE_STATUS_ISSUED, 11)};  // stage field 0
  absl::StatusOr<v1::Invoice> invoice = Progress(Deposit202060(), 1, existing);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  EXPECT_THAT(invoice->total(), IsMoney(20'000));
  const std::vector<v1::Invoice> only_other_kinds = {existing[2], existing[3]};
  EXPECT_TRUE(Progress(Deposit202060(), 0, only_other_kinds).ok());
}

// ---------------------------------------------------------------------------------------------
// Credit notes

// JOB-7's invoice, issued as INV-5.
v1::Invoice IssuedOriginal() {
  absl::StatusOr<v1::Invoice> invoice = InvoiceJob(CompletedJob());
  EXPECT_TRUE(invoice.ok()) << invoice.status();
  v1::Invoice original = invoice.ok() ? *invoice : v1::Invoice();
  original.set_invoice_id("invoice-5");
  original.set_number(5);
  original.set_status(v1::INVOICE_STATUS_ISSUED);
  return original;
}

v1::InvoiceLine Credited(int64_t quantity_milli, int64_t unit_minor, const std::string& category,
                         const std::string& currency = "USD") {
  v1::InvoiceLine line;
  line.set_kind(kMaterial);
  line.set_name("returned part");
  line.set_quantity_milli(quantity_milli);
  *line.mutable_unit_price() = P(unit_minor, currency);
  line.set_tax_category(category);
  return line;
}

google::protobuf::RepeatedPtrField<v1::InvoiceLine> LinesOf(std::vector<v1::InvoiceLine> lines) {
  google::protobuf::RepeatedPtrField<v1::InvoiceLine> repeated;
  for (v1::InvoiceLine& line : lines) *repeated.Add() = std::move(line);
  return repeated;
}

absl::StatusOr<v1::Invoice> Credit(const v1::Invoice& original, std::vector<v1::InvoiceLine> lines,
                                   const std::vector<v1::Invoice>& existing_notes = {},
                                   const v1::BillingSettings& settings = Settings()) {
  return BuildCreditNote(original, LinesOf(std::move(lines)), existing_notes, settings,
                         "invoice-cn", 30, Ids());
}

v1::Invoice NoteOf(const v1::Invoice& original, int64_t total, v1::InvoiceStatus status,
                   int64_t number) {
  v1::Invoice note = InvoiceOf(v1::INVOICE_KIND_CREDIT_NOTE, status, number, total);
  note.set_credited_invoice_id(original.invoice_id());
  return note;
}

TEST(BuildCreditNote, NegatesThePricedLines) {
  const v1::Invoice original = IssuedOriginal();
  absl::StatusOr<v1::Invoice> note =
      Credit(original, {Credited(2000, 1'999, "materials"), Credited(1000, 2'500, "")});
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->invoice_id(), "invoice-cn");
  EXPECT_EQ(note->number(), 30);
  EXPECT_EQ(note->kind(), v1::INVOICE_KIND_CREDIT_NOTE);
  EXPECT_EQ(note->status(), v1::INVOICE_STATUS_DRAFT);
  EXPECT_EQ(note->credited_invoice_id(), "invoice-5");
  EXPECT_EQ(note->job_id(), testing::kJobId);
  EXPECT_EQ(note->customer_id(), testing::kCustomerId);
  ASSERT_EQ(note->lines_size(), 2);
  const v1::InvoiceLine& part = note->lines(0);
  EXPECT_EQ(part.line_id(), "line-1");
  EXPECT_EQ(part.name(), "returned part");
  EXPECT_EQ(part.quantity_milli(), 2000);
  EXPECT_THAT(part.unit_price(), IsMoney(-1'999));
  EXPECT_THAT(part.net(), IsMoney(-3'998));
  EXPECT_EQ(part.tax_rate_ppm(), testing::kRate825);
  EXPECT_THAT(part.tax(), IsMoney(-330));  // 329.835
  EXPECT_EQ(note->lines(1).line_id(), "line-2");
  EXPECT_THAT(note->lines(1).net(), IsMoney(-2'500));
  EXPECT_THAT(note->lines(1).tax(), IsMoney(0));
  EXPECT_THAT(note->subtotal(), IsMoney(-6'498));
  EXPECT_THAT(note->tax(), IsMoney(-330));
  EXPECT_THAT(note->total(), IsMoney(-6'828));
  EXPECT_THAT(note->paid(), IsMoney(0));
  EXPECT_THAT(note->balance(), IsMoney(-6'828));
}

TEST(BuildCreditNote, TiesRoundAwayFromZeroOnTheNegativeSide) {
  // 2.00 at 8.25 % = 16.5 cents: −17, the mirror of the +17 the invoice charged.
  absl::StatusOr<v1::Invoice> note = Credit(IssuedOriginal(), {Credited(1000, 200, "materials")});
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_THAT(note->lines(0).tax(), IsMoney(-17));
  // 1.333 × 0.15 = 0.19995: −0.20.
  note = Credit(IssuedOriginal(), {Credited(1333, 15, "")});
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_THAT(note->lines(0).net(), IsMoney(-20));
}

TEST(BuildCreditNote, UsesTheOriginalsRateNotTodays) {
  v1::BillingSettings today = Settings();
  today.clear_tax_rates();
  *today.add_tax_rates() = Rate("materials", testing::kJurisdiction, 100'000);  // 10 % now
  absl::StatusOr<v1::Invoice> note =
      Credit(IssuedOriginal(), {Credited(1000, 10'000, "materials")}, {}, today);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->lines(0).tax_rate_ppm(), testing::kRate825);
  EXPECT_THAT(note->lines(0).tax(), IsMoney(-825));

  // Even when the category has no rate at all any more.
  today.clear_tax_rates();
  note = Credit(IssuedOriginal(), {Credited(1000, 10'000, "materials")}, {}, today);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_THAT(note->lines(0).tax(), IsMoney(-825));
}

TEST(BuildCreditNote, ACategoryTheOriginalDidNotBillTakesTodaysRate) {
  v1::BillingSettings settings = Settings();
  *settings.add_tax_rates() = Rate("rental", "", 60'000);
  absl::StatusOr<v1::Invoice> note =
      Credit(IssuedOriginal(), {Credited(1000, 10'000, "rental")}, {}, settings);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->lines(0).tax_rate_ppm(), 60'000);
  EXPECT_THAT(note->lines(0).tax(), IsMoney(-600));
  EXPECT_THAT(Credit(IssuedOriginal(), {Credited(1000, 100, "fuel")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "\"fuel\""));
}

TEST(BuildCreditNote, OnlyIssuedInvoicesAreCredited) {
  for (v1::InvoiceStatus status : {v1::INVOICE_STATUS_PARTIALLY_PAID, v1::INVOICE_STATUS_PAID}) {
    v1::Invoice original = IssuedOriginal();
    original.set_status(status);
    EXPECT_TRUE(Credit(original, {Credited(1000, 100, "")}).ok()) << v1::InvoiceStatus_Name(status);
  }
  v1::Invoice original = IssuedOriginal();
  original.set_status(v1::INVOICE_STATUS_DRAFT);
  EXPECT_THAT(Credit(original, {Credited(1000, 100, "")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "INV-5 is a draft, not issued"));
  original.set_status(v1::INVOICE_STATUS_VOID);
  EXPECT_THAT(Credit(original, {Credited(1000, 100, "")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "INV-5 is void, not issued"));
  original.set_status(v1::INVOICE_STATUS_UNSPECIFIED);
  EXPECT_THAT(Credit(original, {Credited(1000, 100, "")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not issued"));
  original.set_status(v1::INVOICE_STATUS_ISSUED);
  original.set_kind(v1::INVOICE_KIND_CREDIT_NOTE);
  EXPECT_THAT(Credit(original, {Credited(1000, 100, "")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "INV-5 is a credit note"));
}

TEST(BuildCreditNote, RefusesBadLinesNamingTheField) {
  const v1::Invoice original = IssuedOriginal();
  EXPECT_THAT(Credit(original, {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines: required"));
  EXPECT_THAT(Credit(original, {Credited(1000, 100, ""), Credited(0, 100, "")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[1].quantity_milli"));
  EXPECT_THAT(Credit(original, {Credited(-1000, 100, "")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].quantity_milli"));
  EXPECT_THAT(Credit(original, {Credited(1'000'000'001, 1, "")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].quantity_milli"));
  EXPECT_THAT(Credit(original, {Credited(1000, -100, "")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].unit_price"));
  EXPECT_THAT(Credit(original, {Credited(1000, 0, "")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].unit_price"));
  EXPECT_THAT(Credit(original, {Credited(1000, 100, "", "EUR")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].unit_price.currency"));
  // The text it prints: as the price book's items.
  v1::InvoiceLine line = Credited(1000, 100, "");
  line.set_name(" ");
  EXPECT_THAT(Credit(original, {line}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].name"));
  line.set_name(std::string(201, 'n'));
  EXPECT_THAT(Credit(original, {line}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].name"));
  line.set_name("returned part");
  line.set_description("bad\x01byte");
  EXPECT_THAT(Credit(original, {Credited(1000, 100, ""), line}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[1].description"));
  line.set_description("");
  line.set_tax_category(std::string(1000, 'c'));
  EXPECT_THAT(Credit(original, {line}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].tax_category"));
  line.set_tax_category("");
  line.set_source_line_item_id("not-a-uuid");
  EXPECT_THAT(Credit(original, {line}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "lines[0].source_line_item_id"));
}

TEST(BuildCreditNote, NeverCreditsMoreThanTheTotalAcrossNotes) {
  const v1::Invoice original = IssuedOriginal();
  const int64_t total = original.total().minor_units();
  ASSERT_EQ(total, kSubtotal + kTax);
  v1::Invoice elsewhere = NoteOf(original, -50'000, v1::INVOICE_STATUS_ISSUED, 41);
  elsewhere.set_credited_invoice_id("invoice-other");
  const std::vector<v1::Invoice> notes = {
      NoteOf(original, -15'000, v1::INVOICE_STATUS_ISSUED, 40),
      NoteOf(original, -50'000, v1::INVOICE_STATUS_VOID, 42),  // void: not counted
      elsewhere};                                              // another invoice's
  const int64_t left = total - 15'000;
  absl::StatusOr<v1::Invoice> exact = Credit(original, {Credited(1000, left, "")}, notes);
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_THAT(exact->total(), IsMoney(-left));

  absl::Status over = Credit(original, {Credited(1000, left + 1, "")}, notes).status();
  EXPECT_THAT(over, StatusIs(absl::StatusCode::kFailedPrecondition, "credit notes for INV-5"));
  EXPECT_THAT(over.message(), HasSubstr("would credit USD 200.15 in all"));
  EXPECT_THAT(over.message(), HasSubstr("its total of USD 200.14"));

  // Tax counts too: a taxed line whose net fits but whose net plus tax does not.
  EXPECT_THAT(Credit(original, {Credited(1000, left, "materials")}, notes).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "more than its total"));
  // One note alone.
  EXPECT_THAT(Credit(original, {Credited(1000, total + 1, "")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "more than its total"));
  EXPECT_TRUE(Credit(original, {Credited(1000, total, "")}).ok());
}

}  // namespace
}  // namespace jobledger::billing
