// Technician utilization per day.
#include "domain/utilization.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "domain/calendar.h"
#include "domain/report_inputs.h"
#include "domain/work_value.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::reporting {
namespace {

bool IsOn(const scheduling::v1::Appointment& appointment, const std::string& technician_id) {
  const std::vector<std::string> people = scheduling::PeopleOf(appointment);
  return std::binary_search(people.begin(), people.end(), technician_id);
}

int64_t ScheduledMinutes(const scheduling::v1::Appointment& appointment) {
  if (appointment.duration_minutes() > 0) return appointment.duration_minutes();
  const absl::Duration window =
      TimeFromProto(appointment.window().end()) - TimeFromProto(appointment.window().start());
  return std::max<int64_t>(0, absl::ToInt64Minutes(window));
}

absl::Duration Overlap(TimeRange a, TimeRange b) {
  const absl::Time start = std::max(a.start, b.start);
  const absl::Time end = std::min(a.end, b.end);
  return start < end ? end - start : absl::ZeroDuration();
}

// The technician's time off, sorted and with overlapping stretches joined, so that no minute is
// deducted twice.
std::vector<TimeRange> MergedTimeOff(const scheduling::v1::Technician& technician) {
  std::vector<TimeRange> ranges;
  for (const scheduling::v1::TimeOff& time_off : technician.time_off()) {
    const TimeRange range{TimeFromProto(time_off.start()), TimeFromProto(time_off.end())};
    if (range.start < range.end) ranges.push_back(range);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.start < b.start; });
  std::vector<TimeRange> merged;
  for (const TimeRange& range : ranges) {
    if (!merged.empty() && range.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, range.end);
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

int64_t AvailableMinutes(const scheduling::v1::Technician& technician,
                         const std::vector<TimeRange>& time_off, absl::CivilDay day,
                         absl::TimeZone zone) {
  absl::Duration available;
  // OnShift's stretches are merged, so each minute is on shift once.
  for (const TimeRange& on :
       scheduling::OnShift(technician.shifts(), LocalDayRange(day, zone), zone)) {
    available += on.length();
    for (const TimeRange& off : time_off) available -= Overlap(on, off);
  }
  return absl::ToInt64Minutes(available);
}

}  // namespace

std::vector<v1::UtilizationDay> Utilization(
    const scheduling::v1::Technician& technician,
    const std::vector<const scheduling::v1::Appointment*>& appointments,
    const std::vector<const job::v1::Job*>& jobs_worked, absl::CivilDay from, absl::CivilDay to,
    absl::TimeZone zone) {
  if (to < from) return {};
  const std::string& who = technician.technician_id();
  std::vector<v1::UtilizationDay> days(static_cast<size_t>(to - from + 1));
  const auto row_of = [&](absl::CivilDay day) -> v1::UtilizationDay* {
    return day < from || day > to ? nullptr : &days[static_cast<size_t>(day - from)];
  };

  for (const scheduling::v1::Appointment* appointment : appointments) {
    if (appointment == nullptr ||
        appointment->status() == scheduling::v1::APPOINTMENT_STATUS_CANCELLED ||
        !IsOn(*appointment, who)) {
      continue;
    }
    v1::UtilizationDay* row = row_of(LocalDay(TimeFromProto(appointment->window().start()), zone));
    if (row != nullptr)
      row->set_scheduled_minutes(row->scheduled_minutes() + ScheduledMinutes(*appointment));
  }
  for (const job::v1::Job* job : JobsByNumber(jobs_worked)) {
    for (const job::v1::WorkEntry& entry : job->work_log()) {
      if (!IsClosedWork(entry) || entry.employee_id() != who) continue;
      const std::optional<absl::CivilDay> day = DayOf(entry.date());
      v1::UtilizationDay* row = day.has_value() ? row_of(*day) : nullptr;
      if (row != nullptr) row->set_worked_minutes(row->worked_minutes() + entry.minutes());
    }
  }

  const std::vector<TimeRange> time_off = MergedTimeOff(technician);
  for (absl::CivilDay day = from; day <= to; ++day) {
    v1::UtilizationDay& row = *row_of(day);
    row.set_technician_id(who);
    LocalDateToProto(day, row.mutable_date());
    row.set_available_minutes(AvailableMinutes(technician, time_off, day, zone));
    if (row.available_minutes() > 0) {
      row.set_utilization_percent(
          static_cast<int32_t>(row.worked_minutes() * 100 / row.available_minutes()));
    }
  }
  return days;
}

}  // namespace jobledger::reporting
