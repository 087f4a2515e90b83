// Line amounts, tax and labour.
#include "domain/pricing.h"

#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger::billing {

absl::StatusOr<Money> LineNet(int64_t quantity_milli, const Money& unit_price) {
  return unit_price.MultiplyRatio(quantity_milli, 1000, Rounding::kHalfUp);
}

absl::StatusOr<Money> LineTax(const Money& net, int64_t rate_ppm) {
  return net.MultiplyRatio(rate_ppm, kPpm, Rounding::kHalfUp);
}

absl::StatusOr<int64_t> TaxRateFor(const v1::BillingSettings& settings,
                                   absl::string_view category) {
  if (category.empty()) return 0;
  const v1::TaxRate* fallback = nullptr;
  for (const v1::TaxRate& rate : settings.tax_rates()) {
    if (rate.category() != category) continue;
    if (rate.jurisdiction() == settings.jurisdiction()) return rate.rate_ppm();
    if (rate.jurisdiction().empty()) fallback = &rate;
  }
  if (fallback != nullptr) return fallback->rate_ppm();
  return absl::FailedPreconditionError(
      absl::StrCat("no tax rate for category \"", category, "\" in jurisdiction \"",
                   settings.jurisdiction(), "\": set one in the billing settings"));
}

absl::Status PriceLine(const v1::BillingSettings& settings, v1::InvoiceLine& line) {
  auto unit_price = Money::FromProto(line.unit_price());
  if (!unit_price.ok()) return unit_price.status();
  auto net = LineNet(line.quantity_milli(), *unit_price);
  if (!net.ok()) return net.status();
  auto rate = TaxRateFor(settings, line.tax_category());
  if (!rate.ok()) return rate.status();
  auto tax = LineTax(*net, *rate);
  if (!tax.ok()) return tax.status();
  net->ToProto(line.mutable_net());
  line.set_tax_rate_ppm(*rate);
  tax->ToProto(line.mutable_tax());
  return absl::OkStatus();
}

absl::StatusOr<Totals> TotalsOf(const google::protobuf::RepeatedPtrField<v1::InvoiceLine>& lines,
                                absl::string_view currency) {
  auto zero = Money::Zero(currency);
  if (!zero.ok()) return zero.status();
  Totals totals{*zero, *zero, *zero};
  for (const v1::InvoiceLine& line : lines) {
    auto net = Money::FromProto(line.net());
    if (!net.ok()) return net.status();
    auto tax = Money::FromProto(line.tax());
    if (!tax.ok()) return tax.status();
    auto subtotal = totals.subtotal.Plus(*net);
    if (!subtotal.ok()) return subtotal.status();
    auto tax_sum = totals.tax.Plus(*tax);
    if (!tax_sum.ok()) return tax_sum.status();
    totals.subtotal = *subtotal;
    totals.tax = *tax_sum;
  }
  auto total = totals.subtotal.Plus(totals.tax);
  if (!total.ok()) return total.status();
  totals.total = *total;
  return totals;
}

int64_t ShareInPpm(int64_t part, int64_t whole) {
  if (whole == 0) return 0;
  const absl::int128 scaled = absl::int128(part) * kPpm;
  absl::int128 quotient = scaled / whole;
  const absl::int128 remainder = scaled % whole;
  // Half away from zero: compare twice the remainder with the divisor, in magnitude.
  const absl::int128 twice = remainder < 0 ? -2 * remainder : 2 * remainder;
  const absl::int128 divisor = whole < 0 ? -absl::int128(whole) : absl::int128(whole);
  if (twice >= divisor) quotient += (scaled < 0) == (whole < 0) ? 1 : -1;
  if (quotient > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (quotient < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(quotient);
}

absl::StatusOr<Money> LaborAmount(int64_t minutes, const Money& hourly) {
  return hourly.MultiplyRatio(minutes, 60, Rounding::kHalfUp);
}

std::optional<v1::LaborRate> LaborRateFor(const v1::BillingSettings& settings,
                                          absl::string_view employee_id,
                                          absl::string_view work_type, LaborAmountKind need) {
  auto usable = [need](const v1::LaborRate& rate) {
    switch (need) {
      case LaborAmountKind::kHourlyCost:
        return rate.has_hourly_cost();
      case LaborAmountKind::kHourlyPrice:
        return rate.has_hourly_price();
      case LaborAmountKind::kAny:
        break;
    }
    return true;
  };
  // Candidates from the most specific to the least.
  const std::pair<absl::string_view, absl::string_view> tries[] = {
      {employee_id, work_type}, {employee_id, ""}, {"", work_type}, {"", ""}};
  for (const auto& [employee, type] : tries) {
    for (const v1::LaborRate& rate : settings.labor_rates()) {
      if (rate.employee_id() == employee && rate.work_type() == type && usable(rate)) return rate;
    }
  }
  return std::nullopt;
}

}  // namespace jobledger::billing
