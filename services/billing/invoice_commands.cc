// Invoices through their writer, numbered per tenant.
#include "invoice_commands.h"

#include "absl/strings/str_cat.h"
#include "billing_commands.h"
#include "domain/invoice_rules.h"
#include "domain/invoicing.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "projections/billing_tables.h"
#include "projections/invoice_reads.h"
#include "projections/job_copies.h"

namespace jobledger::billing {
namespace {

using server::Caller;

constexpr size_t kMaxNotesLength = 10000;

std::string CreditLeaseKey(absl::string_view tenant, absl::string_view invoice_id) {
  return projection::KeyBuilder().String("credit").String(tenant).String(invoice_id).key();
}

// What a change to the invoice may invalidate: its job's invoicing and the credit notes of the
// invoice it is or corrects.
std::vector<std::string> LeaseKeysOf(absl::string_view tenant, const v1::Invoice& invoice) {
  std::vector<std::string> keys = {CreditLeaseKey(tenant, invoice.credited_invoice_id().empty()
                                                              ? invoice.invoice_id()
                                                              : invoice.credited_invoice_id())};
  if (!invoice.job_id().empty()) keys.push_back(JobLeaseKey(tenant, invoice.job_id()));
  return keys;
}

v1::InvoiceReply ReplyOf(const aggregate::Outcome<v1::Invoice>& outcome) {
  v1::InvoiceReply reply;
  aggregate::FillCommandResult(outcome.state.invoice_id(), outcome.version, outcome.position,
                               outcome.replayed, reply.mutable_result());
  *reply.mutable_invoice() = outcome.state;
  return reply;
}

}  // namespace

InvoiceCommands::InvoiceCommands(InvoiceCommandsOptions options)
    : options_(std::move(options)),
      numbering_(
          {.log = options_.log,
           .topic = options_.billing_topic,
           .projection = options_.projection,
           .clock = options_.clock,
           .counter_key = [](absl::string_view tenant) { return InvoiceNumberKey(tenant); }}) {}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::Create(const Caller& caller,
                                                         const common::v1::CommandMeta& meta,
                                                         const std::string& lease_key,
                                                         Build build) {
  const std::string invoice_id =
      meta.idempotency_key().empty()
          ? NewId()
          : aggregate::DerivedAggregateId(caller.tenant, kInvoiceAggregate, meta.idempotency_key())
                .ToString();
  auto lease = options_.leases->Acquire({lease_key}, options_.clock->Now() + options_.wait);
  if (!lease.ok()) return lease.status();
  auto outcome = aggregate::CreateNumbered(
      numbering_, *options_.invoices, options_.invoices->Key(caller.tenant, invoice_id),
      server::CommandMetaOf(caller, meta),
      [&](const v1::Invoice&, const Head& head,
          int64_t number) -> absl::StatusOr<std::vector<InvoiceEvent>> {
        auto draft = build(invoice_id, number);
        if (!draft.ok()) return draft.status();
        return DecideCreateInvoice(head, *std::move(draft));
      });
  if (!outcome.ok()) return outcome.status();
  if (outcome->position.has_value()) lease->Wrote(*outcome->position);
  return ReplyOf(*outcome);
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::CreateInvoice(
    const Caller& caller, const v1::CreateInvoiceRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateText("notes", request.notes(), kMaxNotesLength, false); !s.ok()) {
    return s;
  }
  auto settings = options_.billing->SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  auto job = KnownJobCopy(*options_.projection, *options_.log, options_.job_topic, caller.tenant,
                          request.job_id(), options_.clock->Now() + options_.wait);
  if (!job.ok()) return job.status();
  const auto store = options_.projection->store();  // held: a rebuild may swap it meanwhile
  const projection::StateReader& state = *store;
  auto tax_category_of = [&](const std::string& price_item_id) -> std::string {
    auto item = PriceItemTable().Get(state, PrimaryKey(caller.tenant, price_item_id));
    return item.ok() && item->has_value() ? (*item)->item().tax_category() : "";
  };
  return Create(caller, request.meta(), JobLeaseKey(caller.tenant, job->job_id()),
                [&](const std::string& id, int64_t number) -> absl::StatusOr<v1::Invoice> {
                  // A job billed by stages is not billed again as a whole.
                  auto billing = options_.job_billing->Read(
                      options_.job_billing->Key(caller.tenant, job->job_id()));
                  if (!billing.ok()) return billing.status();
                  if (!billing->first.schedule().empty()) {
                    return absl::FailedPreconditionError(absl::StrCat(
                        JobLabel(*job), " is billed by its progress schedule: invoice its stages"));
                  }
                  auto existing = InvoicesOfJob(state, caller.tenant, job->job_id());
                  if (!existing.ok()) return existing.status();
                  auto invoice = BuildJobInvoice(*job, *settings, tax_category_of, *existing, id,
                                                 number, [this] { return NewId(); });
                  if (invoice.ok()) invoice->set_notes(request.notes());
                  return invoice;
                });
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::CreateProgressInvoice(
    const Caller& caller, const v1::CreateProgressInvoiceRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (request.stage() < 0) return Invalid("stage", "0 or more (the first stage is 0)");
  auto job = KnownJobCopy(*options_.projection, *options_.log, options_.job_topic, caller.tenant,
                          request.job_id(), options_.clock->Now() + options_.wait);
  if (!job.ok()) return job.status();
  const auto store = options_.projection->store();  // held: a rebuild may swap it meanwhile
  const projection::StateReader& state = *store;
  return Create(caller, request.meta(), JobLeaseKey(caller.tenant, job->job_id()),
                [&](const std::string& id, int64_t number) -> absl::StatusOr<v1::Invoice> {
                  auto billing = options_.job_billing->Read(
                      options_.job_billing->Key(caller.tenant, job->job_id()));
                  if (!billing.ok()) return billing.status();
                  auto existing = InvoicesOfJob(state, caller.tenant, job->job_id());
                  if (!existing.ok()) return existing.status();
                  return BuildProgressInvoice(*job, billing->first, request.stage(), *existing, id,
                                              number, [this] { return NewId(); });
                });
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::CreateCreditNote(
    const Caller& caller, const v1::CreateCreditNoteRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("invoice_id", request.invoice_id(), true); !s.ok()) return s;
  if (IsBlank(request.reason())) return Invalid("reason", "required");
  if (absl::Status s = ValidateText("reason", request.reason(), kMaxNotesLength, false); !s.ok()) {
    return s;
  }
  if (request.lines().empty()) return Invalid("lines", "required: what is credited");
  auto settings = options_.billing->SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  auto original =
      options_.invoices->Read(options_.invoices->Key(caller.tenant, request.invoice_id()));
  if (!original.ok()) return original.status();
  if (original->second.version == 0) {
    return absl::NotFoundError(absl::StrCat("invoice ", request.invoice_id(), " not found"));
  }
  const v1::Invoice& corrected = original->first;
  const auto store = options_.projection->store();  // held: a rebuild may swap it meanwhile
  const projection::StateReader& state = *store;
  return Create(caller, request.meta(), CreditLeaseKey(caller.tenant, corrected.invoice_id()),
                [&](const std::string& id, int64_t number) -> absl::StatusOr<v1::Invoice> {
                  auto notes = CreditNotesOf(state, caller.tenant, corrected.invoice_id());
                  if (!notes.ok()) return notes.status();
                  auto note = BuildCreditNote(corrected, request.lines(), *notes, *settings, id,
                                              number, [this] { return NewId(); });
                  if (note.ok()) note->set_notes(request.reason());
                  return note;
                });
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::OnInvoice(const Caller& caller,
                                                            const common::v1::CommandMeta& meta,
                                                            const std::string& invoice_id,
                                                            InvoiceDecide decide) {
  auto outcome = options_.invoices->Execute(options_.invoices->Key(caller.tenant, invoice_id),
                                            server::CommandMetaOf(caller, meta), decide);
  if (!outcome.ok()) return outcome.status();
  return ReplyOf(*outcome);
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::IssueInvoice(
    const Caller& caller, const v1::InvoiceActionRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("invoice_id", request.invoice_id(), true); !s.ok()) return s;
  auto settings = options_.billing->SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  const absl::CivilDay today = LocalDay(options_.clock->Now(), options_.zone);
  return OnInvoice(caller, request.meta(), request.invoice_id(),
                   [&](const v1::Invoice& invoice, const Head& head) {
                     return DecideIssueInvoice(invoice, head, today,
                                               settings->payment_terms_days());
                   });
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::VoidInvoice(
    const Caller& caller, const v1::VoidInvoiceRequest& request) {
  if (absl::Status s = ValidateVoidInvoice(request); !s.ok()) return s;
  auto current =
      options_.invoices->Read(options_.invoices->Key(caller.tenant, request.invoice_id()));
  if (!current.ok()) return current.status();
  if (current->second.version == 0) {
    return absl::NotFoundError(absl::StrCat("invoice ", request.invoice_id(), " not found"));
  }
  // A credit note being made against it, or a new invoice of its job, waits for the void.
  auto lease = options_.leases->Acquire(LeaseKeysOf(caller.tenant, current->first),
                                        options_.clock->Now() + options_.wait);
  if (!lease.ok()) return lease.status();
  auto notes = CreditNotesOf(*options_.projection->store(), caller.tenant, request.invoice_id());
  if (!notes.ok()) return notes.status();
  auto reply = OnInvoice(caller, request.meta(), request.invoice_id(),
                         [&](const v1::Invoice& invoice, const Head& head) {
                           return DecideVoidInvoice(invoice, head, request.reason(), *notes);
                         });
  if (reply.ok() && reply->result().has_position()) {
    const common::v1::LogPosition& at = reply->result().position();
    lease->Wrote({at.topic(), at.partition(), at.offset()});
  }
  return reply;
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::RecordPayment(
    const Caller& caller, const v1::RecordPaymentRequest& request) {
  if (absl::Status s = ValidateRecordPayment(request); !s.ok()) return s;
  const std::string payment_id = NewId();
  const absl::Time now = options_.clock->Now();
  return OnInvoice(caller, request.meta(), request.invoice_id(),
                   [&](const v1::Invoice& invoice, const Head& head) {
                     return DecideRecordPayment(invoice, head, request, payment_id, now);
                   });
}

absl::StatusOr<v1::InvoiceReply> InvoiceCommands::RecordRefund(
    const Caller& caller, const v1::RecordRefundRequest& request) {
  if (absl::Status s = ValidateRecordRefund(request); !s.ok()) return s;
  const std::string refund_id = NewId();
  const absl::Time now = options_.clock->Now();
  return OnInvoice(caller, request.meta(), request.invoice_id(),
                   [&](const v1::Invoice& invoice, const Head& head) {
                     return DecideRecordRefund(invoice, head, request, refund_id, now);
                   });
}

}  // namespace jobledger::billing
