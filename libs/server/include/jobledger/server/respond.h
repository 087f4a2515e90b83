// The last line of every handler: the result into the reply, or its status as the RPC's.
#pragma once

#include <utility>

#include "absl/status/statusor.h"
#include "jobledger/server/status.h"

namespace jobledger::server {

template <typename Reply>
grpc::Status Respond(absl::StatusOr<Reply> result, Reply* reply) {
  if (!result.ok()) return server::ToGrpcStatus(result.status());
  *reply = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace jobledger::server
