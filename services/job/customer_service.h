// The gRPC handlers of jobledger.job.v1.CustomerService.
#pragma once

#include "customer_commands.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"

namespace jobledger::job {

class CustomerService final : public v1::CustomerService::Service {
 public:
  explicit CustomerService(CustomerCommands* customers) : customers_(customers) {}

  using Context = grpc::ServerContext;
  grpc::Status CreateCustomer(Context*, const v1::CreateCustomerRequest*,
                              v1::CustomerReply*) override;
  grpc::Status UpdateCustomer(Context*, const v1::UpdateCustomerRequest*,
                              v1::CustomerReply*) override;
  grpc::Status SaveContact(Context*, const v1::SaveContactRequest*, v1::CustomerReply*) override;
  grpc::Status RemoveContact(Context*, const v1::RemoveContactRequest*,
                             v1::CustomerReply*) override;
  grpc::Status SaveProperty(Context*, const v1::SavePropertyRequest*, v1::CustomerReply*) override;
  grpc::Status RemoveProperty(Context*, const v1::RemovePropertyRequest*,
                              v1::CustomerReply*) override;
  grpc::Status GetCustomer(Context*, const v1::GetCustomerRequest*, v1::Customer*) override;
  grpc::Status ListCustomers(Context*, const v1::ListCustomersRequest*,
                             v1::ListCustomersResponse*) override;
  grpc::Status SubmitRequest(Context*, const v1::SubmitRequestRequest*,
                             v1::CustomerRequestReply*) override;
  grpc::Status ConvertRequest(Context*, const v1::ConvertRequestRequest*,
                              v1::ConvertRequestResponse*) override;
  grpc::Status DeclineRequest(Context*, const v1::DeclineRequestRequest*,
                              v1::CustomerRequestReply*) override;
  grpc::Status GetRequest(Context*, const v1::GetRequestRequest*, v1::CustomerRequest*) override;
  grpc::Status ListRequests(Context*, const v1::ListRequestsRequest*,
                            v1::ListRequestsResponse*) override;

 private:
  CustomerCommands* customers_;
};

}  // namespace jobledger::job
