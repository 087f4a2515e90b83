// The scheduling service's queries: technicians, crews, zones, job schedules, the dispatch board,
// free slots and suggestions, the live map, breadcrumbs and agreements. Every one stays within the
// caller's tenant and applies the visibility rule (ARCHITECTURE.md §8). No gRPC here.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/scheduling/v1/rows.pb.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"
#include "jobledger/server/caller.h"
#include "read_cache.h"

namespace jobledger::scheduling {

struct SchedulingQueriesOptions {
  const projection::ProjectionRunner* projection = nullptr;
  const Clock* clock = &SystemClock();
  // The tenant's time zone: local days, shifts and "today".
  absl::TimeZone zone = absl::UTCTimeZone();
  // The most a query waits for min_position, whatever the caller's deadline.
  absl::Duration max_wait = absl::Seconds(5);
  // The job topic, read to its end before a job is called unknown (created a moment ago).
  eventlog::EventLog* log = nullptr;
  std::string job_topic;
  // The most the parsed technicians and calendar days of the office views may take (ReadCache).
  size_t read_cache_bytes = ReadCache::kDefaultMaxBytes;
};

// Technicians may read only their own record, schedule and breadcrumbs (an empty technician_id
// means the caller), and the schedules of jobs they go on; anything else of theirs is NOT_FOUND.
// The office views (lists, board, free slots, suggestions, live map, crews, zones, agreements)
// refuse them with PERMISSION_DENIED.
class SchedulingQueries {
 public:
  explicit SchedulingQueries(SchedulingQueriesOptions options)
      : options_(std::move(options)),
        cache_(std::make_unique<ReadCache>(options_.read_cache_bytes)) {}

  absl::StatusOr<v1::Technician> GetTechnician(const server::Caller& caller,
                                               const v1::GetTechnicianRequest& request) const;
  absl::StatusOr<v1::ListTechniciansResponse> ListTechnicians(
      const server::Caller& caller, const v1::ListTechniciansRequest& request) const;
  absl::StatusOr<v1::Crew> GetCrew(const server::Caller& caller,
                                   const v1::GetCrewRequest& request) const;
  absl::StatusOr<v1::ListCrewsResponse> ListCrews(const server::Caller& caller,
                                                  const v1::ListCrewsRequest& request) const;
  absl::StatusOr<v1::ListServiceZonesResponse> ListServiceZones(
      const server::Caller& caller, const v1::ListServiceZonesRequest& request) const;

  absl::StatusOr<v1::JobSchedule> GetJobSchedule(const server::Caller& caller,
                                                 const v1::GetJobScheduleRequest& request) const;
  absl::StatusOr<v1::AppointmentsResponse> ListUnassigned(
      const server::Caller& caller, const v1::ListUnassignedRequest& request) const;
  absl::StatusOr<v1::AppointmentsResponse> GetTechnicianSchedule(
      const server::Caller& caller, const v1::GetTechnicianScheduleRequest& request) const;
  absl::StatusOr<v1::GetBoardResponse> GetBoard(const server::Caller& caller,
                                                const v1::GetBoardRequest& request) const;
  absl::StatusOr<v1::FindFreeSlotsResponse> FindFreeSlots(
      const server::Caller& caller, const v1::FindFreeSlotsRequest& request) const;
  absl::StatusOr<v1::SuggestTechniciansResponse> SuggestTechnicians(
      const server::Caller& caller, const v1::SuggestTechniciansRequest& request) const;

  absl::StatusOr<v1::GetLiveMapResponse> GetLiveMap(const server::Caller& caller,
                                                    const v1::GetLiveMapRequest& request) const;
  absl::StatusOr<v1::GetBreadcrumbsResponse> GetBreadcrumbs(
      const server::Caller& caller, const v1::GetBreadcrumbsRequest& request) const;

  absl::StatusOr<v1::Agreement> GetAgreement(const server::Caller& caller,
                                             const v1::GetAgreementRequest& request) const;
  absl::StatusOr<v1::ListAgreementsResponse> ListAgreements(
      const server::Caller& caller, const v1::ListAgreementsRequest& request) const;

  // Waits, bounded, until the projection has applied `position` (read-your-writes).
  [[nodiscard]] absl::Status WaitForPosition(const server::Caller& caller,
                                             const common::v1::LogPosition& position) const;

 private:
  absl::CivilDay Today() const;
  // What the projection knows of a job (NOT_FOUND when the job topic has no such job).
  absl::StatusOr<v1::JobInfo> JobOf(const server::Caller& caller, const std::string& job_id) const;

  SchedulingQueriesOptions options_;
  // Shared by the queries' threads; locks itself.
  std::unique_ptr<ReadCache> cache_;
};

}  // namespace jobledger::scheduling
