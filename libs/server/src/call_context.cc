// Per-RPC call contexts and their process-wide index.
#include "jobledger/server/call_context.h"

#include <cstdlib>

#include "internal/call_tracker.h"
#include "jobledger/server/log.h"

namespace jobledger::server {
namespace {

struct Calls {
  absl::Mutex mu;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::shared_ptr<CallContext>> by_context
      ABSL_GUARDED_BY(mu);
};

Calls& AllCalls() {
  static Calls* const calls = new Calls();
  return *calls;
}

}  // namespace

namespace internal {

std::shared_ptr<CallContext> CallTracker::Register(const grpc::ServerContextBase* server_context,
                                                   absl::string_view method) {
  std::shared_ptr<CallContext> call(new CallContext());
  call->server_context_ = server_context;
  call->method_ = std::string(method);
  Calls& calls = AllCalls();
  absl::MutexLock lock(&calls.mu);
  calls.by_context[server_context] = call;
  return call;
}

void CallTracker::Unregister(const grpc::ServerContextBase* server_context) {
  Calls& calls = AllCalls();
  absl::MutexLock lock(&calls.mu);
  calls.by_context.erase(server_context);
}

std::shared_ptr<CallContext> CallTracker::Lookup(const grpc::ServerContextBase* server_context) {
  Calls& calls = AllCalls();
  absl::MutexLock lock(&calls.mu);
  const auto it = calls.by_context.find(server_context);
  return it == calls.by_context.end() ? nullptr : it->second;
}

}  // namespace internal

const CallContext* CallContext::Find(const grpc::ServerContextBase* server_context) {
  // The tracker keeps the context alive until the RPC ends, which outlives any handler use.
  return internal::CallTracker::Lookup(server_context).get();
}

const CallContext& CallContext::Of(const grpc::ServerContextBase* server_context) {
  const CallContext* call = Find(server_context);
  if (call == nullptr) {
    Log(Level::kError, "CallContext::Of called outside a chassis RPC");
    std::abort();
  }
  return *call;
}

events::v1::Actor CallContext::Actor() const {
  events::v1::Actor actor;
  actor.set_user_id(identity_.subject);
  actor.set_role(std::string(auth::RoleName(acting_role_)));
  actor.set_name(identity_.name);
  return actor;
}

void CallContext::StampEnvelope(events::v1::Envelope& envelope) const {
  *envelope.mutable_actor() = Actor();
  envelope.set_tenant(identity_.tenant);
  envelope.set_traceparent(traceparent());
}

}  // namespace jobledger::server
