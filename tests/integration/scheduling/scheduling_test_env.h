// The scheduling service with the real job service beside it, both in-process on port 0 over the
// same log (embedded in a temp directory, or Kafka through the dev broker): tokens for any user
// and role, stubs for every API, and helpers for the common setup.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "job_test_env.h"
#include "jobledger/scheduling/v1/scheduling_service.grpc.pb.h"
#include "scheduling_server.h"

namespace jobledger::scheduling::testing {

using job::testing::Backend;
using job::testing::IsOk;

class SchedulingEnv {
 public:
  explicit SchedulingEnv(Backend backend = Backend::kEmbedded);
  ~SchedulingEnv();

  // Starts (or restarts) the scheduling server on the same directory; waits until ready.
  void Start();
  void Stop();

  std::unique_ptr<grpc::ClientContext> As(const std::string& user, auth::Role role,
                                          const std::string& tenant = "acme") const {
    return jobs_env_.As(user, role, tenant);
  }
  std::unique_ptr<grpc::ClientContext> Dispatcher(const std::string& tenant = "acme") const {
    return As("dispatcher-1", auth::Role::kDispatcher, tenant);
  }
  job::testing::JobServiceEnv& jobs_env() { return jobs_env_; }
  job::v1::JobService::Stub& jobs() { return jobs_env_.jobs(); }
  v1::TechnicianService::Stub& technicians() { return *technician_stub_; }
  v1::DispatchService::Stub& dispatch() { return *dispatch_stub_; }
  v1::AgreementService::Stub& agreements() { return *agreement_stub_; }
  SchedulingServer& server() { return *server_; }
  // The scheduling service's data dir (beside the job service's, under the shared log's parent).
  const std::string& data_dir() const { return data_dir_; }
  std::string projections_dir() const { return data_dir_ + "/projections"; }

  // A technician with this user id, on shift Monday to Sunday 06:00–22:00 UTC.
  v1::Technician RegisterTechnician(const std::string& id, const std::string& name,
                                    std::vector<std::string> skills = {},
                                    const std::string& tenant = "acme");
  // A job for a new customer; `skills` and `minutes` as the job's requirements.
  std::string CreateJob(const std::string& title, std::vector<std::string> skills = {},
                        int64_t minutes = 0, const std::string& tenant = "acme");
  // A visit of `job_id` from `start` for `hours`, with these technicians; the RPC's status.
  grpc::Status Schedule(const std::string& job_id, absl::Time start, int hours,
                        std::vector<std::string> technicians, v1::ScheduleReply* reply,
                        bool allow_overlap = false);
  job::v1::JobStatus JobStatus(const std::string& job_id);

 private:
  job::testing::JobServiceEnv jobs_env_;
  std::string data_dir_;
  std::unique_ptr<SchedulingServer> server_;
  std::unique_ptr<v1::TechnicianService::Stub> technician_stub_;
  std::unique_ptr<v1::DispatchService::Stub> dispatch_stub_;
  std::unique_ptr<v1::AgreementService::Stub> agreement_stub_;
};

// A timestamp of a UTC civil time.
google::protobuf::Timestamp At(absl::CivilMinute minute);
absl::Time Utc(absl::CivilMinute minute);

}  // namespace jobledger::scheduling::testing
