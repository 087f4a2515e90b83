// Request validation for the job service.
#include "domain/validate.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/uuid.h"

namespace jobledger::job {
namespace {

absl::Status ValidateTags(absl::string_view field,
                          const google::protobuf::RepeatedPtrField<std::string>& tags) {
  for (int i = 0; i < tags.size(); ++i) {
    if (absl::Status s = ValidateText(Indexed(field, i), tags[i], 64, true); !s.ok()) return s;
  }
  if (tags.size() > 50) return Invalid(field, "at most 50");
  return absl::OkStatus();
}

absl::Status ValidateAddress(absl::string_view field, const v1::Address& address) {
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"line1", &address.line1()},
        {"line2", &address.line2()},
        {"city", &address.city()},
        {"region", &address.region()},
        {"postal_code", &address.postal_code()}}) {
    if (absl::Status s = ValidateText(Field(field, name), *value, kMaxNameLength, false); !s.ok()) {
      return s;
    }
  }
  if (!address.country().empty() &&
      (address.country().size() != 2 || !absl::ascii_isupper(address.country()[0]) ||
       !absl::ascii_isupper(address.country()[1]))) {
    return Invalid(Field(field, "country"), "an ISO 3166-1 alpha-2 code such as US");
  }
  return absl::OkStatus();
}

absl::Status ValidateChecklistItem(absl::string_view field, const v1::ChecklistItem& item) {
  if (absl::Status s = ValidateId(Field(field, "item_id"), item.item_id(), false); !s.ok()) {
    return s;
  }
  return ValidateText(Field(field, "text"), item.text(), kMaxNameLength, true);
}

template <typename Items, typename IdOf>
absl::Status ValidateUniqueIds(absl::string_view field, const Items& items, IdOf id_of) {
  std::set<std::string> seen;
  for (int i = 0; i < items.size(); ++i) {
    const std::string& id = id_of(items[i]);
    if (!id.empty() && !seen.insert(id).second) {
      return Invalid(Indexed(field, i), "duplicate id");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateMoney(absl::string_view field, const common::v1::Money& money) {
  auto parsed = Money::FromProto(money);
  if (!parsed.ok()) return Invalid(field, parsed.status().message());
  return absl::OkStatus();
}

absl::Status ValidateContact(absl::string_view field, const v1::Contact& contact) {
  if (absl::Status s = ValidateId(Field(field, "contact_id"), contact.contact_id(), false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "name"), contact.name(), kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  const std::string& phone = contact.phone();
  if (!phone.empty()) {
    const bool e164 = phone.size() >= 8 && phone.size() <= 16 && phone[0] == '+' &&
                      phone.find_first_not_of("0123456789", 1) == std::string::npos;
    if (!e164) return Invalid(Field(field, "phone"), "an E.164 number such as +15551234567");
  }
  const std::string& email = contact.email();
  if (!email.empty()) {
    const size_t at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= email.size() ||
        email.find('@', at + 1) != std::string::npos || email.size() > 254 ||
        email.find_first_of(" \t\r\n<>,;\"") != std::string::npos) {
      return Invalid(Field(field, "email"), "not an email address");
    }
  }
  if (phone.empty() && email.empty())
    return Invalid(field, "a phone number or an email is required");
  if (contact.accepts_sms() && phone.empty()) {
    return Invalid(Field(field, "accepts_sms"), "needs a phone number");
  }
  if (contact.accepts_email() && email.empty()) {
    return Invalid(Field(field, "accepts_email"), "needs an email address");
  }
  return absl::OkStatus();
}

absl::Status ValidateProperty(absl::string_view field, const v1::Property& property) {
  if (absl::Status s = ValidateId(Field(field, "property_id"), property.property_id(), false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "name"), property.name(), kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "address.line1"), property.address().line1(),
                                    kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateAddress(Field(field, "address"), property.address()); !s.ok()) {
    return s;
  }
  return ValidateText(Field(field, "access_notes"), property.access_notes(), kMaxTextLength, false);
}

absl::Status ValidateCustomer(const v1::CreateCustomerRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateText("name", request.name(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateTags("tags", request.tags()); !s.ok()) return s;
  for (int i = 0; i < request.contacts_size(); ++i) {
    if (absl::Status s = ValidateContact(Indexed("contacts", i), request.contacts(i)); !s.ok()) {
      return s;
    }
  }
  for (int i = 0; i < request.properties_size(); ++i) {
    if (absl::Status s = ValidateProperty(Indexed("properties", i), request.properties(i));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ValidateUniqueIds("contacts", request.contacts(),
                                         [](const v1::Contact& c) { return c.contact_id(); });
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateUniqueIds("properties", request.properties(),
                                         [](const v1::Property& p) { return p.property_id(); });
      !s.ok()) {
    return s;
  }
  return ValidateText("notes", request.notes(), kMaxTextLength, false);
}

absl::Status ValidateUpdateCustomer(const v1::UpdateCustomerRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), true); !s.ok()) return s;
  if (request.update_fields().empty()) return Invalid("update_fields", "name what to change");
  for (int i = 0; i < request.update_fields_size(); ++i) {
    const std::string& field = request.update_fields(i);
    absl::Status s;
    if (field == "name") {
      s = ValidateText("name", request.name(), kMaxNameLength, true);
    } else if (field == "tags") {
      s = ValidateTags("tags", request.tags());
    } else if (field == "notes") {
      s = ValidateText("notes", request.notes(), kMaxTextLength, false);
    } else {
      s = Invalid(Indexed("update_fields", i), "one of name, tags, notes");
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateSubmitRequest(const v1::SubmitRequestRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (!v1::RequestSource_IsValid(request.source()) ||
      request.source() == v1::REQUEST_SOURCE_UNSPECIFIED) {
    return Invalid("source", "required");
  }
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), false); !s.ok()) return s;
  if (request.customer_id().empty()) {
    if (absl::Status s =
            ValidateText("requester.name", request.requester().name(), kMaxNameLength, true);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ValidateContact("requester", request.requester()); !s.ok()) return s;
  }
  if (absl::Status s = ValidateAddress("address", request.address()); !s.ok()) return s;
  if (absl::Status s = ValidateText("summary", request.summary(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("details", request.details(), kMaxTextLength, false); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateDate("preferred_date", request.preferred_date(), false); !s.ok()) {
    return s;
  }
  return ValidateText("preferred_window", request.preferred_window(), kMaxNameLength, false);
}

absl::Status ValidateConvertRequest(const v1::ConvertRequestRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta(), /*key_required=*/true); !s.ok()) return s;
  constexpr size_t kMaxKeyLength = kMaxIdempotencyKeyLength - sizeof("/customer") + 1;
  if (request.meta().idempotency_key().size() > kMaxKeyLength) {
    return Invalid("meta.idempotency_key",
                   absl::StrCat("at most ", kMaxKeyLength,
                                " bytes for a conversion (the customer and the job it makes add "
                                "/customer and /job to it)"));
  }
  return ValidateId("request_id", request.request_id(), true);
}

absl::Status ValidateLineItem(absl::string_view field, const v1::LineItem& item) {
  if (absl::Status s = ValidateId(Field(field, "line_item_id"), item.line_item_id(), false);
      !s.ok()) {
    return s;
  }
  if (!v1::LineItemKind_IsValid(item.kind()) || item.kind() == v1::LINE_ITEM_KIND_UNSPECIFIED) {
    return Invalid(Field(field, "kind"), "service, material or asset");
  }
  if (absl::Status s = ValidateText(Field(field, "name"), item.name(), kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateText(Field(field, "description"), item.description(), kMaxTextLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "price_book_item_id"), item.price_book_item_id(),
                                    kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  // Up to a million units: beyond that a typo is far likelier than an order.
  if (item.quantity_milli() <= 0 || item.quantity_milli() > 1'000'000'000) {
    return Invalid(Field(field, "quantity_milli"), "must be between 1 and 1,000,000,000");
  }
  return ValidateMoney(Field(field, "unit_price"), item.unit_price());
}

absl::Status ValidateExpense(absl::string_view field, const v1::Expense& expense) {
  if (absl::Status s = ValidateId(Field(field, "expense_id"), expense.expense_id(), false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateText(Field(field, "description"), expense.description(), kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateMoney(Field(field, "amount"), expense.amount()); !s.ok()) return s;
  if (expense.amount().minor_units() <= 0)
    return Invalid(Field(field, "amount"), "must be positive");
  if (absl::Status s =
          ValidateId(Field(field, "receipt_attachment_id"), expense.receipt_attachment_id(), false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateText(Field(field, "employee_id"), expense.employee_id(), kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  return ValidateDate(Field(field, "date"), expense.date(), false);
}

absl::Status ValidateEquipment(absl::string_view field, const v1::InstalledEquipment& equipment) {
  if (absl::Status s = ValidateId(Field(field, "equipment_id"), equipment.equipment_id(), false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "name"), equipment.name(), kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "serial_number"), equipment.serial_number(),
                                    kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  return ValidateDate(Field(field, "installed_on"), equipment.installed_on(), false);
}

absl::Status ValidateGeoPoint(absl::string_view field, const v1::GeoPoint& point) {
  if (!std::isfinite(point.latitude()) || point.latitude() < -90 || point.latitude() > 90) {
    return Invalid(Field(field, "latitude"), "between -90 and 90");
  }
  if (!std::isfinite(point.longitude()) || point.longitude() < -180 || point.longitude() > 180) {
    return Invalid(Field(field, "longitude"), "between -180 and 180");
  }
  if (!std::isfinite(point.accuracy_meters()) || point.accuracy_meters() < 0) {
    return Invalid(Field(field, "accuracy_meters"), "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status ValidateWorkEntry(absl::string_view field, const v1::WorkEntry& entry) {
  if (absl::Status s = ValidateId(Field(field, "entry_id"), entry.entry_id(), false); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateText(Field(field, "employee_id"), entry.employee_id(), kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateDate(Field(field, "date"), entry.date(), true); !s.ok()) return s;
  if (absl::Status s = ValidateText(Field(field, "type"), entry.type(), 64, false); !s.ok()) {
    return s;
  }
  if (entry.minutes() <= 0 || entry.minutes() > 24 * 60) {
    return Invalid(Field(field, "minutes"), "between 1 and 1440");
  }
  if (entry.has_clock_in() || entry.has_clock_out() || entry.open()) {
    return Invalid(field, "clock times come from ClockIn/ClockOut, not a manual entry");
  }
  return ValidateText(Field(field, "notes"), entry.notes(), kMaxTextLength, false);
}

absl::Status ValidateCreateJob(const v1::CreateJobRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("property_id", request.property_id(), false); !s.ok()) return s;
  if (request.has_address()) {
    if (absl::Status s = ValidateAddress("address", request.address()); !s.ok()) return s;
  }
  if (absl::Status s = ValidateText("title", request.title(), kMaxNameLength, false); !s.ok()) {
    return s;
  }
  if (IsBlank(request.title()) && request.line_items().empty()) {
    return Invalid("title", "required when there are no line items to take it from");
  }
  for (const auto& [field, value, max] :
       {std::tuple<const char*, const std::string*, size_t>{"description", &request.description(),
                                                            kMaxTextLength},
        {"external_number", &request.external_number(), kMaxNameLength},
        {"job_type", &request.job_type(), 64},
        {"notes", &request.notes(), kMaxTextLength}}) {
    if (absl::Status s = ValidateText(field, *value, max, false); !s.ok()) return s;
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"project_id", &request.project_id()},
        {"contract_id", &request.contract_id()},
        {"asset_id", &request.asset_id()}}) {
    if (absl::Status s = ValidateText(field, *value, kMaxNameLength, false); !s.ok()) return s;
  }
  if (request.has_contract_amount()) {
    if (absl::Status s = ValidateMoney("contract_amount", request.contract_amount()); !s.ok()) {
      return s;
    }
    if (request.contract_amount().minor_units() < 0) {
      return Invalid("contract_amount", "must not be negative");
    }
  }
  if (!v1::JobPriority_IsValid(request.priority())) return Invalid("priority", "unknown value");
  for (int i = 0; i < request.required_skills_size(); ++i) {
    if (absl::Status s =
            ValidateText(Indexed("required_skills", i), request.required_skills(i), 64, true);
        !s.ok()) {
      return s;
    }
  }
  if (request.estimated_minutes() < 0 || request.estimated_minutes() > 60 * 24 * 366) {
    return Invalid("estimated_minutes", "between 0 and a year");
  }
  if (request.has_scheduled_start()) {
    if (absl::Status s = ValidateTimestamp("scheduled_start", request.scheduled_start()); !s.ok()) {
      return s;
    }
  }
  if (request.has_scheduled_end()) {
    if (!request.has_scheduled_start()) return Invalid("scheduled_end", "needs scheduled_start");
    if (absl::Status s = ValidateTimestamp("scheduled_end", request.scheduled_end()); !s.ok()) {
      return s;
    }
    if (google::protobuf::util::TimeUtil::TimestampToMicroseconds(request.scheduled_end()) <
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(request.scheduled_start())) {
      return Invalid("scheduled_end", "before scheduled_start");
    }
  }
  std::string currency =
      request.has_contract_amount() ? request.contract_amount().currency() : std::string();
  for (int i = 0; i < request.line_items_size(); ++i) {
    const std::string field = Indexed("line_items", i);
    if (absl::Status s = ValidateLineItem(field, request.line_items(i)); !s.ok()) return s;
    const std::string& item_currency = request.line_items(i).unit_price().currency();
    if (currency.empty()) currency = item_currency;
    if (item_currency != currency) {
      return Invalid(Field(field, "unit_price.currency"),
                     absl::StrCat("the job's amounts are in ", currency));
    }
  }
  if (absl::Status s =
          ValidateUniqueIds("line_items", request.line_items(),
                            [](const v1::LineItem& item) { return item.line_item_id(); });
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < request.checklist_size(); ++i) {
    if (absl::Status s = ValidateChecklistItem(Indexed("checklist", i), request.checklist(i));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s =
          ValidateUniqueIds("checklist", request.checklist(),
                            [](const v1::ChecklistItem& item) { return item.item_id(); });
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("parent_job_id", request.parent_job_id(), false); !s.ok()) {
    return s;
  }
  if (request.progress_share_percent() != 0) {
    if (request.parent_job_id().empty()) {
      return Invalid("progress_share_percent", "only a subjob (parent_job_id) has a share");
    }
    if (request.progress_share_percent() < 1 || request.progress_share_percent() > 100) {
      return Invalid("progress_share_percent", "between 1 and 100");
    }
  }
  switch (request.initial_status()) {
    case v1::JOB_STATUS_UNSPECIFIED:
    case v1::JOB_STATUS_DRAFT:
    case v1::JOB_STATUS_OPEN:
      break;
    case v1::JOB_STATUS_SCHEDULED:
      if (!request.has_scheduled_start()) {
        return Invalid("initial_status", "Scheduled needs scheduled_start");
      }
      break;
    default:
      return Invalid("initial_status", "Draft, Open or Scheduled");
  }
  return absl::OkStatus();
}

absl::Status ValidateUpdateJob(const v1::UpdateJobRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (request.update_fields().empty()) return Invalid("update_fields", "name what to change");
  // Reuse the create checks on the details, field by field, through an equivalent request.
  v1::CreateJobRequest as_create;
  const v1::JobDetails& details = request.details();
  as_create.set_customer_id(details.customer_id().empty() ? Uuid().ToString()
                                                          : details.customer_id());
  as_create.set_title(details.title().empty() ? "x" : details.title());
  as_create.set_description(details.description());
  as_create.set_external_number(details.external_number());
  as_create.set_property_id(details.property_id());
  if (details.has_address()) *as_create.mutable_address() = details.address();
  as_create.set_project_id(details.project_id());
  as_create.set_contract_id(details.contract_id());
  if (details.has_contract_amount())
    *as_create.mutable_contract_amount() = details.contract_amount();
  as_create.set_priority(details.priority());
  as_create.set_job_type(details.job_type());
  *as_create.mutable_required_skills() = details.required_skills();
  as_create.set_estimated_minutes(details.estimated_minutes());
  if (details.has_scheduled_start())
    *as_create.mutable_scheduled_start() = details.scheduled_start();
  if (details.has_scheduled_end()) *as_create.mutable_scheduled_end() = details.scheduled_end();
  as_create.set_asset_id(details.asset_id());
  std::set<std::string> seen;
  for (int i = 0; i < request.update_fields_size(); ++i) {
    const std::string& name = request.update_fields(i);
    if (v1::JobDetails::descriptor()->FindFieldByName(name) == nullptr) {
      return Invalid(Indexed("update_fields", i), absl::StrCat("not a job detail: ", name));
    }
    if (!seen.insert(name).second) return Invalid(Indexed("update_fields", i), "listed twice");
  }
  if (seen.contains("title")) {
    if (absl::Status s = ValidateText("details.title", details.title(), kMaxNameLength, true);
        !s.ok()) {
      return s;
    }
  }
  if (seen.contains("customer_id")) {
    if (absl::Status s = ValidateId("details.customer_id", details.customer_id(), true); !s.ok()) {
      return s;
    }
  }
  if (seen.contains("scheduled_end") && !seen.contains("scheduled_start") &&
      details.has_scheduled_end()) {
    // Checked against the stored start in Decide.
    as_create.clear_scheduled_end();
  }
  absl::Status checked = ValidateCreateJob(as_create);
  if (!checked.ok()) return absl::InvalidArgumentError(absl::StrCat("details.", checked.message()));
  return absl::OkStatus();
}

absl::Status ValidateUploadMetadata(const v1::UploadAttachmentChunk::Metadata& metadata,
                                    int64_t max_bytes) {
  if (absl::Status s = ValidateMeta(metadata.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("metadata.job_id", metadata.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("metadata.attachment_id", metadata.attachment_id(), false);
      !s.ok()) {
    return s;
  }
  if (!v1::AttachmentKind_IsValid(metadata.kind()) ||
      metadata.kind() == v1::ATTACHMENT_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError("metadata.kind: photo, document, signature or receipt");
  }
  if (absl::Status s = ValidateText("metadata.name", metadata.name(), kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  const std::string& media_type = metadata.media_type();
  if (media_type.empty() || media_type.size() > 127 || media_type.find('/') == std::string::npos ||
      media_type.find_first_of(" \t\r\n;,") != std::string::npos) {
    return absl::InvalidArgumentError("metadata.media_type: a media type such as image/jpeg");
  }
  if (metadata.size_bytes() < 0 || metadata.size_bytes() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("metadata.size_bytes: between 0 and ", max_bytes));
  }
  return absl::OkStatus();
}

absl::Status ValidateBulkChangeStatus(const v1::BulkChangeStatusRequest& request) {
  if (request.job_ids().empty()) return absl::InvalidArgumentError("job_ids: required");
  if (request.job_ids_size() > kMaxBulkJobs) {
    return absl::InvalidArgumentError(absl::StrCat("job_ids: at most ", kMaxBulkJobs));
  }
  // Each job id is checked here, not as part of its item's idempotency key ("<key>/<job id>").
  for (int i = 0; i < request.job_ids_size(); ++i) {
    if (absl::Status s = ValidateId(absl::StrCat("job_ids[", i, "]"), request.job_ids(i), true);
        !s.ok()) {
      return s;
    }
  }
  return ValidateText("idempotency_key", request.idempotency_key(), kMaxIdempotencyKeyLength - 40,
                      false);
}

absl::Status ValidateOfflineBatch(const v1::OfflineBatchRequest& request) {
  if (absl::Status s = ValidateText("device_id", request.device_id(), 64, true); !s.ok()) return s;
  if (request.commands_size() > kMaxOfflineCommands) {
    return absl::InvalidArgumentError(absl::StrCat("commands: at most ", kMaxOfflineCommands));
  }
  for (int i = 0; i < request.commands_size(); ++i) {
    if (absl::Status s = ValidateText(absl::StrCat("commands[", i, "].command_id"),
                                      request.commands(i).command_id(), 56, true);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace jobledger::job
