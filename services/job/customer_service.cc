// CustomerService handlers.
#include "customer_service.h"

#include "jobledger/server/call_context.h"
#include "jobledger/server/respond.h"

namespace jobledger::job {

#define JL_CUSTOMER_RPC(Method, Request, Reply)                                                   \
  grpc::Status CustomerService::Method(Context* context, const Request* request, Reply* reply) {  \
    return server::Respond(                                                                       \
        customers_->Method(server::CallerOf(server::CallContext::Of(context)), *request), reply); \
  }

JL_CUSTOMER_RPC(CreateCustomer, v1::CreateCustomerRequest, v1::CustomerReply)
JL_CUSTOMER_RPC(UpdateCustomer, v1::UpdateCustomerRequest, v1::CustomerReply)
JL_CUSTOMER_RPC(SaveContact, v1::SaveContactRequest, v1::CustomerReply)
JL_CUSTOMER_RPC(RemoveContact, v1::RemoveContactRequest, v1::CustomerReply)
JL_CUSTOMER_RPC(SaveProperty, v1::SavePropertyRequest, v1::CustomerReply)
JL_CUSTOMER_RPC(RemoveProperty, v1::RemovePropertyRequest, v1::CustomerReply)
JL_CUSTOMER_RPC(GetCustomer, v1::GetCustomerRequest, v1::Customer)
JL_CUSTOMER_RPC(ListCustomers, v1::ListCustomersRequest, v1::ListCustomersResponse)
JL_CUSTOMER_RPC(SubmitRequest, v1::SubmitRequestRequest, v1::CustomerRequestReply)
JL_CUSTOMER_RPC(ConvertRequest, v1::ConvertRequestRequest, v1::ConvertRequestResponse)
JL_CUSTOMER_RPC(DeclineRequest, v1::DeclineRequestRequest, v1::CustomerRequestReply)
JL_CUSTOMER_RPC(GetRequest, v1::GetRequestRequest, v1::CustomerRequest)
JL_CUSTOMER_RPC(ListRequests, v1::ListRequestsRequest, v1::ListRequestsResponse)

#undef JL_CUSTOMER_RPC

}  // namespace jobledger::job
