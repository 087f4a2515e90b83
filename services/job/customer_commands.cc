// Customers and customer requests.
#include "customer_commands.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/customer_decide.h"
#include "domain/validate.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/aggregate/repeated.h"
#include "projections/job_tables.h"

namespace jobledger::job {
namespace {

v1::CustomerReply CustomerReplyOf(const aggregate::Outcome<v1::Customer>& outcome) {
  v1::CustomerReply reply;
  FillCommandResult(outcome.state.customer_id(), outcome.version, outcome.position,
                    outcome.replayed, reply.mutable_result());
  *reply.mutable_customer() = outcome.state;
  return reply;
}

v1::CustomerRequestReply RequestReplyOf(const aggregate::Outcome<v1::CustomerRequest>& outcome) {
  v1::CustomerRequestReply reply;
  FillCommandResult(outcome.state.request_id(), outcome.version, outcome.position, outcome.replayed,
                    reply.mutable_result());
  *reply.mutable_request() = outcome.state;
  return reply;
}

}  // namespace

std::string CustomerCommands::CreatedId(const server::Caller& caller, absl::string_view type,
                                        absl::string_view idempotency_key) {
  if (idempotency_key.empty()) return NewId();
  return aggregate::DerivedAggregateId(caller.tenant, type, idempotency_key).ToString();
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::OnCustomer(const server::Caller& caller,
                                                               const common::v1::CommandMeta& meta,
                                                               const std::string& customer_id,
                                                               Decide decide) {
  if (absl::Status s = ValidateMeta(meta); !s.ok()) return s;
  if (absl::Status s = ValidateId("customer_id", customer_id, true); !s.ok()) return s;
  auto outcome = options_.customers->Execute(options_.customers->Key(caller.tenant, customer_id),
                                             server::CommandMetaOf(caller, meta), decide);
  if (!outcome.ok()) return outcome.status();
  return CustomerReplyOf(*outcome);
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::CreateCustomer(
    const server::Caller& caller, const v1::CreateCustomerRequest& request) {
  if (absl::Status s = ValidateCustomer(request); !s.ok()) return s;
  v1::Customer customer;
  customer.set_customer_id(CreatedId(caller, "customer", request.meta().idempotency_key()));
  customer.set_name(request.name());
  *customer.mutable_tags() = request.tags();
  SortUnique(*customer.mutable_tags());
  for (v1::Contact contact : request.contacts()) {
    if (contact.contact_id().empty()) contact.set_contact_id(NewId());
    *customer.add_contacts() = std::move(contact);
  }
  for (v1::Property property : request.properties()) {
    if (property.property_id().empty()) property.set_property_id(NewId());
    *customer.add_properties() = std::move(property);
  }
  if (!customer.properties().empty()) {
    customer.set_primary_property_id(customer.properties(0).property_id());
  }
  customer.set_notes(request.notes());
  return OnCustomer(caller, request.meta(), customer.customer_id(),
                    [&](const v1::Customer& state, const Head& head) {
                      return DecideCreateCustomer(state, head, customer);
                    });
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::UpdateCustomer(
    const server::Caller& caller, const v1::UpdateCustomerRequest& request) {
  if (absl::Status s = ValidateUpdateCustomer(request); !s.ok()) return s;
  return OnCustomer(caller, request.meta(), request.customer_id(),
                    [&](const v1::Customer& customer, const Head& head) {
                      return DecideUpdateCustomer(customer, head, request);
                    });
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::SaveContact(
    const server::Caller& caller, const v1::SaveContactRequest& request) {
  if (absl::Status s = ValidateContact("contact", request.contact()); !s.ok()) return s;
  v1::Contact contact = request.contact();
  const bool adding = contact.contact_id().empty();
  if (adding) contact.set_contact_id(NewId());
  return OnCustomer(caller, request.meta(), request.customer_id(),
                    [&](const v1::Customer& customer, const Head& head) {
                      return DecideSaveContact(customer, head, contact, adding);
                    });
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::RemoveContact(
    const server::Caller& caller, const v1::RemoveContactRequest& request) {
  if (absl::Status s = ValidateId("contact_id", request.contact_id(), true); !s.ok()) return s;
  return OnCustomer(caller, request.meta(), request.customer_id(),
                    [&](const v1::Customer& customer, const Head& head) {
                      return DecideRemoveContact(customer, head, request.contact_id());
                    });
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::SaveProperty(
    const server::Caller& caller, const v1::SavePropertyRequest& request) {
  if (absl::Status s = ValidateProperty("property", request.property()); !s.ok()) return s;
  v1::Property property = request.property();
  const bool adding = property.property_id().empty();
  if (adding) property.set_property_id(NewId());
  return OnCustomer(caller, request.meta(), request.customer_id(),
                    [&](const v1::Customer& customer, const Head& head) {
                      return DecideSaveProperty(customer, head, property, adding,
                                                request.make_primary());
                    });
}

absl::StatusOr<v1::CustomerReply> CustomerCommands::RemoveProperty(
    const server::Caller& caller, const v1::RemovePropertyRequest& request) {
  if (absl::Status s = ValidateId("property_id", request.property_id(), true); !s.ok()) return s;
  return OnCustomer(caller, request.meta(), request.customer_id(),
                    [&](const v1::Customer& customer, const Head& head) {
                      return DecideRemoveProperty(customer, head, request.property_id());
                    });
}

absl::StatusOr<v1::Customer> CustomerCommands::GetCustomer(
    const server::Caller& caller, const v1::GetCustomerRequest& request) const {
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), true); !s.ok()) return s;
  if (absl::Status s = options_.queries->WaitForPosition(caller, request.min_position()); !s.ok()) {
    return s;
  }
  auto current =
      options_.customers->Read(options_.customers->Key(caller.tenant, request.customer_id()));
  if (!current.ok()) return current.status();
  if (current->second.version == 0) {
    return absl::NotFoundError(absl::StrCat("customer ", request.customer_id(), " not found"));
  }
  return std::move(current->first);
}

absl::StatusOr<v1::ListCustomersResponse> CustomerCommands::ListCustomers(
    const server::Caller& caller, const v1::ListCustomersRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), 50, 500);
  if (!page_size.ok()) return page_size.status();
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"name_prefix", &request.name_prefix()},
        {"tag", &request.tag()}}) {
    if (absl::Status s = ValidateText(field, *value, kMaxNameLength, false); !s.ok()) return s;
  }
  if (absl::Status s = options_.queries->WaitForPosition(caller, request.min_position()); !s.ok()) {
    return s;
  }
  // Both indexes lead with the tenant; the name (prefix) follows, unterminated for a prefix.
  projection::KeyBuilder prefix;
  prefix.String(caller.tenant);
  std::string index = "name";
  if (!request.tag().empty()) {
    index = "tag";
    prefix.String(absl::AsciiStrToLower(request.tag()));
  }
  std::string scan_prefix = prefix.key();
  if (!request.name_prefix().empty()) {
    scan_prefix = projection::KeyBuilder()
                      .Raw(scan_prefix)
                      .String(absl::AsciiStrToLower(request.name_prefix()))
                      .key();
    scan_prefix.resize(scan_prefix.size() - 2);
  }
  auto page = CustomerTable().ScanIndex(*options_.projection->store(), index, scan_prefix,
                                        {request.page_token(), static_cast<size_t>(*page_size)});
  if (!page.ok()) return page.status();
  v1::ListCustomersResponse response;
  for (const v1::CustomerRow& row : page->rows) *response.add_customers() = row.customer();
  response.set_next_page_token(page->next_cursor);
  return response;
}

absl::StatusOr<v1::CustomerRequestReply> CustomerCommands::SubmitRequest(
    const server::Caller& caller, const v1::SubmitRequestRequest& request) {
  if (absl::Status s = ValidateSubmitRequest(request); !s.ok()) return s;
  if (!request.customer_id().empty()) {
    auto customer =
        options_.customers->Read(options_.customers->Key(caller.tenant, request.customer_id()));
    if (!customer.ok()) return customer.status();
    if (customer->second.version == 0) {
      return absl::NotFoundError(absl::StrCat("customer_id: no customer ", request.customer_id()));
    }
  }
  v1::CustomerRequest record;
  record.set_request_id(CreatedId(caller, "customer_request", request.meta().idempotency_key()));
  record.set_source(request.source());
  record.set_customer_id(request.customer_id());
  *record.mutable_requester() = request.requester();
  *record.mutable_address() = request.address();
  record.set_summary(request.summary());
  record.set_details(request.details());
  *record.mutable_preferred_date() = request.preferred_date();
  record.set_preferred_window(request.preferred_window());
  auto outcome =
      options_.requests->Execute(options_.requests->Key(caller.tenant, record.request_id()),
                                 server::CommandMetaOf(caller, request.meta()),
                                 [&](const v1::CustomerRequest& state, const Head& head) {
                                   return DecideSubmitRequest(state, head, record);
                                 });
  if (!outcome.ok()) return outcome.status();
  return RequestReplyOf(*outcome);
}

absl::StatusOr<v1::ConvertRequestResponse> CustomerCommands::ConvertRequest(
    const server::Caller& caller, const v1::ConvertRequestRequest& request) {
  if (absl::Status s = ValidateConvertRequest(request); !s.ok()) return s;
  const std::string& key = request.meta().idempotency_key();
  auto current =
      options_.requests->Read(options_.requests->Key(caller.tenant, request.request_id()));
  if (!current.ok()) return current.status();
  const v1::CustomerRequest& found = current->first;
  if (current->second.version == 0) {
    return absl::NotFoundError(
        absl::StrCat("customer request ", request.request_id(), " not found"));
  }
  const bool pending = found.status() == v1::REQUEST_STATUS_PENDING;
  if (!pending && found.status() != v1::REQUEST_STATUS_CONVERTED) {
    return absl::FailedPreconditionError("the request was declined");
  }

  // 1. The customer: the request's, or a new one made from the caller's details.
  std::string customer_id = found.customer_id();
  if (customer_id.empty()) {
    auto customer =
        CreateCustomer(caller, ConversionCustomer(found, absl::StrCat(key, "/customer")));
    if (!customer.ok()) return customer.status();
    customer_id = customer->customer().customer_id();
  }
  // 2. The job.
  v1::CreateJobRequest job = request.job();
  job.mutable_meta()->set_idempotency_key(absl::StrCat(key, "/job"));
  if (job.customer_id().empty()) job.set_customer_id(customer_id);
  if (job.title().empty() && job.line_items().empty()) job.set_title(found.summary());
  if (job.description().empty()) job.set_description(found.details());
  v1::ConvertRequestResponse response;
  auto created = options_.jobs->CreateJob(caller, job);
  if (!created.ok()) {
    return absl::Status(created.status().code(), absl::StrCat("job.", created.status().message()));
  }
  *response.mutable_job() = *created;
  // 3. The request remembers the job it became.
  const std::string job_id = created->job().job_id();
  common::v1::CommandMeta meta = request.meta();
  auto outcome = options_.requests->Execute(
      options_.requests->Key(caller.tenant, request.request_id()),
      server::CommandMetaOf(caller, meta), [&](const v1::CustomerRequest& state, const Head& head) {
        return DecideConvertRequest(state, head, job_id, job.customer_id());
      });
  if (!outcome.ok()) return outcome.status();
  v1::CustomerRequestReply reply = RequestReplyOf(*outcome);
  *response.mutable_result() = reply.result();
  *response.mutable_request() = reply.request();
  return response;
}

absl::StatusOr<v1::CustomerRequestReply> CustomerCommands::DeclineRequest(
    const server::Caller& caller, const v1::DeclineRequestRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("request_id", request.request_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateText("reason", request.reason(), kMaxTextLength, true); !s.ok()) {
    return s;
  }
  auto outcome =
      options_.requests->Execute(options_.requests->Key(caller.tenant, request.request_id()),
                                 server::CommandMetaOf(caller, request.meta()),
                                 [&](const v1::CustomerRequest& state, const Head& head) {
                                   return DecideDeclineRequest(state, head, request.reason());
                                 });
  if (!outcome.ok()) return outcome.status();
  return RequestReplyOf(*outcome);
}

absl::StatusOr<v1::CustomerRequest> CustomerCommands::GetRequest(
    const server::Caller& caller, const v1::GetRequestRequest& request) const {
  if (absl::Status s = ValidateId("request_id", request.request_id(), true); !s.ok()) return s;
  if (absl::Status s = options_.queries->WaitForPosition(caller, request.min_position()); !s.ok()) {
    return s;
  }
  auto current =
      options_.requests->Read(options_.requests->Key(caller.tenant, request.request_id()));
  if (!current.ok()) return current.status();
  if (current->second.version == 0) {
    return absl::NotFoundError(
        absl::StrCat("customer request ", request.request_id(), " not found"));
  }
  return std::move(current->first);
}

absl::StatusOr<v1::ListRequestsResponse> CustomerCommands::ListRequests(
    const server::Caller& caller, const v1::ListRequestsRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), 50, 500);
  if (!page_size.ok()) return page_size.status();
  if (!v1::RequestStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError("status: unknown value");
  }
  if (absl::Status s = options_.queries->WaitForPosition(caller, request.min_position()); !s.ok()) {
    return s;
  }
  projection::KeyBuilder prefix;
  prefix.String(caller.tenant);
  if (request.status() != v1::REQUEST_STATUS_UNSPECIFIED) prefix.Int64(request.status());
  auto page = RequestTable().ScanIndex(*options_.projection->store(), "status", prefix.key(),
                                       {request.page_token(), static_cast<size_t>(*page_size)});
  if (!page.ok()) return page.status();
  v1::ListRequestsResponse response;
  for (const v1::RequestRow& row : page->rows) *response.add_requests() = row.request();
  response.set_next_page_token(page->next_cursor);
  return response;
}

}  // namespace jobledger::job
