// Decisions on invoices (issue, void, payments, refunds) and on a job's billing record (schedule,
// commission deferral, chargebacks). Pure: ids, times and the other aggregates they look at come
// in as arguments.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "domain/billing_events.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/billing/v1/billing_service.pb.h"

namespace jobledger::billing {

absl::Status ValidateRecordPayment(const v1::RecordPaymentRequest& request);
absl::Status ValidateRecordRefund(const v1::RecordRefundRequest& request);
absl::Status ValidateVoidInvoice(const v1::VoidInvoiceRequest& request);

// A new invoice (a draft built by invoicing.h).
std::vector<InvoiceEvent> DecideCreateInvoice(const aggregate::Head& head, v1::Invoice draft);

// Draft → issued, due `payment_terms_days` after `today`. An issued invoice again: no events.
absl::StatusOr<std::vector<InvoiceEvent>> DecideIssueInvoice(const v1::Invoice& invoice,
                                                             const aggregate::Head& head,
                                                             absl::CivilDay today,
                                                             int payment_terms_days);

// Void a draft or an issued invoice with nothing paid on it and no credit note against it that
// is not void (`credit_notes`: the notes against it); void again: no events.
absl::StatusOr<std::vector<InvoiceEvent>> DecideVoidInvoice(
    const v1::Invoice& invoice, const aggregate::Head& head, const std::string& reason,
    const std::vector<v1::Invoice>& credit_notes);

absl::StatusOr<std::vector<InvoiceEvent>> DecideRecordPayment(
    const v1::Invoice& invoice, const aggregate::Head& head,
    const v1::RecordPaymentRequest& request, const std::string& payment_id, absl::Time now);
absl::StatusOr<std::vector<InvoiceEvent>> DecideRecordRefund(const v1::Invoice& invoice,
                                                             const aggregate::Head& head,
                                                             const v1::RecordRefundRequest& request,
                                                             const std::string& refund_id,
                                                             absl::Time now);

// The job's progress billing: stages validated (progress.h) and a contract amount (the request's,
// else the job's) in the tenant's currency. Refused while a progress invoice of the job that is
// not void exists (`progress_invoices`), since it fixed the stage amounts.
absl::StatusOr<std::vector<JobBillingEvent>> DecideSetBillingSchedule(
    const v1::SetBillingScheduleRequest& request, const common::v1::Money& job_contract_amount,
    absl::string_view currency, const std::vector<v1::Invoice>& progress_invoices);

// Defer (`defer`) or release a job's commission; FAILED_PRECONDITION when it already is.
absl::StatusOr<std::vector<JobBillingEvent>> DecideCommission(const v1::JobBilling& billing,
                                                              bool defer, const std::string& note);

// A chargeback against the original job, once per recall job: none when one was recorded for it.
std::vector<JobBillingEvent> DecideChargeback(const v1::JobBilling& billing,
                                              const v1::Chargeback& chargeback);

}  // namespace jobledger::billing
