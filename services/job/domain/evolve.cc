// Evolve for jobs, customers and customer requests.
#include "domain/evolve.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "jobledger/aggregate/overloaded.h"
#include "jobledger/aggregate/repeated.h"

namespace jobledger::job {
namespace {

const auto kLineItemId = [](const v1::LineItem& e) -> const std::string& {
  return e.line_item_id();
};
const auto kExpenseId = [](const v1::Expense& e) -> const std::string& { return e.expense_id(); };
const auto kEquipmentId = [](const v1::InstalledEquipment& e) -> const std::string& {
  return e.equipment_id();
};
const auto kEntryId = [](const v1::WorkEntry& e) -> const std::string& { return e.entry_id(); };
const auto kNoteId = [](const v1::Note& e) -> const std::string& { return e.note_id(); };
const auto kAttachmentId = [](const v1::Attachment& e) -> const std::string& {
  return e.attachment_id();
};
const auto kItemId = [](const v1::ChecklistItem& e) -> const std::string& { return e.item_id(); };
const auto kContactId = [](const v1::Contact& e) -> const std::string& { return e.contact_id(); };
const auto kPropertyId = [](const v1::Property& e) -> const std::string& {
  return e.property_id();
};

absl::Status Missing(absl::string_view what, absl::string_view id) {
  return absl::FailedPreconditionError(absl::StrCat("no ", what, " ", id));
}

absl::Status ApplyStatus(const v1::JobStatusChanged& changed, const events::v1::Envelope& envelope,
                         v1::Job& job) {
  if (changed.from() != job.status()) {
    return absl::FailedPreconditionError(
        absl::StrCat("status change from ", v1::JobStatus_Name(changed.from()), " but the job is ",
                     v1::JobStatus_Name(job.status())));
  }
  job.set_status(changed.to());
  job.set_status_reason(changed.reason());
  if (changed.to() == v1::JOB_STATUS_IN_PROGRESS && !job.has_actual_start()) {
    *job.mutable_actual_start() = envelope.occurred_at();
  }
  if (changed.to() == v1::JOB_STATUS_COMPLETED) {
    *job.mutable_actual_end() = envelope.occurred_at();
  } else if (changed.cause() == v1::STATUS_CHANGE_CAUSE_REOPEN) {
    job.clear_actual_end();
  }
  return absl::OkStatus();
}

absl::Status ApplySessionEnd(const v1::WorkSessionEnded& ended, v1::Job& job) {
  v1::WorkEntry* entry = FindMutableEntry(*job.mutable_work_log(), ended.entry_id(), kEntryId);
  if (entry == nullptr || !entry->open()) return Missing("open work session", ended.entry_id());
  entry->set_open(false);
  *entry->mutable_clock_out() = ended.clock_out();
  entry->set_minutes(ended.minutes());
  if (ended.has_location()) *entry->mutable_clock_out_location() = ended.location();
  if (!ended.notes().empty()) entry->set_notes(ended.notes());
  return absl::OkStatus();
}

absl::Status ApplyChecklistDone(absl::string_view item_id, bool done,
                                const events::v1::Envelope& envelope, v1::Job& job) {
  v1::ChecklistItem* item = FindMutableEntry(*job.mutable_checklist(), item_id, kItemId);
  if (item == nullptr) return Missing("checklist item", item_id);
  item->set_done(done);
  if (done) {
    item->set_done_by(envelope.actor().user_id());
    *item->mutable_done_at() = envelope.occurred_at();
  } else {
    item->clear_done_by();
    item->clear_done_at();
  }
  return absl::OkStatus();
}

absl::Status Removed(bool removed, absl::string_view what, absl::string_view id) {
  return removed ? absl::OkStatus() : Missing(what, id);
}

}  // namespace

absl::Status ApplyJobDetails(const v1::JobDetails& details,
                             const google::protobuf::RepeatedPtrField<std::string>& fields,
                             v1::Job& job) {
  const auto* from_descriptor = v1::JobDetails::descriptor();
  const auto* to_descriptor = v1::Job::descriptor();
  for (const std::string& name : fields) {
    const auto* from = from_descriptor->FindFieldByName(name);
    const auto* to = to_descriptor->FindFieldByName(name);
    if (from == nullptr || to == nullptr || from->type() != to->type() ||
        from->is_repeated() != to->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat("not a job detail: ", name));
    }
    const auto* reflection_to = job.GetReflection();
    reflection_to->ClearField(&job, to);
    const auto* reflection_from = details.GetReflection();
    if (from->is_repeated()) {
      for (int i = 0; i < reflection_from->FieldSize(details, from); ++i) {
        reflection_to->AddString(&job, to, reflection_from->GetRepeatedString(details, from, i));
      }
    } else if (from->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (reflection_from->HasField(details, from)) {
        reflection_to->MutableMessage(&job, to)->CopyFrom(
            reflection_from->GetMessage(details, from));
      }
    } else if (from->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      reflection_to->SetString(&job, to, reflection_from->GetString(details, from));
    } else if (from->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      reflection_to->SetInt64(&job, to, reflection_from->GetInt64(details, from));
    } else if (from->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
      reflection_to->SetEnumValue(&job, to, reflection_from->GetEnumValue(details, from));
    } else {
      return absl::InternalError(absl::StrCat("unhandled job detail type: ", name));
    }
  }
  return absl::OkStatus();
}

absl::Status EvolveJob(v1::Job& job, const events::v1::Envelope& envelope, const JobEvent& event) {
  const bool creating = std::holds_alternative<v1::JobCreated>(event);
  if (creating != (job.version() == 0)) {
    return absl::FailedPreconditionError(creating ? "the job exists already"
                                                  : "the job does not exist");
  }
  absl::Status applied = std::visit(
      Overloaded{
          [&](const v1::JobCreated& e) {
            job = e.job();
            job.set_created_by(envelope.actor().user_id());
            *job.mutable_created_at() = envelope.occurred_at();
            return absl::OkStatus();
          },
          [&](const v1::JobDetailsChanged& e) {
            return ApplyJobDetails(e.details(), e.changed_fields(), job);
          },
          [&](const v1::JobStatusChanged& e) { return ApplyStatus(e, envelope, job); },
          [&](const v1::LineItemAdded& e) {
            *job.add_line_items() = e.line_item();
            return absl::OkStatus();
          },
          [&](const v1::LineItemChanged& e) {
            v1::LineItem* item = FindMutableEntry(*job.mutable_line_items(),
                                                  e.line_item().line_item_id(), kLineItemId);
            if (item == nullptr) return Missing("line item", e.line_item().line_item_id());
            *item = e.line_item();
            return absl::OkStatus();
          },
          [&](const v1::LineItemRemoved& e) {
            return Removed(RemoveEntry(*job.mutable_line_items(), e.line_item_id(), kLineItemId),
                           "line item", e.line_item_id());
          },
          [&](const v1::ExpenseAdded& e) {
            *job.add_expenses() = e.expense();
            return absl::OkStatus();
          },
          [&](const v1::ExpenseRemoved& e) {
            return Removed(RemoveEntry(*job.mutable_expenses(), e.expense_id(), kExpenseId),
                           "expense", e.expense_id());
          },
          [&](const v1::EquipmentInstalled& e) {
            *job.add_equipment() = e.equipment();
            return absl::OkStatus();
          },
          [&](const v1::EquipmentRemoved& e) {
            return Removed(RemoveEntry(*job.mutable_equipment(), e.equipment_id(), kEquipmentId),
                           "installed equipment", e.equipment_id());
          },
          [&](const v1::WorkSessionStarted& e) {
            v1::WorkEntry& entry = *job.add_work_log();
            entry.set_entry_id(e.entry_id());
            entry.set_employee_id(e.employee_id());
            entry.set_type(e.type());
            *entry.mutable_date() = e.date();
            *entry.mutable_clock_in() = e.clock_in();
            if (e.has_location()) *entry.mutable_clock_in_location() = e.location();
            entry.set_open(true);
            return absl::OkStatus();
          },
          [&](const v1::WorkSessionEnded& e) { return ApplySessionEnd(e, job); },
          [&](const v1::WorkEntryLogged& e) {
            *job.add_work_log() = e.entry();
            return absl::OkStatus();
          },
          [&](const v1::WorkEntryRemoved& e) {
            return Removed(RemoveEntry(*job.mutable_work_log(), e.entry_id(), kEntryId),
                           "work entry", e.entry_id());
          },
          [&](const v1::NoteAdded& e) {
            *job.add_notes() = e.note();
            return absl::OkStatus();
          },
          [&](const v1::NoteRemoved& e) {
            return Removed(RemoveEntry(*job.mutable_notes(), e.note_id(), kNoteId), "note",
                           e.note_id());
          },
          [&](const v1::AttachmentAdded& e) {
            *job.add_attachments() = e.attachment();
            return absl::OkStatus();
          },
          [&](const v1::AttachmentRemoved& e) {
            return Removed(
                RemoveEntry(*job.mutable_attachments(), e.attachment_id(), kAttachmentId),
                "attachment", e.attachment_id());
          },
          [&](const v1::ChecklistItemAdded& e) {
            *job.add_checklist() = e.item();
            return absl::OkStatus();
          },
          [&](const v1::ChecklistItemCompleted& e) {
            return ApplyChecklistDone(e.item_id(), true, envelope, job);
          },
          [&](const v1::ChecklistItemReopened& e) {
            return ApplyChecklistDone(e.item_id(), false, envelope, job);
          },
          [&](const v1::ChecklistItemRemoved& e) {
            return Removed(RemoveEntry(*job.mutable_checklist(), e.item_id(), kItemId),
                           "checklist item", e.item_id());
          },
          [&](const v1::CompletionRequirementsChanged& e) {
            *job.mutable_completion_requirements() = e.requirements();
            return absl::OkStatus();
          },
          [&](const v1::RecallLinked& e) {
            job.set_recall_of_job_id(e.original_job_id());
            return absl::OkStatus();
          },
      },
      event);
  if (!applied.ok()) return applied;
  job.set_version(envelope.sequence());
  *job.mutable_updated_at() = envelope.occurred_at();
  return absl::OkStatus();
}

absl::Status EvolveCustomer(v1::Customer& customer, const events::v1::Envelope& envelope,
                            const CustomerEvent& event) {
  const bool creating = std::holds_alternative<v1::CustomerCreated>(event);
  if (creating != (customer.version() == 0)) {
    return absl::FailedPreconditionError(creating ? "the customer exists already"
                                                  : "the customer does not exist");
  }
  absl::Status applied = std::visit(
      Overloaded{
          [&](const v1::CustomerCreated& e) {
            customer = e.customer();
            customer.set_created_by(envelope.actor().user_id());
            *customer.mutable_created_at() = envelope.occurred_at();
            return absl::OkStatus();
          },
          [&](const v1::CustomerDetailsChanged& e) {
            for (const std::string& field : e.changed_fields()) {
              if (field == "name") {
                customer.set_name(e.name());
              } else if (field == "tags") {
                *customer.mutable_tags() = e.tags();
              } else if (field == "notes") {
                customer.set_notes(e.notes());
              } else {
                return absl::InvalidArgumentError(absl::StrCat("not a customer detail: ", field));
              }
            }
            return absl::OkStatus();
          },
          [&](const v1::ContactSaved& e) {
            UpsertEntry(*customer.mutable_contacts(), e.contact(), kContactId);
            return absl::OkStatus();
          },
          [&](const v1::ContactRemoved& e) {
            return Removed(RemoveEntry(*customer.mutable_contacts(), e.contact_id(), kContactId),
                           "contact", e.contact_id());
          },
          [&](const v1::PropertySaved& e) {
            UpsertEntry(*customer.mutable_properties(), e.property(), kPropertyId);
            if (customer.primary_property_id().empty()) {
              customer.set_primary_property_id(e.property().property_id());
            }
            return absl::OkStatus();
          },
          [&](const v1::PropertyRemoved& e) {
            if (customer.primary_property_id() == e.property_id()) {
              customer.clear_primary_property_id();
            }
            return Removed(
                RemoveEntry(*customer.mutable_properties(), e.property_id(), kPropertyId),
                "property", e.property_id());
          },
          [&](const v1::PrimaryPropertySet& e) {
            if (FindEntry(customer.properties(), e.property_id(), kPropertyId) == nullptr) {
              return Missing("property", e.property_id());
            }
            customer.set_primary_property_id(e.property_id());
            return absl::OkStatus();
          },
      },
      event);
  if (!applied.ok()) return applied;
  customer.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveRequest(v1::CustomerRequest& request, const events::v1::Envelope& envelope,
                           const RequestEvent& event) {
  const bool creating = std::holds_alternative<v1::CustomerRequestReceived>(event);
  if (creating != (request.version() == 0)) {
    return absl::FailedPreconditionError(creating ? "the request exists already"
                                                  : "the request does not exist");
  }
  absl::Status applied = std::visit(Overloaded{
                                        [&](const v1::CustomerRequestReceived& e) {
                                          request = e.request();
                                          request.set_status(v1::REQUEST_STATUS_PENDING);
                                          *request.mutable_received_at() = envelope.occurred_at();
                                          return absl::OkStatus();
                                        },
                                        [&](const v1::CustomerRequestConverted& e) {
                                          request.set_status(v1::REQUEST_STATUS_CONVERTED);
                                          request.set_job_id(e.job_id());
                                          request.set_customer_id(e.customer_id());
                                          return absl::OkStatus();
                                        },
                                        [&](const v1::CustomerRequestDeclined& e) {
                                          request.set_status(v1::REQUEST_STATUS_DECLINED);
                                          request.set_decline_reason(e.reason());
                                          return absl::OkStatus();
                                        },
                                    },
                                    event);
  if (!applied.ok()) return applied;
  request.set_version(envelope.sequence());
  return absl::OkStatus();
}

}  // namespace jobledger::job
