// The chassis test service.
#include "echo_service.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jobledger/server/call_context.h"
#include "jobledger/server/client.h"
#include "jobledger/server/log.h"

namespace jobledger::testing {

using server::CallContext;
using server::Level;
using server::Log;

grpc::Status EchoServiceImpl::Echo(grpc::ServerContext* /*context*/, const v1::EchoRequest* request,
                                   v1::EchoResponse* response) {
  ++handler_runs_;
  Log(Level::kInfo, "echo handler", {{"text_bytes", request->text().size()}});
  response->set_text(request->text());
  return grpc::Status::OK;
}

grpc::Status EchoServiceImpl::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                                     v1::WhoAmIResponse* response) {
  ++handler_runs_;
  const CallContext& call = CallContext::Of(context);
  // Tenancy is the service's rule: the chassis hands it the verified tenant.
  if (!request->tenant().empty() && request->tenant() != call.identity().tenant) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        absl::StrCat("tenant ", request->tenant(), " is not the caller's"));
  }
  // Read back through an envelope, as a command stamps the events it appends.
  events::v1::Envelope envelope;
  call.StampEnvelope(envelope);
  response->set_subject(envelope.actor().user_id());
  response->set_acting_role(envelope.actor().role());
  response->set_name(envelope.actor().name());
  response->set_tenant(envelope.tenant());
  response->set_traceparent(envelope.traceparent());
  for (auth::Role role : call.identity().roles.ToVector()) {
    response->add_roles(std::string(auth::RoleName(role)));
  }
  response->set_bearer_token(call.bearer_token());
  if (call.deadline() != absl::InfiniteFuture()) {
    response->set_deadline_unix_ms(absl::ToUnixMillis(call.deadline()));
  }
  return grpc::Status::OK;
}

grpc::Status EchoServiceImpl::Hold(grpc::ServerContext* /*context*/, const v1::HoldRequest* request,
                                   v1::HoldResponse* response) {
  ++handler_runs_;
  ++holds_started_;
  Log(Level::kInfo, "hold started", {{"hold_ms", request->hold_ms()}});
  absl::MutexLock lock(&mu_);
  const bool released =
      mu_.AwaitWithTimeout(absl::Condition(&released_), absl::Milliseconds(request->hold_ms()));
  response->set_released(released);
  Log(Level::kInfo, "hold finished", {{"released", released}});
  return grpc::Status::OK;
}

grpc::Status EchoServiceImpl::Forward(grpc::ServerContext* context,
                                      const v1::ForwardRequest* request,
                                      v1::WhoAmIResponse* response) {
  ++handler_runs_;
  auto channel = grpc::CreateChannel(request->target(), grpc::InsecureChannelCredentials());
  auto stub = v1::EchoService::NewStub(channel);
  std::unique_ptr<grpc::ClientContext> downstream = server::MakeClientContext(
      CallContext::Of(context), absl::Milliseconds(request->timeout_ms()));
  return stub->WhoAmI(downstream.get(), v1::WhoAmIRequest(), response);
}

grpc::Status EchoServiceImpl::EchoStream(grpc::ServerContext* /*context*/,
                                         const v1::EchoRequest* request,
                                         grpc::ServerWriter<v1::EchoResponse>* writer) {
  ++handler_runs_;
  v1::EchoResponse response;
  for (int i = 0; i < 3; ++i) {
    response.set_text(absl::StrCat(request->text(), i));
    if (!writer->Write(response)) return grpc::Status(grpc::StatusCode::CANCELLED, "gone");
  }
  return grpc::Status::OK;
}

grpc::Status EchoServiceImpl::Collect(grpc::ServerContext* /*context*/,
                                      grpc::ServerReader<v1::EchoRequest>* reader,
                                      v1::EchoResponse* response) {
  ++handler_runs_;
  v1::EchoRequest request;
  std::string text;
  while (reader->Read(&request)) text += request.text();
  response->set_text(text);
  return grpc::Status::OK;
}

void EchoServiceImpl::Release() {
  absl::MutexLock lock(&mu_);
  released_ = true;
}

auth::MethodRoles EchoMethodRoles() {
  using auth::Role;
  constexpr char kService[] = "/jobledger.testing.v1.EchoService/";
  auth::MethodRoles roles;
  roles.Allow(absl::StrCat(kService, "Echo"), auth::RoleSet::All())
      .Allow(absl::StrCat(kService, "Hold"), auth::RoleSet::All())
      .Allow(absl::StrCat(kService, "Forward"), auth::RoleSet::All())
      .Allow(absl::StrCat(kService, "WhoAmI"),
             {Role::kDispatcher, Role::kManager, Role::kTechnician})
      .Allow(absl::StrCat(kService, "EchoStream"), {Role::kDispatcher})
      .Allow(absl::StrCat(kService, "Collect"), {Role::kDispatcher});
  return roles;
}

}  // namespace jobledger::testing
