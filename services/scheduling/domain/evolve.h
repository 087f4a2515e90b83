// Evolve: each scheduling aggregate's state after an event. Pure, and the only code that turns
// events into state: the command path (after the append) and the projection (replay) share it.
// An error means the event does not fit the state (a bug or a corrupt log).
#pragma once

#include "absl/status/status.h"
#include "domain/schedule_events.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/scheduling/v1/rows.pb.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::scheduling {

absl::Status EvolveSchedule(v1::JobSchedule& schedule, const events::v1::Envelope& envelope,
                            const ScheduleEvent& event);
absl::Status EvolveTechnician(v1::Technician& technician, const events::v1::Envelope& envelope,
                              const TechnicianEvent& event);
absl::Status EvolveCrew(v1::Crew& crew, const events::v1::Envelope& envelope,
                        const CrewEvent& event);
absl::Status EvolveZone(v1::ServiceZone& zone, const events::v1::Envelope& envelope,
                        const ZoneEvent& event);
absl::Status EvolveAgreement(v1::Agreement& agreement, const events::v1::Envelope& envelope,
                             const AgreementEvent& event);
absl::Status EvolveTrack(v1::TrackState& track, const events::v1::Envelope& envelope,
                         const TrackEvent& event);

// The appointment with this id, or nullptr.
const v1::Appointment* FindAppointment(const v1::JobSchedule& schedule, absl::string_view id);

}  // namespace jobledger::scheduling
