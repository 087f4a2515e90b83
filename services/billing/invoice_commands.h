// Invoices, progress invoices and credit notes (numbered per tenant without gaps), issuing,
// voiding, payments and refunds. No gRPC here.
//
// A job's invoices are created under the job's write lease, so two concurrent requests for one
// job's invoice run one after the other and the second sees the first (and refuses); credit notes
// and voids of one invoice likewise share that invoice's lease.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/aggregate/tenant_numbering.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/write_leases.h"
#include "jobledger/server/caller.h"
#include "writers.h"

namespace jobledger::billing {

class BillingCommands;

struct InvoiceCommandsOptions {
  InvoiceWriter* invoices = nullptr;
  JobBillingWriter* job_billing = nullptr;
  BillingCommands* billing = nullptr;  // the tenant's settings
  const projection::ProjectionRunner* projection = nullptr;
  projection::WriteLeases* leases = nullptr;
  eventlog::EventLog* log = nullptr;
  std::string billing_topic;
  std::string job_topic;
  IdGenerator* ids = nullptr;
  const Clock* clock = &SystemClock();
  absl::TimeZone zone = absl::UTCTimeZone();  // issue and due dates
  absl::Duration wait = absl::Seconds(5);
};

class InvoiceCommands {
 public:
  explicit InvoiceCommands(InvoiceCommandsOptions options);

  absl::StatusOr<v1::InvoiceReply> CreateInvoice(const server::Caller& caller,
                                                 const v1::CreateInvoiceRequest& request);
  absl::StatusOr<v1::InvoiceReply> CreateProgressInvoice(
      const server::Caller& caller, const v1::CreateProgressInvoiceRequest& request);
  absl::StatusOr<v1::InvoiceReply> CreateCreditNote(const server::Caller& caller,
                                                    const v1::CreateCreditNoteRequest& request);
  absl::StatusOr<v1::InvoiceReply> IssueInvoice(const server::Caller& caller,
                                                const v1::InvoiceActionRequest& request);
  absl::StatusOr<v1::InvoiceReply> VoidInvoice(const server::Caller& caller,
                                               const v1::VoidInvoiceRequest& request);
  absl::StatusOr<v1::InvoiceReply> RecordPayment(const server::Caller& caller,
                                                 const v1::RecordPaymentRequest& request);
  absl::StatusOr<v1::InvoiceReply> RecordRefund(const server::Caller& caller,
                                                const v1::RecordRefundRequest& request);

 private:
  // Builds the draft with its number (`build(invoice_id, number)`, run only when the command is
  // not a retry) and appends it under `lease_key`, numbered without gaps.
  using Build =
      absl::FunctionRef<absl::StatusOr<v1::Invoice>(const std::string& invoice_id, int64_t number)>;
  absl::StatusOr<v1::InvoiceReply> Create(const server::Caller& caller,
                                          const common::v1::CommandMeta& meta,
                                          const std::string& lease_key, Build build);
  using InvoiceDecide =
      absl::FunctionRef<absl::StatusOr<std::vector<InvoiceEvent>>(const v1::Invoice&, const Head&)>;
  absl::StatusOr<v1::InvoiceReply> OnInvoice(const server::Caller& caller,
                                             const common::v1::CommandMeta& meta,
                                             const std::string& invoice_id, InvoiceDecide decide);
  std::string NewId() { return options_.ids->NewId().ToString(); }

  InvoiceCommandsOptions options_;
  aggregate::TenantNumbering numbering_;
};

}  // namespace jobledger::billing
