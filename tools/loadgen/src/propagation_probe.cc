// The reporting probe: ListJobs with the command's position as min_position.
#include "propagation_probe.h"

#include "absl/time/clock.h"
#include "driver.h"
#include "jobledger/server/status.h"

namespace jobledger::loadgen::internal {

PropagationProbe::PropagationProbe(const LoadOptions& options, absl::Time window_start)
    : options_(options),
      window_start_(window_start),
      stub_(reporting::v1::ReportingService::NewStub(
          OpenChannels(options.propagation_target, 1).front())) {
  stats_.name = std::string(kPropagationRpc);
}

void PropagationProbe::Sample(const common::v1::LogPosition& position, absl::Time acknowledged) {
  if (acknowledged < window_start_ || position.topic().empty()) return;
  if (seen_.fetch_add(1) % std::max<int64_t>(options_.propagation_every, 1) != 0) return;
  {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
  }
  auto call =
      std::make_shared<Call<reporting::v1::ListJobsRequest, reporting::v1::ListJobsResponse>>();
  PrepareContext(call->context, options_);
  // The smallest answer that still waits: the reporting projection must have applied the
  // command's event before any list answers.
  call->request.set_view(reporting::v1::VIEW_BY_STATUS);
  call->request.set_status(job::v1::JOB_STATUS_OPEN);
  call->request.set_page_size(1);
  *call->request.mutable_min_position() = position;
  stub_->async()->ListJobs(
      &call->context, &call->request, &call->response,
      [this, call, acknowledged](grpc::Status status) { Finish(status, acknowledged); });
}

void PropagationProbe::Finish(const grpc::Status& status, absl::Time acknowledged) {
  const absl::Time visible = absl::Now();
  absl::MutexLock lock(&mu_);
  if (status.ok()) {
    ++stats_.ok;
    stats_.latency.Record(visible - acknowledged);
  } else {
    ++stats_.errors[std::string(server::GrpcCodeName(static_cast<int>(status.error_code())))];
  }
  --in_flight_;
}

RpcStats PropagationProbe::Take() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
  mu_.Await(absl::Condition(&idle));
  return stats_;
}

}  // namespace jobledger::loadgen::internal
