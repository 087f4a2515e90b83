// The test service built on the chassis: echo, the caller's identity as the chassis hands it to
// handlers (through an event envelope, as a command would stamp it), a call that holds until
// released, a downstream call, and streaming methods.
#pragma once

#include <atomic>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/auth/method_roles.h"
#include "jobledger/testing/v1/echo.grpc.pb.h"

namespace jobledger::testing {

class EchoServiceImpl final : public v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* context, const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;
  grpc::Status Hold(grpc::ServerContext* context, const v1::HoldRequest* request,
                    v1::HoldResponse* response) override;
  grpc::Status Forward(grpc::ServerContext* context, const v1::ForwardRequest* request,
                       v1::WhoAmIResponse* response) override;
  grpc::Status EchoStream(grpc::ServerContext* context, const v1::EchoRequest* request,
                          grpc::ServerWriter<v1::EchoResponse>* writer) override;
  grpc::Status Collect(grpc::ServerContext* context, grpc::ServerReader<v1::EchoRequest>* reader,
                       v1::EchoResponse* response) override;

  // Lets every Hold in progress (and to come) return.
  void Release() ABSL_LOCKS_EXCLUDED(mu_);
  // How many times any handler ran: refused calls must not count.
  int handler_runs() const { return handler_runs_.load(); }
  int holds_started() const { return holds_started_.load(); }

 private:
  absl::Mutex mu_;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int> handler_runs_{0};
  std::atomic<int> holds_started_{0};
};

// Echo, Hold, Forward: every role; WhoAmI: dispatcher, manager, technician; EchoStream and
// Collect: dispatcher.
auth::MethodRoles EchoMethodRoles();

}  // namespace jobledger::testing
