// Fuzzes the billing service's command validation and decisions (settings, price book, estimates,
// invoices, progress invoices, credit notes, payments, billing schedules, commissions) with
// serialized requests: see command_fuzz.h. The states are made by the domain itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "command_fuzz.h"
#include "domain/billing_evolve.h"
#include "domain/estimates.h"
#include "domain/invoice_rules.h"
#include "domain/invoicing.h"
#include "domain/price_book.h"
#include "domain/progress.h"
#include "jobledger/common/field_checks.h"

namespace jobledger::billing {
namespace {

using fuzz::Accepted;
using fuzz::CheckDecision;
using fuzz::CommandTable;
using fuzz::Made;
using fuzz::Now;

const aggregate::Head kNew{};
const aggregate::Head kExisting{1, "hash"};

common::v1::Money Usd(int64_t minor_units) {
  common::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency("USD");
  return money;
}

v1::BillingSettings Settings() {
  v1::BillingSettings settings;
  settings.set_currency("USD");
  settings.set_jurisdiction("US-TX");
  v1::TaxRate& rate = *settings.add_tax_rates();
  rate.set_category("materials");
  rate.set_rate_ppm(82'500);
  settings.set_payment_terms_days(30);
  return settings;
}

v1::PriceItem ExistingPriceItem() {
  v1::CreatePriceItemRequest request;
  v1::PriceItem& item = *request.mutable_item();
  item.set_code("SVC-DRAIN");
  item.set_name("Drain cleaning");
  item.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  *item.mutable_unit_price() = Usd(12'000);
  return Made(v1::PriceItem(), DecideCreatePriceItem(kNew, request, "USD"), EvolvePriceItem);
}

google::protobuf::RepeatedPtrField<job::v1::LineItem> OneLine() {
  google::protobuf::RepeatedPtrField<job::v1::LineItem> lines;
  job::v1::LineItem& line = *lines.Add();
  line.set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
  line.set_name("Trap");
  line.set_quantity_milli(2000);
  *line.mutable_unit_price() = Usd(1'250);
  return lines;
}

// A draft, sent or approved estimate (by `state`).
v1::Estimate EstimateInState(int state) {
  absl::StatusOr<PricedLines> priced = PriceEstimateLines(OneLine(), {}, Settings(), fuzz::NewId);
  JL_FUZZ_CHECK_OK(priced.status());
  v1::DraftEstimateRequest request;
  request.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  request.set_title("New trap");
  v1::Estimate estimate =
      Made(v1::Estimate(),
           DecideDraftEstimate(
               kNew,
               NewEstimate("0190a1b2-c3d4-7e5f-8a9b-000000000118", request, *std::move(priced)), 4),
           EvolveEstimate);
  if (state % 3 >= 1)
    estimate = Made(estimate, DecideSendEstimate(estimate, kExisting), EvolveEstimate);
  if (state % 3 >= 2) {
    estimate = Made(estimate, DecideApproveEstimate(estimate, kExisting, "Ada"), EvolveEstimate);
  }
  return estimate;
}

constexpr char kJobId[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr size_t kMaxNotesLength = 10'000;  // an invoice's notes, a credit note's reason

// A job with one billable line: completed, or (odd `state`) still in progress.
job::v1::Job JobInState(int state) {
  job::v1::Job job;
  job.set_job_id(kJobId);
  job.set_number(7);
  job.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  job.set_status(state % 2 == 0 ? job::v1::JOB_STATUS_COMPLETED : job::v1::JOB_STATUS_IN_PROGRESS);
  job::v1::LineItem& line = *job.add_line_items();
  line = OneLine()[0];
  line.set_line_item_id("0190a1b2-c3d4-7e5f-8a9b-000000000101");
  *line.mutable_total() = Usd(2'500);
  line.set_billable(true);
  return job;
}

// The decision on a new invoice: its builder's refusal, or the invoice made.
absl::StatusOr<std::vector<InvoiceEvent>> DecideNew(absl::StatusOr<v1::Invoice> draft) {
  if (!draft.ok()) return draft.status();
  return DecideCreateInvoice(kNew, *std::move(draft));
}

// A draft or issued invoice (by `state`) of a completed job.
v1::Invoice InvoiceInState(int state) {
  absl::StatusOr<v1::Invoice> draft = BuildJobInvoice(
      JobInState(0), Settings(), [](const std::string&) { return std::string(); }, {},
      "0190a1b2-c3d4-7e5f-8a9b-000000000120", 5, fuzz::NewId);
  JL_FUZZ_CHECK_OK(draft.status());
  v1::Invoice invoice =
      Made(v1::Invoice(),
           absl::StatusOr<std::vector<InvoiceEvent>>(DecideCreateInvoice(kNew, *std::move(draft))),
           EvolveInvoice);
  if (state % 2 == 1) {
    invoice = Made(invoice, DecideIssueInvoice(invoice, kExisting, absl::CivilDay(2026, 3, 2), 30),
                   EvolveInvoice);
  }
  return invoice;
}

// The job's billing record: no schedule, or (odd `state`) 20 % / 80 % of $10,000.
v1::JobBilling BillingInState(int state) {
  if (state % 2 == 0) return v1::JobBilling();
  v1::SetBillingScheduleRequest request;
  request.set_job_id(kJobId);
  request.add_stages()->set_share_ppm(200'000);
  request.add_stages()->set_share_ppm(800'000);
  return Made(v1::JobBilling(), DecideSetBillingSchedule(request, Usd(1'000'000), "USD", {}),
              EvolveJobBilling);
}

CommandTable Commands() {
  CommandTable table;
  table.On<v1::SetBillingSettingsRequest>([](int, const v1::SetBillingSettingsRequest& r) {
    if (!Accepted(ValidateSetBillingSettings(r))) return;
    CheckDecision(DecideSetBillingSettings(Settings(), kExisting, r), Settings(), kExisting,
                  EvolveSettings);
  });
  table.On<v1::CreatePriceItemRequest>([](int, const v1::CreatePriceItemRequest& r) {
    if (!Accepted(ValidateCreatePriceItem(r))) return;
    CheckDecision(DecideCreatePriceItem(kNew, r, "USD"), v1::PriceItem(), kNew, EvolvePriceItem);
  });
  table.On<v1::UpdatePriceItemRequest>([](int, const v1::UpdatePriceItemRequest& r) {
    if (!Accepted(ValidateUpdatePriceItem(r))) return;
    const v1::PriceItem item = ExistingPriceItem();
    CheckDecision(DecideUpdatePriceItem(item, kExisting, r), item, kExisting, EvolvePriceItem);
  });
  table.On<v1::ChangePriceRequest>([](int, const v1::ChangePriceRequest& r) {
    if (!Accepted(ValidateChangePrice(r))) return;
    const v1::PriceItem item = ExistingPriceItem();
    CheckDecision(DecideChangePrice(item, kExisting, r), item, kExisting, EvolvePriceItem);
  });
  table.On<v1::SetPriceItemActiveRequest>([](int, const v1::SetPriceItemActiveRequest& r) {
    if (!Accepted(ValidateSetPriceItemActive(r))) return;
    const v1::PriceItem item = ExistingPriceItem();
    CheckDecision(DecideSetPriceItemActive(item, kExisting, r), item, kExisting, EvolvePriceItem);
  });
  table.On<v1::DraftEstimateRequest>([](int, const v1::DraftEstimateRequest& r) {
    if (!Accepted(ValidateDraftEstimate(r))) return;
    const PriceItemsById items = {{"0190a1b2-c3d4-7e5f-8a9b-000000000121", ExistingPriceItem()}};
    absl::StatusOr<PricedLines> priced =
        PriceEstimateLines(r.lines(), items, Settings(), fuzz::NewId);
    if (!priced.ok()) return;
    CheckDecision(
        DecideDraftEstimate(
            kNew, NewEstimate("0190a1b2-c3d4-7e5f-8a9b-000000000119", r, *std::move(priced)), 9),
        v1::Estimate(), kNew, EvolveEstimate);
  });
  table.On<v1::ReviseEstimateRequest>([](int state, const v1::ReviseEstimateRequest& r) {
    if (!Accepted(ValidateReviseEstimate(r))) return;
    absl::StatusOr<PricedLines> priced = PriceEstimateLines(r.lines(), {}, Settings(), fuzz::NewId);
    if (!priced.ok()) return;
    const v1::Estimate estimate = EstimateInState(state);
    CheckDecision(
        DecideReviseEstimate(estimate, kExisting, r.title(), *std::move(priced), r.notes()),
        estimate, kExisting, EvolveEstimate);
  });
  table.On<v1::EstimateActionRequest>([](int state, const v1::EstimateActionRequest& r) {
    if (!Accepted(ValidateEstimateAction(r))) return;
    const v1::Estimate estimate = EstimateInState(state);
    CheckDecision(DecideSendEstimate(estimate, kExisting), estimate, kExisting, EvolveEstimate);
    CheckDecision(
        DecideConvertEstimate(estimate, kExisting, "0190a1b2-c3d4-7e5f-8a9b-0000000000ee"),
        estimate, kExisting, EvolveEstimate);
  });
  table.On<v1::ApproveEstimateRequest>([](int state, const v1::ApproveEstimateRequest& r) {
    if (!Accepted(ValidateApproveEstimate(r))) return;
    const v1::Estimate estimate = EstimateInState(state);
    CheckDecision(DecideApproveEstimate(estimate, kExisting, r.approved_by()), estimate, kExisting,
                  EvolveEstimate);
  });
  table.On<v1::DeclineEstimateRequest>([](int state, const v1::DeclineEstimateRequest& r) {
    if (!Accepted(ValidateDeclineEstimate(r))) return;
    const v1::Estimate estimate = EstimateInState(state);
    CheckDecision(DecideDeclineEstimate(estimate, kExisting, r.reason()), estimate, kExisting,
                  EvolveEstimate);
  });
  table.On<v1::RecordPaymentRequest>([](int state, const v1::RecordPaymentRequest& r) {
    if (!Accepted(ValidateRecordPayment(r))) return;
    const v1::Invoice invoice = InvoiceInState(state);
    CheckDecision(
        DecideRecordPayment(invoice, kExisting, r, "0190a1b2-c3d4-7e5f-8a9b-000000000123", Now()),
        invoice, kExisting, EvolveInvoice);
  });
  table.On<v1::RecordRefundRequest>([](int state, const v1::RecordRefundRequest& r) {
    if (!Accepted(ValidateRecordRefund(r))) return;
    const v1::Invoice invoice = InvoiceInState(state);
    CheckDecision(
        DecideRecordRefund(invoice, kExisting, r, "0190a1b2-c3d4-7e5f-8a9b-000000000124", Now()),
        invoice, kExisting, EvolveInvoice);
  });
  table.On<v1::VoidInvoiceRequest>([](int state, const v1::VoidInvoiceRequest& r) {
    if (!Accepted(ValidateVoidInvoice(r))) return;
    const v1::Invoice invoice = InvoiceInState(state);
    CheckDecision(DecideVoidInvoice(invoice, kExisting, r.reason(), {}), invoice, kExisting,
                  EvolveInvoice);
  });
  table.On<v1::SetBillingScheduleRequest>([](int, const v1::SetBillingScheduleRequest& r) {
    if (!Accepted(ValidateMeta(r.meta())) || !Accepted(ValidateId("job_id", r.job_id(), true)) ||
        (!r.stages().empty() && !Accepted(ValidateStages(r.stages())))) {
      return;
    }
    CheckDecision(DecideSetBillingSchedule(r, Usd(1'000'000), "USD", {}), v1::JobBilling(), kNew,
                  EvolveJobBilling);
  });
  table.On<v1::CommissionRequest>([](int state, const v1::CommissionRequest& r) {
    if (!Accepted(ValidateText("note", r.note(), kMaxReasonLength, false))) return;
    CheckDecision(DecideCommission(v1::JobBilling(), state % 2 == 0, r.note()), v1::JobBilling(),
                  kNew, EvolveJobBilling);
  });
  // Added after the first 15: a seed's selector byte keeps its command.
  table.On<v1::CreateInvoiceRequest>([](int state, const v1::CreateInvoiceRequest& r) {
    if (!Accepted(ValidateMeta(r.meta())) || !Accepted(ValidateId("job_id", r.job_id(), true)) ||
        !Accepted(ValidateText("notes", r.notes(), kMaxNotesLength, false))) {
      return;
    }
    // Invoiced already (a draft or an issued invoice) from state 2 on.
    std::vector<v1::Invoice> existing;
    if (state >= 2) existing.push_back(InvoiceInState(state));
    absl::StatusOr<v1::Invoice> invoice = BuildJobInvoice(
        JobInState(state), Settings(), [](const std::string&) { return std::string("materials"); },
        existing, "0190a1b2-c3d4-7e5f-8a9b-000000000125", 6, fuzz::NewId);
    if (invoice.ok()) invoice->set_notes(r.notes());
    CheckDecision(DecideNew(std::move(invoice)), v1::Invoice(), kNew, EvolveInvoice);
  });
  table.On<v1::CreateProgressInvoiceRequest>([](int state,
                                                const v1::CreateProgressInvoiceRequest& r) {
    if (!Accepted(ValidateMeta(r.meta())) || !Accepted(ValidateId("job_id", r.job_id(), true))) {
      return;
    }
    if (r.stage() < 0) return;  // INVALID_ARGUMENT naming stage
    const job::v1::Job job = JobInState(state);
    const v1::JobBilling billing = BillingInState(state);
    // Stage 1 invoiced already from state 2 on.
    std::vector<v1::Invoice> existing;
    if (state >= 2) {
      absl::StatusOr<v1::Invoice> first = BuildProgressInvoice(
          job, BillingInState(1), 1, {}, "0190a1b2-c3d4-7e5f-8a9b-000000000126", 6, fuzz::NewId);
      JL_FUZZ_CHECK_OK(first.status());
      existing.push_back(*std::move(first));
    }
    CheckDecision(
        DecideNew(BuildProgressInvoice(job, billing, r.stage(), existing,
                                       "0190a1b2-c3d4-7e5f-8a9b-000000000127", 7, fuzz::NewId)),
        v1::Invoice(), kNew, EvolveInvoice);
  });
  table.On<v1::CreateCreditNoteRequest>([](int state, const v1::CreateCreditNoteRequest& r) {
    if (!Accepted(ValidateMeta(r.meta())) ||
        !Accepted(ValidateId("invoice_id", r.invoice_id(), true)) ||
        !Accepted(ValidateText("reason", r.reason(), kMaxNotesLength, true)) || r.lines().empty()) {
      return;
    }
    const v1::Invoice original = InvoiceInState(state);
    absl::StatusOr<v1::Invoice> note =
        BuildCreditNote(original, r.lines(), {}, Settings(), "0190a1b2-c3d4-7e5f-8a9b-000000000128",
                        8, fuzz::NewId);
    if (note.ok()) note->set_notes(r.reason());
    CheckDecision(DecideNew(std::move(note)), v1::Invoice(), kNew, EvolveInvoice);
  });
  table.On<v1::InvoiceActionRequest>([](int state, const v1::InvoiceActionRequest& r) {
    if (!Accepted(ValidateMeta(r.meta())) ||
        !Accepted(ValidateId("invoice_id", r.invoice_id(), true))) {
      return;
    }
    const v1::Invoice invoice = InvoiceInState(state);
    CheckDecision(DecideIssueInvoice(invoice, kExisting, absl::CivilDay(2026, 3, 2),
                                     Settings().payment_terms_days()),
                  invoice, kExisting, EvolveInvoice);
  });
  return table;
}

}  // namespace
}  // namespace jobledger::billing

JL_FUZZ_COMMAND_TARGET(jobledger::billing::Commands)
