// Exact money arithmetic, parsing, formatting and proportional splits.
#include "jobledger/common/money.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger {
namespace {

__extension__ typedef __int128 Int128;

// ISO 4217 currencies whose minor unit is not 1/100.
struct ExponentException {
  absl::string_view code;
  int exponent;
};
constexpr ExponentException kExponentExceptions[] = {
    {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"ISK", 0}, {"JPY", 0}, {"KMF", 0},
    {"KRW", 0}, {"PYG", 0}, {"RWF", 0}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0},
    {"XAF", 0}, {"XOF", 0}, {"XPF", 0}, {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3},
    {"LYD", 3}, {"OMR", 3}, {"TND", 3}, {"CLF", 4}, {"UYW", 4},
};

bool IsCurrencyCode(absl::string_view currency) {
  if (currency.size() != 3) return false;
  for (char c : currency) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

absl::StatusOr<int64_t> Narrow(Int128 value) {
  if (value > INT64_MAX || value < INT64_MIN) {
    return absl::OutOfRangeError("money amount overflows 64-bit minor units");
  }
  return static_cast<int64_t>(value);
}

// numerator / denominator (denominator > 0) rounded as asked.
Int128 DivideRounded(Int128 numerator, Int128 denominator, Rounding rounding) {
  Int128 quotient = numerator / denominator;  // truncates toward zero
  const Int128 remainder = numerator % denominator;
  if (remainder == 0 || rounding == Rounding::kTowardZero) return quotient;
  const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
  const int direction = numerator < 0 ? -1 : 1;
  const bool round_away =
      twice > denominator ||
      (twice == denominator && (rounding == Rounding::kHalfUp || quotient % 2 != 0));
  if (round_away) quotient += direction;
  return quotient;
}

int64_t PowerOfTen(int exponent) {
  int64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

}  // namespace

int CurrencyExponent(absl::string_view currency) {
  for (const auto& exception : kExponentExceptions) {
    if (exception.code == currency) return exception.exponent;
  }
  return 2;
}

absl::StatusOr<Money> Money::Create(int64_t minor_units, absl::string_view currency) {
  if (!IsCurrencyCode(currency)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "currency must be a three-letter upper-case ISO 4217 code, got \"", currency, "\""));
  }
  return Money(minor_units, std::string(currency));
}

absl::StatusOr<Money> Money::Parse(absl::string_view amount, absl::string_view currency) {
  if (!IsCurrencyCode(currency)) return Create(0, currency).status();
  const int exponent = CurrencyExponent(currency);
  absl::string_view text = absl::StripAsciiWhitespace(amount);
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount \"", amount, "\" is not a valid ", currency, " amount: ", why));
  };
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return bad("no digits");
  Int128 units = 0;
  int decimals = -1;  // -1: no decimal point seen yet
  for (char c : text) {
    if (c == '.') {
      if (decimals >= 0) return bad("more than one decimal point");
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return bad("unexpected character");
    if (decimals >= 0 && ++decimals > exponent) {
      return bad(absl::StrCat("more than ", exponent, " decimal places"));
    }
    units = units * 10 + (c - '0');
    if (units > Int128{INT64_MAX}) return bad("too large");
  }
  if (decimals == 0 && text.back() == '.') return bad("no digits after the decimal point");
  for (int i = decimals < 0 ? 0 : decimals; i < exponent; ++i) units *= 10;
  auto minor = Narrow(negative ? -units : units);
  if (!minor.ok()) return bad("too large");
  return Money(*minor, std::string(currency));
}

absl::StatusOr<Money> Money::FromProto(const common::v1::Money& proto) {
  return Create(proto.minor_units(), proto.currency());
}

void Money::ToProto(common::v1::Money* proto) const {
  proto->set_minor_units(minor_units_);
  proto->set_currency(currency_);
}

int Money::exponent() const { return CurrencyExponent(currency_); }

absl::Status Money::CheckSameCurrency(const Money& other) const {
  if (currency_ == other.currency_) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("currency mismatch: ", currency_, " and ", other.currency_));
}

absl::StatusOr<Money> Money::Plus(const Money& other) const {
  if (auto status = CheckSameCurrency(other); !status.ok()) return status;
  auto sum = Narrow(Int128{minor_units_} + other.minor_units_);
  if (!sum.ok()) return sum.status();
  return Money(*sum, currency_);
}

absl::StatusOr<Money> Money::Minus(const Money& other) const {
  if (auto status = CheckSameCurrency(other); !status.ok()) return status;
  auto difference = Narrow(Int128{minor_units_} - other.minor_units_);
  if (!difference.ok()) return difference.status();
  return Money(*difference, currency_);
}

absl::StatusOr<Money> Money::Times(int64_t quantity) const {
  auto product = Narrow(Int128{minor_units_} * quantity);
  if (!product.ok()) return product.status();
  return Money(*product, currency_);
}

absl::StatusOr<Money> Money::MultiplyRatio(int64_t numerator, int64_t denominator,
                                           Rounding rounding) const {
  if (denominator == 0) return absl::InvalidArgumentError("ratio denominator is zero");
  Int128 top = Int128{minor_units_} * numerator;
  Int128 bottom = denominator;
  if (bottom < 0) {
    top = -top;
    bottom = -bottom;
  }
  auto result = Narrow(DivideRounded(top, bottom, rounding));
  if (!result.ok()) return result.status();
  return Money(*result, currency_);
}

Money Money::Negated() const { return Money(-minor_units_, currency_); }

absl::StatusOr<std::vector<Money>> Money::Split(absl::Span<const int64_t> weights) const {
  if (weights.empty()) return absl::InvalidArgumentError("split needs at least one weight");
  Int128 total_weight = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0) {
      return absl::InvalidArgumentError(absl::StrCat("split weight ", i, " is negative"));
    }
    total_weight += weights[i];
  }
  if (total_weight == 0) return absl::InvalidArgumentError("split weights add up to zero");
  std::vector<Money> parts;
  parts.reserve(weights.size());
  Int128 allocated = 0;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    const Int128 part = Int128{minor_units_} * weights[i] / total_weight;
    allocated += part;
    parts.push_back(Money(static_cast<int64_t>(part), currency_));
  }
  parts.push_back(Money(static_cast<int64_t>(minor_units_ - allocated), currency_));
  return parts;
}

std::string Money::FormatAmount() const {
  const int places = exponent();
  const int64_t scale = PowerOfTen(places);
  // Work in unsigned so that INT64_MIN formats correctly.
  const uint64_t magnitude = minor_units_ < 0 ? 0 - static_cast<uint64_t>(minor_units_)
                                              : static_cast<uint64_t>(minor_units_);
  std::string out = minor_units_ < 0 ? "-" : "";
  absl::StrAppend(&out, magnitude / scale);
  if (places > 0) {
    std::string fraction = absl::StrCat(magnitude % scale);
    out.push_back('.');
    out.append(places - fraction.size(), '0');
    out.append(fraction);
  }
  return out;
}

std::string Money::ToString() const { return absl::StrCat(currency_, " ", FormatAmount()); }

}  // namespace jobledger
