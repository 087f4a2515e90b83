// The admission gate: the handlers of a generated synchronous service, re-registered so that each
// runs only once the interceptors have authenticated and authorised the call.
//
// Why not in an interceptor: gRPC 1.51's server interceptors cannot end an RPC or keep the
// handler from running (grpc/grpc#24017). Authentication still happens in the interceptor chain;
// this gate only acts on its verdict, and refuses a call that has none (secure by default).
#pragma once

#include <grpcpp/impl/service_type.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::server::internal {

class GatedService final : public grpc::Service {
 public:
  // `inner` is a generated `<Name>::Service` implementation whose protobuf service is
  // `full_name`; it must outlive the gated service and must not be registered itself. Every
  // method must be synchronous (FAILED_PRECONDITION otherwise: async or callback methods would
  // bypass the gate).
  static absl::StatusOr<std::unique_ptr<GatedService>> Create(grpc::Service* inner,
                                                              absl::string_view full_name);

  // Full method names, "/package.Service/Method".
  const std::deque<std::string>& method_names() const { return method_names_; }

 private:
  GatedService() = default;

  // RpcServiceMethod keeps a `const char*` to its name: a deque never moves its strings.
  std::deque<std::string> method_names_;
};

}  // namespace jobledger::server::internal
