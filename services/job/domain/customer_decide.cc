// Decide for customers and customer requests.
#include "domain/customer_decide.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "jobledger/aggregate/repeated.h"
#include "jobledger/common/field_checks.h"

namespace jobledger::job {
namespace {

using google::protobuf::util::MessageDifferencer;

const auto kContactId = [](const v1::Contact& e) -> const std::string& { return e.contact_id(); };
const auto kPropertyId = [](const v1::Property& e) -> const std::string& {
  return e.property_id();
};

absl::Status CustomerMustExist(const Head& head) {
  if (head.version == 0) return absl::NotFoundError("customer not found");
  return absl::OkStatus();
}

absl::Status RequestMustBePending(const v1::CustomerRequest& request, const Head& head) {
  if (head.version == 0) return absl::NotFoundError("customer request not found");
  if (request.status() == v1::REQUEST_STATUS_CONVERTED) {
    return absl::FailedPreconditionError(
        absl::StrCat("the request was already converted into job ", request.job_id()));
  }
  if (request.status() == v1::REQUEST_STATUS_DECLINED) {
    return absl::FailedPreconditionError("the request was declined");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CustomerEvent>> DecideCreateCustomer(const v1::Customer& state,
                                                                const Head& head,
                                                                const v1::Customer& customer) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("customer ", state.customer_id(), " exists already"));
  }
  v1::CustomerCreated created;
  *created.mutable_customer() = customer;
  return std::vector<CustomerEvent>{std::move(created)};
}

absl::StatusOr<std::vector<CustomerEvent>> DecideUpdateCustomer(
    const v1::Customer& customer, const Head& head, const v1::UpdateCustomerRequest& request) {
  if (absl::Status s = CustomerMustExist(head); !s.ok()) return s;
  v1::CustomerDetailsChanged changed;
  changed.set_name(request.name());
  *changed.mutable_tags() = request.tags();
  SortUnique(*changed.mutable_tags());
  changed.set_notes(request.notes());
  for (const std::string& field : request.update_fields()) {
    bool differs = false;
    if (field == "name") differs = customer.name() != changed.name();
    if (field == "notes") differs = customer.notes() != changed.notes();
    if (field == "tags") {
      differs = !std::equal(customer.tags().begin(), customer.tags().end(), changed.tags().begin(),
                            changed.tags().end());
    }
    if (differs) changed.add_changed_fields(field);
  }
  if (changed.changed_fields().empty()) return std::vector<CustomerEvent>{};
  return std::vector<CustomerEvent>{std::move(changed)};
}

absl::StatusOr<std::vector<CustomerEvent>> DecideSaveContact(const v1::Customer& customer,
                                                             const Head& head,
                                                             const v1::Contact& contact,
                                                             bool adding) {
  if (absl::Status s = CustomerMustExist(head); !s.ok()) return s;
  const v1::Contact* current = FindEntry(customer.contacts(), contact.contact_id(), kContactId);
  if (adding && current != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("contact ", contact.contact_id(), " exists"));
  }
  if (!adding && current == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("contact.contact_id: no contact ", contact.contact_id()));
  }
  if (current != nullptr && MessageDifferencer::Equals(*current, contact)) {
    return std::vector<CustomerEvent>{};
  }
  v1::ContactSaved saved;
  *saved.mutable_contact() = contact;
  return std::vector<CustomerEvent>{std::move(saved)};
}

absl::StatusOr<std::vector<CustomerEvent>> DecideRemoveContact(const v1::Customer& customer,
                                                               const Head& head,
                                                               const std::string& contact_id) {
  if (absl::Status s = CustomerMustExist(head); !s.ok()) return s;
  if (FindEntry(customer.contacts(), contact_id, kContactId) == nullptr) {
    return absl::NotFoundError(absl::StrCat("contact_id: no contact ", contact_id));
  }
  v1::ContactRemoved removed;
  removed.set_contact_id(contact_id);
  return std::vector<CustomerEvent>{std::move(removed)};
}

absl::StatusOr<std::vector<CustomerEvent>> DecideSaveProperty(const v1::Customer& customer,
                                                              const Head& head,
                                                              const v1::Property& property,
                                                              bool adding, bool make_primary) {
  if (absl::Status s = CustomerMustExist(head); !s.ok()) return s;
  const v1::Property* current =
      FindEntry(customer.properties(), property.property_id(), kPropertyId);
  if (adding && current != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("property ", property.property_id(), " exists"));
  }
  if (!adding && current == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("property.property_id: no property ", property.property_id()));
  }
  std::vector<CustomerEvent> events;
  if (current == nullptr || !MessageDifferencer::Equals(*current, property)) {
    v1::PropertySaved saved;
    *saved.mutable_property() = property;
    events.emplace_back(std::move(saved));
  }
  // A customer's first property becomes primary by itself (see Evolve).
  const bool becomes_primary_anyway = customer.primary_property_id().empty();
  if (make_primary && !becomes_primary_anyway &&
      customer.primary_property_id() != property.property_id()) {
    v1::PrimaryPropertySet primary;
    primary.set_property_id(property.property_id());
    events.emplace_back(std::move(primary));
  }
  return events;
}

absl::StatusOr<std::vector<CustomerEvent>> DecideRemoveProperty(const v1::Customer& customer,
                                                                const Head& head,
                                                                const std::string& property_id) {
  if (absl::Status s = CustomerMustExist(head); !s.ok()) return s;
  if (FindEntry(customer.properties(), property_id, kPropertyId) == nullptr) {
    return absl::NotFoundError(absl::StrCat("property_id: no property ", property_id));
  }
  v1::PropertyRemoved removed;
  removed.set_property_id(property_id);
  std::vector<CustomerEvent> events;
  events.emplace_back(std::move(removed));
  // The primary moves to the first remaining property rather than leaving none.
  if (customer.primary_property_id() == property_id) {
    for (const v1::Property& other : customer.properties()) {
      if (other.property_id() != property_id) {
        v1::PrimaryPropertySet primary;
        primary.set_property_id(other.property_id());
        events.emplace_back(std::move(primary));
        break;
      }
    }
  }
  return events;
}

absl::StatusOr<std::vector<RequestEvent>> DecideSubmitRequest(const v1::CustomerRequest& state,
                                                              const Head& head,
                                                              const v1::CustomerRequest& request) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("customer request ", state.request_id(), " exists already"));
  }
  v1::CustomerRequestReceived received;
  *received.mutable_request() = request;
  return std::vector<RequestEvent>{std::move(received)};
}

v1::CreateCustomerRequest ConversionCustomer(const v1::CustomerRequest& request,
                                             const std::string& idempotency_key) {
  v1::CreateCustomerRequest create;
  create.mutable_meta()->set_idempotency_key(idempotency_key);
  create.set_name(request.requester().name());
  v1::Contact contact = request.requester();
  contact.clear_contact_id();
  *create.add_contacts() = std::move(contact);
  // A property needs a first line; a request's address may have none, or only blanks.
  if (!IsBlank(request.address().line1())) {
    *create.add_properties()->mutable_address() = request.address();
  }
  return create;
}

absl::StatusOr<std::vector<RequestEvent>> DecideConvertRequest(const v1::CustomerRequest& request,
                                                               const Head& head,
                                                               const std::string& job_id,
                                                               const std::string& customer_id) {
  if (head.version != 0 && request.status() == v1::REQUEST_STATUS_CONVERTED &&
      request.job_id() == job_id) {
    return std::vector<RequestEvent>{};  // the same conversion again
  }
  if (absl::Status s = RequestMustBePending(request, head); !s.ok()) return s;
  v1::CustomerRequestConverted converted;
  converted.set_job_id(job_id);
  converted.set_customer_id(customer_id);
  return std::vector<RequestEvent>{std::move(converted)};
}

absl::StatusOr<std::vector<RequestEvent>> DecideDeclineRequest(const v1::CustomerRequest& request,
                                                               const Head& head,
                                                               const std::string& reason) {
  if (absl::Status s = RequestMustBePending(request, head); !s.ok()) return s;
  if (reason.empty()) return absl::InvalidArgumentError("reason: required to decline a request");
  v1::CustomerRequestDeclined declined;
  declined.set_reason(reason);
  return std::vector<RequestEvent>{std::move(declined)};
}

}  // namespace jobledger::job
