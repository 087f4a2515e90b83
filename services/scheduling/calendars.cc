// Technician leases, and bookings read from the projection.
#include "calendars.h"

#include <algorithm>

#include "jobledger/common/proto_time.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {

absl::StatusOr<Calendars::Lease> Calendars::Acquire(const std::string& tenant,
                                                    const std::vector<std::string>& technicians,
                                                    absl::Time deadline) {
  std::vector<std::string> keys;
  keys.reserve(technicians.size());
  for (const std::string& technician : technicians) {
    keys.push_back(projection::KeyBuilder().String(tenant).String(technician).key());
  }
  return leases_.Acquire(std::move(keys), deadline);
}

absl::StatusOr<std::vector<Booking>> Calendars::BookingsOf(const std::string& tenant,
                                                           const std::string& technician,
                                                           TimeRange range) const {
  std::vector<Booking> bookings;
  auto store = projection_->store();
  for (int64_t day = UtcDayOf(range.start); day <= UtcDayOf(range.end - absl::Nanoseconds(1));
       ++day) {
    auto calendar = GetMessage<v1::CalendarDay>(*store, CalendarDayKey(tenant, technician, day));
    if (!calendar.ok()) return calendar.status();
    for (const v1::Busy& busy : calendar->busy()) {
      const TimeRange busy_range{TimeFromProto(busy.start()), TimeFromProto(busy.end())};
      if (busy_range.end <= range.start || busy_range.start >= range.end) continue;
      // An appointment across midnight is in two days' rows: take it once.
      const bool seen = std::any_of(bookings.begin(), bookings.end(), [&](const Booking& b) {
        return b.appointment_id == busy.appointment_id();
      });
      if (!seen) bookings.push_back({busy.appointment_id(), busy.job_id(), busy_range});
    }
  }
  return bookings;
}

}  // namespace jobledger::scheduling
