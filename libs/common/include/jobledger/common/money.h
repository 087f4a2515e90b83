// Money: exact amounts as integer minor units of an ISO 4217 currency. No floating point anywhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace jobledger {

namespace common::v1 {
class Money;
}  // namespace common::v1

enum class Rounding {
  kHalfEven,  // banker's rounding: ties go to the even minor unit
  kHalfUp,    // ties away from zero, the usual rule on tax lines
  kTowardZero,
};

class Money {
 public:
  // Refuses a currency that is not three upper-case letters.
  static absl::StatusOr<Money> Create(int64_t minor_units, absl::string_view currency);
  static absl::StatusOr<Money> Zero(absl::string_view currency) { return Create(0, currency); }
  // Parses a decimal amount such as "1234.5" or "-0.07" exactly. More decimal places than the
  // currency has (two for USD, none for JPY) is an error rather than a silent rounding.
  static absl::StatusOr<Money> Parse(absl::string_view amount, absl::string_view currency);
  static absl::StatusOr<Money> FromProto(const common::v1::Money& proto);

  int64_t minor_units() const { return minor_units_; }
  const std::string& currency() const { return currency_; }
  // Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3).
  int exponent() const;
  bool is_zero() const { return minor_units_ == 0; }
  bool is_negative() const { return minor_units_ < 0; }

  // Arithmetic refuses mixed currencies (INVALID_ARGUMENT) and int64 overflow (OUT_OF_RANGE).
  absl::StatusOr<Money> Plus(const Money& other) const;
  absl::StatusOr<Money> Minus(const Money& other) const;
  absl::StatusOr<Money> Times(int64_t quantity) const;
  // this × numerator / denominator, rounded once at the end: quantities in thousandths,
  // tax rates in basis points, labour minutes × hourly rate / 60.
  absl::StatusOr<Money> MultiplyRatio(int64_t numerator, int64_t denominator,
                                      Rounding rounding) const;
  Money Negated() const;

  // Splits into parts proportional to `weights` (e.g. {20, 20, 60}) that add up exactly to this
  // amount: every part but the last is truncated toward zero and the last takes the remainder.
  absl::StatusOr<std::vector<Money>> Split(absl::Span<const int64_t> weights) const;

  // "1234.50" / "-0.07" / "1500" (JPY).
  std::string FormatAmount() const;
  // "USD 1234.50".
  std::string ToString() const;
  void ToProto(common::v1::Money* proto) const;

  friend bool operator==(const Money&, const Money&) = default;

 private:
  Money(int64_t minor_units, std::string currency)
      : minor_units_(minor_units), currency_(std::move(currency)) {}
  absl::Status CheckSameCurrency(const Money& other) const;

  int64_t minor_units_ = 0;
  std::string currency_;
};

// Minor-unit exponent of an ISO 4217 code; 2 for codes without an exception listed.
int CurrencyExponent(absl::string_view currency);

}  // namespace jobledger
