// The Time & Materials report of a selection of jobs over a range of dates, with its daily
// summary. Pure: the jobs and the tenant's billing settings come in as arguments.
//
//   labour    closed work entries dated in the range, per employee and work type: minutes, the
//             hourly price that applies, and the sum of each entry's amount (work_value.h); an
//             employee/type with no price keeps its minutes, has no amount and is listed in
//             unpriced_labor ("<employee>/<type>")
//   items     every line item of the jobs (they have no date) under materials, services or assets
//             (a line of no kind under assets), billable or not; the totals count billable lines
//   expenses  dated in the range (an undated expense only when the range is open)
//   days      per date: labour minutes, labour amount, expenses
//   total     labour + materials + services + assets + expenses: for one job over all dates, its
//             work value (work_value.h) plus its expenses
//
// Amounts are in the settings' currency (the jobs' when the settings have none); anything in
// another is INVALID_ARGUMENT naming both currencies and the record.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/reporting/v1/reporting.pb.h"

namespace jobledger::reporting {

// Jobs by number; labour by employee then type; items by job number then line order; expenses
// by date then job number. Unset from / to: no bound on that side. INVALID_ARGUMENT naming
// "from" / "to" for an impossible date or a range that ends before it starts.
absl::StatusOr<v1::TimeAndMaterialsReport> TimeAndMaterials(
    const std::vector<const job::v1::Job*>& jobs, const billing::v1::BillingSettings& settings,
    std::optional<common::v1::LocalDate> from, std::optional<common::v1::LocalDate> to);

}  // namespace jobledger::reporting
