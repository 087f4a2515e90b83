// Everything the demo's jobs are made from, seeded first: billing settings, the price book, service
// zones, technicians with their skills and shifts, crews, customers, and a waiting service request.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "demo_client.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::cli::demo {

// What was made, by catalog key.
struct Roster {
  std::map<std::string, job::v1::Customer> customers;
  std::map<std::string, billing::v1::PriceItem> prices;  // by code
  std::map<std::string, std::string> crew_ids;
  int technicians = 0;
  int zones = 0;
  int requests = 0;
};

// Technicians work weekdays; on a weekend `today` they are on call, so today has shifts either way.
absl::StatusOr<Roster> SeedRoster(DemoClient& client, absl::CivilDay today);

}  // namespace jobledger::cli::demo
