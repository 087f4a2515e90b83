// Handlers of TechnicianService, DispatchService and AgreementService.
#include "scheduling_services.h"

#include "jobledger/server/call_context.h"
#include "jobledger/server/respond.h"

namespace jobledger::scheduling {
namespace {

server::Caller CallerFor(const grpc::ServerContext* context) {
  return server::CallerOf(server::CallContext::Of(context));
}

}  // namespace

#define JL_RPC(Service, Method, Request, Reply, Call)                                    \
  grpc::Status Service::Method(Context* context, const Request* request, Reply* reply) { \
    return server::Respond(Call, reply);                                                 \
  }

JL_RPC(TechnicianService, RegisterTechnician, v1::RegisterTechnicianRequest, v1::TechnicianReply,
       commands_->RegisterTechnician(CallerFor(context), *request))
JL_RPC(TechnicianService, UpdateTechnician, v1::UpdateTechnicianRequest, v1::TechnicianReply,
       commands_->UpdateTechnician(CallerFor(context), *request))
JL_RPC(TechnicianService, SetTechnicianActive, v1::SetTechnicianActiveRequest, v1::TechnicianReply,
       commands_->SetTechnicianActive(CallerFor(context), *request))
JL_RPC(TechnicianService, SetShifts, v1::SetShiftsRequest, v1::TechnicianReply,
       commands_->SetShifts(CallerFor(context), *request))
JL_RPC(TechnicianService, AddTimeOff, v1::AddTimeOffRequest, v1::TechnicianReply,
       commands_->AddTimeOff(CallerFor(context), *request))
JL_RPC(TechnicianService, RemoveTimeOff, v1::RemoveTimeOffRequest, v1::TechnicianReply,
       commands_->RemoveTimeOff(CallerFor(context), *request))
JL_RPC(TechnicianService, GetTechnician, v1::GetTechnicianRequest, v1::Technician,
       queries_->GetTechnician(CallerFor(context), *request))
JL_RPC(TechnicianService, ListTechnicians, v1::ListTechniciansRequest, v1::ListTechniciansResponse,
       queries_->ListTechnicians(CallerFor(context), *request))
JL_RPC(TechnicianService, CreateCrew, v1::CreateCrewRequest, v1::CrewReply,
       commands_->CreateCrew(CallerFor(context), *request))
JL_RPC(TechnicianService, RenameCrew, v1::RenameCrewRequest, v1::CrewReply,
       commands_->RenameCrew(CallerFor(context), *request))
JL_RPC(TechnicianService, AddCrewMember, v1::CrewMemberRequest, v1::CrewReply,
       commands_->ChangeCrewMember(CallerFor(context), *request, true))
JL_RPC(TechnicianService, RemoveCrewMember, v1::CrewMemberRequest, v1::CrewReply,
       commands_->ChangeCrewMember(CallerFor(context), *request, false))
JL_RPC(TechnicianService, GetCrew, v1::GetCrewRequest, v1::Crew,
       queries_->GetCrew(CallerFor(context), *request))
JL_RPC(TechnicianService, ListCrews, v1::ListCrewsRequest, v1::ListCrewsResponse,
       queries_->ListCrews(CallerFor(context), *request))
JL_RPC(TechnicianService, SaveServiceZone, v1::SaveServiceZoneRequest, v1::ServiceZoneReply,
       commands_->SaveServiceZone(CallerFor(context), *request))
JL_RPC(TechnicianService, ListServiceZones, v1::ListServiceZonesRequest,
       v1::ListServiceZonesResponse, queries_->ListServiceZones(CallerFor(context), *request))
JL_RPC(TechnicianService, RecordLocations, v1::RecordLocationsRequest, v1::RecordLocationsResponse,
       commands_->RecordLocations(CallerFor(context), *request))
JL_RPC(TechnicianService, GetLiveMap, v1::GetLiveMapRequest, v1::GetLiveMapResponse,
       queries_->GetLiveMap(CallerFor(context), *request))
JL_RPC(TechnicianService, GetBreadcrumbs, v1::GetBreadcrumbsRequest, v1::GetBreadcrumbsResponse,
       queries_->GetBreadcrumbs(CallerFor(context), *request))

JL_RPC(DispatchService, ScheduleAppointment, v1::ScheduleAppointmentRequest, v1::ScheduleReply,
       commands_->Schedule(CallerFor(context), *request))
JL_RPC(DispatchService, RescheduleAppointment, v1::RescheduleAppointmentRequest, v1::ScheduleReply,
       commands_->Reschedule(CallerFor(context), *request))
JL_RPC(DispatchService, ReassignAppointment, v1::ReassignAppointmentRequest, v1::ScheduleReply,
       commands_->Reassign(CallerFor(context), *request))
JL_RPC(DispatchService, CancelAppointment, v1::CancelAppointmentRequest, v1::ScheduleReply,
       commands_->Cancel(CallerFor(context), *request))
JL_RPC(DispatchService, ChangeDispatchState, v1::ChangeDispatchStateRequest, v1::ScheduleReply,
       commands_->ChangeDispatchState(CallerFor(context), *request))
JL_RPC(DispatchService, BulkReassign, v1::BulkReassignRequest, v1::BulkResponse,
       commands_->BulkReassign(CallerFor(context), *request))
JL_RPC(DispatchService, BulkReschedule, v1::BulkRescheduleRequest, v1::BulkResponse,
       commands_->BulkReschedule(CallerFor(context), *request))
JL_RPC(DispatchService, GetJobSchedule, v1::GetJobScheduleRequest, v1::JobSchedule,
       queries_->GetJobSchedule(CallerFor(context), *request))
JL_RPC(DispatchService, ListUnassigned, v1::ListUnassignedRequest, v1::AppointmentsResponse,
       queries_->ListUnassigned(CallerFor(context), *request))
JL_RPC(DispatchService, GetTechnicianSchedule, v1::GetTechnicianScheduleRequest,
       v1::AppointmentsResponse, queries_->GetTechnicianSchedule(CallerFor(context), *request))
JL_RPC(DispatchService, GetBoard, v1::GetBoardRequest, v1::GetBoardResponse,
       queries_->GetBoard(CallerFor(context), *request))
JL_RPC(DispatchService, FindFreeSlots, v1::FindFreeSlotsRequest, v1::FindFreeSlotsResponse,
       queries_->FindFreeSlots(CallerFor(context), *request))
JL_RPC(DispatchService, SuggestTechnicians, v1::SuggestTechniciansRequest,
       v1::SuggestTechniciansResponse, queries_->SuggestTechnicians(CallerFor(context), *request))

JL_RPC(AgreementService, CreateAgreement, v1::CreateAgreementRequest, v1::AgreementReply,
       commands_->CreateAgreement(CallerFor(context), *request))
JL_RPC(AgreementService, EndAgreement, v1::EndAgreementRequest, v1::AgreementReply,
       commands_->EndAgreement(CallerFor(context), *request))
JL_RPC(AgreementService, GetAgreement, v1::GetAgreementRequest, v1::Agreement,
       queries_->GetAgreement(CallerFor(context), *request))
JL_RPC(AgreementService, ListAgreements, v1::ListAgreementsRequest, v1::ListAgreementsResponse,
       queries_->ListAgreements(CallerFor(context), *request))

#undef JL_RPC

}  // namespace jobledger::scheduling
