// Fuzzes the job service's command validation and decisions (jobs, attachment uploads, bulk status
// changes, offline batches, customers, requests) with serialized requests: see command_fuzz.h.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "command_fuzz.h"
#include "domain/customer_decide.h"
#include "domain/decide.h"
#include "domain/evolve.h"
#include "domain/validate.h"

namespace jobledger::job {
namespace {

using fuzz::Accepted;
using fuzz::CheckDecision;
using fuzz::CommandTable;
using fuzz::Now;

constexpr std::array<v1::JobStatus, 8> kStatuses = {
    v1::JOB_STATUS_DRAFT,       v1::JOB_STATUS_OPEN,    v1::JOB_STATUS_SCHEDULED,
    v1::JOB_STATUS_IN_PROGRESS, v1::JOB_STATUS_ON_HOLD, v1::JOB_STATUS_COMPLETED,
    v1::JOB_STATUS_CANCELLED,   v1::JOB_STATUS_DEFERRED};

// A job of version 6 in one of the statuses, with one item of every kind whose ids the seeds use.
v1::Job JobInState(int state) {
  v1::Job job;
  job.set_job_id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  job.set_number(7);
  job.set_title("Fix the leak");
  job.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  job.set_status(kStatuses[state % kStatuses.size()]);
  job.set_version(6);
  v1::LineItem& line = *job.add_line_items();
  line.set_line_item_id("0190a1b2-c3d4-7e5f-8a9b-000000000101");
  line.set_kind(v1::LINE_ITEM_KIND_SERVICE);
  line.set_name("Drain cleaning");
  line.set_quantity_milli(1000);
  line.mutable_unit_price()->set_minor_units(12'000);
  line.mutable_unit_price()->set_currency("USD");
  *line.mutable_total() = line.unit_price();
  line.set_billable(true);
  job.add_expenses()->set_expense_id("0190a1b2-c3d4-7e5f-8a9b-000000000102");
  job.add_equipment()->set_equipment_id("0190a1b2-c3d4-7e5f-8a9b-000000000103");
  v1::Note& note = *job.add_notes();
  note.set_note_id("0190a1b2-c3d4-7e5f-8a9b-000000000104");
  note.set_text("Gate code 1234");
  note.set_visibility(v1::NOTE_VISIBILITY_INTERNAL);
  v1::ChecklistItem& item = *job.add_checklist();
  item.set_item_id("0190a1b2-c3d4-7e5f-8a9b-000000000105");
  item.set_text("Photo of the trap");
  item.set_required(true);
  job.add_attachments()->set_attachment_id("0190a1b2-c3d4-7e5f-8a9b-000000000106");
  if (job.status() == v1::JOB_STATUS_IN_PROGRESS) {
    v1::WorkEntry& entry = *job.add_work_log();
    entry.set_entry_id("0190a1b2-c3d4-7e5f-8a9b-000000000107");
    entry.set_employee_id("u-tech");
    entry.set_type("regular");
    entry.mutable_clock_in()->set_seconds(fuzz::kNowSeconds - 3600);
    entry.set_open(true);
  }
  return job;
}

aggregate::Head HeadOf(const v1::Job& job) { return {job.version(), "hash"}; }
aggregate::Head HeadOf(const v1::CustomerRequest& request) { return {request.version(), "hash"}; }

void CheckJob(const absl::StatusOr<std::vector<JobEvent>>& decided, const v1::Job& job) {
  CheckDecision(decided, job, HeadOf(job), EvolveJob);
}

v1::Customer ExistingCustomer() {
  v1::Customer customer;
  customer.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  customer.set_name("Ada Lovelace");
  v1::Contact& contact = *customer.add_contacts();
  contact.set_contact_id("0190a1b2-c3d4-7e5f-8a9b-000000000108");
  contact.set_name("Ada");
  contact.set_phone("+15555550100");
  v1::Property& property = *customer.add_properties();
  property.set_property_id("0190a1b2-c3d4-7e5f-8a9b-000000000109");
  property.set_name("Home");
  property.mutable_address()->set_line1("1 Main St");
  customer.set_primary_property_id("0190a1b2-c3d4-7e5f-8a9b-000000000109");
  // kCustomerHead's: Evolve applies changes only to a customer that exists.
  customer.set_version(3);
  return customer;
}

const aggregate::Head kCustomerHead{3, "hash"};

// The largest upload the content store takes by default.
constexpr int64_t kMaxUploadBytes = int64_t{100} << 20;

// A customer request submitted by a new caller (even `state`) or by the customer, then pending,
// converted or declined (by `state / 2`).
v1::CustomerRequest RequestInState(int state) {
  v1::CustomerRequest record;
  record.set_request_id("0190a1b2-c3d4-7e5f-8a9b-00000000010a");
  record.set_source(v1::REQUEST_SOURCE_PHONE);
  if (state % 2 == 0) {
    record.mutable_requester()->set_name("Grace Hopper");
    record.mutable_requester()->set_phone("+15555550111");
    record.mutable_address()->set_line1("2 Side St");
  } else {
    record.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  }
  record.set_summary("Leaking tap");
  record = fuzz::Made(v1::CustomerRequest(), DecideSubmitRequest(v1::CustomerRequest(), {}, record),
                      EvolveRequest);
  if (state / 2 % 3 == 1) {
    record = fuzz::Made(
        record,
        DecideConvertRequest(record, HeadOf(record), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                             "0190a1b2-c3d4-7e5f-8a9b-000000000001"),
        EvolveRequest);
  } else if (state / 2 % 3 == 2) {
    record = fuzz::Made(record, DecideDeclineRequest(record, HeadOf(record), "out of area"),
                        EvolveRequest);
  }
  return record;
}

// The commands below are also what a duplicate, a conversion, a bulk change or an offline batch
// runs.
void CheckCreateJob(int state, const v1::CreateJobRequest& request) {
  if (!Accepted(ValidateCreateJob(request))) return;
  const v1::Job parent = JobInState(state);
  auto initial =
      BuildNewJob(request, ExistingCustomer(), request.parent_job_id().empty() ? nullptr : &parent,
                  "0190a1b2-c3d4-7e5f-8a9b-0000000000bb", 8, fuzz::NewId);
  if (!initial.ok()) return;
  CheckDecision(DecideCreateJob(v1::Job(), {}, *initial, nullptr), v1::Job(), aggregate::Head{},
                EvolveJob);
}

void CheckChangeStatus(int state, const v1::ChangeJobStatusRequest& r) {
  if (!v1::JobStatus_IsValid(r.status()) || r.status() == v1::JOB_STATUS_UNSPECIFIED) return;
  if (!Accepted(ValidateText("reason", r.reason(), kMaxTextLength, false))) return;
  const v1::Job job = JobInState(state);
  CheckJob(
      DecideChangeStatus(job, HeadOf(job), r.status(), r.reason(), v1::STATUS_CHANGE_CAUSE_MANUAL),
      job);
}

void CheckAddLineItem(int state, const v1::AddLineItemRequest& request) {
  if (!Accepted(ValidateLineItem("line_item", request.line_item()))) return;
  auto priced = PriceLineItem(request.line_item(), fuzz::NewId);
  if (!priced.ok()) return;
  const v1::Job job = JobInState(state);
  CheckJob(DecideAddLineItem(job, HeadOf(job), *priced), job);
}

void CheckAddExpense(int state, const v1::AddExpenseRequest& request) {
  if (!Accepted(ValidateExpense("expense", request.expense()))) return;
  v1::Expense expense = request.expense();
  if (expense.expense_id().empty()) expense.set_expense_id(fuzz::NewId());
  if (expense.employee_id().empty()) expense.set_employee_id("u-tech");
  const v1::Job job = JobInState(state);
  CheckJob(DecideAddExpense(job, HeadOf(job), expense), job);
}

void CheckAddEquipment(int state, const v1::AddInstalledEquipmentRequest& request) {
  if (!Accepted(ValidateEquipment("equipment", request.equipment()))) return;
  v1::InstalledEquipment equipment = request.equipment();
  if (equipment.equipment_id().empty()) equipment.set_equipment_id(fuzz::NewId());
  const v1::Job job = JobInState(state);
  CheckJob(DecideAddEquipment(job, HeadOf(job), equipment), job);
}

void CheckAddNote(int state, const v1::AddNoteRequest& request) {
  if (!Accepted(ValidateText("text", request.text(), kMaxTextLength, true)) ||
      !Accepted(ValidateId("note_id", request.note_id(), false)) ||
      !v1::NoteVisibility_IsValid(request.visibility())) {
    return;
  }
  v1::Note note;
  note.set_note_id(request.note_id().empty() ? fuzz::NewId() : request.note_id());
  note.set_text(request.text());
  note.set_visibility(request.visibility() == v1::NOTE_VISIBILITY_UNSPECIFIED
                          ? v1::NOTE_VISIBILITY_INTERNAL
                          : request.visibility());
  note.set_author_id("u-tech");
  note.mutable_created_at()->set_seconds(fuzz::kNowSeconds);
  const v1::Job job = JobInState(state);
  CheckJob(DecideAddNote(job, HeadOf(job), note), job);
}

void CheckSetChecklistItemDone(int state, const v1::SetChecklistItemDoneRequest& request) {
  if (!Accepted(ValidateId("item_id", request.item_id(), true))) return;
  const v1::Job job = JobInState(state);
  CheckJob(DecideSetChecklistItemDone(job, HeadOf(job), request.item_id(), request.done()), job);
}

void CheckClockIn(int state, const v1::ClockInRequest& request) {
  if (!Accepted(ValidateId("entry_id", request.entry_id(), false)) ||
      !Accepted(ValidateText("employee_id", request.employee_id(), kMaxNameLength, false)) ||
      !Accepted(ValidateText("type", request.type(), 64, false)) ||
      (request.has_location() && !Accepted(ValidateGeoPoint("location", request.location())))) {
    return;
  }
  ClockInCommand clock_in;
  clock_in.entry_id = request.entry_id().empty() ? fuzz::NewId() : request.entry_id();
  clock_in.employee_id = request.employee_id().empty() ? "u-tech" : request.employee_id();
  clock_in.type = request.type().empty() ? "regular" : request.type();
  clock_in.at = Now();
  clock_in.zone = absl::UTCTimeZone();
  clock_in.location = request.has_location() ? &request.location() : nullptr;
  const v1::Job job = JobInState(state);
  CheckJob(DecideClockIn(job, HeadOf(job), clock_in), job);
}

void CheckClockOut(int state, const v1::ClockOutRequest& request) {
  if (!Accepted(ValidateText("notes", request.notes(), kMaxTextLength, false)) ||
      (request.has_location() && !Accepted(ValidateGeoPoint("location", request.location())))) {
    return;
  }
  ClockOutCommand clock_out;
  clock_out.employee_id = request.employee_id().empty() ? "u-tech" : request.employee_id();
  clock_out.at = Now();
  clock_out.location = request.has_location() ? &request.location() : nullptr;
  clock_out.notes = request.notes();
  const v1::Job job = JobInState(state);
  CheckJob(DecideClockOut(job, HeadOf(job), clock_out), job);
}

void CheckLogWork(int state, const v1::LogWorkRequest& request) {
  v1::WorkEntry entry = request.entry();
  if (!Accepted(ValidateWorkEntry("entry", entry))) return;
  if (entry.entry_id().empty()) entry.set_entry_id(fuzz::NewId());
  if (entry.employee_id().empty()) entry.set_employee_id("u-tech");
  if (entry.type().empty()) entry.set_type("regular");
  const v1::Job job = JobInState(state);
  CheckJob(DecideLogWork(job, HeadOf(job), entry), job);
}

// The key of a command the service makes from another one (a bulk change's or an offline batch's
// item, a conversion's customer and job): the other's key and a part of its own. Made of parts
// that were accepted, it must be one ValidateMeta accepts too.
std::string DerivedKey(absl::string_view key, absl::string_view part) {
  common::v1::CommandMeta meta;
  meta.set_idempotency_key(absl::StrCat(key, "/", part));
  JL_FUZZ_CHECK_OK(ValidateMeta(meta));
  return meta.idempotency_key();
}

void CheckOfflineCommand(int state, const v1::OfflineCommand& command) {
  switch (command.command_case()) {
    case v1::OfflineCommand::kChangeStatus:
      return CheckChangeStatus(state, command.change_status());
    case v1::OfflineCommand::kAddLineItem:
      return CheckAddLineItem(state, command.add_line_item());
    case v1::OfflineCommand::kAddExpense:
      return CheckAddExpense(state, command.add_expense());
    case v1::OfflineCommand::kAddNote:
      return CheckAddNote(state, command.add_note());
    case v1::OfflineCommand::kSetChecklistItemDone:
      return CheckSetChecklistItemDone(state, command.set_checklist_item_done());
    case v1::OfflineCommand::kClockIn:
      return CheckClockIn(state, command.clock_in());
    case v1::OfflineCommand::kClockOut:
      return CheckClockOut(state, command.clock_out());
    case v1::OfflineCommand::kLogWork:
      return CheckLogWork(state, command.log_work());
    case v1::OfflineCommand::kAddInstalledEquipment:
      return CheckAddEquipment(state, command.add_installed_equipment());
    case v1::OfflineCommand::COMMAND_NOT_SET:
      return;
  }
}

CommandTable Commands() {
  CommandTable table;
  table.On<v1::CreateJobRequest>(CheckCreateJob);
  table.On<v1::UpdateJobRequest>([](int state, const v1::UpdateJobRequest& request) {
    if (!Accepted(ValidateUpdateJob(request))) return;
    const v1::Job job = JobInState(state);
    CheckJob(DecideUpdateJob(job, HeadOf(job), request), job);
  });
  table.On<v1::ChangeJobStatusRequest>(CheckChangeStatus);
  table.On<v1::ReopenJobRequest>([](int state, const v1::ReopenJobRequest& request) {
    if (!Accepted(ValidateText("reason", request.reason(), kMaxTextLength, false))) return;
    const v1::Job job = JobInState(state);
    CheckJob(DecideReopen(job, HeadOf(job), request.reason(), {}), job);
  });
  table.On<v1::AddLineItemRequest>(CheckAddLineItem);
  table.On<v1::UpdateLineItemRequest>([](int state, const v1::UpdateLineItemRequest& request) {
    if (!Accepted(ValidateLineItem("line_item", request.line_item()))) return;
    auto priced = PriceLineItem(request.line_item(), fuzz::NewId);
    if (!priced.ok() || request.line_item().line_item_id().empty()) return;
    const v1::Job job = JobInState(state);
    CheckJob(DecideUpdateLineItem(job, HeadOf(job), *priced), job);
  });
  table.On<v1::AddExpenseRequest>(CheckAddExpense);
  table.On<v1::AddInstalledEquipmentRequest>(CheckAddEquipment);
  table.On<v1::AddNoteRequest>(CheckAddNote);
  table.On<v1::AddChecklistItemRequest>([](int state, const v1::AddChecklistItemRequest& r) {
    if (!Accepted(ValidateText("text", r.text(), kMaxNameLength, true)) ||
        !Accepted(ValidateId("item_id", r.item_id(), false))) {
      return;
    }
    v1::ChecklistItem item;
    item.set_item_id(r.item_id().empty() ? fuzz::NewId() : r.item_id());
    item.set_text(r.text());
    item.set_required(r.required());
    const v1::Job job = JobInState(state);
    CheckJob(DecideAddChecklistItem(job, HeadOf(job), item), job);
  });
  table.On<v1::SetChecklistItemDoneRequest>(CheckSetChecklistItemDone);
  table.On<v1::SetCompletionRequirementsRequest>(
      [](int state, const v1::SetCompletionRequirementsRequest& request) {
        const v1::Job job = JobInState(state);
        CheckJob(DecideSetRequirements(job, HeadOf(job), request.requirements()), job);
      });
  table.On<v1::RemoveJobItemRequest>([](int state, const v1::RemoveJobItemRequest& request) {
    if (!Accepted(ValidateId("item_id", request.item_id(), true))) return;
    constexpr std::array<JobItemKind, 7> kKinds = {
        JobItemKind::kLineItem,  JobItemKind::kExpense,       JobItemKind::kEquipment,
        JobItemKind::kNote,      JobItemKind::kChecklistItem, JobItemKind::kWorkEntry,
        JobItemKind::kAttachment};
    const v1::Job job = JobInState(state);
    CheckJob(DecideRemoveItem(job, HeadOf(job), kKinds[state % kKinds.size()], request.item_id()),
             job);
  });
  table.On<v1::ClockInRequest>(CheckClockIn);
  table.On<v1::ClockOutRequest>(CheckClockOut);
  table.On<v1::LogWorkRequest>(CheckLogWork);
  table.On<v1::CreateCustomerRequest>([](int, const v1::CreateCustomerRequest& request) {
    if (!Accepted(ValidateCustomer(request))) return;
    v1::Customer customer;
    customer.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-0000000000cc");
    customer.set_name(request.name());
    *customer.mutable_tags() = request.tags();
    for (v1::Contact contact : request.contacts()) {
      if (contact.contact_id().empty()) contact.set_contact_id(fuzz::NewId());
      *customer.add_contacts() = std::move(contact);
    }
    for (v1::Property property : request.properties()) {
      if (property.property_id().empty()) property.set_property_id(fuzz::NewId());
      *customer.add_properties() = std::move(property);
    }
    customer.set_notes(request.notes());
    CheckDecision(DecideCreateCustomer(v1::Customer(), {}, customer), v1::Customer(),
                  aggregate::Head{}, EvolveCustomer);
  });
  table.On<v1::UpdateCustomerRequest>([](int, const v1::UpdateCustomerRequest& request) {
    if (!Accepted(ValidateUpdateCustomer(request))) return;
    CheckDecision(DecideUpdateCustomer(ExistingCustomer(), kCustomerHead, request),
                  ExistingCustomer(), kCustomerHead, EvolveCustomer);
  });
  table.On<v1::SaveContactRequest>([](int, const v1::SaveContactRequest& request) {
    if (!Accepted(ValidateContact("contact", request.contact()))) return;
    v1::Contact contact = request.contact();
    const bool adding = contact.contact_id().empty();
    if (adding) contact.set_contact_id(fuzz::NewId());
    CheckDecision(DecideSaveContact(ExistingCustomer(), kCustomerHead, contact, adding),
                  ExistingCustomer(), kCustomerHead, EvolveCustomer);
  });
  table.On<v1::SavePropertyRequest>([](int, const v1::SavePropertyRequest& request) {
    if (!Accepted(ValidateProperty("property", request.property()))) return;
    v1::Property property = request.property();
    const bool adding = property.property_id().empty();
    if (adding) property.set_property_id(fuzz::NewId());
    CheckDecision(DecideSaveProperty(ExistingCustomer(), kCustomerHead, property, adding,
                                     request.make_primary()),
                  ExistingCustomer(), kCustomerHead, EvolveCustomer);
  });
  table.On<v1::SubmitRequestRequest>([](int, const v1::SubmitRequestRequest& request) {
    if (!Accepted(ValidateSubmitRequest(request))) return;
    v1::CustomerRequest record;
    record.set_request_id("0190a1b2-c3d4-7e5f-8a9b-0000000000dd");
    record.set_source(request.source());
    record.set_customer_id(request.customer_id());
    *record.mutable_requester() = request.requester();
    *record.mutable_address() = request.address();
    record.set_summary(request.summary());
    record.set_details(request.details());
    *record.mutable_preferred_date() = request.preferred_date();
    record.set_preferred_window(request.preferred_window());
    CheckDecision(DecideSubmitRequest(v1::CustomerRequest(), {}, record), v1::CustomerRequest(),
                  aggregate::Head{}, EvolveRequest);
    // A new caller's request can be converted: the customer it makes is one CreateCustomer takes.
    if (record.customer_id().empty()) {
      JL_FUZZ_CHECK_OK(ValidateCustomer(ConversionCustomer(record, "k-1/customer")));
    }
  });
  // Added after the first 21: a seed's selector byte keeps its command.
  table.On<v1::DuplicateJobRequest>([](int state, const v1::DuplicateJobRequest& request) {
    if (!Accepted(ValidateMeta(request.meta())) ||
        !Accepted(ValidateId("job_id", request.job_id(), true))) {
      return;
    }
    CheckCreateJob(state, DuplicateRequest(JobInState(state), request));
  });
  table.On<v1::LinkRecallRequest>([](int state, const v1::LinkRecallRequest& request) {
    if (!Accepted(ValidateId("original_job_id", request.original_job_id(), true)) ||
        !Accepted(ValidateMeta(request.meta())) ||
        !Accepted(ValidateId("job_id", request.job_id(), true))) {
      return;
    }
    v1::Job job = JobInState(state);
    if (state % 2 == 1) job.set_recall_of_job_id("0190a1b2-c3d4-7e5f-8a9b-00000000010b");
    CheckJob(DecideLinkRecall(job, HeadOf(job), request.original_job_id()), job);
  });
  table.On<v1::UploadAttachmentChunk>([](int state, const v1::UploadAttachmentChunk& chunk) {
    if (!chunk.has_metadata()) return;  // the handler's INVALID_ARGUMENT naming metadata
    const v1::UploadAttachmentChunk::Metadata& metadata = chunk.metadata();
    if (!Accepted(ValidateUploadMetadata(metadata, kMaxUploadBytes))) return;
    v1::Attachment attachment;
    attachment.set_attachment_id(metadata.attachment_id().empty() ? fuzz::NewId()
                                                                  : metadata.attachment_id());
    attachment.set_kind(metadata.kind());
    attachment.set_name(metadata.name());
    attachment.set_media_type(metadata.media_type());
    attachment.set_size_bytes(metadata.size_bytes());
    attachment.set_sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    attachment.set_uploaded_by("u-tech");
    attachment.mutable_uploaded_at()->set_seconds(fuzz::kNowSeconds);
    const v1::Job job = JobInState(state);
    CheckJob(DecideAddAttachment(job, HeadOf(job), attachment), job);
  });
  table.On<v1::BulkChangeStatusRequest>([](int state, const v1::BulkChangeStatusRequest& request) {
    if (!Accepted(ValidateBulkChangeStatus(request))) return;
    for (const std::string& job_id : request.job_ids()) {
      v1::ChangeJobStatusRequest one;
      // A job id that is not a UUID makes its item's refusal (INVALID_ARGUMENT) whatever the key.
      if (!request.idempotency_key().empty()) {
        one.mutable_meta()->set_idempotency_key(
            ValidateId("job_id", job_id, true).ok()
                ? DerivedKey(request.idempotency_key(), job_id)
                : absl::StrCat(request.idempotency_key(), "/", job_id));
      }
      one.set_job_id(job_id);
      one.set_status(request.status());
      one.set_reason(request.reason());
      CheckChangeStatus(state, one);
    }
  });
  table.On<v1::OfflineBatchRequest>([](int state, const v1::OfflineBatchRequest& request) {
    if (!Accepted(ValidateOfflineBatch(request))) return;
    for (const v1::OfflineCommand& command : request.commands()) {
      (void)DerivedKey(request.device_id(), command.command_id());
      CheckOfflineCommand(state, command);
    }
  });
  table.On<v1::RemoveContactRequest>([](int, const v1::RemoveContactRequest& request) {
    if (!Accepted(ValidateId("contact_id", request.contact_id(), true)) ||
        !Accepted(ValidateMeta(request.meta())) ||
        !Accepted(ValidateId("customer_id", request.customer_id(), true))) {
      return;
    }
    CheckDecision(DecideRemoveContact(ExistingCustomer(), kCustomerHead, request.contact_id()),
                  ExistingCustomer(), kCustomerHead, EvolveCustomer);
  });
  table.On<v1::RemovePropertyRequest>([](int, const v1::RemovePropertyRequest& request) {
    if (!Accepted(ValidateId("property_id", request.property_id(), true)) ||
        !Accepted(ValidateMeta(request.meta())) ||
        !Accepted(ValidateId("customer_id", request.customer_id(), true))) {
      return;
    }
    CheckDecision(DecideRemoveProperty(ExistingCustomer(), kCustomerHead, request.property_id()),
                  ExistingCustomer(), kCustomerHead, EvolveCustomer);
  });
  table.On<v1::ConvertRequestRequest>([](int state, const v1::ConvertRequestRequest& request) {
    if (!Accepted(ValidateConvertRequest(request))) return;
    const std::string& key = request.meta().idempotency_key();
    const v1::CustomerRequest found = RequestInState(state);
    if (found.status() == v1::REQUEST_STATUS_DECLINED) return;  // FAILED_PRECONDITION
    // What the handler makes of an accepted conversion: a customer for a new caller, then the job.
    std::string customer_id = found.customer_id();
    if (customer_id.empty()) {
      JL_FUZZ_CHECK_OK(ValidateCustomer(ConversionCustomer(found, DerivedKey(key, "customer"))));
      customer_id = "0190a1b2-c3d4-7e5f-8a9b-0000000000cc";
    }
    v1::CreateJobRequest job = request.job();
    job.mutable_meta()->set_idempotency_key(DerivedKey(key, "job"));
    if (job.customer_id().empty()) job.set_customer_id(customer_id);
    if (job.title().empty() && job.line_items().empty()) job.set_title(found.summary());
    if (job.description().empty()) job.set_description(found.details());
    CheckCreateJob(state, job);
    CheckDecision(DecideConvertRequest(found, HeadOf(found), "0190a1b2-c3d4-7e5f-8a9b-0000000000bb",
                                       job.customer_id()),
                  found, HeadOf(found), EvolveRequest);
  });
  table.On<v1::DeclineRequestRequest>([](int state, const v1::DeclineRequestRequest& request) {
    if (!Accepted(ValidateMeta(request.meta())) ||
        !Accepted(ValidateId("request_id", request.request_id(), true)) ||
        !Accepted(ValidateText("reason", request.reason(), kMaxTextLength, true))) {
      return;
    }
    const v1::CustomerRequest found = RequestInState(state);
    CheckDecision(DecideDeclineRequest(found, HeadOf(found), request.reason()), found,
                  HeadOf(found), EvolveRequest);
  });
  return table;
}

}  // namespace
}  // namespace jobledger::job

JL_FUZZ_COMMAND_TARGET(jobledger::job::Commands)
