// The money and time reports: Time & Materials, project, revenue (its three definitions side by
// side) and technician utilization, computed from the read model's copies by the pure domain
// functions. For the office: technicians have no access to these.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "jobledger/common/clock.h"
#include "jobledger/projection/runner.h"
#include "jobledger/reporting/v1/reporting_service.pb.h"
#include "jobledger/server/caller.h"

namespace jobledger::reporting {

struct ReportQueriesOptions {
  const projection::ProjectionRunner* projection = nullptr;
  absl::TimeZone zone = absl::UTCTimeZone();
  const Clock* clock = &SystemClock();
  absl::Duration max_wait = absl::Seconds(5);
};

class ReportQueries {
 public:
  explicit ReportQueries(ReportQueriesOptions options) : options_(options) {}

  absl::StatusOr<v1::TimeAndMaterialsReport> TimeAndMaterials(
      const server::Caller& caller, const v1::TimeAndMaterialsRequest& request) const;
  absl::StatusOr<v1::ProjectReport> Project(const server::Caller& caller,
                                            const v1::ProjectReportRequest& request) const;
  absl::StatusOr<v1::RevenueReport> Revenue(const server::Caller& caller,
                                            const v1::RevenueRequest& request) const;
  absl::StatusOr<v1::UtilizationResponse> Utilization(const server::Caller& caller,
                                                      const v1::UtilizationRequest& request) const;
  // The T&M report as CSV: one row per labour, item and expense line, then the totals.
  absl::Status ExportTimeAndMaterialsCsv(const server::Caller& caller,
                                         const v1::TimeAndMaterialsRequest& request,
                                         const std::function<bool(std::string&)>& write) const;

 private:
  ReportQueriesOptions options_;
};

}  // namespace jobledger::reporting
