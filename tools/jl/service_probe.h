// Asking a running service how it is: its gRPC readiness (the health service's "readiness", which
// turns SERVING once its projections have caught up) and its projections' lag from /metrics.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jobledger::cli {

enum class Readiness { kServing, kNotServing, kUnreachable };

Readiness ProbeReadiness(const std::string& grpc_address, absl::Duration timeout);

// The lag in events of each projection the service reports (jobledger_projection_lag_events,
// summed over partitions), by projection name.
absl::StatusOr<std::map<std::string, double>> ProbeProjectionLag(const std::string& metrics_address,
                                                                 absl::Duration timeout);

// Parses Prometheus text exposition for ProbeProjectionLag (separate for tests).
std::map<std::string, double> ProjectionLagFromMetrics(const std::string& exposition);

}  // namespace jobledger::cli
