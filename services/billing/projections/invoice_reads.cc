#include "projections/invoice_reads.h"

#include "projections/billing_tables.h"

namespace jobledger::billing {
namespace {

absl::StatusOr<std::vector<v1::Invoice>> ScanAll(const projection::StateReader& state,
                                                 absl::string_view index,
                                                 const std::string& prefix) {
  std::vector<v1::Invoice> invoices;
  projection::PageRequest request{.cursor = "", .limit = 500};
  do {
    auto page = InvoiceTable().ScanIndex(state, index, prefix, request);
    if (!page.ok()) return page.status();
    for (v1::InvoiceRow& row : page->rows) invoices.push_back(std::move(*row.mutable_invoice()));
    request.cursor = std::move(page->next_cursor);
  } while (!request.cursor.empty());
  return invoices;
}

}  // namespace

absl::StatusOr<std::vector<v1::Invoice>> InvoicesOfJob(const projection::StateReader& state,
                                                       absl::string_view tenant,
                                                       absl::string_view job_id) {
  return ScanAll(state, "job", TenantValuePrefix(tenant, job_id));
}

absl::StatusOr<std::vector<v1::Invoice>> CreditNotesOf(const projection::StateReader& state,
                                                       absl::string_view tenant,
                                                       absl::string_view invoice_id) {
  return ScanAll(state, "credited", TenantValuePrefix(tenant, invoice_id));
}

}  // namespace jobledger::billing
