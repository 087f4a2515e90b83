// The job service's commands on jobs.
#include "job_commands.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "domain/lifecycle.h"
#include "domain/validate.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/common/status.h"
#include "jobledger/job/v1/rows.pb.h"
#include "projections/job_tables.h"

namespace jobledger::job {
namespace {

absl::Status NotFound(absl::string_view job_id) {
  return absl::NotFoundError(absl::StrCat("job ", job_id, " not found"));
}

}  // namespace

v1::JobReply JobReplyOf(const aggregate::Outcome<v1::Job>& outcome) {
  v1::JobReply reply;
  FillCommandResult(outcome.state.job_id(), outcome.version, outcome.position, outcome.replayed,
                    reply.mutable_result());
  *reply.mutable_job() = outcome.state;
  return reply;
}

absl::Time JobCommands::OccurredAt(const common::v1::CommandMeta& meta) const {
  // Saturating: this runs before the meta is validated, and protobuf's own conversion overflows
  // on a timestamp far outside its range (the command is then refused naming meta.occurred_at).
  if (meta.has_occurred_at()) {
    return absl::FromUnixMicros(absl::ToUnixMicros(TimeFromProto(meta.occurred_at())));
  }
  return options_.clock->Now();
}

JobCommands::JobCommands(JobCommandsOptions options)
    : options_(std::move(options)),
      numbering_({.log = options_.log,
                  .topic = options_.topic,
                  .projection = options_.projection,
                  .clock = options_.clock,
                  .counter_key = [](absl::string_view tenant) { return JobNumberKey(tenant); }}) {}

absl::Status JobCommands::CheckVisible(const server::Caller& caller, const v1::Job& job) const {
  if (caller.sees_everything() || job.created_by() == caller.user_id) return absl::OkStatus();
  // Assignments come from scheduling's events, which only the projection has.
  auto bytes = options_.projection->store()->Get(ListRowKey(caller.tenant, job.job_id()));
  if (!bytes.ok()) return bytes.status();
  v1::JobListRow row;
  if (bytes->has_value() && row.ParseFromString(**bytes)) {
    const auto& visible = row.visible_to();
    if (std::find(visible.begin(), visible.end(), caller.user_id) != visible.end()) {
      return absl::OkStatus();
    }
  }
  return NotFound(job.job_id());
}

absl::StatusOr<v1::Job> JobCommands::ReadVisibleJob(const server::Caller& caller,
                                                    const std::string& job_id) {
  if (absl::Status s = ValidateId("job_id", job_id, true); !s.ok()) return s;
  auto current = options_.jobs->Read(options_.jobs->Key(caller.tenant, job_id));
  if (!current.ok()) return current.status();
  if (current->second.version == 0) return NotFound(job_id);
  if (absl::Status s = CheckVisible(caller, current->first); !s.ok()) return s;
  return std::move(current->first);
}

absl::StatusOr<v1::JobReply> JobCommands::OnJob(const server::Caller& caller,
                                                const common::v1::CommandMeta& meta,
                                                const std::string& job_id, Decide decide) {
  if (absl::Status s = ValidateMeta(meta); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", job_id, true); !s.ok()) return s;
  auto outcome = options_.jobs->Execute(
      options_.jobs->Key(caller.tenant, job_id), server::CommandMetaOf(caller, meta),
      [&](const v1::Job& job, const Head& head) -> absl::StatusOr<std::vector<JobEvent>> {
        if (head.version == 0) return NotFound(job_id);
        if (absl::Status s = CheckVisible(caller, job); !s.ok()) return s;
        return decide(job, head);
      });
  if (!outcome.ok()) return outcome.status();
  return JobReplyOf(*outcome);
}

absl::StatusOr<v1::JobReply> JobCommands::CreateJob(const server::Caller& caller,
                                                    const v1::CreateJobRequest& request) {
  if (absl::Status s = ValidateCreateJob(request); !s.ok()) return s;
  auto customer =
      options_.customers->Read(options_.customers->Key(caller.tenant, request.customer_id()));
  if (!customer.ok()) return customer.status();
  if (customer->second.version == 0) {
    return absl::NotFoundError(absl::StrCat("customer_id: no customer ", request.customer_id()));
  }
  std::optional<v1::Job> parent;
  if (!request.parent_job_id().empty()) {
    auto found = ReadVisibleJob(caller, request.parent_job_id());
    if (!found.ok()) {
      return absl::Status(found.status().code(),
                          absl::StrCat("parent_job_id: ", found.status().message()));
    }
    parent = *std::move(found);
  }
  const std::string job_id =
      request.meta().idempotency_key().empty()
          ? NewId()
          : aggregate::DerivedAggregateId(caller.tenant, "job", request.meta().idempotency_key())
                .ToString();
  v1::Note note;
  if (!request.notes().empty()) {
    note.set_note_id(NewId());
    note.set_text(request.notes());
    note.set_visibility(v1::NOTE_VISIBILITY_INTERNAL);
    note.set_author_id(caller.user_id);
    *note.mutable_created_at() = ProtoFromTime(OccurredAt(request.meta()));
  }

  // Creates of one tenant take numbers in turn and share group commits (tenant_numbering.h).
  auto outcome = aggregate::CreateNumbered(
      numbering_, *options_.jobs, options_.jobs->Key(caller.tenant, job_id),
      server::CommandMetaOf(caller, request.meta()),
      [&](const v1::Job& state, const Head& head,
          int64_t number) -> absl::StatusOr<std::vector<JobEvent>> {
        auto initial = BuildNewJob(request, customer->first, parent ? &*parent : nullptr, job_id,
                                   number, [this] { return NewId(); });
        if (!initial.ok()) return initial.status();
        return DecideCreateJob(state, head, *initial, request.notes().empty() ? nullptr : &note);
      });
  if (!outcome.ok()) return outcome.status();
  return JobReplyOf(*outcome);
}

absl::StatusOr<v1::JobReply> JobCommands::UpdateJob(const server::Caller& caller,
                                                    const v1::UpdateJobRequest& request) {
  if (absl::Status s = ValidateUpdateJob(request); !s.ok()) return s;
  const auto& fields = request.update_fields();
  if (std::find(fields.begin(), fields.end(), "customer_id") != fields.end()) {
    auto customer = options_.customers->Read(
        options_.customers->Key(caller.tenant, request.details().customer_id()));
    if (!customer.ok()) return customer.status();
    if (customer->second.version == 0) {
      return absl::NotFoundError(
          absl::StrCat("details.customer_id: no customer ", request.details().customer_id()));
    }
  }
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideUpdateJob(job, head, request);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::ChangeStatus(const server::Caller& caller,
                                                       const v1::ChangeJobStatusRequest& request,
                                                       v1::StatusChangeCause cause) {
  if (!v1::JobStatus_IsValid(request.status()) || request.status() == v1::JOB_STATUS_UNSPECIFIED) {
    return absl::InvalidArgumentError("status: required");
  }
  if (absl::Status s = ValidateText("reason", request.reason(), kMaxTextLength, false); !s.ok()) {
    return s;
  }
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideChangeStatus(job, head, request.status(), request.reason(), cause);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::Reopen(const server::Caller& caller,
                                                 const v1::ReopenJobRequest& request) {
  if (absl::Status s = ValidateText("reason", request.reason(), kMaxTextLength, false); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  auto job = ReadVisibleJob(caller, request.job_id());
  if (!job.ok()) return job.status();
  // Billing is asked only about a completed job, and before the job is locked: a slow billing
  // must not hold the job's writer. An invoice issued in between is billing's to refuse.
  std::vector<std::string> unvoided;
  const bool asked_billing = job->status() == v1::JOB_STATUS_COMPLETED;
  if (asked_billing) {
    if (options_.invoices == nullptr) {
      return absl::UnavailableError("no billing service is configured to check the job's invoices");
    }
    auto invoices = options_.invoices->UnvoidedInvoices(caller, request.job_id());
    if (!invoices.ok()) return invoices.status();
    unvoided = *std::move(invoices);
  }
  return OnJob(
      caller, request.meta(), request.job_id(),
      [&](const v1::Job& current, const Head& head) -> absl::StatusOr<std::vector<JobEvent>> {
        if (!asked_billing && current.status() == v1::JOB_STATUS_COMPLETED) {
          return absl::AbortedError("the job was completed meanwhile: retry the reopen");
        }
        return DecideReopen(current, head, request.reason(), unvoided);
      });
}

absl::StatusOr<v1::JobReply> JobCommands::Duplicate(const server::Caller& caller,
                                                    const v1::DuplicateJobRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  auto original = ReadVisibleJob(caller, request.job_id());
  if (!original.ok()) return original.status();
  return CreateJob(caller, DuplicateRequest(*original, request));
}

absl::StatusOr<v1::JobReply> JobCommands::LinkRecall(const server::Caller& caller,
                                                     const v1::LinkRecallRequest& request) {
  auto original = ReadVisibleJob(caller, request.original_job_id());
  if (!original.ok()) {
    return absl::Status(original.status().code(),
                        absl::StrCat("original_job_id: ", original.status().message()));
  }
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    if (job.customer_id() != original->customer_id()) {
      return absl::StatusOr<std::vector<JobEvent>>(absl::InvalidArgumentError(
          "original_job_id: a recall is for the same customer as the original job"));
    }
    return DecideLinkRecall(job, head, request.original_job_id());
  });
}

absl::StatusOr<v1::JobReply> JobCommands::AddLineItem(const server::Caller& caller,
                                                      const v1::AddLineItemRequest& request) {
  if (absl::Status s = ValidateLineItem("line_item", request.line_item()); !s.ok()) return s;
  auto priced = PriceLineItem(request.line_item(), [this] { return NewId(); });
  if (!priced.ok()) return priced.status();
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideAddLineItem(job, head, *priced);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::UpdateLineItem(const server::Caller& caller,
                                                         const v1::UpdateLineItemRequest& request) {
  if (absl::Status s = ValidateLineItem("line_item", request.line_item()); !s.ok()) return s;
  if (request.line_item().line_item_id().empty()) {
    return absl::InvalidArgumentError("line_item.line_item_id: required");
  }
  auto priced = PriceLineItem(request.line_item(), [this] { return NewId(); });
  if (!priced.ok()) return priced.status();
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideUpdateLineItem(job, head, *priced);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::AddExpense(const server::Caller& caller,
                                                     const v1::AddExpenseRequest& request) {
  if (absl::Status s = ValidateExpense("expense", request.expense()); !s.ok()) return s;
  v1::Expense expense = request.expense();
  if (expense.expense_id().empty()) expense.set_expense_id(NewId());
  if (expense.employee_id().empty()) expense.set_employee_id(caller.user_id);
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideAddExpense(job, head, expense);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::AddEquipment(
    const server::Caller& caller, const v1::AddInstalledEquipmentRequest& request) {
  if (absl::Status s = ValidateEquipment("equipment", request.equipment()); !s.ok()) return s;
  v1::InstalledEquipment equipment = request.equipment();
  if (equipment.equipment_id().empty()) equipment.set_equipment_id(NewId());
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideAddEquipment(job, head, equipment);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::AddNote(const server::Caller& caller,
                                                  const v1::AddNoteRequest& request) {
  if (absl::Status s = ValidateText("text", request.text(), kMaxTextLength, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("note_id", request.note_id(), false); !s.ok()) return s;
  if (!v1::NoteVisibility_IsValid(request.visibility())) {
    return absl::InvalidArgumentError("visibility: unknown value");
  }
  v1::Note note;
  note.set_note_id(request.note_id().empty() ? NewId() : request.note_id());
  note.set_text(request.text());
  note.set_visibility(request.visibility() == v1::NOTE_VISIBILITY_UNSPECIFIED
                          ? v1::NOTE_VISIBILITY_INTERNAL
                          : request.visibility());
  note.set_author_id(caller.user_id);
  *note.mutable_created_at() = ProtoFromTime(OccurredAt(request.meta()));
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideAddNote(job, head, note);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::AddChecklistItem(
    const server::Caller& caller, const v1::AddChecklistItemRequest& request) {
  if (absl::Status s = ValidateText("text", request.text(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("item_id", request.item_id(), false); !s.ok()) return s;
  v1::ChecklistItem item;
  item.set_item_id(request.item_id().empty() ? NewId() : request.item_id());
  item.set_text(request.text());
  item.set_required(request.required());
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideAddChecklistItem(job, head, item);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::SetChecklistItemDone(
    const server::Caller& caller, const v1::SetChecklistItemDoneRequest& request) {
  if (absl::Status s = ValidateId("item_id", request.item_id(), true); !s.ok()) return s;
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideSetChecklistItemDone(job, head, request.item_id(), request.done());
  });
}

absl::StatusOr<v1::JobReply> JobCommands::SetCompletionRequirements(
    const server::Caller& caller, const v1::SetCompletionRequirementsRequest& request) {
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideSetRequirements(job, head, request.requirements());
  });
}

absl::StatusOr<v1::JobReply> JobCommands::RemoveItem(const server::Caller& caller,
                                                     const v1::RemoveJobItemRequest& request,
                                                     JobItemKind kind) {
  if (absl::Status s = ValidateId("item_id", request.item_id(), true); !s.ok()) return s;
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideRemoveItem(job, head, kind, request.item_id());
  });
}

absl::StatusOr<v1::JobReply> JobCommands::ClockIn(const server::Caller& caller,
                                                  const v1::ClockInRequest& request) {
  if (absl::Status s = ValidateId("entry_id", request.entry_id(), false); !s.ok()) return s;
  if (absl::Status s = ValidateText("employee_id", request.employee_id(), kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("type", request.type(), 64, false); !s.ok()) return s;
  if (request.has_location()) {
    if (absl::Status s = ValidateGeoPoint("location", request.location()); !s.ok()) return s;
  }
  if (!caller.sees_everything() && !request.employee_id().empty() &&
      request.employee_id() != caller.user_id) {
    return absl::PermissionDeniedError("employee_id: a technician clocks in only themselves");
  }
  ClockInCommand clock_in;
  clock_in.entry_id = request.entry_id().empty() ? NewId() : request.entry_id();
  clock_in.employee_id = request.employee_id().empty() ? caller.user_id : request.employee_id();
  clock_in.type = request.type().empty() ? "regular" : request.type();
  clock_in.at = OccurredAt(request.meta());
  clock_in.zone = options_.zone;
  clock_in.location = request.has_location() ? &request.location() : nullptr;
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideClockIn(job, head, clock_in);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::ClockOut(const server::Caller& caller,
                                                   const v1::ClockOutRequest& request) {
  if (absl::Status s = ValidateText("notes", request.notes(), kMaxTextLength, false); !s.ok()) {
    return s;
  }
  if (request.has_location()) {
    if (absl::Status s = ValidateGeoPoint("location", request.location()); !s.ok()) return s;
  }
  if (!caller.sees_everything() && !request.employee_id().empty() &&
      request.employee_id() != caller.user_id) {
    return absl::PermissionDeniedError("employee_id: a technician clocks out only themselves");
  }
  ClockOutCommand clock_out;
  clock_out.employee_id = request.employee_id().empty() ? caller.user_id : request.employee_id();
  clock_out.at = OccurredAt(request.meta());
  clock_out.location = request.has_location() ? &request.location() : nullptr;
  clock_out.notes = request.notes();
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideClockOut(job, head, clock_out);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::LogWork(const server::Caller& caller,
                                                  const v1::LogWorkRequest& request) {
  v1::WorkEntry entry = request.entry();
  if (absl::Status s = ValidateWorkEntry("entry", entry); !s.ok()) return s;
  if (!caller.sees_everything() && !entry.employee_id().empty() &&
      entry.employee_id() != caller.user_id) {
    return absl::PermissionDeniedError("entry.employee_id: a technician logs only their own time");
  }
  if (entry.entry_id().empty()) entry.set_entry_id(NewId());
  if (entry.employee_id().empty()) entry.set_employee_id(caller.user_id);
  if (entry.type().empty()) entry.set_type("regular");
  return OnJob(caller, request.meta(), request.job_id(), [&](const v1::Job& job, const Head& head) {
    return DecideLogWork(job, head, entry);
  });
}

absl::StatusOr<v1::JobReply> JobCommands::AddAttachment(const server::Caller& caller,
                                                        const common::v1::CommandMeta& meta,
                                                        const std::string& job_id,
                                                        const v1::Attachment& stored) {
  v1::Attachment attachment = stored;
  if (attachment.attachment_id().empty()) attachment.set_attachment_id(NewId());
  *attachment.mutable_uploaded_at() = ProtoFromTime(OccurredAt(meta));
  return OnJob(caller, meta, job_id, [&](const v1::Job& job, const Head& head) {
    return DecideAddAttachment(job, head, attachment);
  });
}

namespace {

void SetOutcome(const absl::Status& status, v1::ItemOutcome& outcome) {
  outcome.set_code(static_cast<int32_t>(status.code()));
  outcome.set_message(std::string(status.message()));
}

}  // namespace

absl::StatusOr<v1::BulkChangeStatusResponse> JobCommands::BulkChangeStatus(
    const server::Caller& caller, const v1::BulkChangeStatusRequest& request) {
  if (absl::Status s = ValidateBulkChangeStatus(request); !s.ok()) return s;
  v1::BulkChangeStatusResponse response;
  for (const std::string& job_id : request.job_ids()) {
    v1::ItemOutcome& outcome = *response.add_outcomes();
    outcome.set_id(job_id);
    v1::ChangeJobStatusRequest one;
    if (!request.idempotency_key().empty()) {
      one.mutable_meta()->set_idempotency_key(absl::StrCat(request.idempotency_key(), "/", job_id));
    }
    one.set_job_id(job_id);
    one.set_status(request.status());
    one.set_reason(request.reason());
    auto reply = ChangeStatus(caller, one, v1::STATUS_CHANGE_CAUSE_BULK);
    SetOutcome(reply.status(), outcome);
    if (reply.ok()) {
      *outcome.mutable_result() = reply->result();
      response.set_succeeded(response.succeeded() + 1);
    } else {
      response.set_failed(response.failed() + 1);
    }
  }
  return response;
}

absl::StatusOr<v1::OfflineBatchResponse> JobCommands::ApplyOfflineBatch(
    const server::Caller& caller, const v1::OfflineBatchRequest& request) {
  if (absl::Status s = ValidateOfflineBatch(request); !s.ok()) return s;
  v1::OfflineBatchResponse response;
  for (const v1::OfflineCommand& command : request.commands()) {
    v1::ItemOutcome& outcome = *response.add_outcomes();
    outcome.set_id(command.command_id());
    // The device's key and time win over whatever the inner request says.
    common::v1::CommandMeta meta;
    meta.set_idempotency_key(absl::StrCat(request.device_id(), "/", command.command_id()));
    if (command.has_occurred_at()) *meta.mutable_occurred_at() = command.occurred_at();
    auto with_meta = [&](auto inner) {
      const auto expected = inner.meta();
      *inner.mutable_meta() = meta;
      if (expected.has_expected_version()) {
        inner.mutable_meta()->set_expected_version(expected.expected_version());
      }
      return inner;
    };
    absl::StatusOr<v1::JobReply> reply = absl::InvalidArgumentError("command: required");
    switch (command.command_case()) {
      case v1::OfflineCommand::kChangeStatus:
        reply = ChangeStatus(caller, with_meta(command.change_status()),
                             v1::STATUS_CHANGE_CAUSE_MANUAL);
        break;
      case v1::OfflineCommand::kAddLineItem:
        reply = AddLineItem(caller, with_meta(command.add_line_item()));
        break;
      case v1::OfflineCommand::kAddExpense:
        reply = AddExpense(caller, with_meta(command.add_expense()));
        break;
      case v1::OfflineCommand::kAddNote:
        reply = AddNote(caller, with_meta(command.add_note()));
        break;
      case v1::OfflineCommand::kSetChecklistItemDone:
        reply = SetChecklistItemDone(caller, with_meta(command.set_checklist_item_done()));
        break;
      case v1::OfflineCommand::kClockIn:
        reply = ClockIn(caller, with_meta(command.clock_in()));
        break;
      case v1::OfflineCommand::kClockOut:
        reply = ClockOut(caller, with_meta(command.clock_out()));
        break;
      case v1::OfflineCommand::kLogWork:
        reply = LogWork(caller, with_meta(command.log_work()));
        break;
      case v1::OfflineCommand::kAddInstalledEquipment:
        reply = AddEquipment(caller, with_meta(command.add_installed_equipment()));
        break;
      case v1::OfflineCommand::COMMAND_NOT_SET:
        break;
    }
    SetOutcome(reply.status(), outcome);
    if (reply.ok()) *outcome.mutable_result() = reply->result();
  }
  return response;
}

}  // namespace jobledger::job
