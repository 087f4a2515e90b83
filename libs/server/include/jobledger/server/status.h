// gRPC status codes at the handler edge: absl::Status → grpc::Status (the codes are the same
// numbers), and a code's name for logs, metrics and reports.
#pragma once

#include <grpcpp/support/status.h>

#include <iterator>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jobledger::server {

// An error without a message gets one: an INTERNAL without a message is how gRPC itself reports a
// request that does not parse (see the server's interceptors).
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  if (status.message().empty()) return grpc::Status(code, "no details");
  return grpc::Status(code, std::string(status.message()));
}

// "INVALID_ARGUMENT", ...; "UNKNOWN" for a number that is no code. No allocation: metrics label
// every RPC with it.
inline absl::string_view GrpcCodeName(int code) {
  static constexpr absl::string_view kNames[] = {"OK",
                                                 "CANCELLED",
                                                 "UNKNOWN",
                                                 "INVALID_ARGUMENT",
                                                 "DEADLINE_EXCEEDED",
                                                 "NOT_FOUND",
                                                 "ALREADY_EXISTS",
                                                 "PERMISSION_DENIED",
                                                 "RESOURCE_EXHAUSTED",
                                                 "FAILED_PRECONDITION",
                                                 "ABORTED",
                                                 "OUT_OF_RANGE",
                                                 "UNIMPLEMENTED",
                                                 "INTERNAL",
                                                 "UNAVAILABLE",
                                                 "DATA_LOSS",
                                                 "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(std::size(kNames))) return "UNKNOWN";
  return kNames[code];
}

}  // namespace jobledger::server
