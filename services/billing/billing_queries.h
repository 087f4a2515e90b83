// The billing service's queries: settings, the price book, estimates, job cost and financials,
// invoices (and their PDF), the jobs awaiting billing and customers' statements. Every one stays
// within the caller's tenant: another tenant's ids are NOT_FOUND like unknown ones. No gRPC here.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"

namespace jobledger::billing {

struct BillingQueriesOptions {
  const projection::ProjectionRunner* projection = nullptr;
  // The job topic, read to its end before a job or customer is called unknown (created a moment
  // ago).
  eventlog::EventLog* log = nullptr;
  std::string job_topic;
  // The billing topic, read to its end before a job's invoices are listed for the job service.
  std::string billing_topic;
  // The tenant's time zone: statement days, and the dates on invoice PDFs.
  absl::TimeZone zone = absl::UTCTimeZone();
  const Clock* clock = &SystemClock();
  // The most a query waits for min_position or the job topic, whatever the caller's deadline.
  absl::Duration max_wait = absl::Seconds(5);
  // The trading name on invoice PDFs ("" leaves it out).
  std::string business_name;
  // The most index entries one filtered invoice list page examines before it returns what it
  // has (with a token to go on), so that a filter matching few invoices never makes a page slow.
  int max_examined = 5'000;
};

class BillingQueries {
 public:
  explicit BillingQueries(BillingQueriesOptions options) : options_(std::move(options)) {}

  // The job's invoice numbers ("INV-12") of every kind that are not void; none for a job billing
  // does not know (the job service asks before it reopens a job).
  absl::StatusOr<v1::JobBillingStatus> GetJobBillingStatus(
      const server::Caller& caller, const v1::GetJobBillingStatusRequest& request) const;
  // The tenant's settings; empty ones (version 0) until they are first set.
  absl::StatusOr<v1::BillingSettings> GetBillingSettings(
      const server::Caller& caller, const v1::GetBillingSettingsRequest& request) const;

  absl::StatusOr<v1::PriceItem> GetPriceItem(const server::Caller& caller,
                                             const v1::GetPriceItemRequest& request) const;
  // By lower-case code, then id. `text` matches a code prefix or a name prefix (case-insensitive):
  // such a page reads every match of both and pages through them in code order, which suits a
  // price book of thousands of items; without text, pages are index scans.
  absl::StatusOr<v1::ListPriceItemsResponse> ListPriceItems(
      const server::Caller& caller, const v1::ListPriceItemsRequest& request) const;

  absl::StatusOr<v1::Estimate> GetEstimate(const server::Caller& caller,
                                           const v1::GetEstimateRequest& request) const;

  absl::StatusOr<v1::JobCost> GetJobCost(const server::Caller& caller,
                                         const v1::GetJobCostRequest& request) const;
  // Cost, every invoice of the job (by number), invoiced (issued, partly or fully paid, credit
  // notes deducted), paid, balance, and the billing record with the stages' invoices filled in.
  absl::StatusOr<v1::JobFinancials> GetJobFinancials(
      const server::Caller& caller, const v1::GetJobFinancialsRequest& request) const;

  absl::StatusOr<v1::Invoice> GetInvoice(const server::Caller& caller,
                                         const v1::GetInvoiceRequest& request) const;
  // Newest number first. A customer, status or awaiting_payment filter picks the index; the other
  // filters are applied while scanning, and a page examines at most max_examined entries.
  absl::StatusOr<v1::ListInvoicesResponse> ListInvoices(
      const server::Caller& caller, const v1::ListInvoicesRequest& request) const;
  // Completed jobs with no invoice that is not void, oldest completion first.
  absl::StatusOr<v1::ListAwaitingBillingResponse> ListAwaitingBilling(
      const server::Caller& caller, const v1::ListAwaitingBillingRequest& request) const;
  // The invoice as a PDF in chunks of 64 KiB; the first names the media type and file name.
  absl::StatusOr<std::vector<v1::DocumentChunk>> GetInvoicePdf(
      const server::Caller& caller, const v1::GetInvoiceRequest& request) const;
  // The customer's account over first_day..last_day (local days, at most 366), in the tenant's
  // currency.
  absl::StatusOr<v1::CustomerStatement> GetCustomerStatement(
      const server::Caller& caller, const v1::GetCustomerStatementRequest& request) const;

  // Waits, bounded, until the projection has applied `position` (read-your-writes).
  [[nodiscard]] absl::Status WaitForPosition(const server::Caller& caller,
                                             const common::v1::LogPosition& position) const;

 private:
  // The bound of a wait on the caller's behalf.
  absl::Time Deadline(const server::Caller& caller) const;
  // The job as billing's projection copied it (NOT_FOUND when the job topic has no such job).
  absl::StatusOr<job::v1::Job> JobOf(const server::Caller& caller, const std::string& job_id) const;

  BillingQueriesOptions options_;
};

}  // namespace jobledger::billing
