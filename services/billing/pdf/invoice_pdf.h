// An invoice or credit note rendered as a PDF a customer can be sent, made with libharu.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/billing/v1/billing.pb.h"

namespace jobledger::billing {

// What the page shows besides the invoice itself.
struct InvoiceDocument {
  std::string business_name;  // the tenant's trading name ("" -> omitted)
  std::string customer_name;
  std::string customer_address;  // may contain newlines
  std::string job_label;         // e.g. "JOB-12" ("" for none)
  // The tenant's zone: the issue date and payment dates are the calendar days there.
  absl::TimeZone time_zone = absl::UTCTimeZone();
};

// The invoice as a PDF on US Letter paper (612 x 792 pt): a header with "INVOICE INV-<n>" or
// "CREDIT NOTE INV-<n>", a large red VOID on a void one, status, issue and due dates, the customer,
// the lines (name, quantity, unit price, net, tax), subtotal, tax and total, payments and refunds,
// paid and balance, and the notes. A table longer than a page continues on the next with its
// header repeated; every page has a "Page i of n" footer. Amounts are in the invoice's currency,
// named once in the header.
//
// Text is shown with the PDF base-14 fonts in WinAnsiEncoding (Latin-1 plus the Windows-1252
// punctuation and the euro sign). Any other character is shown as '?' (so "Zoë 東京" reads
// "Zoë ??"); combining accents are dropped, and malformed UTF-8 gives '?'. Text too wide for its
// column is cut short with "..."; notes wrap.
//
// INVALID_ARGUMENT naming the field when an amount or the due date is malformed; INTERNAL when
// libharu reports an error.
absl::StatusOr<std::string> RenderInvoicePdf(const v1::Invoice& invoice,
                                             const InvoiceDocument& document);

// "INV-12.pdf" (credit notes too).
std::string InvoicePdfFileName(const v1::Invoice& invoice);

}  // namespace jobledger::billing
