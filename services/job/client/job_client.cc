// The job service over gRPC with the calling service's own token.
#include "client/job_client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "jobledger/server/client.h"
#include "jobledger/server/trace.h"

namespace jobledger::job {
namespace {

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("job service: ", status.error_message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcJobs>> GrpcJobs::Connect(const server::ServerConfig& config,
                                                            const std::string& address,
                                                            absl::Duration timeout) {
  auto tokens = server::ServiceTokens::Create(config);
  if (!tokens.ok()) return tokens.status();
  auto jobs = std::make_unique<GrpcJobs>(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()), tokens->get(), timeout);
  jobs->owned_tokens_ = *std::move(tokens);
  return jobs;
}

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> GrpcJobs::Context(
    const std::string& tenant, const std::string& traceparent) {
  auto token = tokens_->TokenFor(tenant);
  if (!token.ok()) return token.status();
  const auto trace = server::TraceContext::Parse(traceparent);
  return server::MakeClientContext(timeout_, *token,
                                   trace.has_value() ? *trace : server::TraceContext::NewRoot());
}

absl::Status GrpcJobs::ChangeStatus(const std::string& tenant, const std::string& job_id,
                                    v1::JobStatus to, const std::string& idempotency_key,
                                    const std::string& traceparent) {
  auto context = Context(tenant, traceparent);
  if (!context.ok()) return context.status();
  v1::ChangeJobStatusRequest request;
  request.mutable_meta()->set_idempotency_key(idempotency_key);
  request.set_job_id(job_id);
  request.set_status(to);
  v1::JobReply reply;
  return FromGrpc(stub_->ChangeJobStatus(context->get(), request, &reply));
}

absl::StatusOr<v1::JobReply> GrpcJobs::CreateJob(const std::string& tenant,
                                                 const v1::CreateJobRequest& request,
                                                 const std::string& traceparent) {
  auto context = Context(tenant, traceparent);
  if (!context.ok()) return context.status();
  v1::JobReply reply;
  if (absl::Status s = FromGrpc(stub_->CreateJob(context->get(), request, &reply)); !s.ok()) {
    return s;
  }
  return reply;
}

}  // namespace jobledger::job
