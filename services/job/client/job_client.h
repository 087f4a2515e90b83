// What other services ask of the job service, on no caller's behalf: move a job along its
// lifecycle (scheduling: Scheduled when first booked, In progress when a technician starts
// working) and create jobs (agreements' visits, converted estimates). Each call carries an
// idempotency key, so a repeat changes nothing.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/server/service_tokens.h"

namespace jobledger::job {

class JobsPort {
 public:
  virtual ~JobsPort() = default;
  // The job service's answer as a status (its own codes: FAILED_PRECONDITION for a move the job's
  // lifecycle refuses, UNAVAILABLE when it cannot be reached, ...).
  virtual absl::Status ChangeStatus(const std::string& tenant, const std::string& job_id,
                                    v1::JobStatus to, const std::string& idempotency_key,
                                    const std::string& traceparent) = 0;
  // The created job (or the one created by the first call with the same key).
  virtual absl::StatusOr<v1::JobReply> CreateJob(const std::string& tenant,
                                                 const v1::CreateJobRequest& request,
                                                 const std::string& traceparent) = 0;
};

class GrpcJobs final : public JobsPort {
 public:
  GrpcJobs(std::shared_ptr<grpc::Channel> channel, server::ServiceTokens* tokens,
           absl::Duration timeout)
      : stub_(v1::JobService::NewStub(std::move(channel))), tokens_(tokens), timeout_(timeout) {}

  // The job service at `address`, called with the tokens a service makes for itself from its
  // configuration (server::ServiceTokens).
  static absl::StatusOr<std::unique_ptr<GrpcJobs>> Connect(const server::ServerConfig& config,
                                                           const std::string& address,
                                                           absl::Duration timeout);

  absl::Status ChangeStatus(const std::string& tenant, const std::string& job_id, v1::JobStatus to,
                            const std::string& idempotency_key,
                            const std::string& traceparent) override;
  absl::StatusOr<v1::JobReply> CreateJob(const std::string& tenant,
                                         const v1::CreateJobRequest& request,
                                         const std::string& traceparent) override;

 private:
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> Context(const std::string& tenant,
                                                               const std::string& traceparent);

  std::unique_ptr<v1::JobService::Stub> stub_;
  server::ServiceTokens* tokens_;
  std::unique_ptr<server::ServiceTokens> owned_tokens_;  // when made by Connect
  absl::Duration timeout_;
};

}  // namespace jobledger::job
