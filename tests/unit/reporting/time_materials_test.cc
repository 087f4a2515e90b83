// The T&M report from two hand-built jobs whose totals are worked out below by hand.
#include "domain/time_materials.h"

#include <string>
#include <vector>

#include "domain/work_value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reporting_test_util.h"

namespace jobledger::reporting {
namespace {

using testing::D;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::IsUsd;
using testing::Line;
using testing::P;
using testing::PriceRate;
using testing::Spent;
using testing::StatusIs;
using testing::Work;

constexpr auto kMaterial = job::v1::LINE_ITEM_KIND_MATERIAL;
constexpr auto kService = job::v1::LINE_ITEM_KIND_SERVICE;
constexpr auto kAsset = job::v1::LINE_ITEM_KIND_ASSET;
constexpr auto kNoKind = job::v1::LINE_ITEM_KIND_UNSPECIFIED;

// Hourly prices: regular $90.00 for anyone, $95.00 for tech-b (beats the default), $90.30 for
// anything tech-c does. Nothing prices overtime.
billing::v1::BillingSettings Rates() {
  billing::v1::BillingSettings settings = testing::Settings();
  *settings.add_labor_rates() = PriceRate("", "regular", 9000);
  *settings.add_labor_rates() = PriceRate("tech-b", "regular", 9500);
  *settings.add_labor_rates() = PriceRate("tech-c", "", 9030);
  return settings;
}

// JOB-7 labour:  tech-a regular 9 min 03-02   9 × 90.00 / 60 = 13.50 exactly       → 1350
//                tech-b regular 7 min 03-02   7 × 95.00 / 60 = 11.0833             → 1108
// items:         m1 material 2 × 12.50 = 25.00, s1 service 1 × 150.00
// expenses:      e1 25.00 on 03-03
job::v1::Job Job7() {
  job::v1::Job job = testing::JobNumbered(7);
  *job.add_work_log() = Work("tech-a", "regular", 9, D(2026, 3, 2));
  *job.add_work_log() = Work("tech-b", "regular", 7, D(2026, 3, 2));
  *job.add_line_items() = Line("m1", kMaterial, 2000, 1250, 2500);
  *job.add_line_items() = Line("s1", kService, 1000, 15000, 15000);
  *job.add_expenses() = Spent("e1", 2500, D(2026, 3, 3));
  return job;
}

// JOB-12 labour: tech-b regular 7 min 03-03   11.0833                              → 1108
//                tech-a regular 50 min 03-03  50 × 90.00 / 60 = 75.00              → 7500
//                tech-a overtime 30 min 03-03 no price: minutes only
//                tech-c regular 1 min 03-04   1 × 90.30 / 60 = 1.505 (half: away)  → 151
//                tech-b regular 60 min 03-04  still clocked in: not counted
//                tech-a regular 120 min 03-10 120 × 90.00 / 60 = 180.00            → 18000
// items:         m2 material 1.5 × 19.99 = 29.985 → 29.99; m3 material not billable 5.00;
//                a1 asset 400.00; u1 of no kind 10.00 (an asset)
// expenses:      e2 12.00 on 03-02, e3 8.00 on 03-03, e4 50.00 on 03-20
job::v1::Job Job12() {
  job::v1::Job job = testing::JobNumbered(12);
  *job.add_work_log() = Work("tech-b", "regular", 7, D(2026, 3, 3));
  *job.add_work_log() = Work("tech-a", "regular", 50, D(2026, 3, 3));
  *job.add_work_log() = Work("tech-a", "overtime", 30, D(2026, 3, 3));
  *job.add_work_log() = Work("tech-c", "regular", 1, D(2026, 3, 4));
  *job.add_work_log() = Work("tech-b", "regular", 60, D(2026, 3, 4), /*open=*/true);
  *job.add_work_log() = Work("tech-a", "regular", 120, D(2026, 3, 10));
  *job.add_line_items() = Line("m2", kMaterial, 1500, 1999, 2999);
  *job.add_line_items() = Line("m3", kMaterial, 1000, 500, 500, /*billable=*/false);
  *job.add_line_items() = Line("a1", kAsset, 1000, 40000, 40000);
  *job.add_line_items() = Line("u1", kNoKind, 1000, 1000, 1000);
  *job.add_expenses() = Spent("e2", 1200, D(2026, 3, 2));
  *job.add_expenses() = Spent("e3", 800, D(2026, 3, 3));
  *job.add_expenses() = Spent("e4", 5000, D(2026, 3, 20));
  return job;
}

class TimeMaterialsTest : public ::testing::Test {
 protected:
  absl::StatusOr<v1::TimeAndMaterialsReport> Report(
      std::optional<common::v1::LocalDate> from = std::nullopt,
      std::optional<common::v1::LocalDate> to = std::nullopt) {
    // Given out of number order, and JOB-7 twice: it counts once.
    return TimeAndMaterials({&job12_, &job7_, &job7_}, settings_, from, to);
  }

  job::v1::Job job7_ = Job7();
  job::v1::Job job12_ = Job12();
  billing::v1::BillingSettings settings_ = Rates();
};

std::string LaborText(const v1::LaborLine& line) {
  return absl::StrCat(line.employee_id(), "/", line.work_type(), " ", line.minutes(), " min @",
                      line.has_hourly_rate() ? absl::StrCat(line.hourly_rate().minor_units()) : "-",
                      " = ", line.has_amount() ? absl::StrCat(line.amount().minor_units()) : "-");
}

std::vector<std::string> LaborTexts(const v1::TimeAndMaterialsReport& report) {
  std::vector<std::string> texts;
  for (const v1::LaborLine& line : report.labor()) texts.push_back(LaborText(line));
  return texts;
}

std::vector<std::string> ItemIds(const google::protobuf::RepeatedPtrField<v1::ItemLine>& lines) {
  std::vector<std::string> ids;
  for (const v1::ItemLine& line : lines) {
    ids.push_back(absl::StrCat("JOB-", line.job_number(), " ", line.line_item_id(),
                               line.billable() ? "" : " (not billable)"));
  }
  return ids;
}

TEST_F(TimeMaterialsTest, LabourPerEmployeeAndTypeAtTheRateThatApplies) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  // tech-a regular 9 + 50 + 120 = 179 min: 1350 + 7500 + 18000 = 26850.
  // tech-b regular 7 + 7 = 14 min at its own 95.00: 1108 + 1108 = 2216 (each entry rounded; not
  //   14 × 95.00 / 60 = 22.1667 → 2217), the open 60 minutes left out.
  // tech-c 1 min at 90.30 = 150.5 cents → 151 (half away from zero; half-even would give 150).
  EXPECT_THAT(
      LaborTexts(*report),
      ElementsAre("tech-a/overtime 30 min @- = -", "tech-a/regular 179 min @9000 = 26850",
                  "tech-b/regular 14 min @9500 = 2216", "tech-c/regular 1 min @9030 = 151"));
  EXPECT_THAT(report->unpriced_labor(), ElementsAre("tech-a/overtime"));
  // 26850 + 2216 + 151; the unpriced 30 minutes add nothing.
  EXPECT_THAT(report->labor_total(), IsUsd(29217));
}

TEST_F(TimeMaterialsTest, LineItemsByKindBillableOrNotWithBillableTotals) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(ItemIds(report->materials()),
              ElementsAre("JOB-7 m1", "JOB-12 m2", "JOB-12 m3 (not billable)"));
  EXPECT_THAT(ItemIds(report->services()), ElementsAre("JOB-7 s1"));
  EXPECT_THAT(ItemIds(report->assets()), ElementsAre("JOB-12 a1", "JOB-12 u1"));
  EXPECT_EQ(report->assets(1).kind(), kNoKind);
  EXPECT_THAT(report->materials(1).unit_price(), IsUsd(1999));
  EXPECT_EQ(report->materials(1).quantity_milli(), 1500);
  EXPECT_THAT(report->materials_total(), IsUsd(2500 + 2999));  // m3 not billable
  EXPECT_THAT(report->services_total(), IsUsd(15000));
  EXPECT_THAT(report->assets_total(), IsUsd(40000 + 1000));
}

TEST_F(TimeMaterialsTest, ExpensesByDateThenJobNumber) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> ids;
  for (const v1::ExpenseLine& line : report->expenses()) {
    ids.push_back(absl::StrCat(line.date().month(), "-", line.date().day(), " JOB-",
                               line.job_number(), " ", line.expense_id()));
  }
  EXPECT_THAT(ids, ElementsAre("3-2 JOB-12 e2", "3-3 JOB-7 e1", "3-3 JOB-12 e3", "3-20 JOB-12 e4"));
  EXPECT_THAT(report->expenses_total(), IsUsd(1200 + 2500 + 800 + 5000));
}

TEST_F(TimeMaterialsTest, DailySummaryByDate) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> days;
  for (const v1::TmDay& day : report->days()) {
    days.push_back(absl::StrCat(day.date().month(), "-", day.date().day(), " ", day.labor_minutes(),
                                " min ", day.labor_amount().minor_units(), " + ",
                                day.expenses().minor_units()));
  }
  // 03-02: 9 + 7 min, 1350 + 1108; expense e2 1200.
  // 03-03: 7 + 50 + 30 (unpriced) min, 1108 + 7500; expenses e1 2500 + e3 800.
  // 03-04: tech-c's 1 min, 151 (the open session is not there).
  // 03-10: 120 min, 18000.   03-20: expense e4 only.
  EXPECT_THAT(days,
              ElementsAre("3-2 16 min 2458 + 1200", "3-3 87 min 8608 + 3300", "3-4 1 min 151 + 0",
                          "3-10 120 min 18000 + 0", "3-20 0 min 0 + 5000"));
}

TEST_F(TimeMaterialsTest, TotalAddsLabourItemsAndExpenses) {
  auto report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  // 29217 labour + 5499 materials + 15000 services + 41000 assets + 9500 expenses.
  EXPECT_THAT(report->total(), IsUsd(100216));
  EXPECT_THAT(report->job_ids(), ElementsAre("job-7", "job-12"));
  EXPECT_FALSE(report->has_from());
  EXPECT_FALSE(report->has_to());
}

TEST_F(TimeMaterialsTest, DateRangeKeepsLabourAndExpensesDatedInIt) {
  auto report = Report(D(2026, 3, 1), D(2026, 3, 4));
  ASSERT_TRUE(report.ok()) << report.status();
  // tech-a regular without the 120 minutes of 03-10: 59 min, 1350 + 7500 = 8850.
  EXPECT_THAT(
      LaborTexts(*report),
      ElementsAre("tech-a/overtime 30 min @- = -", "tech-a/regular 59 min @9000 = 8850",
                  "tech-b/regular 14 min @9500 = 2216", "tech-c/regular 1 min @9030 = 151"));
  EXPECT_THAT(report->labor_total(), IsUsd(8850 + 2216 + 151));
  ASSERT_EQ(report->expenses_size(), 3);  // e4 (03-20) is out
  EXPECT_THAT(report->expenses_total(), IsUsd(1200 + 2500 + 800));
  ASSERT_EQ(report->days_size(), 3);
  EXPECT_EQ(report->days(2).date().day(), 4);
  // Items have no date: all of them, whatever the range. 11217 + 5499 + 15000 + 41000 + 4500.
  EXPECT_THAT(report->total(), IsUsd(77216));
  EXPECT_EQ(report->from().day(), 1);
  EXPECT_EQ(report->to().day(), 4);
}

TEST_F(TimeMaterialsTest, OneDayRange) {
  auto report = Report(D(2026, 3, 10), D(2026, 3, 10));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(LaborTexts(*report), ElementsAre("tech-a/regular 120 min @9000 = 18000"));
  EXPECT_THAT(report->unpriced_labor(), IsEmpty());
  EXPECT_THAT(report->expenses(), IsEmpty());
}

TEST_F(TimeMaterialsTest, OpenEndedRange) {
  auto report = Report(D(2026, 3, 4), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  // tech-c's 151 on 03-04 and tech-a's 18000 on 03-10; e4 on 03-20.
  EXPECT_THAT(report->labor_total(), IsUsd(151 + 18000));
  EXPECT_THAT(report->expenses_total(), IsUsd(5000));
}

TEST_F(TimeMaterialsTest, ForOneJobAllDatesTotalIsWorkValuePlusExpenses) {
  auto report = TimeAndMaterials({&job7_}, settings_, std::nullopt, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  auto value = WorkValue(job7_, settings_, "USD");
  ASSERT_TRUE(value.ok()) << value.status();
  // JOB-7: 1350 + 1108 labour + 2500 + 15000 billable items = 19958; expenses 2500.
  EXPECT_EQ(value->minor_units(), 19958);
  EXPECT_THAT(report->total(), IsUsd(19958 + 2500));
}

TEST_F(TimeMaterialsTest, RangeEndingBeforeItStartsIsRefused) {
  EXPECT_THAT(Report(D(2026, 3, 5), D(2026, 3, 4)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "to: before from"));
  EXPECT_THAT(Report(D(2026, 2, 30), std::nullopt).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "from:"));
}

TEST_F(TimeMaterialsTest, MixedCurrenciesAreRefusedNamingThem) {
  *job12_.add_expenses() = Spent("e9", 700, D(2026, 3, 3), "EUR");
  EXPECT_THAT(Report().status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "mixed currencies: JOB-12 expense e9 is in EUR, the report is in USD"));
}

TEST_F(TimeMaterialsTest, RateInAnotherCurrencyIsRefused) {
  *settings_.mutable_labor_rates(1) = PriceRate("tech-b", "regular", 9500, "CAD");
  EXPECT_THAT(Report().status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                          "tech-b/regular is in CAD, the report is in USD"));
}

TEST(TimeMaterialsCurrencyTest, WithoutSettingsTheJobsCurrencyAndMixedJobsRefused) {
  job::v1::Job euro = testing::JobNumbered(3);
  *euro.add_line_items() = Line("m1", kMaterial, 1000, 800, 800, true, "EUR");
  auto report =
      TimeAndMaterials({&euro}, billing::v1::BillingSettings(), std::nullopt, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->total().currency(), "EUR");
  EXPECT_EQ(report->total().minor_units(), 800);

  job::v1::Job dollars = testing::JobNumbered(4);
  *dollars.add_line_items() = Line("m2", kMaterial, 1000, 900, 900);
  EXPECT_THAT(TimeAndMaterials({&euro, &dollars}, billing::v1::BillingSettings(), std::nullopt,
                               std::nullopt)
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "mixed currencies: JOB-4 line item m2 is in USD, the report is in EUR"));
}

TEST(TimeMaterialsCurrencyTest, NoJobsIsAnEmptyReportInTheSettingsCurrency) {
  auto report = TimeAndMaterials({}, testing::Settings("CAD"), std::nullopt, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->total().currency(), "CAD");
  EXPECT_EQ(report->total().minor_units(), 0);
  EXPECT_THAT(report->labor(), IsEmpty());
}

TEST(TimeMaterialsUndatedTest, UndatedExpenseOnlyWithoutARange) {
  job::v1::Job job = testing::JobNumbered(5);
  *job.add_expenses() = Spent("e1", 300, common::v1::LocalDate());
  auto open = TimeAndMaterials({&job}, testing::Settings(), std::nullopt, std::nullopt);
  ASSERT_TRUE(open.ok()) << open.status();
  ASSERT_EQ(open->expenses_size(), 1);
  EXPECT_FALSE(open->expenses(0).has_date());
  EXPECT_THAT(open->expenses_total(), IsUsd(300));
  EXPECT_THAT(open->days(), IsEmpty());  // no day to put it on
  auto bounded = TimeAndMaterials({&job}, testing::Settings(), D(2026, 1, 1), std::nullopt);
  ASSERT_TRUE(bounded.ok()) << bounded.status();
  EXPECT_THAT(bounded->expenses(), IsEmpty());
}

}  // namespace
}  // namespace jobledger::reporting
