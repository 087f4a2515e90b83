// Technicians' time: occupied ranges, weekly shifts, conflicts and free time.
#include "domain/calendar.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::scheduling {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

TimeRange Clip(TimeRange range, TimeRange to) {
  return {std::max(range.start, to.start), std::min(range.end, to.end)};
}

// Half-open: ranges that only touch (or are empty) do not overlap.
bool Overlaps(TimeRange a, TimeRange b) {
  const TimeRange common = Clip(a, b);
  return common.start < common.end;
}

// Sorted by start, overlapping or touching ranges joined, empty ones dropped.
std::vector<TimeRange> Merged(std::vector<TimeRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.start < b.start; });
  std::vector<TimeRange> merged;
  for (const TimeRange& range : ranges) {
    if (range.start >= range.end) continue;
    if (!merged.empty() && range.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, range.end);
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

// The parts of `pieces` that no hole covers; both sorted and merged. One sweep: the first
// candidate hole only moves forward.
std::vector<TimeRange> Subtract(const std::vector<TimeRange>& pieces,
                                const std::vector<TimeRange>& holes) {
  std::vector<TimeRange> left;
  size_t first_hole = 0;
  for (const TimeRange& piece : pieces) {
    while (first_hole < holes.size() && holes[first_hole].end <= piece.start) ++first_hole;
    absl::Time cursor = piece.start;
    for (size_t h = first_hole; h < holes.size() && holes[h].start < piece.end; ++h) {
      if (cursor < holes[h].start) left.push_back({cursor, holes[h].start});
      cursor = std::max(cursor, holes[h].end);
    }
    if (cursor < piece.end) left.push_back({cursor, piece.end});
  }
  return left;
}

// 1 = Monday .. 7 = Sunday, as ShiftPeriod counts them (absl counts Monday as 0).
int WeekdayNumber(absl::CivilDay day) { return static_cast<int>(absl::GetWeekday(day)) + 1; }

// The absolute span of `shift` worked on local `day`.
TimeRange PeriodOn(absl::CivilDay day, const v1::ShiftPeriod& shift, absl::TimeZone zone) {
  const absl::CivilMinute midnight(day);
  const int end_minute = shift.end_minute() <= shift.start_minute()
                             ? shift.end_minute() + kMinutesPerDay
                             : shift.end_minute();
  return {AtLocalTime(absl::CivilSecond(midnight + shift.start_minute()), zone),
          AtLocalTime(absl::CivilSecond(midnight + end_minute), zone)};
}

TimeRange TimeOffRange(const v1::TimeOff& time_off) {
  return {TimeFromProto(time_off.start()), TimeFromProto(time_off.end())};
}

// "2026-03-08 09:00–11:00", or with both dates when the range crosses local midnight.
std::string FormatRange(TimeRange range, absl::TimeZone zone) {
  const bool same_day = LocalDay(range.start, zone) == LocalDay(range.end, zone);
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", range.start, zone), "–",
                      absl::FormatTime(same_day ? "%H:%M" : "%Y-%m-%d %H:%M", range.end, zone));
}

Conflict InactiveConflict(const std::string& technician_id, TimeRange want) {
  return {Conflict::Kind::kInactive,
          technician_id,
          "",
          "",
          want,
          absl::StrCat("technician ", technician_id, " is inactive")};
}

Conflict TimeOffConflict(const std::string& technician_id, const v1::TimeOff& time_off,
                         absl::TimeZone zone) {
  const TimeRange range = TimeOffRange(time_off);
  std::string message = absl::StrCat("technician ", technician_id, " has time off ",
                                     time_off.time_off_id(), " ", FormatRange(range, zone));
  if (!time_off.reason().empty()) absl::StrAppend(&message, " (", time_off.reason(), ")");
  return {Conflict::Kind::kTimeOff, technician_id, time_off.time_off_id(), "", range,
          std::move(message)};
}

Conflict BookingConflict(const std::string& technician_id, const Booking& booking,
                         absl::TimeZone zone) {
  return {
      Conflict::Kind::kAppointment,
      technician_id,
      booking.appointment_id,
      booking.job_id,
      booking.range,
      absl::StrCat("technician ", technician_id, " is booked ", FormatRange(booking.range, zone),
                   " for appointment ", booking.appointment_id, " (job ", booking.job_id, ")")};
}

Conflict OffShiftConflict(const std::string& technician_id, TimeRange stretch,
                          absl::TimeZone zone) {
  return {Conflict::Kind::kOffShift,
          technician_id,
          "",
          "",
          stretch,
          absl::StrCat("technician ", technician_id, " is off shift ", FormatRange(stretch, zone))};
}

}  // namespace

TimeRange OccupiedRange(absl::Time window_start, absl::Time window_end, absl::Duration duration) {
  return {window_start, std::max(window_end, window_start + duration)};
}

TimeRange OccupiedRange(const v1::Appointment& appointment) {
  return OccupiedRange(TimeFromProto(appointment.window().start()),
                       TimeFromProto(appointment.window().end()),
                       absl::Minutes(appointment.duration_minutes()));
}

std::vector<std::string> PeopleOf(const v1::Appointment& appointment) {
  std::vector<std::string> people(appointment.technician_ids().begin(),
                                  appointment.technician_ids().end());
  people.insert(people.end(), appointment.crew_member_ids().begin(),
                appointment.crew_member_ids().end());
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  return people;
}

std::vector<TimeRange> OnShift(const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts,
                               TimeRange range, absl::TimeZone zone) {
  if (range.start >= range.end) return {};
  if (shifts.empty()) return {range};
  std::vector<TimeRange> periods;
  // A period past midnight on the day before the range still covers the range's early hours.
  const absl::CivilDay last = LocalDay(range.end, zone);
  for (absl::CivilDay day = LocalDay(range.start, zone) - 1; day <= last; ++day) {
    const int weekday = WeekdayNumber(day);
    for (const v1::ShiftPeriod& shift : shifts) {
      if (shift.weekday() != weekday) continue;
      periods.push_back(Clip(PeriodOn(day, shift, zone), range));
    }
  }
  return Merged(std::move(periods));
}

std::vector<Conflict> ConflictsFor(const v1::Technician& technician,
                                   const std::vector<Booking>& bookings, TimeRange want,
                                   absl::string_view ignore_appointment_id, absl::TimeZone zone) {
  const std::string& who = technician.technician_id();
  std::vector<Conflict> conflicts;
  if (!technician.active()) conflicts.push_back(InactiveConflict(who, want));
  for (const v1::TimeOff& time_off : technician.time_off()) {
    if (Overlaps(TimeOffRange(time_off), want)) {
      conflicts.push_back(TimeOffConflict(who, time_off, zone));
    }
  }
  for (const Booking& booking : bookings) {
    const bool ignored =
        !ignore_appointment_id.empty() && booking.appointment_id == ignore_appointment_id;
    if (!ignored && Overlaps(booking.range, want)) {
      conflicts.push_back(BookingConflict(who, booking, zone));
    }
  }
  if (want.start < want.end) {
    for (const TimeRange& stretch : Subtract({want}, OnShift(technician.shifts(), want, zone))) {
      conflicts.push_back(OffShiftConflict(who, stretch, zone));
    }
  }
  std::sort(conflicts.begin(), conflicts.end(), [](const Conflict& a, const Conflict& b) {
    return std::tie(a.range.start, a.kind, a.id) < std::tie(b.range.start, b.kind, b.id);
  });
  return conflicts;
}

std::vector<TimeRange> FreeRanges(const v1::Technician& technician,
                                  const std::vector<Booking>& bookings, TimeRange range,
                                  absl::Duration min_length, absl::TimeZone zone) {
  // Consistent with ConflictsFor: an inactive technician is never free.
  if (!technician.active()) return {};
  std::vector<TimeRange> taken;
  taken.reserve(bookings.size() + static_cast<size_t>(technician.time_off_size()));
  for (const v1::TimeOff& time_off : technician.time_off()) {
    if (Overlaps(TimeOffRange(time_off), range)) taken.push_back(TimeOffRange(time_off));
  }
  for (const Booking& booking : bookings) {
    if (Overlaps(booking.range, range)) taken.push_back(booking.range);
  }
  std::vector<TimeRange> free =
      Subtract(OnShift(technician.shifts(), range, zone), Merged(std::move(taken)));
  std::erase_if(free, [&](const TimeRange& stretch) { return stretch.length() < min_length; });
  return free;
}

bool HasSkills(const v1::Technician& technician,
               const google::protobuf::RepeatedPtrField<std::string>& required) {
  return std::all_of(required.begin(), required.end(), [&](const std::string& name) {
    return std::any_of(technician.skills().begin(), technician.skills().end(),
                       [&](const v1::Skill& skill) { return skill.name() == name; });
  });
}

}  // namespace jobledger::scheduling
