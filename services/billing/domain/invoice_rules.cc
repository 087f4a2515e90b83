// Invoice and job billing decisions.
#include "domain/invoice_rules.h"

#include "absl/strings/str_cat.h"
#include "domain/invoicing.h"
#include "domain/payments.h"
#include "domain/progress.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::billing {
namespace {

constexpr size_t kMaxMethodLength = 40;
constexpr size_t kMaxReferenceLength = 100;
constexpr size_t kMaxReasonLength = 1000;

absl::Status NotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("invoice ", id, " not found"));
}

absl::Status ValidateMoneyMovement(const common::v1::CommandMeta& meta,
                                   absl::string_view invoice_id, const common::v1::Money& amount,
                                   absl::string_view method, absl::string_view reference) {
  if (absl::Status s = ValidateMeta(meta); !s.ok()) return s;
  if (absl::Status s = ValidateId("invoice_id", invoice_id, true); !s.ok()) return s;
  auto money = Money::FromProto(amount);
  if (!money.ok()) return Invalid("amount", money.status().message());
  if (money->minor_units() <= 0) return Invalid("amount", "must be positive");
  if (absl::Status s = ValidateText("method", method, kMaxMethodLength, false); !s.ok()) return s;
  return ValidateText("reference", reference, kMaxReferenceLength, false);
}

v1::Payment PaymentOf(const std::string& id, v1::PaymentKind kind, const common::v1::Money& amount,
                      const std::string& method, const std::string& reference,
                      absl::Time received_at) {
  v1::Payment payment;
  payment.set_payment_id(id);
  payment.set_kind(kind);
  *payment.mutable_amount() = amount;
  payment.set_method(method);
  payment.set_reference(reference);
  *payment.mutable_received_at() = ProtoFromTime(received_at);
  return payment;
}

}  // namespace

absl::Status ValidateRecordPayment(const v1::RecordPaymentRequest& request) {
  if (absl::Status s = ValidateMoneyMovement(request.meta(), request.invoice_id(), request.amount(),
                                             request.method(), request.reference());
      !s.ok()) {
    return s;
  }
  if (request.has_received_at()) return ValidateTimestamp("received_at", request.received_at());
  return absl::OkStatus();
}

absl::Status ValidateRecordRefund(const v1::RecordRefundRequest& request) {
  return ValidateMoneyMovement(request.meta(), request.invoice_id(), request.amount(),
                               request.method(), request.reference());
}

absl::Status ValidateVoidInvoice(const v1::VoidInvoiceRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("invoice_id", request.invoice_id(), true); !s.ok()) return s;
  if (IsBlank(request.reason())) return Invalid("reason", "required");
  return ValidateText("reason", request.reason(), kMaxReasonLength, false);
}

std::vector<InvoiceEvent> DecideCreateInvoice(const aggregate::Head& head, v1::Invoice draft) {
  if (head.version > 0) return {};  // made by the first attempt of this command
  v1::InvoiceCreated created;
  *created.mutable_invoice() = std::move(draft);
  return {std::move(created)};
}

absl::StatusOr<std::vector<InvoiceEvent>> DecideIssueInvoice(const v1::Invoice& invoice,
                                                             const aggregate::Head& head,
                                                             absl::CivilDay today,
                                                             int payment_terms_days) {
  if (head.version == 0) return NotFound(invoice.invoice_id());
  if (invoice.status() == v1::INVOICE_STATUS_VOID) {
    return absl::FailedPreconditionError(absl::StrCat(InvoiceLabel(invoice), " is void"));
  }
  if (invoice.status() != v1::INVOICE_STATUS_DRAFT) return std::vector<InvoiceEvent>{};
  v1::InvoiceIssued issued;
  LocalDateToProto(today + payment_terms_days, issued.mutable_due_date());
  return std::vector<InvoiceEvent>{std::move(issued)};
}

absl::StatusOr<std::vector<InvoiceEvent>> DecideVoidInvoice(
    const v1::Invoice& invoice, const aggregate::Head& head, const std::string& reason,
    const std::vector<v1::Invoice>& credit_notes) {
  if (head.version == 0) return NotFound(invoice.invoice_id());
  if (invoice.status() == v1::INVOICE_STATUS_VOID) return std::vector<InvoiceEvent>{};
  if (invoice.paid().minor_units() != 0) {
    auto paid = Money::FromProto(invoice.paid());
    return absl::FailedPreconditionError(absl::StrCat(InvoiceLabel(invoice), " has ",
                                                      paid.ok() ? paid->ToString() : "money",
                                                      " paid on it: refund it before voiding"));
  }
  for (const v1::Invoice& note : credit_notes) {
    if (note.status() != v1::INVOICE_STATUS_VOID) {
      return absl::FailedPreconditionError(absl::StrCat("credit note ", InvoiceLabel(note),
                                                        " corrects ", InvoiceLabel(invoice),
                                                        ": void it first"));
    }
  }
  v1::InvoiceVoided voided;
  voided.set_reason(reason);
  return std::vector<InvoiceEvent>{std::move(voided)};
}

absl::StatusOr<std::vector<InvoiceEvent>> DecideRecordPayment(
    const v1::Invoice& invoice, const aggregate::Head& head,
    const v1::RecordPaymentRequest& request, const std::string& payment_id, absl::Time now) {
  if (head.version == 0) return NotFound(request.invoice_id());
  auto amount = Money::FromProto(request.amount());
  if (!amount.ok()) return Invalid("amount", amount.status().message());
  auto effect = ApplyPayment(invoice, *amount, request.excess_to_credit());
  if (!effect.ok()) return effect.status();
  v1::PaymentRecorded recorded;
  *recorded.mutable_payment() = PaymentOf(
      payment_id, v1::PAYMENT_KIND_PAYMENT, request.amount(), request.method(), request.reference(),
      request.has_received_at() ? TimeFromProto(request.received_at()) : now);
  if (!effect->to_credit.is_zero()) {
    effect->to_credit.ToProto(recorded.mutable_payment()->mutable_to_credit());
  }
  effect->balance_after.ToProto(recorded.mutable_balance_after());
  return std::vector<InvoiceEvent>{std::move(recorded)};
}

absl::StatusOr<std::vector<InvoiceEvent>> DecideRecordRefund(const v1::Invoice& invoice,
                                                             const aggregate::Head& head,
                                                             const v1::RecordRefundRequest& request,
                                                             const std::string& refund_id,
                                                             absl::Time now) {
  if (head.version == 0) return NotFound(request.invoice_id());
  auto amount = Money::FromProto(request.amount());
  if (!amount.ok()) return Invalid("amount", amount.status().message());
  auto effect = ApplyRefund(invoice, *amount);
  if (!effect.ok()) return effect.status();
  v1::RefundRecorded recorded;
  *recorded.mutable_refund() = PaymentOf(refund_id, v1::PAYMENT_KIND_REFUND, request.amount(),
                                         request.method(), request.reference(), now);
  effect->balance_after.ToProto(recorded.mutable_balance_after());
  return std::vector<InvoiceEvent>{std::move(recorded)};
}

absl::StatusOr<std::vector<JobBillingEvent>> DecideSetBillingSchedule(
    const v1::SetBillingScheduleRequest& request, const common::v1::Money& job_contract_amount,
    absl::string_view currency, const std::vector<v1::Invoice>& progress_invoices) {
  for (const v1::Invoice& invoice : progress_invoices) {
    if (invoice.status() != v1::INVOICE_STATUS_VOID) {
      return absl::FailedPreconditionError(
          absl::StrCat(InvoiceLabel(invoice), " billed stage ", invoice.progress_stage() + 1,
                       " of the schedule: void it before changing the schedule"));
    }
  }
  const common::v1::Money& contract =
      request.has_contract_amount() ? request.contract_amount() : job_contract_amount;
  auto amount = Money::FromProto(contract);
  if (!amount.ok() || amount->minor_units() <= 0) {
    return Invalid("contract_amount",
                   "required and positive (the job has no contract amount to default to)");
  }
  if (amount->currency() != currency) {
    return Invalid("contract_amount", absl::StrCat("in ", currency, ", the tenant's currency"));
  }
  v1::BillingScheduleSet set;
  *set.mutable_stages() = request.stages();
  for (v1::BillingStage& stage : *set.mutable_stages()) stage.clear_invoice_id();
  *set.mutable_contract_amount() = contract;
  return std::vector<JobBillingEvent>{std::move(set)};
}

absl::StatusOr<std::vector<JobBillingEvent>> DecideCommission(const v1::JobBilling& billing,
                                                              bool defer, const std::string& note) {
  if (billing.commission_deferred() == defer) {
    return absl::FailedPreconditionError(defer ? "the job's commission is deferred already"
                                               : "the job's commission is not deferred");
  }
  if (defer) {
    v1::CommissionDeferred deferred;
    deferred.set_note(note);
    return std::vector<JobBillingEvent>{std::move(deferred)};
  }
  v1::CommissionReleased released;
  released.set_note(note);
  return std::vector<JobBillingEvent>{std::move(released)};
}

std::vector<JobBillingEvent> DecideChargeback(const v1::JobBilling& billing,
                                              const v1::Chargeback& chargeback) {
  for (const v1::Chargeback& recorded : billing.chargebacks()) {
    if (recorded.recall_job_id() == chargeback.recall_job_id()) return {};
  }
  v1::ChargebackRecorded recorded;
  *recorded.mutable_chargeback() = chargeback;
  return {std::move(recorded)};
}

}  // namespace jobledger::billing
