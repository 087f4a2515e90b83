// Decide for customers and customer requests.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/job_events.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/job/v1/job_service.pb.h"

namespace jobledger::job {

using aggregate::Head;

// `customer` is the new record with every contact and property id assigned.
absl::StatusOr<std::vector<CustomerEvent>> DecideCreateCustomer(const v1::Customer& state,
                                                                const Head& head,
                                                                const v1::Customer& customer);
absl::StatusOr<std::vector<CustomerEvent>> DecideUpdateCustomer(
    const v1::Customer& customer, const Head& head, const v1::UpdateCustomerRequest& request);
// `contact` has its id (new or existing).
absl::StatusOr<std::vector<CustomerEvent>> DecideSaveContact(const v1::Customer& customer,
                                                             const Head& head,
                                                             const v1::Contact& contact,
                                                             bool adding);
absl::StatusOr<std::vector<CustomerEvent>> DecideRemoveContact(const v1::Customer& customer,
                                                               const Head& head,
                                                               const std::string& contact_id);
absl::StatusOr<std::vector<CustomerEvent>> DecideSaveProperty(const v1::Customer& customer,
                                                              const Head& head,
                                                              const v1::Property& property,
                                                              bool adding, bool make_primary);
absl::StatusOr<std::vector<CustomerEvent>> DecideRemoveProperty(const v1::Customer& customer,
                                                                const Head& head,
                                                                const std::string& property_id);

absl::StatusOr<std::vector<RequestEvent>> DecideSubmitRequest(const v1::CustomerRequest& state,
                                                              const Head& head,
                                                              const v1::CustomerRequest& request);
// The customer ConvertRequest creates for a request from a new caller (no customer_id), under
// `idempotency_key`: named after the requester, with them as its contact and the request's
// address, when its first line is not blank, as its property. A request SubmitRequest accepted
// makes one CreateCustomer accepts.
v1::CreateCustomerRequest ConversionCustomer(const v1::CustomerRequest& request,
                                             const std::string& idempotency_key);
absl::StatusOr<std::vector<RequestEvent>> DecideConvertRequest(const v1::CustomerRequest& request,
                                                               const Head& head,
                                                               const std::string& job_id,
                                                               const std::string& customer_id);
absl::StatusOr<std::vector<RequestEvent>> DecideDeclineRequest(const v1::CustomerRequest& request,
                                                               const Head& head,
                                                               const std::string& reason);

}  // namespace jobledger::job
