// Technicians, crews, zones and GPS pings through their writers.
#include "roster_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/decide.h"
#include "domain/validate.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::scheduling {
namespace {

using aggregate::FillCommandResult;
using server::Caller;

v1::TechnicianReply TechnicianReplyOf(const aggregate::Outcome<v1::Technician>& outcome) {
  v1::TechnicianReply reply;
  FillCommandResult(outcome.state.technician_id(), outcome.version, outcome.position,
                    outcome.replayed, reply.mutable_result());
  *reply.mutable_technician() = outcome.state;
  return reply;
}

v1::CrewReply CrewReplyOf(const aggregate::Outcome<v1::Crew>& outcome) {
  v1::CrewReply reply;
  FillCommandResult(outcome.state.crew_id(), outcome.version, outcome.position, outcome.replayed,
                    reply.mutable_result());
  *reply.mutable_crew() = outcome.state;
  return reply;
}

}  // namespace

std::string RosterCommands::NewAggregateId(const Caller& caller, absl::string_view type,
                                           const common::v1::CommandMeta& meta) {
  if (meta.idempotency_key().empty()) return options_.ids->NewId().ToString();
  return aggregate::DerivedAggregateId(caller.tenant, type, meta.idempotency_key()).ToString();
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::OnTechnician(
    const Caller& caller, const common::v1::CommandMeta& meta, const std::string& technician_id,
    TechnicianDecide decide) {
  auto outcome =
      options_.technicians->Execute(options_.technicians->Key(caller.tenant, technician_id),
                                    server::CommandMetaOf(caller, meta), decide);
  if (!outcome.ok()) return outcome.status();
  return TechnicianReplyOf(*outcome);
}

absl::Status RosterCommands::CheckTechniciansExist(
    const std::string& tenant, const google::protobuf::RepeatedPtrField<std::string>& ids) {
  for (const std::string& id : ids) {
    auto technician = options_.technicians->Read(options_.technicians->Key(tenant, id));
    if (!technician.ok()) return technician.status();
    if (technician->second.version == 0) {
      return absl::NotFoundError(absl::StrCat("technician ", id, " not found"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::RegisterTechnician(
    const Caller& caller, const v1::RegisterTechnicianRequest& request) {
  if (absl::Status s = ValidateRegisterTechnician(request); !s.ok()) return s;
  const std::string id = request.technician_id().empty()
                             ? NewAggregateId(caller, kTechnicianAggregate, request.meta())
                             : request.technician_id();
  return OnTechnician(caller, request.meta(), id, [&](const v1::Technician&, const Head& head) {
    return DecideRegisterTechnician(head, id, request);
  });
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::UpdateTechnician(
    const Caller& caller, const v1::UpdateTechnicianRequest& request) {
  if (absl::Status s = ValidateUpdateTechnician(request); !s.ok()) return s;
  return OnTechnician(caller, request.meta(), request.technician_id(),
                      [&](const v1::Technician& technician, const Head& head) {
                        return DecideUpdateTechnician(technician, head, request);
                      });
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::SetTechnicianActive(
    const Caller& caller, const v1::SetTechnicianActiveRequest& request) {
  if (absl::Status s = ValidateSetTechnicianActive(request); !s.ok()) return s;
  return OnTechnician(caller, request.meta(), request.technician_id(),
                      [&](const v1::Technician& technician, const Head& head) {
                        return DecideSetActive(technician, head, request.active(),
                                               request.reason());
                      });
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::SetShifts(const Caller& caller,
                                                              const v1::SetShiftsRequest& request) {
  if (absl::Status s = ValidateSetShifts(request); !s.ok()) return s;
  return OnTechnician(caller, request.meta(), request.technician_id(),
                      [&](const v1::Technician& technician, const Head& head) {
                        return DecideSetShifts(technician, head, request.shifts());
                      });
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::AddTimeOff(
    const Caller& caller, const v1::AddTimeOffRequest& request) {
  if (absl::Status s = ValidateAddTimeOff(request); !s.ok()) return s;
  v1::TimeOff time_off;
  time_off.set_time_off_id(NewAggregateId(caller, "time_off", request.meta()));
  time_off.set_reason(request.reason());
  if (request.has_start()) {
    *time_off.mutable_start() = request.start();
    *time_off.mutable_end() = request.end();
  } else {
    // Whole local days: from the first day's midnight to the midnight after the last.
    *time_off.mutable_first_day() = request.first_day();
    *time_off.mutable_last_day() = request.last_day();
    *time_off.mutable_start() =
        ProtoFromTime(LocalDayRange(*LocalDateFromProto(request.first_day()), options_.zone).start);
    *time_off.mutable_end() =
        ProtoFromTime(LocalDayRange(*LocalDateFromProto(request.last_day()), options_.zone).end);
  }
  return OnTechnician(caller, request.meta(), request.technician_id(),
                      [&](const v1::Technician& technician, const Head& head) {
                        return DecideAddTimeOff(technician, head, time_off);
                      });
}

absl::StatusOr<v1::TechnicianReply> RosterCommands::RemoveTimeOff(
    const Caller& caller, const v1::RemoveTimeOffRequest& request) {
  if (absl::Status s = ValidateRemoveTimeOff(request); !s.ok()) return s;
  return OnTechnician(caller, request.meta(), request.technician_id(),
                      [&](const v1::Technician& technician, const Head& head) {
                        return DecideRemoveTimeOff(technician, head, request.time_off_id());
                      });
}

absl::StatusOr<v1::CrewReply> RosterCommands::CreateCrew(const Caller& caller,
                                                         const v1::CreateCrewRequest& request) {
  if (absl::Status s = ValidateCreateCrew(request); !s.ok()) return s;
  if (absl::Status s = CheckTechniciansExist(caller.tenant, request.member_ids()); !s.ok()) {
    return s;
  }
  const std::string id = NewAggregateId(caller, kCrewAggregate, request.meta());
  auto outcome = options_.crews->Execute(
      options_.crews->Key(caller.tenant, id), server::CommandMetaOf(caller, request.meta()),
      [&](const v1::Crew&, const Head& head) {
        return DecideCreateCrew(head, id, request.name(),
                                {request.member_ids().begin(), request.member_ids().end()});
      });
  if (!outcome.ok()) return outcome.status();
  return CrewReplyOf(*outcome);
}

absl::StatusOr<v1::CrewReply> RosterCommands::RenameCrew(const Caller& caller,
                                                         const v1::RenameCrewRequest& request) {
  if (absl::Status s = ValidateRenameCrew(request); !s.ok()) return s;
  auto outcome = options_.crews->Execute(options_.crews->Key(caller.tenant, request.crew_id()),
                                         server::CommandMetaOf(caller, request.meta()),
                                         [&](const v1::Crew& crew, const Head& head) {
                                           return DecideRenameCrew(crew, head, request.name());
                                         });
  if (!outcome.ok()) return outcome.status();
  return CrewReplyOf(*outcome);
}

absl::StatusOr<v1::CrewReply> RosterCommands::ChangeCrewMember(const Caller& caller,
                                                               const v1::CrewMemberRequest& request,
                                                               bool add) {
  if (absl::Status s = ValidateCrewMember(request); !s.ok()) return s;
  if (add) {
    google::protobuf::RepeatedPtrField<std::string> ids;
    ids.Add(std::string(request.technician_id()));
    if (absl::Status s = CheckTechniciansExist(caller.tenant, ids); !s.ok()) return s;
  }
  auto outcome = options_.crews->Execute(
      options_.crews->Key(caller.tenant, request.crew_id()),
      server::CommandMetaOf(caller, request.meta()), [&](const v1::Crew& crew, const Head& head) {
        return DecideCrewMember(crew, head, request.technician_id(), add);
      });
  if (!outcome.ok()) return outcome.status();
  return CrewReplyOf(*outcome);
}

absl::StatusOr<v1::ServiceZoneReply> RosterCommands::SaveServiceZone(
    const Caller& caller, const v1::SaveServiceZoneRequest& request) {
  if (absl::Status s = ValidateSaveServiceZone(request); !s.ok()) return s;
  const std::string id = request.zone_id().empty()
                             ? NewAggregateId(caller, kZoneAggregate, request.meta())
                             : request.zone_id();
  auto outcome = options_.zones->Execute(
      options_.zones->Key(caller.tenant, id), server::CommandMetaOf(caller, request.meta()),
      [&](const v1::ServiceZone& zone, const Head& head) -> absl::StatusOr<std::vector<ZoneEvent>> {
        if (!request.zone_id().empty() && head.version == 0) {
          return absl::NotFoundError(absl::StrCat("zone ", id, " not found"));
        }
        return DecideSaveZone(zone, id, request.name(),
                              {request.postal_codes().begin(), request.postal_codes().end()});
      });
  if (!outcome.ok()) return outcome.status();
  v1::ServiceZoneReply reply;
  FillCommandResult(id, outcome->version, outcome->position, outcome->replayed,
                    reply.mutable_result());
  *reply.mutable_zone() = outcome->state;
  return reply;
}

absl::StatusOr<v1::RecordLocationsResponse> RosterCommands::RecordLocations(
    const Caller& caller, const v1::RecordLocationsRequest& request) {
  if (absl::Status s = ValidateRecordLocations(request); !s.ok()) return s;
  const std::string technician =
      request.technician_id().empty() ? caller.user_id : request.technician_id();
  if (!caller.sees_everything() && technician != caller.user_id) {
    return absl::PermissionDeniedError("technician_id: technicians record their own locations");
  }
  auto outcome = options_.tracks->Execute(
      options_.tracks->Key(caller.tenant, technician),
      server::CommandMetaOf(caller, request.meta()), [&](const v1::TrackState&, const Head&) {
        return DecideRecordLocations(technician, request.pings());
      });
  if (!outcome.ok()) return outcome.status();
  v1::RecordLocationsResponse response;
  FillCommandResult(technician, outcome->version, outcome->position, outcome->replayed,
                    response.mutable_result());
  response.set_accepted(request.pings().size());
  return response;
}

}  // namespace jobledger::scheduling
