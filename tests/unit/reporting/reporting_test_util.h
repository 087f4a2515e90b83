// Builders and matchers shared by the reporting domain tests: money, dates, jobs, settings.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::reporting::testing {

inline common::v1::Money P(int64_t minor_units, const std::string& currency = "USD") {
  common::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(currency);
  return money;
}

inline common::v1::LocalDate D(int year, int month, int day) {
  common::v1::LocalDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// A price-only labour rate ("" for any employee / type).
inline billing::v1::LaborRate PriceRate(const std::string& employee, const std::string& type,
                                        int64_t hourly_price, const std::string& currency = "USD") {
  billing::v1::LaborRate rate;
  rate.set_employee_id(employee);
  rate.set_work_type(type);
  *rate.mutable_hourly_price() = P(hourly_price, currency);
  return rate;
}

inline billing::v1::BillingSettings Settings(const std::string& currency = "USD") {
  billing::v1::BillingSettings settings;
  settings.set_currency(currency);
  return settings;
}

inline job::v1::Job JobNumbered(int64_t number,
                                job::v1::JobStatus status = job::v1::JOB_STATUS_IN_PROGRESS) {
  job::v1::Job job;
  job.set_job_id(absl::StrCat("job-", number));
  job.set_number(number);
  job.set_title(absl::StrCat("Job ", number));
  job.set_status(status);
  return job;
}

// A line whose total is given (the job service computes it; the reports only read it).
inline job::v1::LineItem Line(const std::string& id, job::v1::LineItemKind kind,
                              int64_t quantity_milli, int64_t unit_minor, int64_t total_minor,
                              bool billable = true, const std::string& currency = "USD") {
  job::v1::LineItem line;
  line.set_line_item_id(id);
  line.set_kind(kind);
  line.set_name(absl::StrCat("item ", id));
  line.set_quantity_milli(quantity_milli);
  *line.mutable_unit_price() = P(unit_minor, currency);
  *line.mutable_total() = P(total_minor, currency);
  line.set_billable(billable);
  return line;
}

inline job::v1::WorkEntry Work(const std::string& employee, const std::string& type,
                               int64_t minutes, const common::v1::LocalDate& date,
                               bool open = false) {
  job::v1::WorkEntry entry;
  entry.set_entry_id(absl::StrCat(employee, "-", type, "-", minutes));
  entry.set_employee_id(employee);
  entry.set_type(type);
  entry.set_minutes(minutes);
  *entry.mutable_date() = date;
  entry.set_open(open);
  return entry;
}

inline job::v1::Expense Spent(const std::string& id, int64_t minor_units,
                              const common::v1::LocalDate& date,
                              const std::string& currency = "USD") {
  job::v1::Expense expense;
  expense.set_expense_id(id);
  expense.set_description(absl::StrCat("expense ", id));
  expense.set_employee_id("tech-a");
  *expense.mutable_amount() = P(minor_units, currency);
  *expense.mutable_date() = date;
  return expense;
}

MATCHER_P2(StatusIs, code, text,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and a message with \"", text,
                        "\"")) {
  const absl::Status& status = arg;
  *result_listener << "status is " << status;
  return status.code() == code && status.message().find(text) != absl::string_view::npos;
}

MATCHER_P(IsUsd, minor_units, absl::StrCat("is USD ", minor_units, " minor units")) {
  *result_listener << "is " << arg.currency() << " " << arg.minor_units();
  return arg.currency() == "USD" && arg.minor_units() == minor_units;
}

}  // namespace jobledger::reporting::testing
