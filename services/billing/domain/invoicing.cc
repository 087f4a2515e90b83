// Standard, progress and credit-note invoices.
#include "domain/invoicing.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/estimates.h"
#include "domain/price_book.h"
#include "domain/pricing.h"
#include "domain/progress.h"
#include "jobledger/common/field_checks.h"

namespace jobledger::billing {
namespace {

bool Counts(const v1::Invoice& invoice) { return invoice.status() != v1::INVOICE_STATUS_VOID; }

// Fills the header and totals of a draft from its lines.
absl::Status Finish(v1::Invoice& invoice, absl::string_view currency) {
  auto totals = TotalsOf(invoice.lines(), currency);
  if (!totals.ok()) return totals.status();
  totals->subtotal.ToProto(invoice.mutable_subtotal());
  totals->tax.ToProto(invoice.mutable_tax());
  totals->total.ToProto(invoice.mutable_total());
  Money::Zero(currency)->ToProto(invoice.mutable_paid());
  totals->total.ToProto(invoice.mutable_balance());
  invoice.set_status(v1::INVOICE_STATUS_DRAFT);
  return absl::OkStatus();
}

v1::Invoice Draft(const std::string& invoice_id, int64_t number, v1::InvoiceKind kind,
                  const std::string& job_id, const std::string& customer_id) {
  v1::Invoice invoice;
  invoice.set_invoice_id(invoice_id);
  invoice.set_number(number);
  invoice.set_kind(kind);
  invoice.set_job_id(job_id);
  invoice.set_customer_id(customer_id);
  return invoice;
}

bool IsIssued(const v1::Invoice& invoice) {
  return invoice.status() == v1::INVOICE_STATUS_ISSUED ||
         invoice.status() == v1::INVOICE_STATUS_PARTIALLY_PAID ||
         invoice.status() == v1::INVOICE_STATUS_PAID;
}

const char* StatusWord(v1::InvoiceStatus status) {
  switch (status) {
    case v1::INVOICE_STATUS_DRAFT:
      return "a draft";
    case v1::INVOICE_STATUS_VOID:
      return "void";
    default:
      return "in no known status";
  }
}

// "20", "12.5", "33.3333": a share in ppm as a percentage without trailing zeros.
std::string PercentOf(int64_t share_ppm) {
  std::string percent = absl::StrCat(share_ppm / 10'000);
  int64_t fraction = share_ppm % 10'000;
  if (fraction == 0) return percent;
  int digits = 4;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  return absl::StrCat(percent, ".", absl::StrFormat("%0*d", digits, fraction));
}

// The tax rate of a credited line: the original's rate for the category when it billed one (so a
// rate changed since is not applied to the correction), else today's.
absl::StatusOr<int64_t> CreditRate(const v1::Invoice& original, const v1::BillingSettings& settings,
                                   absl::string_view category) {
  for (const v1::InvoiceLine& billed : original.lines()) {
    if (billed.tax_category() == category) return billed.tax_rate_ppm();
  }
  return TaxRateFor(settings, category);
}

}  // namespace

std::string JobLabel(const job::v1::Job& job) { return absl::StrCat("JOB-", job.number()); }
std::string InvoiceLabel(const v1::Invoice& invoice) {
  return absl::StrCat("INV-", invoice.number());
}

absl::StatusOr<v1::Invoice> BuildJobInvoice(const job::v1::Job& job,
                                            const v1::BillingSettings& settings,
                                            const TaxCategoryOf& tax_category_of,
                                            const std::vector<v1::Invoice>& existing,
                                            const std::string& invoice_id, int64_t number,
                                            const NewId& new_id) {
  if (job.status() != job::v1::JOB_STATUS_COMPLETED) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " is not completed: only completed jobs are invoiced"));
  }
  for (const v1::Invoice& other : existing) {
    if (other.kind() == v1::INVOICE_KIND_STANDARD && Counts(other)) {
      return absl::FailedPreconditionError(absl::StrCat(JobLabel(job), " is invoiced already (",
                                                        InvoiceLabel(other), "): void it first"));
    }
  }
  v1::Invoice invoice =
      Draft(invoice_id, number, v1::INVOICE_KIND_STANDARD, job.job_id(), job.customer_id());
  for (const job::v1::LineItem& item : job.line_items()) {
    if (!item.billable() || item.total().minor_units() == 0) continue;
    v1::InvoiceLine& line = *invoice.add_lines();
    line.set_line_id(new_id());
    line.set_source_line_item_id(item.line_item_id());
    line.set_kind(item.kind());
    line.set_name(item.name());
    line.set_description(item.description());
    line.set_quantity_milli(item.quantity_milli());
    *line.mutable_unit_price() = item.unit_price();
    if (!item.price_book_item_id().empty()) {
      line.set_tax_category(tax_category_of(item.price_book_item_id()));
    }
    if (absl::Status s = PriceLine(settings, line); !s.ok()) return s;
  }
  if (invoice.lines().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " has no billable line: nothing to invoice"));
  }
  const std::string currency = invoice.lines(0).unit_price().currency();
  if (absl::Status s = Finish(invoice, currency); !s.ok()) return s;
  return invoice;
}

absl::StatusOr<v1::Invoice> BuildProgressInvoice(const job::v1::Job& job,
                                                 const v1::JobBilling& billing, int stage,
                                                 const std::vector<v1::Invoice>& existing,
                                                 const std::string& invoice_id, int64_t number,
                                                 const NewId& new_id) {
  if (billing.schedule().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " has no billing schedule: set one first"));
  }
  if (!billing.has_contract_amount()) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " has no contract amount: set one with the schedule"));
  }
  if (stage < 0 || stage >= billing.schedule_size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        JobLabel(job), " has no stage ", stage, " (stages 0..", billing.schedule_size() - 1, ")"));
  }
  for (const v1::Invoice& other : existing) {
    if (other.kind() == v1::INVOICE_KIND_PROGRESS && other.progress_stage() == stage &&
        Counts(other)) {
      return absl::FailedPreconditionError(absl::StrCat("stage ", stage, " of ", JobLabel(job),
                                                        " is invoiced already (",
                                                        InvoiceLabel(other), ")"));
    }
  }
  auto contract = Money::FromProto(billing.contract_amount());
  if (!contract.ok()) return contract.status();
  auto amounts = StageAmounts(*contract, billing.schedule());
  if (!amounts.ok()) return amounts.status();
  const Money& amount = (*amounts)[static_cast<size_t>(stage)];
  const v1::BillingStage& step = billing.schedule(stage);
  v1::Invoice invoice =
      Draft(invoice_id, number, v1::INVOICE_KIND_PROGRESS, job.job_id(), job.customer_id());
  invoice.set_progress_stage(stage);
  invoice.set_progress_share_ppm(step.share_ppm());
  v1::InvoiceLine& line = *invoice.add_lines();
  line.set_line_id(new_id());
  line.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  line.set_name(
      absl::StrCat(step.label().empty() ? absl::StrCat("Stage ", stage + 1) : step.label(), " (",
                   PercentOf(step.share_ppm()), " % of ", contract->ToString(), ")"));
  line.set_quantity_milli(1000);
  amount.ToProto(line.mutable_unit_price());
  amount.ToProto(line.mutable_net());
  Money::Zero(contract->currency())->ToProto(line.mutable_tax());  // progress lines: untaxed
  if (absl::Status s = Finish(invoice, contract->currency()); !s.ok()) return s;
  return invoice;
}

absl::StatusOr<v1::Invoice> BuildCreditNote(
    const v1::Invoice& original, const google::protobuf::RepeatedPtrField<v1::InvoiceLine>& lines,
    const std::vector<v1::Invoice>& existing_notes, const v1::BillingSettings& settings,
    const std::string& invoice_id, int64_t number, const NewId& new_id) {
  if (original.kind() == v1::INVOICE_KIND_CREDIT_NOTE) {
    return absl::FailedPreconditionError(
        absl::StrCat(InvoiceLabel(original), " is a credit note: credit the invoice it corrects"));
  }
  if (!IsIssued(original)) {
    return absl::FailedPreconditionError(absl::StrCat(InvoiceLabel(original), " is ",
                                                      StatusWord(original.status()),
                                                      ", not issued: nothing to credit"));
  }
  auto original_total = Money::FromProto(original.total());
  if (!original_total.ok()) return original_total.status();
  const std::string& currency = original_total->currency();
  if (lines.empty()) return Invalid("lines", "required");
  for (int i = 0; i < lines.size(); ++i) {
    const v1::InvoiceLine& given = lines[i];
    const std::string field = Indexed("lines", i);
    if (given.quantity_milli() <= 0) {
      return Invalid(Field(field, "quantity_milli"), "must be positive");
    }
    if (given.quantity_milli() > kMaxQuantityMilli) {
      return Invalid(Field(field, "quantity_milli"),
                     absl::StrCat("at most ", kMaxQuantityMilli, " (a million units)"));
    }
    if (given.unit_price().minor_units() <= 0) {
      return Invalid(Field(field, "unit_price"), "must be positive (the note negates it)");
    }
    if (given.unit_price().currency() != currency) {
      return Invalid(Field(field, "unit_price.currency"),
                     absl::StrCat("must be ", currency, ", like ", InvoiceLabel(original)));
    }
    // What the note prints, checked as an estimate's lines are.
    if (IsBlank(given.name())) return Invalid(Field(field, "name"), "required: what is credited");
    if (absl::Status s =
            ValidateText(Field(field, "name"), given.name(), kMaxLineNameLength, false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ValidateText(Field(field, "description"), given.description(),
                                      kMaxLineDescriptionLength, false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ValidateText(Field(field, "tax_category"), given.tax_category(),
                                      kMaxCategoryLength, false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            ValidateId(Field(field, "source_line_item_id"), given.source_line_item_id(), false);
        !s.ok()) {
      return s;
    }
  }
  v1::Invoice note = Draft(invoice_id, number, v1::INVOICE_KIND_CREDIT_NOTE, original.job_id(),
                           original.customer_id());
  note.set_credited_invoice_id(original.invoice_id());
  for (const v1::InvoiceLine& given : lines) {
    v1::InvoiceLine& line = *note.add_lines();
    line = given;
    line.set_line_id(new_id());
    auto unit_price = Money::FromProto(line.unit_price());
    if (!unit_price.ok()) return unit_price.status();
    auto net = LineNet(line.quantity_milli(), *unit_price);
    if (!net.ok()) return net.status();
    auto rate = CreditRate(original, settings, line.tax_category());
    if (!rate.ok()) return rate.status();
    auto tax = LineTax(*net, *rate);
    if (!tax.ok()) return tax.status();
    // Negated: a credit note reduces what is owed. Half away from zero rounds symmetrically, so
    // the negated amounts are what the negative price would have given.
    unit_price->Negated().ToProto(line.mutable_unit_price());
    net->Negated().ToProto(line.mutable_net());
    line.set_tax_rate_ppm(*rate);
    tax->Negated().ToProto(line.mutable_tax());
  }
  if (absl::Status s = Finish(note, currency); !s.ok()) return s;
  // Notes against one invoice never credit more than it was worth.
  auto note_total = Money::FromProto(note.total());
  if (!note_total.ok()) return note_total.status();
  Money credited = note_total->Negated();
  for (const v1::Invoice& other : existing_notes) {
    if (other.credited_invoice_id() != original.invoice_id() || !Counts(other)) continue;
    auto other_total = Money::FromProto(other.total());
    if (!other_total.ok()) return other_total.status();
    auto sum = credited.Minus(*other_total);
    if (!sum.ok()) return sum.status();
    credited = *sum;
  }
  if (credited.minor_units() > original_total->minor_units()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "credit notes for ", InvoiceLabel(original), " would credit ", credited.ToString(),
        " in all, more than its total of ", original_total->ToString()));
  }
  return note;
}

}  // namespace jobledger::billing
