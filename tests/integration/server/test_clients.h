// Client-side helpers for the chassis tests: health checks, reflection, an HTTP GET, tokens.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "jobledger/auth/roles.h"

namespace jobledger::testing {

// The dev key the test servers are started with.
inline constexpr char kDevKey[] = "test-dev-key-test-dev-key-test-dev-key";

std::shared_ptr<grpc::Channel> Connect(int port);

using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
// Health.Check for `service`; the RPC's failure as a status.
absl::StatusOr<ServingStatus> CheckHealth(grpc::Channel& channel, const std::string& service);

// The services the server lists through reflection (no token: reflection is open).
absl::StatusOr<std::vector<std::string>> ListServices(grpc::Channel& channel);

// The body of http://127.0.0.1:<port><path> (HTTP/1.0, so the server closes when done).
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);

// An HS256 dev token for subject "u-1" in `tenant` with `roles`, valid for an hour.
std::string DevToken(std::vector<auth::Role> roles, const std::string& tenant = "acme",
                     const std::string& key = kDevKey);

}  // namespace jobledger::testing
