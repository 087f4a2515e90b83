// Fills an embedded log with many realistic jobs quickly, for the job service's 1M-job figures:
// sealed, chained events appended straight to the log (no gRPC, no command path), which the job
// service then projects as it would its own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jobledger::loadgen {

struct SeedOptions {
  std::string log_dir;  // the embedded log directory (a service's --log-dir)
  std::string tenant = "loadgen";
  int64_t jobs = 1'000'000;
  int customers = 2'000;
  int technicians = 50;
  int partitions = 6;  // of both topics, when they are created
  uint64_t random_seed = 42;
  // Jobs are scheduled within this many days either side of `now`.
  int schedule_spread_days = 365;
  absl::Time now = absl::Now();
  // Called now and then with jobs written so far.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct SeedResult {
  int64_t customers = 0;
  int64_t jobs = 0;
  int64_t job_events = 0;         // on jobledger.job.events (customers included)
  int64_t scheduling_events = 0;  // on jobledger.scheduling.events
  absl::Duration elapsed;
};

// Creates the job and scheduling topics when missing (a run with jobs = 0 only does that), then
// appends `customers` customers and `jobs` jobs: a spread of statuses (each reached through its
// status change event), scheduled dates, and appointments assigning technicians. The log must not
// be open for writing by another process (the job service owns the job topic while it runs).
absl::StatusOr<SeedResult> SeedJobs(const SeedOptions& options);

// The ids the seeder gives, so that a load can name them in filters.
std::string SeededCustomerId(int64_t index);
std::string SeededJobId(int64_t index);
std::string SeededTechnicianId(int64_t index);
// Customer tags and title words the seeded data uses.
const std::vector<std::string>& SeededTags();
const std::vector<std::string>& SeededTitleWords();

}  // namespace jobledger::loadgen
