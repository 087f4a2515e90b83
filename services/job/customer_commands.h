// Customers, their contacts and properties, and customer requests: commands and queries.
// Customer data is shared by the whole tenant (technicians see it for the jobs they work on, and
// every role can look customers up); the job list's visibility rule concerns jobs.
#pragma once

#include "absl/status/statusor.h"
#include "job_commands.h"
#include "job_queries.h"
#include "jobledger/job/v1/job_service.pb.h"
#include "jobledger/server/caller.h"

namespace jobledger::job {

struct CustomerCommandsOptions {
  CustomerWriter* customers = nullptr;
  RequestWriter* requests = nullptr;
  JobCommands* jobs = nullptr;
  const JobQueries* queries = nullptr;  // for min_position waits
  const projection::ProjectionRunner* projection = nullptr;
  IdGenerator* ids = nullptr;
};

class CustomerCommands {
 public:
  explicit CustomerCommands(CustomerCommandsOptions options) : options_(std::move(options)) {}

  absl::StatusOr<v1::CustomerReply> CreateCustomer(const server::Caller& caller,
                                                   const v1::CreateCustomerRequest& request);
  absl::StatusOr<v1::CustomerReply> UpdateCustomer(const server::Caller& caller,
                                                   const v1::UpdateCustomerRequest& request);
  absl::StatusOr<v1::CustomerReply> SaveContact(const server::Caller& caller,
                                                const v1::SaveContactRequest& request);
  absl::StatusOr<v1::CustomerReply> RemoveContact(const server::Caller& caller,
                                                  const v1::RemoveContactRequest& request);
  absl::StatusOr<v1::CustomerReply> SaveProperty(const server::Caller& caller,
                                                 const v1::SavePropertyRequest& request);
  absl::StatusOr<v1::CustomerReply> RemoveProperty(const server::Caller& caller,
                                                   const v1::RemovePropertyRequest& request);
  absl::StatusOr<v1::Customer> GetCustomer(const server::Caller& caller,
                                           const v1::GetCustomerRequest& request) const;
  absl::StatusOr<v1::ListCustomersResponse> ListCustomers(
      const server::Caller& caller, const v1::ListCustomersRequest& request) const;

  absl::StatusOr<v1::CustomerRequestReply> SubmitRequest(const server::Caller& caller,
                                                         const v1::SubmitRequestRequest& request);
  // Creates the job (and the customer, for a caller who is not one yet), then marks the request
  // converted. Each step is idempotent under the command's key, so a retry after a failure
  // between them finishes the conversion instead of making a second job.
  absl::StatusOr<v1::ConvertRequestResponse> ConvertRequest(
      const server::Caller& caller, const v1::ConvertRequestRequest& request);
  absl::StatusOr<v1::CustomerRequestReply> DeclineRequest(const server::Caller& caller,
                                                          const v1::DeclineRequestRequest& request);
  absl::StatusOr<v1::CustomerRequest> GetRequest(const server::Caller& caller,
                                                 const v1::GetRequestRequest& request) const;
  absl::StatusOr<v1::ListRequestsResponse> ListRequests(
      const server::Caller& caller, const v1::ListRequestsRequest& request) const;

 private:
  using Decide = absl::FunctionRef<absl::StatusOr<std::vector<CustomerEvent>>(const v1::Customer&,
                                                                              const Head&)>;
  absl::StatusOr<v1::CustomerReply> OnCustomer(const server::Caller& caller,
                                               const common::v1::CommandMeta& meta,
                                               const std::string& customer_id, Decide decide);
  std::string NewId() { return options_.ids->NewId().ToString(); }
  // The create's id: derived from the idempotency key when there is one (so a retry finds it).
  std::string CreatedId(const server::Caller& caller, absl::string_view type,
                        absl::string_view idempotency_key);

  CustomerCommandsOptions options_;
};

}  // namespace jobledger::job
