// Builders and matchers shared by the billing domain tests: money, settings, jobs and invoices.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/money.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::billing::testing {

inline constexpr char kJobId[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
inline constexpr char kCustomerId[] = "0190a1b2-c3d4-7e5f-8a9b-000000000001";
inline constexpr char kJurisdiction[] = "US-TX-AUSTIN";
inline constexpr int64_t kRate825 = 82'500;  // 8.25 %

// An amount that must be valid; the test fails (and gets zero dollars) otherwise.
inline Money M(int64_t minor_units, absl::string_view currency = "USD") {
  absl::StatusOr<Money> money = Money::Create(minor_units, currency);
  EXPECT_TRUE(money.ok()) << money.status();
  return money.ok() ? *money : *Money::Zero("USD");
}

inline common::v1::Money P(int64_t minor_units, const std::string& currency = "USD") {
  common::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(currency);
  return money;
}

inline v1::TaxRate Rate(const std::string& category, const std::string& jurisdiction,
                        int64_t rate_ppm) {
  v1::TaxRate rate;
  rate.set_category(category);
  rate.set_jurisdiction(jurisdiction);
  rate.set_rate_ppm(rate_ppm);
  return rate;
}

// USD in Austin: "materials" at 8.25 %, "labor" at 0 %.
inline v1::BillingSettings Settings() {
  v1::BillingSettings settings;
  settings.set_currency("USD");
  settings.set_jurisdiction(kJurisdiction);
  *settings.add_tax_rates() = Rate("labor", kJurisdiction, 0);
  *settings.add_tax_rates() = Rate("materials", kJurisdiction, kRate825);
  return settings;
}

// A labour rate; a negative amount leaves that side unset.
inline v1::LaborRate Labor(const std::string& employee, const std::string& type,
                           int64_t hourly_cost, int64_t hourly_price) {
  v1::LaborRate rate;
  rate.set_employee_id(employee);
  rate.set_work_type(type);
  if (hourly_cost >= 0) *rate.mutable_hourly_cost() = P(hourly_cost);
  if (hourly_price >= 0) *rate.mutable_hourly_price() = P(hourly_price);
  return rate;
}

// Job number 7 ("JOB-7") in `status`.
inline job::v1::Job JobIn(job::v1::JobStatus status, const std::string& job_id = kJobId,
                          int64_t number = 7) {
  job::v1::Job job;
  job.set_job_id(job_id);
  job.set_number(number);
  job.set_customer_id(kCustomerId);
  job.set_status(status);
  return job;
}

// A billable line whose total is quantity × unit price, half away from zero, as the job service
// keeps it.
inline job::v1::LineItem Item(const std::string& id, job::v1::LineItemKind kind,
                              int64_t quantity_milli, int64_t unit_minor,
                              const std::string& price_item_id = "") {
  job::v1::LineItem line;
  line.set_line_item_id(id);
  line.set_kind(kind);
  line.set_price_book_item_id(price_item_id);
  line.set_name(absl::StrCat("item ", id));
  line.set_description(absl::StrCat("about ", id));
  line.set_quantity_milli(quantity_milli);
  *line.mutable_unit_price() = P(unit_minor);
  absl::StatusOr<Money> total =
      M(unit_minor).MultiplyRatio(quantity_milli, 1000, Rounding::kHalfUp);
  EXPECT_TRUE(total.ok()) << total.status();
  if (total.ok()) total->ToProto(line.mutable_total());
  line.set_billable(true);
  return line;
}

inline job::v1::WorkEntry Work(const std::string& employee, int64_t minutes,
                               const std::string& type = "regular", bool open = false) {
  job::v1::WorkEntry entry;
  entry.set_entry_id(absl::StrCat("entry-", employee, "-", minutes, "-", type));
  entry.set_employee_id(employee);
  entry.set_type(type);
  entry.set_minutes(minutes);
  entry.set_open(open);
  return entry;
}

// An invoice of `kind` in `status`, number `number`, with the given total of which `paid` is paid.
inline v1::Invoice InvoiceOf(v1::InvoiceKind kind, v1::InvoiceStatus status, int64_t number,
                             int64_t total = 10'000, int64_t paid = 0) {
  v1::Invoice invoice;
  invoice.set_invoice_id(absl::StrCat("invoice-", number));
  invoice.set_number(number);
  invoice.set_kind(kind);
  invoice.set_status(status);
  invoice.set_job_id(kJobId);
  invoice.set_customer_id(kCustomerId);
  *invoice.mutable_subtotal() = P(total);
  *invoice.mutable_tax() = P(0);
  *invoice.mutable_total() = P(total);
  *invoice.mutable_paid() = P(paid);
  *invoice.mutable_balance() = P(total - paid);
  return invoice;
}

// Ids "line-1", "line-2", ... in the order asked for.
class Ids {
 public:
  std::string operator()() { return absl::StrCat("line-", ++count_); }

 private:
  int count_ = 0;
};

// The code and a part of the message.
MATCHER_P2(StatusIs, code, text,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and a message with \"", text,
                        "\"")) {
  const absl::Status& status = arg;
  *result_listener << "status is " << status;
  return status.code() == code && status.message().find(text) != absl::string_view::npos;
}

MATCHER_P(IsMoney, minor_units, absl::StrCat("is USD ", minor_units, " minor units")) {
  *result_listener << "is " << arg.currency() << " " << arg.minor_units();
  return arg.currency() == "USD" && arg.minor_units() == minor_units;
}

}  // namespace jobledger::billing::testing
