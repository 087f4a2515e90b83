// A customer's statement of account over a span of local days, from their account entries
// (invoices and credit notes issued or voided, payments, refunds). Pure.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/billing/v1/rows.pb.h"

namespace jobledger::billing {

// The statement of [first_day, last_day] (days in `zone`; entries in time order):
//   opening balance = charges − credits of the entries before first_day;
//   a line per entry within the days, each with the running balance (charge and credit are both
//   set, the side the entry does not have as zero);
//   closing balance = the last running balance (the opening one without lines);
//   credit_available = the overpayments kept as credit (to_credit) of every entry up to last_day.
// Entries after last_day are ignored. Every amount is in `currency`: an entry in another one is
// FAILED_PRECONDITION naming both currencies; last_day before first_day is INVALID_ARGUMENT.
absl::StatusOr<v1::CustomerStatement> BuildStatement(const std::string& customer_id,
                                                     const std::vector<v1::AccountEntry>& entries,
                                                     absl::CivilDay first_day,
                                                     absl::CivilDay last_day, absl::TimeZone zone,
                                                     absl::string_view currency);

}  // namespace jobledger::billing
