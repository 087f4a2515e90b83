// The demo seeder's connection to the services.
#include "demo_client.h"

#include "jobledger/common/proto_time.h"

namespace jobledger::cli::demo {
namespace {

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

}  // namespace

Actor Dispatcher() { return {auth::Role::kDispatcher, "dispatcher-demo"}; }
Actor Manager() { return {auth::Role::kManager, "manager-demo"}; }
Actor BillingClerk() { return {auth::Role::kBilling, "billing-demo"}; }
Actor TechnicianActor(const std::string& technician_id) {
  return {auth::Role::kTechnician, technician_id};
}

common::v1::CommandMeta Meta(absl::string_view what, absl::Time occurred_at) {
  common::v1::CommandMeta meta;
  meta.set_idempotency_key(absl::StrCat("demo/", what));
  if (occurred_at != absl::InfinitePast()) *meta.mutable_occurred_at() = ProtoFromTime(occurred_at);
  return meta;
}

DemoClient::DemoClient(const DemoSeedOptions& options)
    : token_source_(options.token), deadline_(absl::Now() + options.deadline) {
  const auto job_channel = ChannelTo(options.endpoints.job);
  customers_ = job::v1::CustomerService::NewStub(job_channel);
  jobs_ = job::v1::JobService::NewStub(job_channel);
  const auto scheduling_channel = ChannelTo(options.endpoints.scheduling);
  technicians_ = scheduling::v1::TechnicianService::NewStub(scheduling_channel);
  dispatch_ = scheduling::v1::DispatchService::NewStub(scheduling_channel);
  billing_ = billing::v1::BillingService::NewStub(ChannelTo(options.endpoints.billing));
}

absl::StatusOr<std::string> DemoClient::Token(const Actor& actor) {
  const std::pair<auth::Role, std::string> key{actor.role, actor.subject};
  if (auto found = tokens_.find(key); found != tokens_.end()) return found->second;
  if (!token_source_) return absl::FailedPreconditionError("no token source given");
  absl::StatusOr<std::string> token = token_source_(actor.role, actor.subject);
  if (!token.ok()) {
    return absl::Status(token.status().code(),
                        absl::StrCat("token for ", actor.subject, " as ",
                                     auth::RoleName(actor.role), ": ", token.status().message()));
  }
  tokens_.emplace(key, *token);
  return token;
}

absl::Status DemoClient::Failed(absl::string_view what, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

absl::Status DemoClient::Failed(absl::string_view what, const grpc::Status& status) {
  return Failed(what, absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                                   status.error_message()));
}

}  // namespace jobledger::cli::demo
