// Technicians' time: when a visit occupies them, when they are on shift, what conflicts with a
// booking, and where free time is. Pure functions over plain data; the tenant's time zone is an
// argument (shifts are local wall-clock periods, DST-aware through absl).
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "jobledger/common/local_time.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::scheduling {

// [window.start, max(window.end, window.start + duration)): the arrival window, or longer when the
// work outlasts it. Back-to-back visits (one ends when the next starts) do not overlap.
TimeRange OccupiedRange(absl::Time window_start, absl::Time window_end, absl::Duration duration);
TimeRange OccupiedRange(const v1::Appointment& appointment);

// Everyone who goes on the visit: direct technicians and crew members, sorted, unique.
std::vector<std::string> PeopleOf(const v1::Appointment& appointment);

// A booking that already holds a technician's time.
struct Booking {
  std::string appointment_id;
  std::string job_id;
  TimeRange range;
};

// What stands in the way of booking a technician for a range.
struct Conflict {
  enum class Kind { kInactive, kAppointment, kTimeOff, kOffShift };
  Kind kind;
  std::string technician_id;
  std::string id;      // the appointment or time off; empty for kOffShift / kInactive
  std::string job_id;  // the conflicting appointment's job
  TimeRange range;     // the conflicting stretch (for kOffShift: the part of the visit off shift)
  // Human-readable, names the technician and the conflicting appointment / time off, e.g.
  // "technician t1 is booked 09:00–11:00 for appointment a7 (job j3)" (times in the zone).
  std::string message;
};

// The absolute stretches of [range) the weekly shift pattern covers, sorted and merged (adjacent
// periods join; a period past midnight continues into the next day). No periods at all: the whole
// range (no shift restriction). Local times resolve through AtLocalTime (DST gaps and folds).
std::vector<TimeRange> OnShift(const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts,
                               TimeRange range, absl::TimeZone zone);

// Every reason `technician` cannot take [want): inactive, time off overlapping, bookings
// overlapping (ignoring `ignore_appointment_id`, the visit being moved), and the parts of `want`
// off shift. Empty: free. Sorted by start; bookings need not be sorted.
std::vector<Conflict> ConflictsFor(const v1::Technician& technician,
                                   const std::vector<Booking>& bookings, TimeRange want,
                                   absl::string_view ignore_appointment_id, absl::TimeZone zone);

// Free stretches of at least `min_length` inside [range): on shift, not on time off, not booked.
// Sorted by start.
std::vector<TimeRange> FreeRanges(const v1::Technician& technician,
                                  const std::vector<Booking>& bookings, TimeRange range,
                                  absl::Duration min_length, absl::TimeZone zone);

// True when the technician has every skill in `required` (any level).
bool HasSkills(const v1::Technician& technician,
               const google::protobuf::RepeatedPtrField<std::string>& required);

}  // namespace jobledger::scheduling
