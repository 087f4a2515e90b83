// Calls between services: every outgoing call gets a deadline, the caller's trace context (as a
// child span) and the caller's bearer token.
#pragma once

#include <grpcpp/client_context.h>

#include <memory>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/server/call_context.h"
#include "jobledger/server/trace.h"

namespace jobledger::server {

// A context for a call made while handling `caller`: the deadline is now + `timeout`, or the
// caller's own deadline if that comes first; cancelling the caller cancels this call; metadata
// carries `traceparent` (a child of the caller's span) and `authorization: Bearer <caller's
// token>`.
std::unique_ptr<grpc::ClientContext> MakeClientContext(const CallContext& caller,
                                                       absl::Duration timeout);

// The same for work not done on behalf of an RPC (e.g. reacting to an event): the service's own
// token and the trace the work belongs to (TraceContext::Parse of the event's traceparent, or
// TraceContext::NewRoot()).
std::unique_ptr<grpc::ClientContext> MakeClientContext(absl::Duration timeout,
                                                       absl::string_view bearer_token,
                                                       const TraceContext& trace);

}  // namespace jobledger::server
