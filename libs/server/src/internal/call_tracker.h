// Per-RPC CallContext objects, keyed by the gRPC server context they belong to, so that
// interceptors, the admission gate and handlers all see the same one.
#pragma once

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/server/call_context.h"

namespace jobledger::server::internal {

class CallTracker {
 public:
  static std::shared_ptr<CallContext> Register(const grpc::ServerContextBase* server_context,
                                               absl::string_view method);
  static void Unregister(const grpc::ServerContextBase* server_context);
  static std::shared_ptr<CallContext> Lookup(const grpc::ServerContextBase* server_context);

  // Filling in a context (interceptors only, before the handler runs).
  static void SetTrace(CallContext& call, const TraceContext& trace) { call.trace_ = trace; }
  static void SetDeadline(CallContext& call, absl::Time deadline) { call.deadline_ = deadline; }
  static void Admit(CallContext& call, auth::Identity identity, auth::Role acting_role,
                    std::string bearer_token) {
    call.identity_ = std::move(identity);
    call.acting_role_ = acting_role;
    call.bearer_token_ = std::move(bearer_token);
    call.admission_ = absl::OkStatus();
  }
  static void Refuse(CallContext& call, absl::Status why) { call.admission_ = std::move(why); }
  // Open methods (health, reflection) need no identity.
  static void AdmitOpen(CallContext& call) { call.admission_ = absl::OkStatus(); }
  static const absl::Status& admission(const CallContext& call) { return call.admission_; }
  static absl::Time started(const CallContext& call) { return call.started_; }
};

}  // namespace jobledger::server::internal
