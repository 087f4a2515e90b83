// Line amounts and tax: every amount is integer minor units; a line's net is quantity (in
// thousandths) × unit price, and its tax net × rate (parts per million), each rounded once, half
// away from zero, to the currency's minor unit. Totals are sums of the rounded lines, so an
// invoice always adds up line by line.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"

namespace jobledger::billing {

inline constexpr int64_t kPpm = 1'000'000;

absl::StatusOr<Money> LineNet(int64_t quantity_milli, const Money& unit_price);
absl::StatusOr<Money> LineTax(const Money& net, int64_t rate_ppm);

// The rate of `category` in the settings' jurisdiction (0 for an empty category: not taxed);
// FAILED_PRECONDITION naming the category when the tenant has no rate for it.
absl::StatusOr<int64_t> TaxRateFor(const v1::BillingSettings& settings, absl::string_view category);

// Fills the line's net, tax rate and tax from its quantity, unit price and tax category.
absl::Status PriceLine(const v1::BillingSettings& settings, v1::InvoiceLine& line);

struct Totals {
  Money subtotal;
  Money tax;
  Money total;
};
// Sums of the lines' nets and taxes, in `currency`; INVALID_ARGUMENT for a line in another one.
absl::StatusOr<Totals> TotalsOf(const google::protobuf::RepeatedPtrField<v1::InvoiceLine>& lines,
                                absl::string_view currency);

// part / whole in parts per million, half away from zero; 0 when whole is 0, and held at the
// int64 limits when the share does not fit (a margin far below a tiny price).
int64_t ShareInPpm(int64_t part, int64_t whole);

// The labour of `minutes` at an hourly rate: minutes × rate / 60, half away from zero.
absl::StatusOr<Money> LaborAmount(int64_t minutes, const Money& hourly);

// Which amount of a labour rate a computation needs.
enum class LaborAmountKind { kAny, kHourlyCost, kHourlyPrice };

// The labour rate of an employee for a work type: the most specific rate given (employee and
// type, then employee, then type, then the default with both empty) that has the amount `need`;
// nullopt when none has.
std::optional<v1::LaborRate> LaborRateFor(const v1::BillingSettings& settings,
                                          absl::string_view employee_id,
                                          absl::string_view work_type,
                                          LaborAmountKind need = LaborAmountKind::kAny);

}  // namespace jobledger::billing
