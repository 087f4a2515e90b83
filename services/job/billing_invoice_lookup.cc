// Billing's answer about a job's invoices.
#include "billing_invoice_lookup.h"

#include "absl/strings/str_cat.h"
#include "jobledger/server/client.h"

namespace jobledger::job {

absl::StatusOr<std::vector<std::string>> BillingInvoiceLookup::UnvoidedInvoices(
    const server::Caller& caller, const std::string& job_id) {
  if (caller.call == nullptr) {
    return absl::FailedPreconditionError("asking billing needs the caller's RPC context");
  }
  auto context = server::MakeClientContext(*caller.call, timeout_);
  billing::v1::GetJobBillingStatusRequest request;
  request.set_job_id(job_id);
  billing::v1::JobBillingStatus status;
  grpc::Status called = stub_->GetJobBillingStatus(context.get(), request, &status);
  if (!called.ok()) {
    // Without billing's answer the job stays completed: reopening must never skip the check.
    return absl::UnavailableError(
        absl::StrCat("the billing service could not say whether the job has invoices: ",
                     called.error_message()));
  }
  return std::vector<std::string>(status.unvoided_invoice_numbers().begin(),
                                  status.unvoided_invoice_numbers().end());
}

}  // namespace jobledger::job
