// What a bulk command asks of each appointment it selects, written as that appointment's own
// command (which then validates and decides it as if it had been sent alone).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"

namespace jobledger::scheduling {

// The item's meta: the bulk command's idempotency key followed by "/<appointment id>", and its
// device time.
common::v1::CommandMeta BulkItemMeta(const common::v1::CommandMeta& bulk,
                                     absl::string_view appointment_id);

// BulkReassign for `current` (an appointment of job `job_id`): from_technician_id swapped for
// to_technician_id. FAILED_PRECONDITION when from_technician_id is on it only through a crew.
absl::StatusOr<v1::ReassignAppointmentRequest> BulkReassignItem(const v1::BulkReassignRequest& bulk,
                                                                const std::string& job_id,
                                                                const v1::Appointment& current);

// BulkReschedule for `current`: its window moved days_forward days, at the same local wall-clock
// times in `zone`.
v1::RescheduleAppointmentRequest BulkRescheduleItem(const v1::BulkRescheduleRequest& bulk,
                                                    const std::string& job_id,
                                                    const v1::Appointment& current,
                                                    absl::TimeZone zone);

}  // namespace jobledger::scheduling
