// Applying the billing and job topics to the billing read model.
#include "projections/billing_projection.h"

#include "absl/strings/str_cat.h"
#include "domain/billing_evolve.h"
#include "domain/evolve.h"  // the job service's: jobs and customers as their events make them
#include "domain/invoicing.h"
#include "domain/job_events.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/counter.h"
#include "projections/billing_tables.h"
#include "projections/invoice_reads.h"

namespace jobledger::billing {
namespace {

using aggregate::ApplyToRow;
using events::v1::Envelope;
using projection::StateWriter;

absl::Status RaiseCounter(StateWriter& state, const std::string& key, int64_t number) {
  auto highest = projection::ReadCounter(state, key);
  if (!highest.ok()) return highest.status();
  if (number > *highest) projection::WriteCounter(state, key, number);
  return absl::OkStatus();
}

// ---- jobs awaiting billing: completed, with no invoice that is not void

absl::StatusOr<bool> HasLiveInvoice(const projection::StateReader& state, absl::string_view tenant,
                                    absl::string_view job_id) {
  auto invoices = InvoicesOfJob(state, tenant, job_id);
  if (!invoices.ok()) return invoices.status();
  for (const v1::Invoice& invoice : *invoices) {
    if (invoice.status() != v1::INVOICE_STATUS_VOID &&
        invoice.kind() != v1::INVOICE_KIND_CREDIT_NOTE) {
      return true;
    }
  }
  return false;
}

// Puts or removes the job's awaiting-billing entry; `before` is the job as the entry was made.
absl::Status RefreshAwaitingBilling(StateWriter& state, absl::string_view tenant,
                                    const job::v1::Job& before, const job::v1::Job& after) {
  if (before.status() == job::v1::JOB_STATUS_COMPLETED && before.has_actual_end()) {
    state.Delete(AwaitingBillingKey(tenant, TimeFromProto(before.actual_end()), before.job_id()));
  }
  if (after.status() != job::v1::JOB_STATUS_COMPLETED || !after.has_actual_end()) {
    return absl::OkStatus();
  }
  auto invoiced = HasLiveInvoice(state, tenant, after.job_id());
  if (!invoiced.ok()) return invoiced.status();
  if (!*invoiced) {
    state.Put(AwaitingBillingKey(tenant, TimeFromProto(after.actual_end()), after.job_id()), "");
  }
  return absl::OkStatus();
}

absl::Status RefreshJobOfInvoice(StateWriter& state, absl::string_view tenant,
                                 const v1::Invoice& invoice) {
  if (invoice.job_id().empty()) return absl::OkStatus();
  auto job = JobCopyTable().Get(state, PrimaryKey(tenant, invoice.job_id()));
  if (!job.ok()) return job.status();
  if (!job->has_value()) return absl::OkStatus();
  return RefreshAwaitingBilling(state, tenant, (*job)->job(), (*job)->job());
}

// ---- customers' accounts

// An entry dated when it happened: a payment when it was received, anything else when recorded.
void AddAccountEntry(StateWriter& state, const Envelope& envelope, const v1::Invoice& invoice,
                     absl::string_view description, int64_t signed_amount,
                     const v1::Payment* payment = nullptr) {
  v1::AccountEntry entry;
  *entry.mutable_at() = payment != nullptr && payment->has_received_at() ? payment->received_at()
                                                                         : envelope.occurred_at();
  entry.set_description(std::string(description));
  entry.set_invoice_id(invoice.invoice_id());
  const std::string& currency = invoice.total().currency();
  common::v1::Money* side = signed_amount >= 0 ? entry.mutable_charge() : entry.mutable_credit();
  side->set_currency(currency);
  side->set_minor_units(signed_amount >= 0 ? signed_amount : -signed_amount);
  if (payment != nullptr && payment->to_credit().minor_units() != 0) {
    *entry.mutable_to_credit() = payment->to_credit();
  }
  state.Put(AccountEntryKey(envelope.tenant(), invoice.customer_id(), TimeFromProto(entry.at()),
                            envelope.event_id()),
            projection::DeterministicBytes(entry));
}

std::string PaymentText(absl::string_view what, const v1::Payment& payment) {
  std::string text(what);
  if (!payment.method().empty()) absl::StrAppend(&text, " (", payment.method());
  if (!payment.reference().empty()) {
    absl::StrAppend(&text, payment.method().empty() ? " (" : " ", payment.reference());
  }
  if (!payment.method().empty() || !payment.reference().empty()) absl::StrAppend(&text, ")");
  return text;
}

absl::Status ApplyInvoiceEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  v1::InvoiceRow before;
  v1::InvoiceRow after;
  auto decoded = ApplyToRow<InvoiceEvent>(
      event, InvoiceTable(), PrimaryKey(envelope.tenant(), envelope.aggregate_id()),
      &v1::InvoiceRow::mutable_invoice, EvolveInvoice, state, &before, &after);
  if (!decoded.ok()) return decoded.status();
  const v1::Invoice& invoice = after.invoice();
  const std::string label = InvoiceLabel(invoice);
  const bool credit_note = invoice.kind() == v1::INVOICE_KIND_CREDIT_NOTE;
  if (std::holds_alternative<v1::InvoiceCreated>(*decoded)) {
    if (absl::Status s = RaiseCounter(state, InvoiceNumberKey(envelope.tenant()), invoice.number());
        !s.ok()) {
      return s;
    }
  } else if (std::holds_alternative<v1::InvoiceIssued>(*decoded)) {
    AddAccountEntry(
        state, envelope, invoice,
        credit_note ? absl::StrCat("credit note ", label) : absl::StrCat(label, " issued"),
        invoice.total().minor_units());
  } else if (const auto* paid = std::get_if<v1::PaymentRecorded>(&*decoded)) {
    AddAccountEntry(state, envelope, invoice,
                    PaymentText(absl::StrCat("payment on ", label), paid->payment()),
                    -paid->payment().amount().minor_units(), &paid->payment());
  } else if (const auto* refund = std::get_if<v1::RefundRecorded>(&*decoded)) {
    AddAccountEntry(state, envelope, invoice,
                    PaymentText(absl::StrCat("refund on ", label), refund->refund()),
                    refund->refund().amount().minor_units());
  } else if (std::holds_alternative<v1::InvoiceVoided>(*decoded) &&
             before.invoice().status() != v1::INVOICE_STATUS_DRAFT) {
    // An issued document is reversed on the account; a draft never reached it.
    AddAccountEntry(state, envelope, invoice, absl::StrCat(label, " void"),
                    -invoice.total().minor_units());
  }
  return RefreshJobOfInvoice(state, envelope.tenant(), invoice);
}

absl::Status ApplyBillingEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  const std::string& type = envelope.aggregate_type();
  if (type == kInvoiceAggregate) return ApplyInvoiceEvent(event, state);
  if (type == kSettingsAggregate) {
    return ApplyToRow<SettingsEvent>(event, SettingsTable(), key,
                                     &v1::SettingsRow::mutable_settings, EvolveSettings, state)
        .status();
  }
  if (type == kPriceItemAggregate) {
    return ApplyToRow<PriceItemEvent>(event, PriceItemTable(), key, &v1::PriceItemRow::mutable_item,
                                      EvolvePriceItem, state)
        .status();
  }
  if (type == kJobBillingAggregate) {
    return ApplyToRow<JobBillingEvent>(event, JobBillingTable(), key,
                                       &v1::JobBillingRow::mutable_billing, EvolveJobBilling, state)
        .status();
  }
  if (type == kEstimateAggregate) {
    v1::EstimateRow before;
    v1::EstimateRow after;
    auto decoded =
        ApplyToRow<EstimateEvent>(event, EstimateTable(), key, &v1::EstimateRow::mutable_estimate,
                                  EvolveEstimate, state, &before, &after);
    if (!decoded.ok()) return decoded.status();
    return RaiseCounter(state, EstimateNumberKey(envelope.tenant()), after.estimate().number());
  }
  return absl::DataLossError(absl::StrCat("no billing aggregate is called ", type));
}

// ---- the job service's jobs and customers

absl::Status ApplyJobTopicEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  if (envelope.aggregate_type() == "customer") {
    return ApplyToRow<job::CustomerEvent>(event, CustomerCopyTable(), key,
                                          &v1::CustomerCopyRow::mutable_customer,
                                          job::EvolveCustomer, state)
        .status();
  }
  if (envelope.aggregate_type() != "job") return absl::OkStatus();
  v1::JobCopyRow before;
  v1::JobCopyRow after;
  auto decoded = ApplyToRow<job::JobEvent>(event, JobCopyTable(), key, &v1::JobCopyRow::mutable_job,
                                           job::EvolveJob, state, &before, &after);
  if (!decoded.ok()) return decoded.status();
  return RefreshAwaitingBilling(state, envelope.tenant(), before.job(), after.job());
}

}  // namespace

absl::Status BillingProjection::Apply(const events::v1::Event& event,
                                      const projection::EventPosition& position,
                                      StateWriter& state) const {
  if (position.topic == job_topic_) return ApplyJobTopicEvent(event, state);
  if (position.topic != billing_topic_) return absl::OkStatus();
  if (absl::Status s = ApplyBillingEvent(event, state); !s.ok()) return s;
  aggregate::RecordCommand(event.envelope(), position, state);
  return absl::OkStatus();
}

}  // namespace jobledger::billing
