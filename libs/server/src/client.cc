// Outgoing call contexts with deadline, trace and token propagation.
#include "jobledger/server/client.h"

#include <grpcpp/server_context.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jobledger::server {
namespace {

void Decorate(grpc::ClientContext& context, absl::Time deadline, absl::string_view bearer_token,
              const TraceContext& trace) {
  context.set_deadline(absl::ToChronoTime(deadline));
  context.AddMetadata("traceparent", trace.Child().ToTraceparent());
  if (!bearer_token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", bearer_token));
  }
}

}  // namespace

std::unique_ptr<grpc::ClientContext> MakeClientContext(const CallContext& caller,
                                                       absl::Duration timeout) {
  // FromServerContext makes the call a child of the caller's: it is cancelled with it.
  std::unique_ptr<grpc::ClientContext> context =
      grpc::ClientContext::FromServerContext(*caller.server_context());
  const absl::Time deadline = std::min(absl::Now() + timeout, caller.deadline());
  Decorate(*context, deadline, caller.bearer_token(), caller.trace());
  return context;
}

std::unique_ptr<grpc::ClientContext> MakeClientContext(absl::Duration timeout,
                                                       absl::string_view bearer_token,
                                                       const TraceContext& trace) {
  auto context = std::make_unique<grpc::ClientContext>();
  Decorate(*context, absl::Now() + timeout, bearer_token, trace);
  return context;
}

}  // namespace jobledger::server
