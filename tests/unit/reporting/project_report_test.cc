// The project report from four hand-built jobs and their invoices, totals worked out by hand.
#include "domain/project_report.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reporting_test_util.h"

namespace jobledger::reporting {
namespace {

using testing::D;
using ::testing::ElementsAre;
using testing::IsUsd;
using testing::Line;
using testing::P;
using testing::StatusIs;
using testing::Work;

constexpr auto kMaterial = job::v1::LINE_ITEM_KIND_MATERIAL;
constexpr auto kService = job::v1::LINE_ITEM_KIND_SERVICE;

billing::v1::Invoice InvoiceOf(int64_t number, const std::string& job_id,
                               billing::v1::InvoiceKind kind, billing::v1::InvoiceStatus status,
                               int64_t total, int64_t paid = 0,
                               const std::string& currency = "USD") {
  billing::v1::Invoice invoice;
  invoice.set_invoice_id(absl::StrCat("inv-", number));
  invoice.set_number(number);
  invoice.set_job_id(job_id);
  invoice.set_kind(kind);
  invoice.set_status(status);
  *invoice.mutable_total() = P(total, currency);
  *invoice.mutable_paid() = P(paid, currency);
  *invoice.mutable_balance() = P(total - paid, currency);
  return invoice;
}

job::v1::ChecklistItem Check(const std::string& id, bool required, bool done) {
  job::v1::ChecklistItem item;
  item.set_item_id(id);
  item.set_text(absl::StrCat("check ", id));
  item.set_required(required);
  item.set_done(done);
  return item;
}

// Anyone's labour at $60.00 an hour.
billing::v1::BillingSettings Rates() {
  billing::v1::BillingSettings settings = testing::Settings();
  *settings.add_labor_rates() = testing::PriceRate("", "", 6000);
  return settings;
}

class ProjectReportTest : public ::testing::Test {
 protected:
  ProjectReportTest() {
    // JOB-21 completed, contract 500.00. Work value: s1 200.00 + 90 min × 60.00 / 60 = 90.00
    // → 290.00 (the 15.00 expense is a cost, not value). Invoices: INV-1 paid 200.00, INV-2 a
    // credit note of −30.00 → invoiced 170.00, paid 200.00; INV-3 void: nothing.
    job21_ = testing::JobNumbered(21, job::v1::JOB_STATUS_COMPLETED);
    job21_.set_project_id("proj-1");
    *job21_.mutable_contract_amount() = P(50000);
    *job21_.add_line_items() = Line("s1", kService, 1000, 20000, 20000);
    *job21_.add_work_log() = Work("tech-a", "regular", 90, D(2026, 4, 1));
    *job21_.add_expenses() = testing::Spent("e1", 1500, D(2026, 4, 1));
    *job21_.add_checklist() = Check("c1", true, true);
    // JOB-22 in progress, contract 300.00. Work value: m1 50.00 (m2 not billable) + 45 min at
    // 60.00 = 45.00 → 95.00. INV-4 progress, partly paid: 60.00 invoiced, 25.00 paid; INV-5 a
    // draft: nothing. Open items: c2, c3 (required, not done); c4 is done, c5 optional.
    job22_ = testing::JobNumbered(22, job::v1::JOB_STATUS_IN_PROGRESS);
    *job22_.mutable_contract_amount() = P(30000);
    *job22_.add_line_items() = Line("m1", kMaterial, 1000, 5000, 5000);
    *job22_.add_line_items() = Line("m2", kMaterial, 1000, 700, 700, /*billable=*/false);
    *job22_.add_work_log() = Work("tech-b", "regular", 45, D(2026, 4, 2));
    *job22_.add_work_log() = Work("tech-b", "regular", 30, D(2026, 4, 2), /*open=*/true);
    *job22_.add_checklist() = Check("c2", true, false);
    *job22_.add_checklist() = Check("c3", true, false);
    *job22_.add_checklist() = Check("c4", true, true);
    *job22_.add_checklist() = Check("c5", false, false);
    // JOB-23 cancelled, contract 100.00 (not counted), m3 10.00 of work value, one open item
    // (listed on its row, not in the project's count).
    job23_ = testing::JobNumbered(23, job::v1::JOB_STATUS_CANCELLED);
    *job23_.mutable_contract_amount() = P(10000);
    *job23_.add_line_items() = Line("m3", kMaterial, 1000, 1000, 1000);
    *job23_.add_checklist() = Check("c6", true, false);
    // JOB-24 scheduled: nothing yet, no contract amount.
    job24_ = testing::JobNumbered(24, job::v1::JOB_STATUS_SCHEDULED);

    invoices_ = {
        InvoiceOf(1, "job-21", billing::v1::INVOICE_KIND_STANDARD, billing::v1::INVOICE_STATUS_PAID,
                  20000, 20000),
        InvoiceOf(2, "job-21", billing::v1::INVOICE_KIND_CREDIT_NOTE,
                  billing::v1::INVOICE_STATUS_ISSUED, -3000),
        InvoiceOf(3, "job-21", billing::v1::INVOICE_KIND_STANDARD, billing::v1::INVOICE_STATUS_VOID,
                  20000),
        InvoiceOf(4, "job-22", billing::v1::INVOICE_KIND_PROGRESS,
                  billing::v1::INVOICE_STATUS_PARTIALLY_PAID, 6000, 2500),
        InvoiceOf(5, "job-22", billing::v1::INVOICE_KIND_STANDARD,
                  billing::v1::INVOICE_STATUS_DRAFT, 9999),
        // Another job's: not in this report.
        InvoiceOf(9, "job-99", billing::v1::INVOICE_KIND_STANDARD,
                  billing::v1::INVOICE_STATUS_ISSUED, 50000),
    };
  }

  absl::StatusOr<v1::ProjectReport> Report() {
    std::vector<const billing::v1::Invoice*> invoices;
    for (const billing::v1::Invoice& invoice : invoices_) invoices.push_back(&invoice);
    return ProjectReportOf("proj-1", {&job24_, &job22_, &job21_, &job23_}, invoices, settings_);
  }

  job::v1::Job job21_, job22_, job23_, job24_;
  std::vector<billing::v1::Invoice> invoices_;
  billing::v1::BillingSettings settings_ = Rates();
};

std::string RowText(const v1::ProjectJob& row) {
  return absl::StrCat("JOB-", row.number(), " ", job::v1::JobStatus_Name(row.status()), " value ",
                      row.work_value().minor_units(), " invoiced ", row.invoiced().minor_units(),
                      " paid ", row.paid().minor_units(), " open ", row.open_items());
}

TEST_F(ProjectReportTest, EachJobByNumber) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> rows;
  for (const v1::ProjectJob& row : report->jobs()) rows.push_back(RowText(row));
  EXPECT_THAT(rows, ElementsAre("JOB-21 JOB_STATUS_COMPLETED value 29000 invoiced 17000 paid "
                                "20000 open 0",
                                "JOB-22 JOB_STATUS_IN_PROGRESS value 9500 invoiced 6000 paid 2500 "
                                "open 2",
                                "JOB-23 JOB_STATUS_CANCELLED value 1000 invoiced 0 paid 0 open 1",
                                "JOB-24 JOB_STATUS_SCHEDULED value 0 invoiced 0 paid 0 open 0"));
  EXPECT_EQ(report->jobs(0).title(), "Job 21");
  EXPECT_EQ(report->jobs(0).job_id(), "job-21");
  EXPECT_THAT(report->jobs(3).work_value(), IsUsd(0));
}

TEST_F(ProjectReportTest, ProgressLeavesCancelledJobsOut) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->project_id(), "proj-1");
  EXPECT_EQ(report->jobs_total(), 3);  // 21, 22, 24
  EXPECT_EQ(report->jobs_completed(), 1);
  EXPECT_EQ(report->percent_complete(), 33);  // 1 × 100 / 3 = 33.3, floor
  EXPECT_EQ(report->open_items(), 2);         // JOB-23's c6 is not counted
}

TEST_F(ProjectReportTest, MoneyTotals) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->contract_amount(), IsUsd(50000 + 30000));     // JOB-23 cancelled
  EXPECT_THAT(report->work_value(), IsUsd(29000 + 9500 + 1000));    // 395.00
  EXPECT_THAT(report->invoiced(), IsUsd(20000 - 3000 + 6000));      // 230.00
  EXPECT_THAT(report->paid(), IsUsd(20000 + 2500));                 // 225.00
  EXPECT_THAT(report->balance(), IsUsd(23000 - 22500));             // 5.00
  EXPECT_THAT(report->remaining_contract(), IsUsd(80000 - 23000));  // 570.00
}

TEST_F(ProjectReportTest, CreditNoteIsDeductedWhateverSignItWasStoredWith) {
  invoices_[1].mutable_total()->set_minor_units(3000);
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->jobs(0).invoiced(), IsUsd(17000));
}

TEST_F(ProjectReportTest, AllCancelledIsZeroPercent) {
  job21_.set_status(job::v1::JOB_STATUS_CANCELLED);
  job22_.set_status(job::v1::JOB_STATUS_CANCELLED);
  job24_.set_status(job::v1::JOB_STATUS_CANCELLED);
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->jobs_total(), 0);
  EXPECT_EQ(report->percent_complete(), 0);
  EXPECT_THAT(report->contract_amount(), IsUsd(0));
  EXPECT_THAT(report->remaining_contract(), IsUsd(-23000));
}

TEST_F(ProjectReportTest, InvoiceInAnotherCurrencyIsRefused) {
  invoices_[3] = InvoiceOf(4, "job-22", billing::v1::INVOICE_KIND_PROGRESS,
                           billing::v1::INVOICE_STATUS_ISSUED, 6000, 0, "EUR");
  EXPECT_THAT(Report().status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "mixed currencies: INV-4 is in EUR, the report is in USD"));
}

TEST_F(ProjectReportTest, NoJobs) {
  auto report = ProjectReportOf("proj-2", {}, {}, settings_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->jobs_size(), 0);
  EXPECT_EQ(report->percent_complete(), 0);
  EXPECT_THAT(report->invoiced(), IsUsd(0));
}

}  // namespace
}  // namespace jobledger::reporting
