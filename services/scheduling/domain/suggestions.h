// Dispatcher aids over many technicians: free slots for a job, and technicians ranked for a visit.
#pragma once

#include <vector>

#include "domain/calendar.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"

namespace jobledger::scheduling {

// One technician as the aids see them: profile (skills, shifts, time off, active) and bookings
// that touch the range being searched.
struct Candidate {
  const v1::Technician* technician = nullptr;
  std::vector<Booking> bookings;
  bool in_home_zone = false;  // the job's address is in the technician's home zone
};

// Free stretches of at least `duration` within [range) of active technicians who have every
// required skill; earliest first, then technician id; at most max_slots.
std::vector<v1::FreeSlot> FindFreeSlots(
    const std::vector<Candidate>& candidates,
    const google::protobuf::RepeatedPtrField<std::string>& required_skills, TimeRange range,
    absl::Duration duration, int max_slots, absl::TimeZone zone);

// Active technicians ranked for a visit occupying `want`. Score in [0, 1]:
//   0.5 × skills match (share of required skills held; 1 when none are required)
// + 0.3 × available (no conflict for the whole visit)
// + 0.1 × lightness of the load (1 − booked minutes of want's local day / 480, floored at 0)
// + 0.1 × in home zone.
// Ties: higher skill_level_sum, then name, then id. At most max_results.
std::vector<v1::TechnicianSuggestion> RankTechnicians(
    const std::vector<Candidate>& candidates,
    const google::protobuf::RepeatedPtrField<std::string>& required_skills, TimeRange want,
    int max_results, absl::TimeZone zone);

}  // namespace jobledger::scheduling
