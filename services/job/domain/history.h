// What a job's history shows for each event: a one-line summary and, for field changes, each
// field's value before and after. Pure: computed from the job before and after the event.
#pragma once

#include <string>
#include <vector>

#include "domain/job_events.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/job/v1/job_service.pb.h"

namespace jobledger::job {

struct HistoryDescription {
  std::string summary;
  std::vector<v1::FieldChange> changes;
};

HistoryDescription DescribeJobEvent(const v1::Job& before, const v1::Job& after,
                                    const JobEvent& event);

}  // namespace jobledger::job
