// Technicians' calendars for conflict-checked commands. A command that books technicians locks
// them first (in one order, so two commands never deadlock) and keeps them locked until its
// append is durable; the next command on any of them first waits until the projection has that
// append, so it always decides on every earlier booking. Two concurrent bookings of one
// technician therefore run one after the other, and the second sees the first.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/calendar.h"
#include "jobledger/projection/runner.h"

namespace jobledger::scheduling {

class Calendars {
  // One technician's lock and the last append that changed their calendar.
  struct Slot {
    std::string key;
    absl::Mutex mu;
    std::optional<projection::LogPosition> last_write ABSL_GUARDED_BY(mu);
  };

 public:
  explicit Calendars(const projection::ProjectionRunner* projection) : projection_(projection) {}

  // Exclusive use of some technicians' calendars until destroyed.
  class Lease {
   public:
    Lease(Lease&&) = default;
    ~Lease();
    // The durable append that changed these calendars: the next lease waits for it.
    void Wrote(const projection::LogPosition& position);

   private:
    friend class Calendars;
    explicit Lease(std::vector<Slot*> slots) : slots_(std::move(slots)) {}
    std::vector<Slot*> slots_;  // locked, in lock order
  };

  // Locks the technicians (any order, repeats allowed) and waits until the projection has the
  // last write of each; DEADLINE_EXCEEDED (nothing held) when it does not have it by `deadline`.
  absl::StatusOr<Lease> Acquire(const std::string& tenant, std::vector<std::string> technicians,
                                absl::Time deadline);

  // A technician's bookings that touch `range`, as the projection has them.
  absl::StatusOr<std::vector<Booking>> BookingsOf(const std::string& tenant,
                                                  const std::string& technician,
                                                  TimeRange range) const;

 private:
  Slot& SlotOf(const std::string& tenant, const std::string& technician) ABSL_LOCKS_EXCLUDED(mu_);

  const projection::ProjectionRunner* projection_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Slot>> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::scheduling
