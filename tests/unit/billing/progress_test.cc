// Billing schedules: validation, stage amounts fixed by position, and progress invoices that add
// up to the contract to the cent whatever order the stages are invoiced in.
#include "domain/progress.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "billing_test_util.h"
#include "domain/invoicing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::billing {
namespace {

using ::testing::ElementsAre;
using testing::Ids;
using testing::IsMoney;
using testing::JobIn;
using testing::M;
using testing::P;
using testing::StatusIs;

google::protobuf::RepeatedPtrField<v1::BillingStage> Stages(const std::vector<int64_t>& shares) {
  google::protobuf::RepeatedPtrField<v1::BillingStage> stages;
  for (int64_t share : shares) {
    v1::BillingStage& stage = *stages.Add();
    stage.set_label(absl::StrCat("stage of ", share));
    stage.set_share_ppm(share);
  }
  return stages;
}

const std::vector<int64_t> k202060 = {200'000, 200'000, 600'000};

// ---------------------------------------------------------------------------------------------
// ValidateStages

TEST(ValidateStages, AcceptsSharesAddingUpToAMillion) {
  EXPECT_TRUE(ValidateStages(Stages(k202060)).ok());
  EXPECT_TRUE(ValidateStages(Stages({1'000'000})).ok());
  EXPECT_TRUE(ValidateStages(Stages({333'333, 333'333, 333'334})).ok());
  std::vector<int64_t> many(kMaxStages, 41'666);
  many.back() = 1'000'000 - 41'666 * (kMaxStages - 1);
  EXPECT_TRUE(ValidateStages(Stages(many)).ok());
}

TEST(ValidateStages, SumMustBeExactlyAMillion) {
  EXPECT_THAT(ValidateStages(Stages({200'000, 200'000, 599'999})),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages: shares add up to 999999 ppm"));
  EXPECT_THAT(ValidateStages(Stages({200'000, 200'000, 600'001})),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages: shares add up to 1000001 ppm"));
  EXPECT_THAT(ValidateStages(Stages({500'000})),
              StatusIs(absl::StatusCode::kInvalidArgument, "not 1000000"));
}

TEST(ValidateStages, EveryShareMustBePositiveAndAtMostAMillion) {
  EXPECT_THAT(ValidateStages(Stages({500'000, 0, 500'000})),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages[1].share_ppm"));
  EXPECT_THAT(ValidateStages(Stages({1'100'000, -100'000})),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages[0].share_ppm"));
  EXPECT_THAT(ValidateStages(Stages({-100'000, 1'100'000})),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages[0].share_ppm"));
}

TEST(ValidateStages, NeedsOneToTwentyFourStages) {
  EXPECT_THAT(ValidateStages(Stages({})),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages: required"));
  std::vector<int64_t> too_many(kMaxStages + 1, 40'000);  // 25 × 4 % = 100 %
  EXPECT_THAT(ValidateStages(Stages(too_many)),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages: at most 24"));
}

TEST(ValidateStages, LabelsAndInvoiceIds) {
  google::protobuf::RepeatedPtrField<v1::BillingStage> stages = Stages(k202060);
  stages[2].set_label(std::string(kMaxStageLabelLength, 'x'));
  EXPECT_TRUE(ValidateStages(stages).ok());
  stages[2].set_label(std::string(kMaxStageLabelLength + 1, 'x'));
  EXPECT_THAT(ValidateStages(stages),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages[2].label"));
  stages[2].set_label("bad\x01label");
  EXPECT_THAT(ValidateStages(stages),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages[2].label"));
  stages[2].set_label("");  // optional
  EXPECT_TRUE(ValidateStages(stages).ok());
  stages[1].set_invoice_id("invoice-1");
  EXPECT_THAT(ValidateStages(stages),
              StatusIs(absl::StatusCode::kInvalidArgument, "stages[1].invoice_id"));
}

// ---------------------------------------------------------------------------------------------
// StageAmounts

std::vector<int64_t> AmountsOf(int64_t contract_minor, const std::vector<int64_t>& shares,
                               absl::string_view currency = "USD") {
  absl::StatusOr<std::vector<Money>> amounts =
      StageAmounts(M(contract_minor, currency), Stages(shares));
  EXPECT_TRUE(amounts.ok()) << amounts.status();
  std::vector<int64_t> minor;
  if (!amounts.ok()) return minor;
  for (const Money& amount : *amounts) {
    EXPECT_EQ(amount.currency(), currency);
    minor.push_back(amount.minor_units());
  }
  return minor;
}

TEST(StageAmounts, TwentyTwentySixtyOfOddTotalsToTheCent) {
  // Every stage but the last is truncated; the last takes the remainder.
  EXPECT_THAT(AmountsOf(100'001, k202060), ElementsAre(20'000, 20'000, 60'001));  // 1000.01
  EXPECT_THAT(AmountsOf(5, k202060), ElementsAre(1, 1, 3));                       // 0.05
  EXPECT_THAT(AmountsOf(9'999'999, k202060),
              ElementsAre(1'999'999, 1'999'999, 6'000'001));  // 99999.99
  EXPECT_THAT(AmountsOf(1, k202060), ElementsAre(0, 0, 1));
  EXPECT_THAT(AmountsOf(0, k202060), ElementsAre(0, 0, 0));
  EXPECT_THAT(AmountsOf(100'000, k202060), ElementsAre(20'000, 20'000, 60'000));
}

TEST(StageAmounts, ThirdsAndOtherCurrencies) {
  EXPECT_THAT(AmountsOf(10'000, {333'333, 333'333, 333'334}), ElementsAre(3'333, 3'333, 3'334));
  EXPECT_THAT(AmountsOf(100'001, {600'000, 200'000, 200'000}), ElementsAre(60'000, 20'000, 20'001));
  EXPECT_THAT(AmountsOf(1'001, k202060, "JPY"), ElementsAre(200, 200, 601));
  EXPECT_THAT(AmountsOf(-100'001, k202060), ElementsAre(-20'000, -20'000, -60'001));
}

TEST(StageAmounts, AlwaysAddUpToTheContract) {
  for (int64_t contract :
       std::vector<int64_t>{1, 2, 3, 7, 99, 100'001, 123'456'789, 9'999'999'999}) {
    for (const std::vector<int64_t>& shares :
         {k202060, std::vector<int64_t>{1, 999'999},
          std::vector<int64_t>{333'333, 333'333, 333'334},
          std::vector<int64_t>{100'000, 150'000, 250'000, 125'000, 375'000}}) {
      const std::vector<int64_t> amounts = AmountsOf(contract, shares);
      int64_t sum = 0;
      for (int64_t amount : amounts) sum += amount;
      EXPECT_EQ(sum, contract) << contract;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Progress invoices in every order

v1::JobBilling BillingOf(int64_t contract_minor) {
  v1::JobBilling billing;
  billing.set_job_id(testing::kJobId);
  *billing.mutable_schedule() = Stages(k202060);
  *billing.mutable_contract_amount() = P(contract_minor);
  return billing;
}

TEST(ProgressInvoices, EveryOrderGivesTheSameAmountsAndAddsUpToTheContract) {
  const job::v1::Job job = JobIn(job::v1::JOB_STATUS_IN_PROGRESS);
  for (int64_t contract : {100'001, 5, 9'999'999}) {
    const std::vector<int64_t> expected = AmountsOf(contract, k202060);
    std::array<int, 3> order = {0, 1, 2};
    do {
      const v1::JobBilling billing = BillingOf(contract);
      std::vector<v1::Invoice> invoices;
      int64_t sum = 0;
      for (int stage : order) {
        absl::StatusOr<v1::Invoice> invoice = BuildProgressInvoice(
            job, billing, stage, invoices, absl::StrCat("invoice-", invoices.size()),
            static_cast<int64_t>(invoices.size()) + 1, Ids());
        ASSERT_TRUE(invoice.ok()) << invoice.status();
        EXPECT_THAT(invoice->total(), IsMoney(expected[static_cast<size_t>(stage)]))
            << "contract " << contract << ", stage " << stage;
        EXPECT_THAT(invoice->tax(), IsMoney(0));
        sum += invoice->total().minor_units();
        invoice->set_status(v1::INVOICE_STATUS_ISSUED);
        invoices.push_back(*invoice);
      }
      EXPECT_EQ(sum, contract) << "order " << order[0] << order[1] << order[2];
      // Every stage is taken now.
      for (int stage = 0; stage < 3; ++stage) {
        EXPECT_THAT(BuildProgressInvoice(job, billing, stage, invoices, "again", 9, Ids()).status(),
                    StatusIs(absl::StatusCode::kFailedPrecondition, "invoiced already"));
      }
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

}  // namespace
}  // namespace jobledger::billing
