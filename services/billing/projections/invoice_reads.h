// Invoices as the projection has them, by job and by the invoice a credit note corrects.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/projection/state.h"

namespace jobledger::billing {

// The job's invoices of every kind and status, by number.
absl::StatusOr<std::vector<v1::Invoice>> InvoicesOfJob(const projection::StateReader& state,
                                                       absl::string_view tenant,
                                                       absl::string_view job_id);
// The credit notes against an invoice, by number.
absl::StatusOr<std::vector<v1::Invoice>> CreditNotesOf(const projection::StateReader& state,
                                                       absl::string_view tenant,
                                                       absl::string_view invoice_id);

}  // namespace jobledger::billing
