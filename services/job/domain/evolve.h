// Evolve: the state after an event. Pure, and the only code that turns events into state, used
// by the command path (after the append) and by the projections (replay) alike.
#pragma once

#include "absl/status/status.h"
#include "domain/job_events.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::job {

// An error means the event does not fit the state (a bug or a corrupt log): the caller does not
// apply it.
absl::Status EvolveJob(v1::Job& job, const events::v1::Envelope& envelope, const JobEvent& event);
// Copies the named JobDetails fields onto the job's fields of the same name.
absl::Status ApplyJobDetails(const v1::JobDetails& details,
                             const google::protobuf::RepeatedPtrField<std::string>& fields,
                             v1::Job& job);
absl::Status EvolveCustomer(v1::Customer& customer, const events::v1::Envelope& envelope,
                            const CustomerEvent& event);
absl::Status EvolveRequest(v1::CustomerRequest& request, const events::v1::Envelope& envelope,
                           const RequestEvent& event);

}  // namespace jobledger::job
