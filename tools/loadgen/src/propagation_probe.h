// How long a command's change takes to be visible in the reporting service: for a sample of the
// commands the service acknowledged, a reporting query that waits for the command's log position
// (min_position) is sent at once, and the time from the acknowledgement to its answer recorded.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/loadgen/loadgen.h"
#include "jobledger/reporting/v1/reporting_service.grpc.pb.h"

namespace jobledger::loadgen::internal {

class PropagationProbe {
 public:
  // Probes options.propagation_target; acknowledgements before `window_start` are not sampled.
  PropagationProbe(const LoadOptions& options, absl::Time window_start);

  // A command acknowledged at `acknowledged` whose last event is at `position`: every
  // options.propagation_every-th such call is probed.
  void Sample(const common::v1::LogPosition& position, absl::Time acknowledged);

  // Waits for the probes in flight; their outcomes under the name kPropagationRpc.
  RpcStats Take() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Finish(const grpc::Status& status, absl::Time acknowledged) ABSL_LOCKS_EXCLUDED(mu_);

  const LoadOptions& options_;
  const absl::Time window_start_;
  std::unique_ptr<reporting::v1::ReportingService::Stub> stub_;
  std::atomic<int64_t> seen_{0};
  absl::Mutex mu_;
  int64_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  RpcStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::loadgen::internal
