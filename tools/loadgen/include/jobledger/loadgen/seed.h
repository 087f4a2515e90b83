// Fills an embedded log with many realistic jobs quickly, for the job service's 1M-job figures
// and the scheduling service's calendars: sealed, chained events appended straight to the log (no
// gRPC, no command path), which the services then project as they would their own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
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
  // With scheduling_technicians > 0, the scheduling service's data too, for its figures: that many
  // technicians (SeededTechnicianId(0 ..)) registered on the scheduling topic with one or two of
  // SeededSkills() and Monday–Saturday 07:00–19:00 UTC shifts; every job requiring one skill;
  // every tenth job (SeededBacklogJobId) Open and unscheduled, the others each with an
  // appointment in a free slot of SeededSchedulingCalendar for one or two technicians with the
  // skill (5% unassigned), so that no technician's visits overlap; a job's status follows its
  // visit's time (past: Completed or Cancelled, under way: In progress, ahead: Scheduled or On
  // hold). `technicians` is then unused. 0: none of this, the jobs exactly as without it.
  int scheduling_technicians = 0;
  // Called now and then with jobs written so far.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct SeedResult {
  int64_t customers = 0;
  int64_t jobs = 0;
  int64_t job_events = 0;         // on jobledger.job.events (customers included)
  int64_t scheduling_events = 0;  // on jobledger.scheduling.events
  int64_t technicians = 0;        // registered on the scheduling topic
  int64_t appointments = 0;
  int64_t booked_slots = 0;  // technician-slots the appointments hold in the calendars
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

// The skills of the scheduling seed (lower-case, as technicians' profiles hold them).
const std::vector<std::string>& SeededSkills();

// The scheduling seed's Open, unscheduled jobs: SeededJobId(10 k + 9) for k in
// [0, SeededBacklogJobs(jobs)), each requiring one skill.
int64_t SeededBacklogJobs(int64_t jobs);
std::string SeededBacklogJobId(int64_t k);

// The grid the scheduling seed books: 2-hour slots, six a day from 07:00 UTC, on the Mondays to
// Saturdays of a stretch centred on the day of `now`, long enough that the seeded appointments
// fill about three quarters of each technician's slots. A load computes the same grid from the
// same counts to aim at the seeded days (so it needs to run on the day the seed was made).
struct SeededCalendar {
  static constexpr int kSlotsPerDay = 6;
  static constexpr int kFirstSlotHour = 7;
  static constexpr int kSlotHours = 2;

  std::vector<absl::CivilDay> working_days;  // ascending
  int64_t slots() const { return static_cast<int64_t>(working_days.size()) * kSlotsPerDay; }
  // Slot `slot` (0 .. slots() - 1): working day slot / kSlotsPerDay, the slot % kSlotsPerDay-th.
  absl::Time SlotStart(int64_t slot) const;
};
SeededCalendar SeededSchedulingCalendar(int64_t jobs, int technicians, absl::Time now);

}  // namespace jobledger::loadgen
