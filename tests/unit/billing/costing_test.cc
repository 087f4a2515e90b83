// Job costing: price by kind of line, known costs, margin and whether the costs are complete.
#include "domain/costing.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::billing {
namespace {

using testing::IsMoney;
using testing::Item;
using testing::JobIn;
using testing::Labor;
using testing::M;
using testing::P;
using testing::StatusIs;
using testing::Work;

constexpr auto kService = job::v1::LINE_ITEM_KIND_SERVICE;
constexpr auto kMaterial = job::v1::LINE_ITEM_KIND_MATERIAL;
constexpr auto kAsset = job::v1::LINE_ITEM_KIND_ASSET;

// The price book's cost prices (in cents); items not listed have none.
CostPriceOf CostPrices(std::map<std::string, int64_t> prices) {
  return [prices = std::move(prices)](const std::string& item) -> std::optional<Money> {
    auto found = prices.find(item);
    if (found == prices.end()) return std::nullopt;
    return M(found->second);
  };
}

const std::map<std::string, int64_t> kCostPrices = {
    {"pb-svc", 3'000}, {"pb-mat", 1'234}, {"pb-asset", 40'000}, {"pb-odd", 7}};

v1::BillingSettings RatedSettings() {
  v1::BillingSettings settings = testing::Settings();
  *settings.add_labor_rates() = Labor("emp-a", "", 3'000, 9'000);
  *settings.add_labor_rates() = Labor("", "travel", 1'500, 4'500);
  return settings;
}

job::v1::Expense ExpenseOf(int64_t minor) {
  job::v1::Expense expense;
  expense.set_expense_id(absl::StrCat("expense-", minor));
  *expense.mutable_amount() = P(minor);
  return expense;
}

// Lines, expenses and work:
//   svc   1.5 × 80.00, cost 30.00   → price 120.00, cost 45.00
//   mat   3 × 19.99, cost 12.34      → price  59.97, cost 37.02
//   asset 1 × 500.00, cost 400.00    → price 500.00, cost 400.00
//   odd   1.333 × 0.15, cost 0.07    → price   0.20, cost 0.09 (9.331 cents)
//   nb    non-billable               → nothing
//   expenses 25.50 + 12.99
//   emp-a 90 min regular at 30.00/h = 45.00; emp-b 45 min travel at 15.00/h = 11.25;
//   emp-a 60 min still clocked in    → nothing
job::v1::Job CostedJob() {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED);
  *job.add_line_items() = Item("svc", kService, 1500, 8'000, "pb-svc");
  *job.add_line_items() = Item("mat", kMaterial, 3000, 1'999, "pb-mat");
  *job.add_line_items() = Item("asset", kAsset, 1000, 50'000, "pb-asset");
  *job.add_line_items() = Item("odd", kMaterial, 1333, 15, "pb-odd");
  job::v1::LineItem non_billable = Item("nb", kMaterial, 10'000, 1'999, "pb-mat");
  non_billable.set_billable(false);
  *job.add_line_items() = non_billable;
  *job.add_expenses() = ExpenseOf(2'550);
  *job.add_expenses() = ExpenseOf(1'299);
  *job.add_work_log() = Work("emp-a", 90);
  *job.add_work_log() = Work("emp-b", 45, "travel");
  *job.add_work_log() = Work("emp-a", 60, "regular", /*open=*/true);
  return job;
}

absl::StatusOr<v1::JobCost> Cost(const job::v1::Job& job,
                                 const v1::BillingSettings& settings = RatedSettings(),
                                 const std::map<std::string, int64_t>& prices = kCostPrices) {
  return CostJob(job, settings, CostPrices(prices));
}

TEST(CostJob, PriceByKindOfBillableLine) {
  absl::StatusOr<v1::JobCost> cost = Cost(CostedJob());
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_EQ(cost->job_id(), testing::kJobId);
  EXPECT_THAT(cost->services(), IsMoney(12'000));
  EXPECT_THAT(cost->materials(), IsMoney(5'997 + 20));
  EXPECT_THAT(cost->assets(), IsMoney(50'000));
  EXPECT_THAT(cost->price(), IsMoney(12'000 + 6'017 + 50'000));
}

TEST(CostJob, KnownCostsMarginAndMarginPpm) {
  absl::StatusOr<v1::JobCost> cost = Cost(CostedJob());
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_THAT(cost->expenses(), IsMoney(3'849));
  EXPECT_THAT(cost->labor_cost(), IsMoney(4'500 + 1'125));
  EXPECT_EQ(cost->labor_minutes(), 135);
  const int64_t line_costs = 4'500 + 3'702 + 40'000 + 9;
  EXPECT_THAT(cost->cost(), IsMoney(line_costs + 3'849 + 5'625));
  EXPECT_THAT(cost->margin(), IsMoney(68'017 - 57'685));
  EXPECT_EQ(cost->margin_ppm(), 151'903);  // 10332 / 68017 = 0.1519032…
  EXPECT_TRUE(cost->costs_complete());
}

TEST(CostJob, NonBillableLinesAreIgnored) {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED);
  job::v1::LineItem non_billable = Item("nb", kMaterial, 1000, 1'999, "pb-unknown");
  non_billable.set_billable(false);
  *job.add_line_items() = non_billable;
  absl::StatusOr<v1::JobCost> cost = Cost(job);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_THAT(cost->price(), IsMoney(0));
  EXPECT_THAT(cost->cost(), IsMoney(0));
  EXPECT_EQ(cost->margin_ppm(), 0);     // no price: no share
  EXPECT_TRUE(cost->costs_complete());  // its unknown cost does not matter
}

TEST(CostJob, UnknownCostPricesMakeTheCostsIncomplete) {
  // A custom line has no price-book item, so no cost price.
  job::v1::Job job = CostedJob();
  *job.add_line_items() = Item("custom", kService, 1000, 2'500);
  absl::StatusOr<v1::JobCost> cost = Cost(job);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_FALSE(cost->costs_complete());
  EXPECT_THAT(cost->services(), IsMoney(12'000 + 2'500));  // still priced
  EXPECT_THAT(cost->cost(), IsMoney(57'685));              // only what is known
  EXPECT_THAT(cost->margin(), IsMoney(68'017 + 2'500 - 57'685));

  // A price-book item without a cost price.
  std::map<std::string, int64_t> prices = kCostPrices;
  prices.erase("pb-mat");
  cost = Cost(CostedJob(), RatedSettings(), prices);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_FALSE(cost->costs_complete());
  EXPECT_THAT(cost->cost(), IsMoney(57'685 - 3'702));
}

TEST(CostJob, WorkWithoutAnHourlyCostMakesTheCostsIncomplete) {
  job::v1::Job job = CostedJob();
  *job.add_work_log() = Work("emp-c", 30, "regular");  // no rate at all
  absl::StatusOr<v1::JobCost> cost = Cost(job);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_FALSE(cost->costs_complete());
  EXPECT_EQ(cost->labor_minutes(), 165);  // its minutes still count
  EXPECT_THAT(cost->labor_cost(), IsMoney(5'625));

  // A rate with a price but no cost.
  v1::BillingSettings settings = RatedSettings();
  *settings.add_labor_rates() = Labor("emp-c", "", -1, 9'000);
  cost = Cost(job, settings);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_FALSE(cost->costs_complete());

  // A default rate covers everyone.
  settings = RatedSettings();
  *settings.add_labor_rates() = Labor("", "", 2'000, 6'000);
  cost = Cost(job, settings);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_TRUE(cost->costs_complete());
  EXPECT_THAT(cost->labor_cost(), IsMoney(5'625 + 1'000));
}

TEST(CostJob, OpenSessionsAreNotCountedYet) {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_IN_PROGRESS);
  *job.add_work_log() = Work("emp-zz", 60, "regular", /*open=*/true);  // no rate, but open
  absl::StatusOr<v1::JobCost> cost = Cost(job);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_EQ(cost->labor_minutes(), 0);
  EXPECT_THAT(cost->labor_cost(), IsMoney(0));
  EXPECT_TRUE(cost->costs_complete());
}

TEST(CostJob, LabourRoundsPerEntry) {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED);
  v1::BillingSettings settings = RatedSettings();
  *settings.add_labor_rates() = Labor("emp-d", "", 30, 100);  // 0.30/h: half a cent a minute
  for (int i = 0; i < 3; ++i) *job.add_work_log() = Work("emp-d", 1);
  absl::StatusOr<v1::JobCost> cost = Cost(job, settings);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_THAT(cost->labor_cost(), IsMoney(3));  // 0.5 → 1 cent, three times
}

TEST(CostJob, NegativeMargin) {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED);
  *job.add_line_items() = Item("svc", kService, 1000, 3'000, "pb-svc");  // cost 30.00
  *job.add_expenses() = ExpenseOf(1'000);
  absl::StatusOr<v1::JobCost> cost = Cost(job);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_THAT(cost->margin(), IsMoney(-1'000));
  EXPECT_EQ(cost->margin_ppm(), -333'333);
}

TEST(CostJob, CurrencyDefaultsToUsdAndMismatchesAreRefused) {
  v1::BillingSettings settings = RatedSettings();
  settings.clear_currency();
  absl::StatusOr<v1::JobCost> cost = Cost(CostedJob(), settings);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_THAT(cost->price(), IsMoney(68'017));
  settings.set_currency("EUR");
  EXPECT_THAT(Cost(CostedJob(), settings).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "currency mismatch"));
}

}  // namespace
}  // namespace jobledger::billing
