// Technicians' calendars for conflict-checked commands. A command that books technicians locks
// them first (in one order, so two commands never deadlock) and keeps them locked until its
// append is durable; the next command on any of them first waits until the projection has that
// append, so it always decides on every earlier booking. Two concurrent bookings of one
// technician therefore run one after the other, and the second sees the first.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/calendar.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/write_leases.h"

namespace jobledger::scheduling {

class Calendars {
 public:
  explicit Calendars(const projection::ProjectionRunner* projection)
      : projection_(projection), leases_(projection) {}

  // Exclusive use of some technicians' calendars until destroyed; Wrote(position) names the
  // durable append that changed them.
  using Lease = projection::WriteLeases::Lease;

  // Locks the technicians (any order, repeats allowed) and waits until the projection has the
  // last write of each; DEADLINE_EXCEEDED (nothing held) when it does not have it by `deadline`.
  absl::StatusOr<Lease> Acquire(const std::string& tenant,
                                const std::vector<std::string>& technicians, absl::Time deadline);

  // A technician's bookings that touch `range`, as the projection has them.
  absl::StatusOr<std::vector<Booking>> BookingsOf(const std::string& tenant,
                                                  const std::string& technician,
                                                  TimeRange range) const;

 private:
  const projection::ProjectionRunner* projection_;
  projection::WriteLeases leases_;
};

}  // namespace jobledger::scheduling
