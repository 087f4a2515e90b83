// Evolve for the billing aggregates.
#include "domain/billing_evolve.h"

#include "absl/strings/str_cat.h"
#include "domain/payments.h"
#include "jobledger/aggregate/overloaded.h"
#include "jobledger/common/money.h"

namespace jobledger::billing {
namespace {

using events::v1::Envelope;

// Creation events may only start an aggregate, and every other event needs one.
absl::Status CheckCreation(bool creating, int64_t version, absl::string_view what) {
  if (creating == (version == 0)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(what, creating ? " exists already" : " does not exist"));
}

// The invoice's paid amount moved by `delta` (refunds negative), with the balance the event states.
absl::Status ApplyMoney(v1::Invoice& invoice, int64_t delta, const common::v1::Money& balance) {
  auto paid = Money::FromProto(invoice.paid());
  auto total = Money::FromProto(invoice.total());
  if (!paid.ok()) return paid.status();
  if (!total.ok()) return total.status();
  auto moved = Money::Create(paid->minor_units() + delta, paid->currency());
  if (!moved.ok()) return moved.status();
  moved->ToProto(invoice.mutable_paid());
  *invoice.mutable_balance() = balance;
  invoice.set_status(PaidStatus(*total, *moved));
  return absl::OkStatus();
}

}  // namespace

absl::Status EvolveSettings(v1::BillingSettings& settings, const Envelope& envelope,
                            const SettingsEvent& event) {
  const auto& changed = std::get<v1::BillingSettingsChanged>(event);
  settings = changed.settings();
  settings.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolvePriceItem(v1::PriceItem& item, const Envelope& envelope,
                             const PriceItemEvent& event) {
  if (absl::Status s = CheckCreation(std::holds_alternative<v1::PriceItemCreated>(event),
                                     item.version(), "the price item");
      !s.ok()) {
    return s;
  }
  std::visit(Overloaded{[&](const v1::PriceItemCreated& e) {
                          item = e.item();
                          item.set_price_item_id(envelope.aggregate_id());
                          item.set_active(true);
                        },
                        [&](const v1::PriceItemUpdated& e) {
                          item.set_code(e.item().code());
                          item.set_name(e.item().name());
                          item.set_description(e.item().description());
                          item.set_kind(e.item().kind());
                          item.set_tax_category(e.item().tax_category());
                        },
                        [&](const v1::PriceItemPriceChanged& e) {
                          *item.mutable_unit_price() = e.unit_price();
                          if (e.has_cost_price()) {
                            *item.mutable_cost_price() = e.cost_price();
                          } else {
                            item.clear_cost_price();
                          }
                        },
                        [&](const v1::PriceItemActivated&) { item.set_active(true); },
                        [&](const v1::PriceItemDeactivated&) { item.set_active(false); }},
             event);
  item.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveEstimate(v1::Estimate& estimate, const Envelope& envelope,
                            const EstimateEvent& event) {
  if (absl::Status s = CheckCreation(std::holds_alternative<v1::EstimateDrafted>(event),
                                     estimate.version(), "the estimate");
      !s.ok()) {
    return s;
  }
  std::visit(
      Overloaded{[&](const v1::EstimateDrafted& e) {
                   estimate = e.estimate();
                   estimate.set_estimate_id(envelope.aggregate_id());
                   estimate.set_status(v1::ESTIMATE_STATUS_DRAFT);
                   *estimate.mutable_created_at() = envelope.occurred_at();
                 },
                 [&](const v1::EstimateRevised& e) {
                   *estimate.mutable_lines() = e.lines();
                   estimate.set_title(e.title());
                   estimate.set_notes(e.notes());
                   *estimate.mutable_subtotal() = e.subtotal();
                   *estimate.mutable_tax() = e.tax();
                   *estimate.mutable_total() = e.total();
                   // A revised estimate is sent again before it can be approved.
                   estimate.set_status(v1::ESTIMATE_STATUS_DRAFT);
                 },
                 [&](const v1::EstimateSent&) { estimate.set_status(v1::ESTIMATE_STATUS_SENT); },
                 [&](const v1::EstimateApproved& e) {
                   estimate.set_status(v1::ESTIMATE_STATUS_APPROVED);
                   estimate.set_approved_by(e.approved_by());
                 },
                 [&](const v1::EstimateDeclined& e) {
                   estimate.set_status(v1::ESTIMATE_STATUS_DECLINED);
                   estimate.set_decline_reason(e.reason());
                 },
                 [&](const v1::EstimateConverted& e) {
                   estimate.set_status(v1::ESTIMATE_STATUS_CONVERTED);
                   estimate.set_job_id(e.job_id());
                 }},
      event);
  estimate.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveInvoice(v1::Invoice& invoice, const Envelope& envelope,
                           const InvoiceEvent& event) {
  if (absl::Status s = CheckCreation(std::holds_alternative<v1::InvoiceCreated>(event),
                                     invoice.version(), "the invoice");
      !s.ok()) {
    return s;
  }
  absl::Status applied = std::visit(
      Overloaded{
          [&](const v1::InvoiceCreated& e) {
            invoice = e.invoice();
            invoice.set_invoice_id(envelope.aggregate_id());
            invoice.set_status(v1::INVOICE_STATUS_DRAFT);
            *invoice.mutable_created_at() = envelope.occurred_at();
            return absl::OkStatus();
          },
          [&](const v1::InvoiceIssued& e) {
            invoice.set_status(v1::INVOICE_STATUS_ISSUED);
            *invoice.mutable_issued_at() = envelope.occurred_at();
            *invoice.mutable_due_date() = e.due_date();
            return absl::OkStatus();
          },
          [&](const v1::PaymentRecorded& e) {
            *invoice.add_payments() = e.payment();
            return ApplyMoney(
                invoice, e.payment().amount().minor_units() - e.payment().to_credit().minor_units(),
                e.balance_after());
          },
          [&](const v1::RefundRecorded& e) {
            *invoice.add_payments() = e.refund();
            return ApplyMoney(invoice, -e.refund().amount().minor_units(), e.balance_after());
          },
          [&](const v1::InvoiceVoided& e) {
            invoice.set_status(v1::INVOICE_STATUS_VOID);
            invoice.set_void_reason(e.reason());
            return absl::OkStatus();
          }},
      event);
  if (!applied.ok()) return applied;
  invoice.set_version(envelope.sequence());
  return absl::OkStatus();
}

absl::Status EvolveJobBilling(v1::JobBilling& billing, const Envelope& envelope,
                              const JobBillingEvent& event) {
  billing.set_job_id(envelope.aggregate_id());
  std::visit(Overloaded{[&](const v1::BillingScheduleSet& e) {
                          *billing.mutable_schedule() = e.stages();
                          *billing.mutable_contract_amount() = e.contract_amount();
                        },
                        [&](const v1::CommissionDeferred& e) {
                          billing.set_commission_deferred(true);
                          billing.set_commission_note(e.note());
                        },
                        [&](const v1::CommissionReleased& e) {
                          billing.set_commission_deferred(false);
                          billing.set_commission_note(e.note());
                        },
                        [&](const v1::ChargebackRecorded& e) {
                          *billing.add_chargebacks() = e.chargeback();
                        }},
             event);
  billing.set_version(envelope.sequence());
  return absl::OkStatus();
}

}  // namespace jobledger::billing
