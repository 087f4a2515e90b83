// The job service over gRPC with the scheduling service's own token.
#include "job_client.h"

#include "absl/strings/str_cat.h"
#include "jobledger/server/client.h"
#include "jobledger/server/trace.h"

namespace jobledger::scheduling {
namespace {

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("job service: ", status.error_message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> GrpcJobs::Context(
    const std::string& tenant, const std::string& traceparent) {
  auto token = tokens_->TokenFor(tenant);
  if (!token.ok()) return token.status();
  const auto trace = server::TraceContext::Parse(traceparent);
  return server::MakeClientContext(timeout_, *token,
                                   trace.has_value() ? *trace : server::TraceContext::NewRoot());
}

absl::Status GrpcJobs::ChangeStatus(const std::string& tenant, const std::string& job_id,
                                    job::v1::JobStatus to, const std::string& idempotency_key,
                                    const std::string& traceparent) {
  auto context = Context(tenant, traceparent);
  if (!context.ok()) return context.status();
  job::v1::ChangeJobStatusRequest request;
  request.mutable_meta()->set_idempotency_key(idempotency_key);
  request.set_job_id(job_id);
  request.set_status(to);
  job::v1::JobReply reply;
  return FromGrpc(stub_->ChangeJobStatus(context->get(), request, &reply));
}

absl::StatusOr<job::v1::JobReply> GrpcJobs::CreateJob(const std::string& tenant,
                                                      const job::v1::CreateJobRequest& request,
                                                      const std::string& traceparent) {
  auto context = Context(tenant, traceparent);
  if (!context.ok()) return context.status();
  job::v1::JobReply reply;
  if (absl::Status s = FromGrpc(stub_->CreateJob(context->get(), request, &reply)); !s.ok()) {
    return s;
  }
  return reply;
}

}  // namespace jobledger::scheduling
