// The event log the reporting benchmarks read: the four topics of one busy tenant as the job,
// scheduling, billing and notification services write them (real event protos, sealed and chained
// envelopes, CloudEvents records), appended straight to an embedded log in large batches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "jobledger/eventlog/embedded_log.h"
#include "projections/reporting_projection.h"

namespace jobledger::reporting::bench {

inline constexpr char kTenant[] = "tenant-bench";
inline constexpr int64_t kJobsPerProject = 1000;

struct LogShape {
  int64_t max_events = 0;  // stop after exactly this many events (0: no limit)
  int64_t max_jobs = 0;    // stop after this many jobs (0: no limit)
  // Every job is completed (then invoiced, or invoiced and paid): the list of completed jobs
  // then holds them all, as the CSV export needs.
  bool completed_only = false;
};

struct LogStats {
  int64_t events = 0;
  int64_t jobs = 0;
  int64_t completed_jobs = 0;
};

ReportingTopics BenchTopics();

// The embedded log in `directory`, owning the four topics (6 partitions each).
std::unique_ptr<eventlog::EmbeddedLog> OpenBenchLog(const std::string& directory);

// Appends the tenant's history (see the .cc for its mix): about 10 events per job.
absl::StatusOr<LogStats> FillLog(eventlog::EventLog& log, const LogShape& shape);

// The project of the k-th project: jobs 5 × (1000 k) … 5 × (1000 k + 999), one in five jobs.
std::string ProjectId(int64_t k);

}  // namespace jobledger::reporting::bench
