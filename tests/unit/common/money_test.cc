// Money: exact arithmetic, currency checks, rounding, parsing, formatting and splits.
#include "jobledger/common/money.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger {
namespace {

Money Usd(int64_t cents) { return *Money::Create(cents, "USD"); }

std::vector<int64_t> Units(const std::vector<Money>& parts) {
  std::vector<int64_t> units;
  for (const Money& part : parts) units.push_back(part.minor_units());
  return units;
}

TEST(Money, RefusesBadCurrencyCodes) {
  for (const char* code : {"", "US", "usd", "USDX", "U$D"}) {
    EXPECT_EQ(Money::Create(1, code).status().code(), absl::StatusCode::kInvalidArgument) << code;
  }
}

TEST(Money, AddsAndSubtractsInOneCurrency) {
  EXPECT_EQ(*Usd(1050).Plus(Usd(-75)), Usd(975));
  EXPECT_EQ(*Usd(100).Minus(Usd(250)), Usd(-150));
}

TEST(Money, RefusesCurrencyMismatch) {
  const Money eur = *Money::Create(100, "EUR");
  const auto sum = Usd(100).Plus(eur);
  EXPECT_EQ(sum.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(sum.status().message().find("USD and EUR"), std::string::npos);
  EXPECT_FALSE(Usd(100).Minus(eur).ok());
}

TEST(Money, RefusesOverflow) {
  EXPECT_EQ(Usd(INT64_MAX).Plus(Usd(1)).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Usd(INT64_MIN).Minus(Usd(1)).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Usd(INT64_MAX / 2 + 1).Times(2).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(Money, MultipliesByRatioWithStatedRounding) {
  // 1.5 hours of $85.00: 8500 × 1500 / 1000.
  EXPECT_EQ(*Usd(8500).MultiplyRatio(1500, 1000, Rounding::kHalfUp), Usd(12750));
  // 8.25% tax on $10.10 = 83.325 cents.
  EXPECT_EQ(*Usd(1010).MultiplyRatio(825, 10000, Rounding::kHalfUp), Usd(83));
  // Exact ties: 2.5 → 3 (half up) or 2 (half even); 3.5 → 4 either way.
  EXPECT_EQ(*Usd(5).MultiplyRatio(1, 2, Rounding::kHalfUp), Usd(3));
  EXPECT_EQ(*Usd(5).MultiplyRatio(1, 2, Rounding::kHalfEven), Usd(2));
  EXPECT_EQ(*Usd(7).MultiplyRatio(1, 2, Rounding::kHalfEven), Usd(4));
  EXPECT_EQ(*Usd(5).MultiplyRatio(1, 2, Rounding::kTowardZero), Usd(2));
  // Negative amounts round symmetrically.
  EXPECT_EQ(*Usd(-5).MultiplyRatio(1, 2, Rounding::kHalfUp), Usd(-3));
  EXPECT_EQ(*Usd(-5).MultiplyRatio(1, -2, Rounding::kHalfUp), Usd(3));
  EXPECT_EQ(Usd(5).MultiplyRatio(1, 0, Rounding::kHalfUp).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Money, Splits20_20_60WithTheRemainderInTheLastPart) {
  auto parts = Usd(10001).Split({20, 20, 60});
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(Units(*parts), (std::vector<int64_t>{2000, 2000, 6001}));

  auto odd = Usd(1).Split({20, 20, 60});
  EXPECT_EQ(Units(*odd), (std::vector<int64_t>{0, 0, 1}));

  auto thirds = Usd(10000).Split({1, 1, 1});
  EXPECT_EQ(Units(*thirds), (std::vector<int64_t>{3333, 3333, 3334}));
}

TEST(Money, SplitPartsAlwaysAddUpExactly) {
  for (int64_t total : {0L, 1L, 99L, 10001L, 123457L, -10001L, INT64_MAX, INT64_MIN + 1}) {
    for (const std::vector<int64_t>& weights :
         {std::vector<int64_t>{20, 20, 60}, {1, 1, 1}, {7, 0, 13, 5}, {1}}) {
      auto parts = Usd(total).Split(weights);
      ASSERT_TRUE(parts.ok());
      __extension__ __int128 sum = 0;
      for (const Money& part : *parts) sum += part.minor_units();
      EXPECT_EQ(sum, total);
      ASSERT_EQ(parts->size(), weights.size());
    }
  }
}

TEST(Money, CreditSplitsMirrorDebits) {
  EXPECT_EQ(Units(*Usd(-10001).Split({20, 20, 60})), (std::vector<int64_t>{-2000, -2000, -6001}));
}

TEST(Money, RefusesBadSplitWeights) {
  EXPECT_FALSE(Usd(100).Split({}).ok());
  EXPECT_FALSE(Usd(100).Split({0, 0}).ok());
  EXPECT_EQ(Usd(100).Split({50, -10}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Money, ParsesDecimalTextExactly) {
  EXPECT_EQ(*Money::Parse("1234.5", "USD"), Usd(123450));
  EXPECT_EQ(*Money::Parse("-0.07", "USD"), Usd(-7));
  EXPECT_EQ(*Money::Parse("12", "USD"), Usd(1200));
  EXPECT_EQ(Money::Parse("1500", "JPY")->minor_units(), 1500);
  EXPECT_EQ(Money::Parse("1.234", "KWD")->minor_units(), 1234);
  for (const char* bad : {"", "-", "1.234", "1.2.3", "12a", "1.", "1e5", "99999999999999999999"}) {
    EXPECT_EQ(Money::Parse(bad, "USD").status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(Money::Parse("1.5", "JPY").ok());
}

TEST(Money, FormatsWithTheCurrencyExponent) {
  EXPECT_EQ(Usd(123450).ToString(), "USD 1234.50");
  EXPECT_EQ(Usd(-7).FormatAmount(), "-0.07");
  EXPECT_EQ(Usd(0).FormatAmount(), "0.00");
  EXPECT_EQ(Money::Create(1500, "JPY")->FormatAmount(), "1500");
  EXPECT_EQ(Money::Create(1234, "KWD")->FormatAmount(), "1.234");
  EXPECT_EQ(Usd(INT64_MIN).FormatAmount(), "-92233720368547758.08");
}

TEST(Money, RoundTripsThroughProto) {
  common::v1::Money proto;
  Usd(-4250).ToProto(&proto);
  EXPECT_EQ(proto.minor_units(), -4250);
  EXPECT_EQ(proto.currency(), "USD");
  EXPECT_EQ(*Money::FromProto(proto), Usd(-4250));
  proto.set_currency("dollars");
  EXPECT_FALSE(Money::FromProto(proto).ok());
}

}  // namespace
}  // namespace jobledger
