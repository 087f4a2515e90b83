// Recall chargebacks: who is charged, how much, and the rule in words.
#include "domain/chargeback.h"

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::billing {
namespace {

using ::testing::HasSubstr;
using testing::IsMoney;
using testing::Item;
using testing::JobIn;
using testing::Labor;
using testing::StatusIs;
using testing::Work;

constexpr char kOriginalId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000aa";
constexpr char kRecallId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000bb";

// JOB-12, done by emp-b (100 minutes over two entries) and emp-a (90).
job::v1::Job Original() {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED, kOriginalId, 12);
  *job.add_work_log() = Work("emp-a", 90);
  *job.add_work_log() = Work("emp-b", 60);
  *job.add_work_log() = Work("emp-b", 40, "travel");
  *job.add_work_log() = Work("emp-a", 500, "regular", /*open=*/true);  // not logged yet
  return job;
}

// JOB-13, the recall: emp-c fixes it in 45 minutes regular and 30 travel, with a part.
job::v1::Job Recall() {
  job::v1::Job job = JobIn(job::v1::JOB_STATUS_COMPLETED, kRecallId, 13);
  job.set_recall_of_job_id(kOriginalId);
  *job.add_work_log() = Work("emp-c", 45);
  *job.add_work_log() = Work("emp-c", 30, "travel");
  *job.add_work_log() = Work("emp-d", 600, "regular", /*open=*/true);  // ignored
  *job.add_line_items() = Item("part", job::v1::LINE_ITEM_KIND_MATERIAL, 2000, 1'999, "pb-mat");
  *job.add_line_items() = Item("svc", job::v1::LINE_ITEM_KIND_SERVICE, 1000, 15'000, "pb-svc");
  job::v1::LineItem free_part = Item("free", job::v1::LINE_ITEM_KIND_MATERIAL, 1000, 5'000);
  free_part.set_billable(false);
  *job.add_line_items() = free_part;
  return job;
}

// emp-c bills 90.00/h regular (employee rate) and 60.00/h travel (employee and type).
v1::BillingSettings Rates() {
  v1::BillingSettings settings = testing::Settings();
  *settings.add_labor_rates() = Labor("emp-c", "", 3'000, 9'000);
  *settings.add_labor_rates() = Labor("emp-c", "travel", 2'000, 6'000);
  *settings.add_labor_rates() = Labor("", "", 1'000, 1'000);
  return settings;
}

constexpr int64_t kLabor = 6'750 + 3'000;  // 45 min at 90.00 + 30 min at 60.00
constexpr int64_t kMaterials = 3'998;      // 2 × 19.99

TEST(ComputeChargeback, ChargesTheTechnicianWithMostMinutesOnTheOriginal) {
  absl::StatusOr<v1::Chargeback> chargeback =
      ComputeChargeback(Recall(), Original(), Rates(), "chargeback-1");
  ASSERT_TRUE(chargeback.ok()) << chargeback.status();
  EXPECT_EQ(chargeback->chargeback_id(), "chargeback-1");
  EXPECT_EQ(chargeback->recall_job_id(), kRecallId);
  EXPECT_EQ(chargeback->original_job_id(), kOriginalId);
  EXPECT_EQ(chargeback->technician_id(), "emp-b");  // 100 closed minutes beat 90
}

TEST(ComputeChargeback, TiesGoToTheSmallerId) {
  job::v1::Job original = JobIn(job::v1::JOB_STATUS_COMPLETED, kOriginalId, 12);
  *original.add_work_log() = Work("emp-z", 60);
  *original.add_work_log() = Work("emp-m", 60);
  *original.add_work_log() = Work("emp-q", 30);
  *original.add_work_log() = Work("emp-q", 30, "travel");
  absl::StatusOr<v1::Chargeback> chargeback =
      ComputeChargeback(Recall(), original, Rates(), "chargeback-1");
  ASSERT_TRUE(chargeback.ok()) << chargeback.status();
  EXPECT_EQ(chargeback->technician_id(), "emp-m");
}

TEST(ComputeChargeback, RecallLabourAtHourlyPricePlusBillableMaterials) {
  absl::StatusOr<v1::Chargeback> chargeback =
      ComputeChargeback(Recall(), Original(), Rates(), "chargeback-1");
  ASSERT_TRUE(chargeback.ok()) << chargeback.status();
  // Services and non-billable lines are not part of it; nor is the open session.
  EXPECT_THAT(chargeback->amount(), IsMoney(kLabor + kMaterials));
}

TEST(ComputeChargeback, LabourRoundsHalfAwayFromZeroPerEntry) {
  job::v1::Job recall = JobIn(job::v1::JOB_STATUS_COMPLETED, kRecallId, 13);
  recall.set_recall_of_job_id(kOriginalId);
  *recall.add_work_log() = Work("emp-e", 1);
  *recall.add_work_log() = Work("emp-e", 1);
  v1::BillingSettings settings = Rates();
  *settings.add_labor_rates() = Labor("emp-e", "", 10, 30);  // half a cent a minute
  absl::StatusOr<v1::Chargeback> chargeback =
      ComputeChargeback(recall, Original(), settings, "chargeback-1");
  ASSERT_TRUE(chargeback.ok()) << chargeback.status();
  EXPECT_THAT(chargeback->amount(), IsMoney(2));
}

TEST(ComputeChargeback, TheRuleInWords) {
  absl::StatusOr<v1::Chargeback> chargeback =
      ComputeChargeback(Recall(), Original(), Rates(), "chargeback-1");
  ASSERT_TRUE(chargeback.ok()) << chargeback.status();
  EXPECT_EQ(chargeback->rule(),
            "JOB-13's 75 minutes at the fixing technicians' hourly prices (USD 97.50) plus its "
            "billable materials (USD 39.98) = USD 137.48, charged to emp-b, who logged the most "
            "minutes (100) on JOB-12");
}

TEST(ComputeChargeback, RefusedWithoutWorkOnTheOriginal) {
  job::v1::Job original = JobIn(job::v1::JOB_STATUS_COMPLETED, kOriginalId, 12);
  EXPECT_THAT(ComputeChargeback(Recall(), original, Rates(), "chargeback-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-12 has no logged work"));
  *original.add_work_log() = Work("emp-a", 60, "regular", /*open=*/true);  // still open
  *original.add_work_log() = Work("emp-b", 0);
  EXPECT_THAT(ComputeChargeback(Recall(), original, Rates(), "chargeback-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "no original technician"));
}

TEST(ComputeChargeback, EntriesWithoutAnEmployeeAreNotATechnician) {
  job::v1::Job original = JobIn(job::v1::JOB_STATUS_COMPLETED, kOriginalId, 12);
  *original.add_work_log() = Work("", 500);
  *original.add_work_log() = Work("emp-a", 10);
  absl::StatusOr<v1::Chargeback> chargeback =
      ComputeChargeback(Recall(), original, Rates(), "chargeback-1");
  ASSERT_TRUE(chargeback.ok()) << chargeback.status();
  EXPECT_EQ(chargeback->technician_id(), "emp-a");
}

TEST(ComputeChargeback, MissingHourlyPriceNamesEmployeeAndType) {
  v1::BillingSettings settings = Rates();
  settings.clear_labor_rates();
  // The travel rate has a cost but no price: the employee's general price applies instead.
  *settings.add_labor_rates() = Labor("emp-c", "", 3'000, 9'000);
  *settings.add_labor_rates() = Labor("emp-c", "travel", 2'000, -1);
  EXPECT_TRUE(ComputeChargeback(Recall(), Original(), settings, "chargeback-1").ok());
  // No price at any level for travel.
  settings.clear_labor_rates();
  *settings.add_labor_rates() = Labor("emp-c", "regular", 3'000, 9'000);
  *settings.add_labor_rates() = Labor("emp-c", "travel", 2'000, -1);
  EXPECT_THAT(
      ComputeChargeback(Recall(), Original(), settings, "chargeback-1").status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "no hourly price for emp-c (travel)"));
  settings.clear_labor_rates();
  EXPECT_THAT(ComputeChargeback(Recall(), Original(), settings, "chargeback-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "emp-c (regular)"));
}

TEST(ComputeChargeback, OnlyARecallOfTheOriginal) {
  job::v1::Job recall = Recall();
  recall.set_recall_of_job_id("0190a1b2-c3d4-7e5f-8a9b-0000000000cc");
  EXPECT_THAT(ComputeChargeback(recall, Original(), Rates(), "chargeback-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-13 is not a recall of JOB-12"));
  recall.clear_recall_of_job_id();
  EXPECT_THAT(ComputeChargeback(recall, Original(), Rates(), "chargeback-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a recall"));
}

}  // namespace
}  // namespace jobledger::billing
