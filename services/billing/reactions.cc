// Chargebacks of completed recall jobs.
#include "reactions.h"

#include "absl/strings/str_cat.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/server/log.h"
#include "projections/billing_tables.h"

namespace jobledger::billing {
namespace {

using server::Level;
using server::Log;

// A recall becomes chargeable when it is linked or completed, whichever comes last.
absl::StatusOr<bool> MayCompleteARecall(const events::v1::Event& event) {
  const std::string& type = event.envelope().type();
  if (type == job::v1::RecallLinked::descriptor()->full_name()) return true;
  if (type != job::v1::JobStatusChanged::descriptor()->full_name()) return false;
  job::v1::JobStatusChanged changed;
  if (!changed.ParseFromString(event.payload())) {
    return absl::DataLossError("a JobStatusChanged payload does not parse");
  }
  return changed.to() == job::v1::JOB_STATUS_COMPLETED;
}

}  // namespace

absl::Status BillingReactions::Apply(const events::v1::Event& event,
                                     const projection::EventPosition& position,
                                     projection::StateWriter&) const {
  const events::v1::Envelope& envelope = event.envelope();
  if (envelope.aggregate_type() != "job") return absl::OkStatus();
  auto relevant = MayCompleteARecall(event);
  if (!relevant.ok()) return relevant.status();
  if (!*relevant) return absl::OkStatus();
  // Decide on the job as this event left it (or later): the billing projection must have it.
  if (absl::Status s = options_.projection->WaitFor(
          {position.topic, position.partition, position.offset}, absl::Now() + options_.wait);
      !s.ok()) {
    return absl::UnavailableError(s.message());
  }
  auto job = JobCopyTable().Get(*options_.projection->store(),
                                PrimaryKey(envelope.tenant(), envelope.aggregate_id()));
  if (!job.ok()) return absl::UnavailableError(job.status().ToString());
  if (!job->has_value() || (*job)->job().recall_of_job_id().empty() ||
      (*job)->job().status() != job::v1::JOB_STATUS_COMPLETED) {
    return absl::OkStatus();
  }
  const server::Caller caller =
      server::ServiceCaller("billing", envelope.tenant(), envelope.traceparent());
  auto recorded = options_.commands->RecordChargeback(caller, envelope.aggregate_id());
  if (recorded.ok()) return absl::OkStatus();
  const absl::StatusCode code = recorded.status().code();
  if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded ||
      code == absl::StatusCode::kAborted) {
    return absl::UnavailableError(recorded.status().ToString());  // tried again later
  }
  Log(Level::kWarning, "no chargeback for a recall job",
      {{"job", envelope.aggregate_id()}, {"error", recorded.status().ToString()}});
  return absl::OkStatus();
}

}  // namespace jobledger::billing
