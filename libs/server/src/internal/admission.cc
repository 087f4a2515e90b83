// The admission gate around generated synchronous handlers.
#include "internal/admission.h"

#include <grpc/byte_buffer.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/support/method_handler.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "internal/call_tracker.h"
#include "jobledger/server/log.h"

namespace jobledger::server::internal {
namespace {

using grpc::internal::MethodHandler;
using grpc::internal::RpcMethod;

// grpc::Service::GetHandler is protected; a pointer to it may be formed through a derived class.
struct HandlerAccess : grpc::Service {
  static MethodHandler* Handler(grpc::Service& service, int index) {
    return (service.*(&HandlerAccess::GetHandler))(index);
  }
};

void Refuse(const MethodHandler::HandlerParameter& param, const absl::Status& why) {
  const std::string message(why.message());
  if (why.code() == absl::StatusCode::kPermissionDenied) {
    grpc::internal::ErrorMethodHandler<grpc::StatusCode::PERMISSION_DENIED>(message).RunHandler(
        param);
  } else {
    grpc::internal::ErrorMethodHandler<grpc::StatusCode::UNAUTHENTICATED>(message).RunHandler(
        param);
  }
}

class GatedHandler final : public MethodHandler {
 public:
  // `inner` is owned by the generated service.
  GatedHandler(MethodHandler* inner, bool has_request_payload)
      : inner_(inner), has_request_payload_(has_request_payload) {}

  // The request stays serialized until the call is admitted, so an unauthenticated caller's bytes
  // are never parsed. The byte buffer is this handler's to free (see RunHandler).
  void* Deserialize(grpc_call* call, grpc_byte_buffer* request, grpc::Status* status,
                    void** handler_data) override {
    if (!has_request_payload_) return inner_->Deserialize(call, request, status, handler_data);
    *status = grpc::Status::OK;
    return request;
  }

  void RunHandler(const HandlerParameter& param) override {
    const std::shared_ptr<CallContext> call = CallTracker::Lookup(param.server_context);
    const absl::Status admission = call == nullptr
                                       ? absl::UnauthenticatedError("the call has no context")
                                       : CallTracker::admission(*call);
    if (!admission.ok()) {
      if (has_request_payload_ && param.request != nullptr) {
        grpc_byte_buffer_destroy(static_cast<grpc_byte_buffer*>(param.request));
      }
      Refuse(param, admission);
      return;
    }
    // Log lines written by the handler carry the call's trace id.
    const std::string trace_id = call->trace().trace_id_hex();
    ScopedLogTrace trace(trace_id);
    if (!has_request_payload_) {
      inner_->RunHandler(param);
      return;
    }
    grpc::Status status;
    void* request = inner_->Deserialize(
        param.call->call(), static_cast<grpc_byte_buffer*>(param.request), &status, nullptr);
    inner_->RunHandler(HandlerParameter(param.call, param.server_context, request, status,
                                        param.internal_data, param.call_requester));
  }

 private:
  MethodHandler* const inner_;
  const bool has_request_payload_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<GatedService>> GatedService::Create(grpc::Service* inner,
                                                                   absl::string_view full_name) {
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(std::string(full_name));
  if (descriptor == nullptr) {
    return absl::NotFoundError(absl::StrCat("service ", full_name, " is not linked in"));
  }
  // Such methods have no synchronous handler to put the gate in front of.
  if (inner->has_async_methods() || inner->has_callback_methods() || inner->has_generic_methods()) {
    return absl::FailedPreconditionError(
        absl::StrCat(full_name,
                     " has async, callback or generic methods, which are not "
                     "synchronous; the chassis admits calls to synchronous methods only"));
  }
  std::unique_ptr<GatedService> gated(new GatedService());
  // Generated services add their methods in declaration order, the descriptor's order.
  for (int i = 0; i < descriptor->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = descriptor->method(i);
    std::string name = absl::StrCat("/", full_name, "/", method->name());
    MethodHandler* handler = HandlerAccess::Handler(*inner, i);
    if (handler == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          name, " is not synchronous; the chassis admits calls to synchronous methods only"));
    }
    RpcMethod::RpcType type = RpcMethod::NORMAL_RPC;
    if (method->client_streaming() && method->server_streaming()) {
      type = RpcMethod::BIDI_STREAMING;
    } else if (method->client_streaming()) {
      type = RpcMethod::CLIENT_STREAMING;
    } else if (method->server_streaming()) {
      type = RpcMethod::SERVER_STREAMING;
    }
    const bool has_request_payload =
        type == RpcMethod::NORMAL_RPC || type == RpcMethod::SERVER_STREAMING;
    gated->method_names_.push_back(std::move(name));
    gated->AddMethod(new grpc::internal::RpcServiceMethod(
        gated->method_names_.back().c_str(), type, new GatedHandler(handler, has_request_payload)));
  }
  return gated;
}

}  // namespace jobledger::server::internal
