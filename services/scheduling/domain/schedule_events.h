// The scheduling service's aggregates' events, one variant per aggregate: what Decide returns
// and Evolve applies (see events.proto for the aggregate types).
#pragma once

#include <variant>

#include "jobledger/aggregate/event_variant.h"
#include "jobledger/scheduling/v1/events.pb.h"

namespace jobledger::scheduling {

using ScheduleEvent =
    std::variant<v1::AppointmentScheduled, v1::AppointmentRescheduled, v1::AppointmentReassigned,
                 v1::AppointmentCancelled, v1::DispatchStateChanged>;

using TechnicianEvent =
    std::variant<v1::TechnicianRegistered, v1::TechnicianUpdated, v1::TechnicianActivated,
                 v1::TechnicianDeactivated, v1::ShiftsSet, v1::TimeOffAdded, v1::TimeOffRemoved>;

using CrewEvent =
    std::variant<v1::CrewCreated, v1::CrewRenamed, v1::CrewMemberAdded, v1::CrewMemberRemoved>;

using ZoneEvent = std::variant<v1::ServiceZoneSaved>;

using AgreementEvent =
    std::variant<v1::AgreementCreated, v1::AgreementVisitCreated, v1::AgreementEnded>;

using TrackEvent = std::variant<v1::LocationsRecorded>;

// Aggregate type names, as the envelopes carry them.
inline constexpr char kScheduleAggregate[] = "job_schedule";
inline constexpr char kTechnicianAggregate[] = "technician";
inline constexpr char kCrewAggregate[] = "crew";
inline constexpr char kZoneAggregate[] = "zone";
inline constexpr char kAgreementAggregate[] = "agreement";
inline constexpr char kTrackAggregate[] = "technician_track";

}  // namespace jobledger::scheduling
