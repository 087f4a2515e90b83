// Field validation of the scheduling service's requests: INVALID_ARGUMENT naming the offending
// field, before anything is loaded or written. Pure.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"

namespace jobledger::scheduling {

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxTextLength = 10'000;
inline constexpr int kMaxPingsPerBatch = 1000;
inline constexpr int kMaxBoardDays = 31;
inline constexpr int64_t kMaxDurationMinutes = 24 * 60;
// A bulk command's items take its key with "/<appointment id>" appended, so it leaves room for one.
inline constexpr size_t kMaxBulkIdempotencyKeyLength = kMaxIdempotencyKeyLength - 40;

// A user id as tokens carry it (technicians): 1..128 printable ASCII characters, no spaces.
absl::Status ValidateUserId(absl::string_view field, absl::string_view value);
absl::Status ValidateSkills(absl::string_view field,
                            const google::protobuf::RepeatedPtrField<v1::Skill>& skills);
absl::Status ValidateShifts(absl::string_view field,
                            const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts);
// start and end set and valid, start < end, at most a day apart.
absl::Status ValidateWindow(absl::string_view field, const v1::ArrivalWindow& window);
// first_day <= last_day, both valid, at most max_days days apart (inclusive count).
absl::Status ValidateDayRange(absl::string_view first_field, const common::v1::LocalDate& first,
                              absl::string_view last_field, const common::v1::LocalDate& last,
                              int max_days);

absl::Status ValidateRegisterTechnician(const v1::RegisterTechnicianRequest& request);
absl::Status ValidateUpdateTechnician(const v1::UpdateTechnicianRequest& request);
absl::Status ValidateSetTechnicianActive(const v1::SetTechnicianActiveRequest& request);
absl::Status ValidateSetShifts(const v1::SetShiftsRequest& request);
absl::Status ValidateAddTimeOff(const v1::AddTimeOffRequest& request);
absl::Status ValidateRemoveTimeOff(const v1::RemoveTimeOffRequest& request);
absl::Status ValidateCreateCrew(const v1::CreateCrewRequest& request);
absl::Status ValidateRenameCrew(const v1::RenameCrewRequest& request);
absl::Status ValidateCrewMember(const v1::CrewMemberRequest& request);
absl::Status ValidateSaveServiceZone(const v1::SaveServiceZoneRequest& request);
absl::Status ValidateRecordLocations(const v1::RecordLocationsRequest& request);

absl::Status ValidateSchedule(const v1::ScheduleAppointmentRequest& request);
absl::Status ValidateReschedule(const v1::RescheduleAppointmentRequest& request);
absl::Status ValidateReassign(const v1::ReassignAppointmentRequest& request);
absl::Status ValidateCancel(const v1::CancelAppointmentRequest& request);
absl::Status ValidateChangeDispatchState(const v1::ChangeDispatchStateRequest& request);
absl::Status ValidateBulkReassign(const v1::BulkReassignRequest& request);
absl::Status ValidateBulkReschedule(const v1::BulkRescheduleRequest& request);

absl::Status ValidateCreateAgreement(const v1::CreateAgreementRequest& request);
absl::Status ValidateEndAgreement(const v1::EndAgreementRequest& request);

}  // namespace jobledger::scheduling
