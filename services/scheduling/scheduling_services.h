// The gRPC handlers of the scheduling service's three APIs: translate, delegate, translate back.
#pragma once

#include "agreement_commands.h"
#include "appointment_commands.h"
#include "jobledger/scheduling/v1/scheduling_service.grpc.pb.h"
#include "roster_commands.h"
#include "scheduling_queries.h"

namespace jobledger::scheduling {

using Context = grpc::ServerContext;

class TechnicianService final : public v1::TechnicianService::Service {
 public:
  TechnicianService(RosterCommands* commands, const SchedulingQueries* queries)
      : commands_(commands), queries_(queries) {}

  grpc::Status RegisterTechnician(Context*, const v1::RegisterTechnicianRequest*,
                                  v1::TechnicianReply*) override;
  grpc::Status UpdateTechnician(Context*, const v1::UpdateTechnicianRequest*,
                                v1::TechnicianReply*) override;
  grpc::Status SetTechnicianActive(Context*, const v1::SetTechnicianActiveRequest*,
                                   v1::TechnicianReply*) override;
  grpc::Status SetShifts(Context*, const v1::SetShiftsRequest*, v1::TechnicianReply*) override;
  grpc::Status AddTimeOff(Context*, const v1::AddTimeOffRequest*, v1::TechnicianReply*) override;
  grpc::Status RemoveTimeOff(Context*, const v1::RemoveTimeOffRequest*,
                             v1::TechnicianReply*) override;
  grpc::Status GetTechnician(Context*, const v1::GetTechnicianRequest*, v1::Technician*) override;
  grpc::Status ListTechnicians(Context*, const v1::ListTechniciansRequest*,
                               v1::ListTechniciansResponse*) override;
  grpc::Status CreateCrew(Context*, const v1::CreateCrewRequest*, v1::CrewReply*) override;
  grpc::Status RenameCrew(Context*, const v1::RenameCrewRequest*, v1::CrewReply*) override;
  grpc::Status AddCrewMember(Context*, const v1::CrewMemberRequest*, v1::CrewReply*) override;
  grpc::Status RemoveCrewMember(Context*, const v1::CrewMemberRequest*, v1::CrewReply*) override;
  grpc::Status GetCrew(Context*, const v1::GetCrewRequest*, v1::Crew*) override;
  grpc::Status ListCrews(Context*, const v1::ListCrewsRequest*, v1::ListCrewsResponse*) override;
  grpc::Status SaveServiceZone(Context*, const v1::SaveServiceZoneRequest*,
                               v1::ServiceZoneReply*) override;
  grpc::Status ListServiceZones(Context*, const v1::ListServiceZonesRequest*,
                                v1::ListServiceZonesResponse*) override;
  grpc::Status RecordLocations(Context*, const v1::RecordLocationsRequest*,
                               v1::RecordLocationsResponse*) override;
  grpc::Status GetLiveMap(Context*, const v1::GetLiveMapRequest*, v1::GetLiveMapResponse*) override;
  grpc::Status GetBreadcrumbs(Context*, const v1::GetBreadcrumbsRequest*,
                              v1::GetBreadcrumbsResponse*) override;

 private:
  RosterCommands* commands_;
  const SchedulingQueries* queries_;
};

class DispatchService final : public v1::DispatchService::Service {
 public:
  DispatchService(AppointmentCommands* commands, const SchedulingQueries* queries)
      : commands_(commands), queries_(queries) {}

  grpc::Status ScheduleAppointment(Context*, const v1::ScheduleAppointmentRequest*,
                                   v1::ScheduleReply*) override;
  grpc::Status RescheduleAppointment(Context*, const v1::RescheduleAppointmentRequest*,
                                     v1::ScheduleReply*) override;
  grpc::Status ReassignAppointment(Context*, const v1::ReassignAppointmentRequest*,
                                   v1::ScheduleReply*) override;
  grpc::Status CancelAppointment(Context*, const v1::CancelAppointmentRequest*,
                                 v1::ScheduleReply*) override;
  grpc::Status ChangeDispatchState(Context*, const v1::ChangeDispatchStateRequest*,
                                   v1::ScheduleReply*) override;
  grpc::Status BulkReassign(Context*, const v1::BulkReassignRequest*, v1::BulkResponse*) override;
  grpc::Status BulkReschedule(Context*, const v1::BulkRescheduleRequest*,
                              v1::BulkResponse*) override;
  grpc::Status GetJobSchedule(Context*, const v1::GetJobScheduleRequest*,
                              v1::JobSchedule*) override;
  grpc::Status ListUnassigned(Context*, const v1::ListUnassignedRequest*,
                              v1::AppointmentsResponse*) override;
  grpc::Status GetTechnicianSchedule(Context*, const v1::GetTechnicianScheduleRequest*,
                                     v1::AppointmentsResponse*) override;
  grpc::Status GetBoard(Context*, const v1::GetBoardRequest*, v1::GetBoardResponse*) override;
  grpc::Status FindFreeSlots(Context*, const v1::FindFreeSlotsRequest*,
                             v1::FindFreeSlotsResponse*) override;
  grpc::Status SuggestTechnicians(Context*, const v1::SuggestTechniciansRequest*,
                                  v1::SuggestTechniciansResponse*) override;

 private:
  AppointmentCommands* commands_;
  const SchedulingQueries* queries_;
};

class AgreementService final : public v1::AgreementService::Service {
 public:
  AgreementService(AgreementCommands* commands, const SchedulingQueries* queries)
      : commands_(commands), queries_(queries) {}

  grpc::Status CreateAgreement(Context*, const v1::CreateAgreementRequest*,
                               v1::AgreementReply*) override;
  grpc::Status EndAgreement(Context*, const v1::EndAgreementRequest*, v1::AgreementReply*) override;
  grpc::Status GetAgreement(Context*, const v1::GetAgreementRequest*, v1::Agreement*) override;
  grpc::Status ListAgreements(Context*, const v1::ListAgreementsRequest*,
                              v1::ListAgreementsResponse*) override;

 private:
  AgreementCommands* commands_;
  const SchedulingQueries* queries_;
};

}  // namespace jobledger::scheduling
