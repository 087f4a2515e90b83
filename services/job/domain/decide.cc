// Decide for job commands.
#include "domain/decide.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/evolve.h"
#include "domain/lifecycle.h"
#include "domain/validate.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/aggregate/repeated.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"

namespace jobledger::job {
namespace {

using Events = std::vector<JobEvent>;
using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}
absl::Time FromProto(const google::protobuf::Timestamp& time) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(time));
}

absl::Status MustExist(const Head& head) {
  if (head.version == 0) return absl::NotFoundError("job not found");
  return absl::OkStatus();
}

bool IsClosed(const v1::Job& job) {
  return job.status() == v1::JOB_STATUS_COMPLETED || job.status() == v1::JOB_STATUS_CANCELLED;
}

// Scope and proof of work stay as they were once a job is completed or cancelled.
absl::Status MustBeChangeable(const v1::Job& job, absl::string_view what) {
  if (job.status() == v1::JOB_STATUS_COMPLETED) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " is Completed: ", what, " cannot change (reopen it first)"));
  }
  if (job.status() == v1::JOB_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " is Cancelled: ", what, " cannot change"));
  }
  return absl::OkStatus();
}

absl::Status AlreadyThere(absl::string_view what, absl::string_view id) {
  return absl::AlreadyExistsError(absl::StrCat("the job already has ", what, " ", id));
}

template <typename T, typename IdOf>
bool Has(const google::protobuf::RepeatedPtrField<T>& entries, absl::string_view id, IdOf id_of) {
  return FindEntry(entries, id, id_of) != nullptr;
}

const v1::WorkEntry* OpenSession(const v1::Job& job, absl::string_view employee_id) {
  for (const v1::WorkEntry& entry : job.work_log()) {
    if (entry.open() && entry.employee_id() == employee_id) return &entry;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<v1::LineItem> PriceLineItem(v1::LineItem item, NewId new_id) {
  if (item.line_item_id().empty()) item.set_line_item_id(new_id());
  auto unit_price = Money::FromProto(item.unit_price());
  if (!unit_price.ok()) return unit_price.status();
  auto total = unit_price->MultiplyRatio(item.quantity_milli(), 1000, Rounding::kHalfUp);
  if (!total.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line_item.quantity_milli: the total is too large (", total.status().message(), ")"));
  }
  total->ToProto(item.mutable_total());
  if (!item.billable() && item.kind() != v1::LINE_ITEM_KIND_ASSET) {
    // Services and materials are billable unless said otherwise; assets (tools deployed) not.
    item.set_billable(true);
  }
  return item;
}

absl::StatusOr<v1::Job> BuildNewJob(const v1::CreateJobRequest& request,
                                    const v1::Customer& customer, const v1::Job* parent,
                                    absl::string_view job_id, int64_t number, NewId new_id) {
  v1::Job job;
  job.set_job_id(std::string(job_id));
  job.set_number(number);
  job.set_customer_id(customer.customer_id());
  const std::string property_id =
      request.property_id().empty() ? customer.primary_property_id() : request.property_id();
  if (!property_id.empty()) {
    const auto* property =
        FindEntry(customer.properties(), property_id,
                  [](const v1::Property& p) -> const std::string& { return p.property_id(); });
    if (property == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("property_id: customer ", customer.name(),
                                                     " has no property ", property_id));
    }
    job.set_property_id(property_id);
    *job.mutable_address() = property->address();
  }
  if (request.has_address()) *job.mutable_address() = request.address();
  for (const v1::LineItem& line : request.line_items()) {
    auto priced = PriceLineItem(line, new_id);
    if (!priced.ok()) return priced.status();
    *job.add_line_items() = *std::move(priced);
  }
  if (IsBlank(request.title()) && job.line_items().empty()) {
    return absl::InvalidArgumentError(
        "title: required when there are no line items to take it from");
  }
  job.set_title(IsBlank(request.title()) ? job.line_items(0).name() : request.title());
  job.set_description(request.description());
  job.set_external_number(request.external_number());
  job.set_project_id(request.project_id());
  job.set_contract_id(request.contract_id());
  if (request.has_contract_amount()) *job.mutable_contract_amount() = request.contract_amount();
  job.set_priority(request.priority() == v1::JOB_PRIORITY_UNSPECIFIED ? v1::JOB_PRIORITY_NORMAL
                                                                      : request.priority());
  job.set_job_type(request.job_type());
  *job.mutable_required_skills() = request.required_skills();
  SortUnique(*job.mutable_required_skills());
  job.set_estimated_minutes(request.estimated_minutes());
  if (request.has_scheduled_start()) *job.mutable_scheduled_start() = request.scheduled_start();
  if (request.has_scheduled_end()) *job.mutable_scheduled_end() = request.scheduled_end();
  job.set_asset_id(request.asset_id());
  for (v1::ChecklistItem item : request.checklist()) {
    if (item.item_id().empty()) item.set_item_id(new_id());
    item.set_done(false);
    item.clear_done_by();
    item.clear_done_at();
    *job.add_checklist() = std::move(item);
  }
  *job.mutable_completion_requirements() = request.completion_requirements();
  if (parent != nullptr) {
    if (parent->parent_job_id().size() > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "parent_job_id: ", JobLabel(*parent), " is itself a subjob; subjobs do not nest"));
    }
    if (parent->customer_id() != customer.customer_id()) {
      return absl::InvalidArgumentError(
          absl::StrCat("customer_id: a subjob is for its parent's customer"));
    }
    job.set_parent_job_id(parent->job_id());
    job.set_progress_share_percent(request.progress_share_percent());
    if (job.project_id().empty()) job.set_project_id(parent->project_id());
  }
  switch (request.initial_status()) {
    case v1::JOB_STATUS_DRAFT:
      job.set_status(v1::JOB_STATUS_DRAFT);
      break;
    case v1::JOB_STATUS_SCHEDULED:
      job.set_status(v1::JOB_STATUS_SCHEDULED);
      break;
    default:
      job.set_status(request.has_scheduled_start() ? v1::JOB_STATUS_SCHEDULED
                                                   : v1::JOB_STATUS_OPEN);
  }
  return job;
}

v1::CreateJobRequest DuplicateRequest(const v1::Job& original,
                                      const v1::DuplicateJobRequest& request) {
  v1::CreateJobRequest copy;
  *copy.mutable_meta() = request.meta();
  copy.set_customer_id(original.customer_id());
  copy.set_property_id(original.property_id());
  if (original.has_address()) *copy.mutable_address() = original.address();
  copy.set_title(original.title());
  copy.set_description(original.description());
  copy.set_project_id(original.project_id());
  copy.set_contract_id(original.contract_id());
  if (original.has_contract_amount()) *copy.mutable_contract_amount() = original.contract_amount();
  copy.set_priority(original.priority());
  copy.set_job_type(original.job_type());
  *copy.mutable_required_skills() = original.required_skills();
  copy.set_estimated_minutes(original.estimated_minutes());
  copy.set_asset_id(original.asset_id());
  for (v1::LineItem line : original.line_items()) {
    line.clear_line_item_id();  // new ids: the copy's lines are its own
    *copy.add_line_items() = std::move(line);
  }
  for (const v1::ChecklistItem& item : original.checklist()) {
    v1::ChecklistItem& added = *copy.add_checklist();
    added.set_text(item.text());
    added.set_required(item.required());
  }
  *copy.mutable_completion_requirements() = original.completion_requirements();
  if (request.has_scheduled_start()) *copy.mutable_scheduled_start() = request.scheduled_start();
  if (request.has_scheduled_end()) *copy.mutable_scheduled_end() = request.scheduled_end();
  return copy;
}

absl::StatusOr<Events> DecideCreateJob(const v1::Job& state, const Head& head,
                                       const v1::Job& initial, const v1::Note* initial_note) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(absl::StrCat("job ", state.job_id(), " exists already"));
  }
  Events events;
  v1::JobCreated created;
  *created.mutable_job() = initial;
  events.emplace_back(std::move(created));
  if (initial_note != nullptr) {
    v1::NoteAdded note;
    *note.mutable_note() = *initial_note;
    events.emplace_back(std::move(note));
  }
  return events;
}

absl::StatusOr<Events> DecideUpdateJob(const v1::Job& job, const Head& head,
                                       const v1::UpdateJobRequest& request) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (job.status() == v1::JOB_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " is Cancelled: its details cannot change"));
  }
  v1::JobDetailsChanged changed;
  *changed.mutable_details() = request.details();
  SortUnique(*changed.mutable_details()->mutable_required_skills());
  // Only what differs is recorded, so that history shows real changes.
  for (const std::string& name : request.update_fields()) {
    v1::Job after = job;
    google::protobuf::RepeatedPtrField<std::string> one;
    one.Add()->assign(name);
    if (absl::Status s = ApplyJobDetails(changed.details(), one, after); !s.ok()) return s;
    if (!google::protobuf::util::MessageDifferencer::Equals(job, after)) {
      changed.add_changed_fields(name);
    }
  }
  if (changed.changed_fields().empty()) return Events{};
  // The schedule must stay ordered after the change.
  v1::Job result = job;
  const bool start_set = std::find(changed.changed_fields().begin(), changed.changed_fields().end(),
                                   "scheduled_start") != changed.changed_fields().end();
  const bool end_set = std::find(changed.changed_fields().begin(), changed.changed_fields().end(),
                                 "scheduled_end") != changed.changed_fields().end();
  const auto& start = start_set ? changed.details().scheduled_start() : job.scheduled_start();
  const bool has_start =
      start_set ? changed.details().has_scheduled_start() : job.has_scheduled_start();
  const auto& end = end_set ? changed.details().scheduled_end() : job.scheduled_end();
  const bool has_end = end_set ? changed.details().has_scheduled_end() : job.has_scheduled_end();
  if (has_end && (!has_start || FromProto(end) < FromProto(start))) {
    return absl::InvalidArgumentError("details.scheduled_end: before scheduled_start");
  }
  if (std::find(changed.changed_fields().begin(), changed.changed_fields().end(),
                "contract_amount") != changed.changed_fields().end() &&
      changed.details().has_contract_amount() && !job.line_items().empty() &&
      changed.details().contract_amount().currency() != job.line_items(0).unit_price().currency()) {
    return absl::InvalidArgumentError(
        absl::StrCat("details.contract_amount.currency: the job's amounts are in ",
                     job.line_items(0).unit_price().currency()));
  }
  return Events{std::move(changed)};
}

absl::StatusOr<Events> DecideChangeStatus(const v1::Job& job, const Head& head, v1::JobStatus to,
                                          const std::string& reason, v1::StatusChangeCause cause) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (job.status() == to) return Events{};  // already there: nothing to record
  if (absl::Status s = CheckStatusChange(job, to, reason); !s.ok()) return s;
  v1::JobStatusChanged changed;
  changed.set_from(job.status());
  changed.set_to(to);
  changed.set_reason(reason);
  changed.set_cause(cause);
  return Events{std::move(changed)};
}

absl::StatusOr<Events> DecideReopen(const v1::Job& job, const Head& head, const std::string& reason,
                                    const std::vector<std::string>& unvoided_invoices) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (job.status() != v1::JOB_STATUS_COMPLETED) {
    return absl::FailedPreconditionError(absl::StrCat(JobLabel(job), " is ",
                                                      StatusLabel(job.status()),
                                                      ": only a Completed job can be reopened"));
  }
  if (!unvoided_invoices.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " has invoices that are not void (",
                     absl::StrJoin(unvoided_invoices, ", "), "): void them before reopening"));
  }
  v1::JobStatusChanged changed;
  changed.set_from(v1::JOB_STATUS_COMPLETED);
  changed.set_to(v1::JOB_STATUS_IN_PROGRESS);
  changed.set_reason(reason);
  changed.set_cause(v1::STATUS_CHANGE_CAUSE_REOPEN);
  return Events{std::move(changed)};
}

absl::StatusOr<Events> DecideLinkRecall(const v1::Job& job, const Head& head,
                                        const std::string& original_job_id) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (original_job_id == job.job_id()) {
    return absl::InvalidArgumentError("original_job_id: a job cannot be a recall of itself");
  }
  if (job.recall_of_job_id() == original_job_id) return Events{};
  if (!job.recall_of_job_id().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        JobLabel(job), " is already linked as a recall of job ", job.recall_of_job_id()));
  }
  v1::RecallLinked linked;
  linked.set_original_job_id(original_job_id);
  return Events{std::move(linked)};
}

absl::StatusOr<Events> DecideAddLineItem(const v1::Job& job, const Head& head,
                                         const v1::LineItem& item) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "line items"); !s.ok()) return s;
  if (Has(job.line_items(), item.line_item_id(),
          [](const v1::LineItem& e) -> const std::string& { return e.line_item_id(); })) {
    return AlreadyThere("line item", item.line_item_id());
  }
  const std::string currency = !job.line_items().empty() ? job.line_items(0).unit_price().currency()
                                                         : job.contract_amount().currency();
  if (!currency.empty() && item.unit_price().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrCat("line_item.unit_price.currency: the job's amounts are in ", currency));
  }
  v1::LineItemAdded added;
  *added.mutable_line_item() = item;
  return Events{std::move(added)};
}

absl::StatusOr<Events> DecideUpdateLineItem(const v1::Job& job, const Head& head,
                                            const v1::LineItem& item) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "line items"); !s.ok()) return s;
  const v1::LineItem* current =
      FindEntry(job.line_items(), item.line_item_id(),
                [](const v1::LineItem& e) -> const std::string& { return e.line_item_id(); });
  if (current == nullptr) {
    return absl::NotFoundError(absl::StrCat("line_item.line_item_id: no line item ",
                                            item.line_item_id(), " on ", JobLabel(job)));
  }
  // The other lines set the job's currency; a job's only line answers to the contract amount.
  const std::string currency = job.line_items_size() > 1 ? current->unit_price().currency()
                                                         : job.contract_amount().currency();
  if (!currency.empty() && item.unit_price().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrCat("line_item.unit_price.currency: the job's amounts are in ", currency));
  }
  if (google::protobuf::util::MessageDifferencer::Equals(*current, item)) return Events{};
  v1::LineItemChanged changed;
  *changed.mutable_line_item() = item;
  return Events{std::move(changed)};
}

absl::StatusOr<Events> DecideAddExpense(const v1::Job& job, const Head& head,
                                        const v1::Expense& expense) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "expenses"); !s.ok()) return s;
  if (Has(job.expenses(), expense.expense_id(),
          [](const v1::Expense& e) -> const std::string& { return e.expense_id(); })) {
    return AlreadyThere("expense", expense.expense_id());
  }
  if (!expense.receipt_attachment_id().empty() &&
      !Has(job.attachments(), expense.receipt_attachment_id(),
           [](const v1::Attachment& e) -> const std::string& { return e.attachment_id(); })) {
    return absl::InvalidArgumentError(absl::StrCat("expense.receipt_attachment_id: ", JobLabel(job),
                                                   " has no attachment ",
                                                   expense.receipt_attachment_id()));
  }
  v1::ExpenseAdded added;
  *added.mutable_expense() = expense;
  return Events{std::move(added)};
}

absl::StatusOr<Events> DecideAddEquipment(const v1::Job& job, const Head& head,
                                          const v1::InstalledEquipment& equipment) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "installed equipment"); !s.ok()) return s;
  if (Has(job.equipment(), equipment.equipment_id(),
          [](const v1::InstalledEquipment& e) -> const std::string& { return e.equipment_id(); })) {
    return AlreadyThere("installed equipment", equipment.equipment_id());
  }
  v1::EquipmentInstalled installed;
  *installed.mutable_equipment() = equipment;
  return Events{std::move(installed)};
}

absl::StatusOr<Events> DecideAddNote(const v1::Job& job, const Head& head, const v1::Note& note) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (Has(job.notes(), note.note_id(),
          [](const v1::Note& e) -> const std::string& { return e.note_id(); })) {
    return AlreadyThere("note", note.note_id());
  }
  v1::NoteAdded added;
  *added.mutable_note() = note;
  return Events{std::move(added)};
}

absl::StatusOr<Events> DecideAddAttachment(const v1::Job& job, const Head& head,
                                           const v1::Attachment& attachment) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (job.status() == v1::JOB_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " is Cancelled: nothing can be attached"));
  }
  if (Has(job.attachments(), attachment.attachment_id(),
          [](const v1::Attachment& e) -> const std::string& { return e.attachment_id(); })) {
    return AlreadyThere("attachment", attachment.attachment_id());
  }
  v1::AttachmentAdded added;
  *added.mutable_attachment() = attachment;
  return Events{std::move(added)};
}

absl::StatusOr<Events> DecideAddChecklistItem(const v1::Job& job, const Head& head,
                                              const v1::ChecklistItem& item) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "the checklist"); !s.ok()) return s;
  if (Has(job.checklist(), item.item_id(),
          [](const v1::ChecklistItem& e) -> const std::string& { return e.item_id(); })) {
    return AlreadyThere("checklist item", item.item_id());
  }
  v1::ChecklistItemAdded added;
  *added.mutable_item() = item;
  return Events{std::move(added)};
}

absl::StatusOr<Events> DecideSetChecklistItemDone(const v1::Job& job, const Head& head,
                                                  const std::string& item_id, bool done) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "the checklist"); !s.ok()) return s;
  const v1::ChecklistItem* item =
      FindEntry(job.checklist(), item_id,
                [](const v1::ChecklistItem& e) -> const std::string& { return e.item_id(); });
  if (item == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("item_id: no checklist item ", item_id, " on ", JobLabel(job)));
  }
  if (item->done() == done) return Events{};
  if (done) {
    v1::ChecklistItemCompleted completed;
    completed.set_item_id(item_id);
    return Events{std::move(completed)};
  }
  v1::ChecklistItemReopened reopened;
  reopened.set_item_id(item_id);
  return Events{std::move(reopened)};
}

absl::StatusOr<Events> DecideSetRequirements(const v1::Job& job, const Head& head,
                                             const v1::CompletionRequirements& requirements) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "completion requirements"); !s.ok()) return s;
  if (google::protobuf::util::MessageDifferencer::Equals(job.completion_requirements(),
                                                         requirements)) {
    return Events{};
  }
  v1::CompletionRequirementsChanged changed;
  *changed.mutable_requirements() = requirements;
  return Events{std::move(changed)};
}

absl::StatusOr<Events> DecideRemoveItem(const v1::Job& job, const Head& head, JobItemKind kind,
                                        const std::string& item_id) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  auto missing = [&](absl::string_view what) {
    return absl::NotFoundError(
        absl::StrCat("item_id: no ", what, " ", item_id, " on ", JobLabel(job)));
  };
  switch (kind) {
    case JobItemKind::kLineItem: {
      if (absl::Status s = MustBeChangeable(job, "line items"); !s.ok()) return s;
      if (!Has(job.line_items(), item_id,
               [](const v1::LineItem& e) -> const std::string& { return e.line_item_id(); })) {
        return missing("line item");
      }
      v1::LineItemRemoved removed;
      removed.set_line_item_id(item_id);
      return Events{std::move(removed)};
    }
    case JobItemKind::kExpense: {
      if (absl::Status s = MustBeChangeable(job, "expenses"); !s.ok()) return s;
      if (!Has(job.expenses(), item_id,
               [](const v1::Expense& e) -> const std::string& { return e.expense_id(); })) {
        return missing("expense");
      }
      v1::ExpenseRemoved removed;
      removed.set_expense_id(item_id);
      return Events{std::move(removed)};
    }
    case JobItemKind::kEquipment: {
      if (absl::Status s = MustBeChangeable(job, "installed equipment"); !s.ok()) return s;
      if (!Has(job.equipment(), item_id, [](const v1::InstalledEquipment& e) -> const std::string& {
            return e.equipment_id();
          })) {
        return missing("installed equipment");
      }
      v1::EquipmentRemoved removed;
      removed.set_equipment_id(item_id);
      return Events{std::move(removed)};
    }
    case JobItemKind::kNote: {
      if (!Has(job.notes(), item_id,
               [](const v1::Note& e) -> const std::string& { return e.note_id(); })) {
        return missing("note");
      }
      v1::NoteRemoved removed;
      removed.set_note_id(item_id);
      return Events{std::move(removed)};
    }
    case JobItemKind::kChecklistItem: {
      if (absl::Status s = MustBeChangeable(job, "the checklist"); !s.ok()) return s;
      if (!Has(job.checklist(), item_id,
               [](const v1::ChecklistItem& e) -> const std::string& { return e.item_id(); })) {
        return missing("checklist item");
      }
      v1::ChecklistItemRemoved removed;
      removed.set_item_id(item_id);
      return Events{std::move(removed)};
    }
    case JobItemKind::kWorkEntry: {
      if (absl::Status s = MustBeChangeable(job, "the work log"); !s.ok()) return s;
      const v1::WorkEntry* entry =
          FindEntry(job.work_log(), item_id,
                    [](const v1::WorkEntry& e) -> const std::string& { return e.entry_id(); });
      if (entry == nullptr) return missing("work entry");
      if (entry->open()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "work entry ", item_id, " is a session still clocked in: clock out first"));
      }
      v1::WorkEntryRemoved removed;
      removed.set_entry_id(item_id);
      return Events{std::move(removed)};
    }
    case JobItemKind::kAttachment: {
      if (absl::Status s = MustBeChangeable(job, "attachments"); !s.ok()) return s;
      if (!Has(job.attachments(), item_id,
               [](const v1::Attachment& e) -> const std::string& { return e.attachment_id(); })) {
        return missing("attachment");
      }
      for (const v1::Expense& expense : job.expenses()) {
        if (expense.receipt_attachment_id() == item_id) {
          return absl::FailedPreconditionError(absl::StrCat(
              "attachment ", item_id, " is the receipt of expense ", expense.expense_id()));
        }
      }
      v1::AttachmentRemoved removed;
      removed.set_attachment_id(item_id);
      return Events{std::move(removed)};
    }
  }
  return absl::InternalError("unknown item kind");
}

absl::StatusOr<Events> DecideClockIn(const v1::Job& job, const Head& head,
                                     const ClockInCommand& clock_in) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (IsClosed(job) || job.status() == v1::JOB_STATUS_DRAFT) {
    return absl::FailedPreconditionError(absl::StrCat(
        JobLabel(job), " is ", StatusLabel(job.status()), ": nobody can clock in on it"));
  }
  if (const v1::WorkEntry* open = OpenSession(job, clock_in.employee_id)) {
    return absl::FailedPreconditionError(absl::StrCat("employee ", clock_in.employee_id,
                                                      " is already clocked in on ", JobLabel(job),
                                                      " (session ", open->entry_id(), ")"));
  }
  if (Has(job.work_log(), clock_in.entry_id,
          [](const v1::WorkEntry& e) -> const std::string& { return e.entry_id(); })) {
    return AlreadyThere("work entry", clock_in.entry_id);
  }
  Events events;
  v1::WorkSessionStarted started;
  started.set_entry_id(clock_in.entry_id);
  started.set_employee_id(clock_in.employee_id);
  started.set_type(clock_in.type);
  *started.mutable_clock_in() = ToProto(clock_in.at);
  LocalDateToProto(LocalDay(clock_in.at, clock_in.zone), started.mutable_date());
  if (clock_in.location != nullptr) *started.mutable_location() = *clock_in.location;
  events.emplace_back(std::move(started));
  if (job.status() != v1::JOB_STATUS_IN_PROGRESS) {
    v1::JobStatusChanged changed;
    changed.set_from(job.status());
    changed.set_to(v1::JOB_STATUS_IN_PROGRESS);
    changed.set_cause(v1::STATUS_CHANGE_CAUSE_CLOCK_IN);
    changed.set_reason(absl::StrCat("clock-in by ", clock_in.employee_id));
    events.emplace_back(std::move(changed));
  }
  return events;
}

absl::StatusOr<Events> DecideClockOut(const v1::Job& job, const Head& head,
                                      const ClockOutCommand& clock_out) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  const v1::WorkEntry* open = OpenSession(job, clock_out.employee_id);
  if (open == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("employee ", clock_out.employee_id, " is not clocked in on ", JobLabel(job)));
  }
  const absl::Time clock_in = FromProto(open->clock_in());
  if (clock_out.at < clock_in) {
    return absl::InvalidArgumentError(
        absl::StrCat("meta.occurred_at: clock-out at ", absl::FormatTime(clock_out.at),
                     " is before the clock-in at ", absl::FormatTime(clock_in)));
  }
  v1::WorkSessionEnded ended;
  ended.set_entry_id(open->entry_id());
  *ended.mutable_clock_out() = ToProto(clock_out.at);
  ended.set_minutes(absl::ToInt64Minutes(clock_out.at - clock_in));
  if (clock_out.location != nullptr) *ended.mutable_location() = *clock_out.location;
  ended.set_notes(clock_out.notes);
  return Events{std::move(ended)};
}

absl::StatusOr<Events> DecideLogWork(const v1::Job& job, const Head& head,
                                     const v1::WorkEntry& entry) {
  if (absl::Status s = MustExist(head); !s.ok()) return s;
  if (absl::Status s = MustBeChangeable(job, "the work log"); !s.ok()) return s;
  if (Has(job.work_log(), entry.entry_id(),
          [](const v1::WorkEntry& e) -> const std::string& { return e.entry_id(); })) {
    return AlreadyThere("work entry", entry.entry_id());
  }
  v1::WorkEntryLogged logged;
  *logged.mutable_entry() = entry;
  return Events{std::move(logged)};
}

}  // namespace jobledger::job
