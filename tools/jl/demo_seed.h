// The demo tenant that `jl up` seeds: a plumbing, HVAC and electrical business with customers,
// technicians, crews, a price book and one working day of jobs in every state, written entirely
// through the services' public gRPC APIs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/auth/roles.h"

namespace jobledger::cli {

// Where the five services listen, as host:port. The seed writes through job, scheduling and
// billing; notification and reporting only react and read, so their addresses may stay empty.
struct DemoEndpoints {
  std::string job;
  std::string scheduling;
  std::string billing;
  std::string notification;
  std::string reporting;
};

// A bearer token for `subject` acting as `role` in the seeded tenant.
using DemoTokenSource =
    std::function<absl::StatusOr<std::string>(auth::Role role, const std::string& subject)>;

struct DemoSeedOptions {
  DemoEndpoints endpoints;
  std::string tenant = "demo";
  DemoTokenSource token;
  // "Today" is the local day of `now` in `zone`; the demo's visits are at fixed hours of it.
  // `zone` should be the services' --time-zone, so that their views of today agree.
  absl::Time now = absl::InfinitePast();
  absl::TimeZone zone = absl::UTCTimeZone();
  // For the whole seed, waits for services still starting included.
  absl::Duration deadline = absl::Seconds(60);
};

struct DemoSeedResult {
  // The tenant already had data (a finished demo, or data of its own): nothing was written.
  bool already_seeded = false;
  int customers = 0;
  int technicians = 0;
  int crews = 0;
  int price_items = 0;
  int jobs = 0;
  int appointments = 0;
  int invoices = 0;
  int payments = 0;
  // A short summary to print, one line each.
  std::vector<std::string> lines;
};

// Seeds the demo tenant unless it has data. Every command carries a fixed idempotency key, so a
// run that died half-way is finished by the next run without duplicating anything. Fails with the
// status of the first call that failed, naming what was being done.
absl::StatusOr<DemoSeedResult> SeedDemoTenant(const DemoSeedOptions& options);

// Development tokens signed with the HS256 key the services verify (what `jl token` mints),
// valid for `ttl`.
DemoTokenSource DevTokenSource(std::string hs256_key, std::string tenant,
                               absl::Duration ttl = absl::Hours(1));

}  // namespace jobledger::cli
