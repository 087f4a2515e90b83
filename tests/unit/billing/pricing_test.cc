// Line nets, taxes, totals, shares and labour rates: exact integer money, rounded once per line.
#include "domain/pricing.h"

#include <cstdint>
#include <limits>
#include <optional>

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::billing {
namespace {

using ::testing::HasSubstr;
using testing::IsMoney;
using testing::kRate825;
using testing::Labor;
using testing::M;
using testing::P;
using testing::Rate;
using testing::Settings;
using testing::StatusIs;

int64_t NetOf(int64_t quantity_milli, int64_t unit_minor, absl::string_view currency = "USD") {
  absl::StatusOr<Money> net = LineNet(quantity_milli, M(unit_minor, currency));
  EXPECT_TRUE(net.ok()) << net.status();
  return net.ok() ? net->minor_units() : -999'999;
}

int64_t TaxOf(int64_t net_minor, int64_t rate_ppm) {
  absl::StatusOr<Money> tax = LineTax(M(net_minor), rate_ppm);
  EXPECT_TRUE(tax.ok()) << tax.status();
  return tax.ok() ? tax->minor_units() : -999'999;
}

// ---------------------------------------------------------------------------------------------
// Line nets

TEST(LineNet, ThousandthsTimesUnitPriceRoundHalfAwayFromZero) {
  EXPECT_EQ(NetOf(1333, 15), 20);  // 1.333 × 0.15 = 0.19995
  EXPECT_EQ(NetOf(-1333, 15), -20);
  EXPECT_EQ(NetOf(1333, -15), -20);
  EXPECT_EQ(NetOf(1500, 15), 23);  // 22.5 cents: a tie goes away from zero
  EXPECT_EQ(NetOf(-1500, 15), -23);
  EXPECT_EQ(NetOf(1500, -15), -23);
  EXPECT_EQ(NetOf(2500, 1), 3);  // 2.5 cents: not banker's 2
  EXPECT_EQ(NetOf(3500, 1), 4);
  EXPECT_EQ(NetOf(1001, 1), 1);  // 1.001 cents
  EXPECT_EQ(NetOf(1499, 1), 1);  // 1.499 cents
  EXPECT_EQ(NetOf(-1499, 1), -1);
}

TEST(LineNet, WholeQuantitiesAreExact) {
  EXPECT_EQ(NetOf(1000, 12'345), 12'345);
  EXPECT_EQ(NetOf(3000, 99'999), 299'997);
  EXPECT_EQ(NetOf(0, 12'345), 0);
  EXPECT_EQ(NetOf(250, 4'000), 1'000);  // a quarter
}

TEST(LineNet, RoundsToTheCurrencysMinorUnit) {
  absl::StatusOr<Money> yen = LineNet(1500, M(101, "JPY"));  // 151.5 yen
  ASSERT_TRUE(yen.ok()) << yen.status();
  EXPECT_EQ(yen->minor_units(), 152);
  EXPECT_EQ(yen->currency(), "JPY");
  EXPECT_EQ(NetOf(1333, 1'005, "KWD"), 1'340);  // 1.333 × 1.005 KWD = 1.339665
}

TEST(LineNet, OverflowIsOutOfRange) {
  EXPECT_THAT(LineNet(1'000'000, M(std::numeric_limits<int64_t>::max() / 10)).status(),
              StatusIs(absl::StatusCode::kOutOfRange, "overflows"));
}

// ---------------------------------------------------------------------------------------------
// Line taxes

TEST(LineTax, EightAndAQuarterPercentOnOddCents) {
  EXPECT_EQ(TaxOf(1, kRate825), 0);           // 0.0825 cents
  EXPECT_EQ(TaxOf(7, kRate825), 1);           // 0.5775
  EXPECT_EQ(TaxOf(101, kRate825), 8);         // 8.3325
  EXPECT_EQ(TaxOf(99, kRate825), 8);          // 8.1675
  EXPECT_EQ(TaxOf(12'345, kRate825), 1'018);  // 1018.4625
  EXPECT_EQ(TaxOf(-12'345, kRate825), -1'018);
  EXPECT_EQ(TaxOf(9'999'999, kRate825), 825'000);  // 824999.9175
}

TEST(LineTax, TiesGoAwayFromZero) {
  EXPECT_EQ(TaxOf(200, kRate825), 17);  // 16.5 cents
  EXPECT_EQ(TaxOf(-200, kRate825), -17);
  EXPECT_EQ(TaxOf(600, kRate825), 50);  // 49.5
  EXPECT_EQ(TaxOf(10, 50'000), 1);      // 5 % of 0.10 = 0.5 cent
  EXPECT_EQ(TaxOf(50, 50'000), 3);      // 2.5: banker's would give 2
  EXPECT_EQ(TaxOf(-50, 50'000), -3);
}

TEST(LineTax, ZeroRateAndZeroNet) {
  EXPECT_EQ(TaxOf(12'345, 0), 0);
  EXPECT_EQ(TaxOf(0, kRate825), 0);
}

// ---------------------------------------------------------------------------------------------
// Tax rates

TEST(TaxRateFor, EmptyCategoryIsUntaxedEvenWithoutRates) {
  v1::BillingSettings settings;
  settings.set_jurisdiction(testing::kJurisdiction);
  absl::StatusOr<int64_t> rate = TaxRateFor(settings, "");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(*rate, 0);
}

TEST(TaxRateFor, TheJurisdictionsRate) {
  absl::StatusOr<int64_t> rate = TaxRateFor(Settings(), "materials");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(*rate, kRate825);
}

TEST(TaxRateFor, AConfiguredZeroRateIsNotMissing) {
  absl::StatusOr<int64_t> rate = TaxRateFor(Settings(), "labor");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(*rate, 0);
}

TEST(TaxRateFor, FallsBackToTheRateWithoutJurisdiction) {
  v1::BillingSettings settings = Settings();
  *settings.add_tax_rates() = Rate("rental", "", 60'000);
  *settings.add_tax_rates() = Rate("rental", "US-CA-SF", 90'000);  // elsewhere: not ours
  absl::StatusOr<int64_t> rate = TaxRateFor(settings, "rental");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(*rate, 60'000);
}

TEST(TaxRateFor, TheJurisdictionsRateBeatsTheFallbackInAnyOrder) {
  for (bool fallback_first : {true, false}) {
    v1::BillingSettings settings = Settings();
    settings.clear_tax_rates();
    if (fallback_first) *settings.add_tax_rates() = Rate("materials", "", 60'000);
    *settings.add_tax_rates() = Rate("materials", testing::kJurisdiction, kRate825);
    if (!fallback_first) *settings.add_tax_rates() = Rate("materials", "", 60'000);
    absl::StatusOr<int64_t> rate = TaxRateFor(settings, "materials");
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_EQ(*rate, kRate825) << "fallback first: " << fallback_first;
  }
}

TEST(TaxRateFor, MissingRateIsAFailedPreconditionNamingTheCategory) {
  v1::BillingSettings settings = Settings();
  *settings.add_tax_rates() = Rate("rental", "US-CA-SF", 90'000);  // another jurisdiction only
  EXPECT_THAT(TaxRateFor(settings, "rental").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "\"rental\""));
  EXPECT_THAT(TaxRateFor(settings, "rental").status().message(), HasSubstr(testing::kJurisdiction));
  EXPECT_THAT(TaxRateFor(settings, "fuel").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "no tax rate for category \"fuel\""));
}

// ---------------------------------------------------------------------------------------------
// Pricing lines and totals

v1::InvoiceLine LineOf(int64_t quantity_milli, int64_t unit_minor, const std::string& category) {
  v1::InvoiceLine line;
  line.set_quantity_milli(quantity_milli);
  *line.mutable_unit_price() = P(unit_minor);
  line.set_tax_category(category);
  return line;
}

TEST(PriceLine, FillsNetRateAndTax) {
  v1::InvoiceLine line = LineOf(2500, 4'999, "materials");  // 2.5 × 49.99 = 124.975
  ASSERT_TRUE(PriceLine(Settings(), line).ok());
  EXPECT_THAT(line.net(), IsMoney(12'498));
  EXPECT_EQ(line.tax_rate_ppm(), kRate825);
  EXPECT_THAT(line.tax(), IsMoney(1'031));  // 1031.085
}

TEST(PriceLine, UncategorisedLineIsUntaxed) {
  v1::InvoiceLine line = LineOf(1000, 10'000, "");
  ASSERT_TRUE(PriceLine(Settings(), line).ok());
  EXPECT_THAT(line.net(), IsMoney(10'000));
  EXPECT_EQ(line.tax_rate_ppm(), 0);
  EXPECT_THAT(line.tax(), IsMoney(0));
}

TEST(PriceLine, RefusesWhatItCannotPrice) {
  v1::InvoiceLine no_rate = LineOf(1000, 100, "fuel");
  EXPECT_THAT(PriceLine(Settings(), no_rate),
              StatusIs(absl::StatusCode::kFailedPrecondition, "fuel"));
  EXPECT_FALSE(no_rate.has_net());  // untouched
  v1::InvoiceLine no_currency = LineOf(1000, 100, "");
  no_currency.mutable_unit_price()->clear_currency();
  EXPECT_THAT(PriceLine(Settings(), no_currency),
              StatusIs(absl::StatusCode::kInvalidArgument, "currency"));
}

TEST(TotalsOf, AddsUpLineByLine) {
  google::protobuf::RepeatedPtrField<v1::InvoiceLine> lines;
  // Three lines of 0.07 at 8.25 % each round their tax up to a cent: 3 cents, where taxing the
  // 0.21 subtotal at once would give 2 (1.7325).
  for (int i = 0; i < 3; ++i) {
    *lines.Add() = LineOf(1000, 7, "materials");
    ASSERT_TRUE(PriceLine(Settings(), lines[i]).ok());
  }
  *lines.Add() = LineOf(1333, 15, "");
  ASSERT_TRUE(PriceLine(Settings(), lines[3]).ok());
  absl::StatusOr<Totals> totals = TotalsOf(lines, "USD");
  ASSERT_TRUE(totals.ok()) << totals.status();
  EXPECT_THAT(totals->subtotal, IsMoney(21 + 20));
  EXPECT_THAT(totals->tax, IsMoney(3));
  EXPECT_THAT(totals->total, IsMoney(44));
}

TEST(TotalsOf, NegativeLinesReduceTheTotals) {
  google::protobuf::RepeatedPtrField<v1::InvoiceLine> lines;
  *lines.Add() = LineOf(1000, 10'000, "materials");
  *lines.Add() = LineOf(1000, -2'500, "materials");  // a discount
  for (v1::InvoiceLine& line : lines) ASSERT_TRUE(PriceLine(Settings(), line).ok());
  absl::StatusOr<Totals> totals = TotalsOf(lines, "USD");
  ASSERT_TRUE(totals.ok()) << totals.status();
  EXPECT_THAT(totals->subtotal, IsMoney(7'500));
  EXPECT_THAT(totals->tax, IsMoney(825 - 206));  // 825 and −206.25
  EXPECT_THAT(totals->total, IsMoney(7'500 + 619));
}

TEST(TotalsOf, NoLinesAreZero) {
  absl::StatusOr<Totals> totals = TotalsOf({}, "EUR");
  ASSERT_TRUE(totals.ok()) << totals.status();
  EXPECT_EQ(totals->total, M(0, "EUR"));
  EXPECT_EQ(totals->subtotal, M(0, "EUR"));
}

TEST(TotalsOf, RefusesALineInAnotherCurrency) {
  google::protobuf::RepeatedPtrField<v1::InvoiceLine> lines;
  *lines.Add() = LineOf(1000, 100, "");
  *lines.Add() = LineOf(1000, 100, "");
  lines[1].mutable_unit_price()->set_currency("EUR");
  for (v1::InvoiceLine& line : lines) ASSERT_TRUE(PriceLine(Settings(), line).ok());
  EXPECT_THAT(TotalsOf(lines, "USD").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "currency mismatch"));
  EXPECT_THAT(TotalsOf(lines, "usd").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "currency"));
}

// ---------------------------------------------------------------------------------------------
// Shares

TEST(ShareInPpm, RoundsHalfAwayFromZero) {
  EXPECT_EQ(ShareInPpm(1, 3), 333'333);
  EXPECT_EQ(ShareInPpm(2, 3), 666'667);
  EXPECT_EQ(ShareInPpm(1, 2'000'000), 1);  // 0.5 ppm
  EXPECT_EQ(ShareInPpm(1, 2'000'001), 0);  // just under 0.5
  EXPECT_EQ(ShareInPpm(3, 2'000'000), 2);  // 1.5
  EXPECT_EQ(ShareInPpm(7, 7), 1'000'000);
  EXPECT_EQ(ShareInPpm(0, 7), 0);
  EXPECT_EQ(ShareInPpm(3, 2), 1'500'000);
}

TEST(ShareInPpm, NegativesAreSymmetric) {
  EXPECT_EQ(ShareInPpm(-1, 3), -333'333);
  EXPECT_EQ(ShareInPpm(-2, 3), -666'667);
  EXPECT_EQ(ShareInPpm(2, -3), -666'667);
  EXPECT_EQ(ShareInPpm(-2, -3), 666'667);
  EXPECT_EQ(ShareInPpm(-1, 2'000'000), -1);
  EXPECT_EQ(ShareInPpm(1, -2'000'000), -1);
  EXPECT_EQ(ShareInPpm(-1, -2'000'000), 1);
  EXPECT_EQ(ShareInPpm(-3, 2'000'000), -2);
  EXPECT_EQ(ShareInPpm(-1, 2'000'001), 0);
}

TEST(ShareInPpm, ZeroWholeAndHugeSharesDoNotCrash) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(ShareInPpm(5, 0), 0);
  EXPECT_EQ(ShareInPpm(kMax, kMax), 1'000'000);
  EXPECT_EQ(ShareInPpm(kMin, kMin), 1'000'000);
  EXPECT_EQ(ShareInPpm(kMax, 1), kMax);
  EXPECT_EQ(ShareInPpm(kMin, 1), kMin);
  EXPECT_EQ(ShareInPpm(-10'000'000'000'000, 1), kMin);
}

// ---------------------------------------------------------------------------------------------
// Labour

TEST(LaborAmount, MinutesTimesHourlyOverSixty) {
  auto amount = [](int64_t minutes, int64_t hourly) {
    absl::StatusOr<Money> labor = LaborAmount(minutes, M(hourly));
    EXPECT_TRUE(labor.ok()) << labor.status();
    return labor.ok() ? labor->minor_units() : -999'999;
  };
  EXPECT_EQ(amount(90, 7'500), 11'250);
  EXPECT_EQ(amount(45, 3'333), 2'500);  // 2499.75
  EXPECT_EQ(amount(1, 50), 1);          // 0.833
  EXPECT_EQ(amount(1, 30), 1);          // 0.5: away from zero
  EXPECT_EQ(amount(1, 29), 0);          // 0.483
  EXPECT_EQ(amount(0, 7'500), 0);
  EXPECT_EQ(amount(-1, 30), -1);
}

TEST(LaborRateFor, MostSpecificRateWinsWhateverTheOrder) {
  v1::BillingSettings settings;
  // Least specific first, so that a first-match scan would get it wrong.
  *settings.add_labor_rates() = Labor("", "", 1'000, 2'000);
  *settings.add_labor_rates() = Labor("", "overtime", 1'500, 3'000);
  *settings.add_labor_rates() = Labor("emp-a", "", 2'000, 4'000);
  *settings.add_labor_rates() = Labor("emp-a", "overtime", 3'000, 6'000);
  auto cost_of = [&](absl::string_view employee, absl::string_view type) -> int64_t {
    const std::optional<v1::LaborRate> rate = LaborRateFor(settings, employee, type);
    return rate.has_value() ? rate->hourly_cost().minor_units() : -1;
  };
  EXPECT_EQ(cost_of("emp-a", "overtime"), 3'000);  // employee and type
  EXPECT_EQ(cost_of("emp-a", "regular"), 2'000);   // employee
  EXPECT_EQ(cost_of("emp-b", "overtime"), 1'500);  // type
  EXPECT_EQ(cost_of("emp-b", "regular"), 1'000);   // default
  EXPECT_EQ(cost_of("emp-a", ""), 2'000);
  EXPECT_EQ(cost_of("", "overtime"), 1'500);
}

TEST(LaborRateFor, EmployeeRateBeatsTypeRate) {
  v1::BillingSettings settings;
  *settings.add_labor_rates() = Labor("", "travel", 1'500, 3'000);
  *settings.add_labor_rates() = Labor("emp-a", "", 2'000, 4'000);
  const std::optional<v1::LaborRate> rate = LaborRateFor(settings, "emp-a", "travel");
  ASSERT_TRUE(rate.has_value());
  EXPECT_EQ(rate->employee_id(), "emp-a");
  EXPECT_EQ(rate->work_type(), "");
}

TEST(LaborRateFor, SkipsAMoreSpecificRateWithoutTheNeededAmount) {
  v1::BillingSettings settings;
  v1::LaborRate* specific = settings.add_labor_rates();
  specific->set_employee_id("emp-a");
  specific->set_work_type("regular");
  specific->mutable_hourly_price()->set_minor_units(12000);
  specific->mutable_hourly_price()->set_currency("USD");
  v1::LaborRate* fallback = settings.add_labor_rates();
  fallback->mutable_hourly_cost()->set_minor_units(4500);
  fallback->mutable_hourly_cost()->set_currency("USD");
  const auto cost = LaborRateFor(settings, "emp-a", "regular", LaborAmountKind::kHourlyCost);
  ASSERT_TRUE(cost.has_value());
  EXPECT_EQ(cost->hourly_cost().minor_units(), 4500);
  const auto price = LaborRateFor(settings, "emp-a", "regular", LaborAmountKind::kHourlyPrice);
  ASSERT_TRUE(price.has_value());
  EXPECT_EQ(price->hourly_price().minor_units(), 12000);
}

TEST(LaborRateFor, NoneWithoutAMatchOrADefault) {
  v1::BillingSettings settings;
  EXPECT_FALSE(LaborRateFor(settings, "emp-a", "regular").has_value());
  *settings.add_labor_rates() = Labor("emp-b", "", 2'000, 4'000);
  *settings.add_labor_rates() = Labor("", "travel", 1'500, 3'000);
  *settings.add_labor_rates() = Labor("emp-a", "travel", 1'500, 3'000);
  EXPECT_FALSE(LaborRateFor(settings, "emp-a", "regular").has_value());
}

}  // namespace
}  // namespace jobledger::billing
