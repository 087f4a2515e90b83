// The dispatch board's lists and counts: jobs by status, scheduled or completed or unassigned on a
// day, overdue, on hold, deferred, awaiting billing and awaiting payment; and any of them as CSV.
// Technicians see only the jobs they are assigned to (directly or through a crew).
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "jobledger/common/clock.h"
#include "jobledger/projection/runner.h"
#include "jobledger/reporting/v1/reporting_service.pb.h"
#include "jobledger/reporting/v1/rows.pb.h"
#include "jobledger/server/caller.h"

namespace jobledger::reporting {

struct DispatchViewsOptions {
  const projection::ProjectionRunner* projection = nullptr;
  absl::TimeZone zone = absl::UTCTimeZone();
  const Clock* clock = &SystemClock();
  absl::Duration max_wait = absl::Seconds(5);
  int max_examined = 5'000;  // rows a technician's page looks through before it returns
};

class DispatchViews {
 public:
  explicit DispatchViews(DispatchViewsOptions options) : options_(options) {}

  absl::StatusOr<v1::ListJobsResponse> ListJobs(const server::Caller& caller,
                                                const v1::ListJobsRequest& request) const;
  absl::StatusOr<v1::DispatchCounts> Counts(const server::Caller& caller,
                                            const v1::DispatchCountsRequest& request) const;
  // The list as CSV: a header row, then a row per job, handed to `write` in chunks of about
  // 64 KiB (false from `write`: the client is gone; stop).
  absl::Status ExportCsv(const server::Caller& caller, const v1::ListJobsRequest& request,
                         const std::function<bool(std::string&)>& write) const;

 private:
  // A view as an index to scan, the prefix of its entries and the rows it keeps.
  struct Selection {
    std::string index;
    std::string prefix;
    std::function<bool(const v1::JobViewRow&)> keep;
  };
  absl::StatusOr<Selection> Select(const server::Caller& caller,
                                   const v1::ListJobsRequest& request) const;
  common::v1::LocalDate DayOf(const common::v1::LocalDate& requested) const;

  DispatchViewsOptions options_;
};

}  // namespace jobledger::reporting
