// Technicians (profile, skills, shifts, time off, active), crews, service zones and GPS pings.
// No gRPC here.
#pragma once

#include "absl/status/statusor.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::scheduling {

struct RosterCommandsOptions {
  TechnicianWriter* technicians = nullptr;
  CrewWriter* crews = nullptr;
  ZoneWriter* zones = nullptr;
  TrackWriter* tracks = nullptr;
  IdGenerator* ids = nullptr;
  absl::TimeZone zone = absl::UTCTimeZone();  // whole days of time off
};

class RosterCommands {
 public:
  explicit RosterCommands(RosterCommandsOptions options) : options_(std::move(options)) {}

  absl::StatusOr<v1::TechnicianReply> RegisterTechnician(
      const server::Caller& caller, const v1::RegisterTechnicianRequest& request);
  absl::StatusOr<v1::TechnicianReply> UpdateTechnician(const server::Caller& caller,
                                                       const v1::UpdateTechnicianRequest& request);
  absl::StatusOr<v1::TechnicianReply> SetTechnicianActive(
      const server::Caller& caller, const v1::SetTechnicianActiveRequest& request);
  absl::StatusOr<v1::TechnicianReply> SetShifts(const server::Caller& caller,
                                                const v1::SetShiftsRequest& request);
  absl::StatusOr<v1::TechnicianReply> AddTimeOff(const server::Caller& caller,
                                                 const v1::AddTimeOffRequest& request);
  absl::StatusOr<v1::TechnicianReply> RemoveTimeOff(const server::Caller& caller,
                                                    const v1::RemoveTimeOffRequest& request);

  absl::StatusOr<v1::CrewReply> CreateCrew(const server::Caller& caller,
                                           const v1::CreateCrewRequest& request);
  absl::StatusOr<v1::CrewReply> RenameCrew(const server::Caller& caller,
                                           const v1::RenameCrewRequest& request);
  absl::StatusOr<v1::CrewReply> ChangeCrewMember(const server::Caller& caller,
                                                 const v1::CrewMemberRequest& request, bool add);

  absl::StatusOr<v1::ServiceZoneReply> SaveServiceZone(const server::Caller& caller,
                                                       const v1::SaveServiceZoneRequest& request);

  absl::StatusOr<v1::RecordLocationsResponse> RecordLocations(
      const server::Caller& caller, const v1::RecordLocationsRequest& request);

 private:
  using TechnicianDecide = absl::FunctionRef<absl::StatusOr<std::vector<TechnicianEvent>>(
      const v1::Technician&, const Head&)>;
  absl::StatusOr<v1::TechnicianReply> OnTechnician(const server::Caller& caller,
                                                   const common::v1::CommandMeta& meta,
                                                   const std::string& technician_id,
                                                   TechnicianDecide decide);
  // The members must be registered technicians of the tenant.
  absl::Status CheckTechniciansExist(const std::string& tenant,
                                     const google::protobuf::RepeatedPtrField<std::string>& ids);
  // An id for a new aggregate: derived from the idempotency key when there is one, so that a
  // retried create names the same aggregate.
  std::string NewAggregateId(const server::Caller& caller, absl::string_view type,
                             const common::v1::CommandMeta& meta);

  RosterCommandsOptions options_;
};

}  // namespace jobledger::scheduling
