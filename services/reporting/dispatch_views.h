// The dispatch board's lists and counts: jobs by status, scheduled or completed or unassigned on a
// day, overdue, on hold, deferred, awaiting billing and awaiting payment; and any of them as CSV.
// Technicians see only the jobs they are assigned to (directly or through a crew). Any of them as
// the board was at a past instant (`as_of`): the same code over a snapshot of the projection.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "board_snapshots.h"
#include "jobledger/common/clock.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/table.h"
#include "jobledger/reporting/v1/reporting_service.pb.h"
#include "jobledger/reporting/v1/rows.pb.h"
#include "jobledger/server/caller.h"

namespace jobledger::reporting {

struct DispatchViewsOptions {
  const projection::ProjectionRunner* projection = nullptr;
  absl::TimeZone zone = absl::UTCTimeZone();
  const Clock* clock = &SystemClock();
  absl::Duration max_wait = absl::Seconds(5);
  int max_examined = 5'000;             // rows a technician's page looks through before it returns
  BoardSnapshots* snapshots = nullptr;  // past boards (nullptr: `as_of` is refused)
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
    std::function<bool(const v1::BoardRow&)> keep;
  };
  using Store = std::shared_ptr<const projection::ProjectionStore>;

  // The instant the board is seen at: `as_of` (checked: not in the future), else the clock's now.
  absl::StatusOr<absl::Time> BoardInstant(const google::protobuf::Timestamp* as_of) const;
  // The store holding the board at `instant`: a snapshot for `as_of`, else the live projection
  // once it has applied `min_position` (a snapshot reads the durable log: nothing to wait for).
  absl::StatusOr<Store> BoardAt(const server::Caller& caller,
                                const google::protobuf::Timestamp* as_of, absl::Time instant,
                                const common::v1::LogPosition& min_position,
                                absl::string_view what) const;
  // `now` decides "today" and "overdue".
  absl::StatusOr<Selection> Select(const server::Caller& caller, const v1::ListJobsRequest& request,
                                   absl::Time now) const;
  absl::StatusOr<projection::Page<v1::BoardRow>> BoardPage(const projection::StateReader& state,
                                                           const Selection& selection,
                                                           const std::string& page_token,
                                                           int page_size) const;
  // A page of the list with the customers' names.
  absl::StatusOr<v1::ListJobsResponse> Page(const server::Caller& caller,
                                            const projection::StateReader& state,
                                            const Selection& selection,
                                            const std::string& page_token, int page_size) const;
  common::v1::LocalDate DayOf(const common::v1::LocalDate& requested, absl::Time now) const;

  DispatchViewsOptions options_;
};

}  // namespace jobledger::reporting
