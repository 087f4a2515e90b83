// What the chassis knows about the RPC being handled: the caller's verified identity, the trace
// context, the bearer token to pass on. Handlers read it; it becomes the actor and traceparent of
// the events a command appends and travels on downstream calls (see client.h).
//
//   grpc::Status JobService::CreateJob(grpc::ServerContext* context, ...) {
//     const CallContext& call = CallContext::Of(context);
//     if (call.identity().tenant != request->tenant()) return ...;
//     call.StampEnvelope(envelope);
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/auth/roles.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/server/trace.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace jobledger::server {

namespace internal {
class CallTracker;
}  // namespace internal

class CallContext {
 public:
  // The context of the RPC `server_context` belongs to. Valid in a handler of a service registered
  // with the chassis (the handler only runs once the caller is authenticated and authorised), for
  // the duration of the RPC. Calling it anywhere else is a programming error and aborts.
  static const CallContext& Of(const grpc::ServerContextBase* server_context);
  // Like Of, but nullptr outside a chassis RPC (for code that may run either way).
  static const CallContext* Find(const grpc::ServerContextBase* server_context);

  // Full method name, "/package.Service/Method".
  const std::string& method() const { return method_; }
  // This server's span: the caller's trace (or a new one) with a span id of our own.
  const TraceContext& trace() const { return trace_; }
  // This server's span as a `traceparent` value (what appended events carry).
  std::string traceparent() const { return trace_.ToTraceparent(); }
  // The verified caller. Empty (no subject) on open methods: health and reflection.
  const auth::Identity& identity() const { return identity_; }
  bool authenticated() const { return !identity_.subject.empty(); }
  // The role the caller acts in: the first of the caller's roles (in kAllRoles order) that the
  // method allows.
  auth::Role acting_role() const { return acting_role_; }
  // The caller's bearer token, passed on to downstream services (client.h).
  const std::string& bearer_token() const { return bearer_token_; }
  // The caller's deadline (InfiniteFuture when none).
  absl::Time deadline() const { return deadline_; }
  const grpc::ServerContextBase* server_context() const { return server_context_; }

  // The event actor: user id, acting role, name.
  events::v1::Actor Actor() const;
  // Sets the envelope fields that come from the caller: actor, tenant and traceparent.
  void StampEnvelope(events::v1::Envelope& envelope) const;

 private:
  friend class internal::CallTracker;
  CallContext() = default;

  const grpc::ServerContextBase* server_context_ = nullptr;
  std::string method_;
  TraceContext trace_ = TraceContext::NewRoot();
  auth::Identity identity_;
  auth::Role acting_role_ = auth::Role::kService;
  std::string bearer_token_;
  absl::Time deadline_ = absl::InfiniteFuture();
  absl::Time started_ = absl::Now();
  // The result of authentication and authorisation; the handler runs only when OK. Starts as a
  // refusal so that a call the interceptor never saw is refused, not let through.
  absl::Status admission_ = absl::UnauthenticatedError("the call was not authenticated");
};

}  // namespace jobledger::server
