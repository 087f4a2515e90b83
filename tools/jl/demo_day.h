// The demo's working day: each planned job created, booked and taken through its field steps
// (dispatch states, clock-in and -out, checklist, notes, status changes, invoices) with the times
// they happened at, today in the tenant's zone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "demo_client.h"
#include "demo_roster.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::cli::demo {

struct DayResult {
  int jobs = 0;
  int appointments = 0;
  int invoices = 0;
  std::map<job::v1::JobStatus, int> by_status;  // where each job was left
  std::vector<billing::v1::Invoice> to_pay;     // issued invoices the customer pays today
};

absl::StatusOr<DayResult> SeedDay(DemoClient& client, const Roster& roster, absl::CivilDay today,
                                  absl::TimeZone zone);

}  // namespace jobledger::cli::demo
