// A technician's utilization per local day: what was scheduled, what was worked, and what time
// the technician had. Pure: the records and the tenant's time zone come in as arguments.
//
//   scheduled   visits not cancelled with the technician on them (directly or as a crew member)
//               whose window starts that local day: duration_minutes, or the window's length
//               when no duration is given
//   worked      closed work entries of the technician (employee id = technician id) dated that
//               day, across the given jobs (the service gives every job with a visit or with
//               work logged in the range, so work on a job without a visit that day counts)
//   available   the day's part of the weekly shift pattern (scheduling's OnShift: weekday
//               1 = Monday .. 7 = Sunday, a shift past midnight continuing into the next day, DST
//               through the zone) less time off overlapping it. With no shifts at all scheduling
//               puts no restriction on the technician (always bookable), so available is the whole
//               local day (1440 minutes; 1380 / 1500 on DST change days) less time off
//   utilization worked × 100 / available, floor; 0 when nothing is available
//
// The technician's current shifts and time off apply to every day of the range: the record keeps
// no history of earlier patterns.
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/reporting/v1/reporting.pb.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::reporting {

// One row per day of [from, to] in order; none when to is before from.
std::vector<v1::UtilizationDay> Utilization(
    const scheduling::v1::Technician& technician,
    const std::vector<const scheduling::v1::Appointment*>& appointments,
    const std::vector<const job::v1::Job*>& jobs_worked, absl::CivilDay from, absl::CivilDay to,
    absl::TimeZone zone);

}  // namespace jobledger::reporting
