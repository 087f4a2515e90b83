// Technician locks with their last writes, and bookings read from the projection.
#include "calendars.h"

#include <algorithm>

#include "jobledger/common/proto_time.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {

Calendars::Lease::~Lease() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) (*it)->mu.Unlock();
}

void Calendars::Lease::Wrote(const projection::LogPosition& position) {
  for (Slot* slot : slots_) {
    slot->mu.AssertHeld();
    slot->last_write = position;
  }
}

Calendars::Slot& Calendars::SlotOf(const std::string& tenant, const std::string& technician) {
  std::string key = projection::KeyBuilder().String(tenant).String(technician).key();
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Slot>& slot = slots_[key];
  if (slot == nullptr) {
    slot = std::make_unique<Slot>();
    slot->key = std::move(key);
  }
  return *slot;
}

absl::StatusOr<Calendars::Lease> Calendars::Acquire(
    const std::string& tenant, std::vector<std::string> technicians,
    absl::Time deadline) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::vector<Slot*> slots;
  for (const std::string& technician : technicians) slots.push_back(&SlotOf(tenant, technician));
  std::sort(slots.begin(), slots.end(),
            [](const Slot* a, const Slot* b) { return a->key < b->key; });
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  Lease lease({});
  for (Slot* slot : slots) {
    slot->mu.Lock();  // held only for one durable append
    lease.slots_.push_back(slot);
  }
  for (Slot* slot : lease.slots_) {
    slot->mu.AssertHeld();
    if (!slot->last_write.has_value()) continue;
    if (absl::Status s = projection_->WaitFor(*slot->last_write, deadline); !s.ok()) return s;
  }
  return lease;
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
