// The billing service's read model: the tables its projection writes and its commands and queries
// read. Every key starts with the tenant (after the table's or kind's own prefix), so no scan ever
// crosses tenants.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/billing/v1/rows.pb.h"
#include "jobledger/projection/table.h"

namespace jobledger::billing {

std::string PrimaryKey(absl::string_view tenant, absl::string_view id);
std::string TenantPrefix(absl::string_view tenant);
// The prefix of entries of an index that start with (tenant, value).
std::string TenantValuePrefix(absl::string_view tenant, absl::string_view value);

// Aggregates with the heads of their chains, by PrimaryKey(tenant, id); settings by (tenant,
// tenant).
const projection::Table<v1::SettingsRow>& SettingsTable();
// Indexes "code" and "name": (tenant, lower-case code or name).
const projection::Table<v1::PriceItemRow>& PriceItemTable();
// Index "customer": (tenant, customer, number descending).
const projection::Table<v1::EstimateRow>& EstimateTable();
// Indexes "number" (tenant, number descending), "status" (tenant, status name, number
// descending), "awaiting_payment" (tenant, number descending; issued and partly paid invoices),
// "customer" (tenant, customer, number descending), "job" (tenant, job, number) and "credited"
// (tenant, corrected invoice, number; credit notes).
const projection::Table<v1::InvoiceRow>& InvoiceTable();
const projection::Table<v1::JobBillingRow>& JobBillingTable();
// The job service's jobs; index "subjob" (tenant, parent job, number).
const projection::Table<v1::JobCopyRow>& JobCopyTable();
const projection::Table<v1::CustomerCopyRow>& CustomerCopyTable();

// Issued or partly paid, and not a credit note: what the "awaiting_payment" index lists.
bool AwaitsPayment(const v1::Invoice& invoice);

// The status as the "status" index names it ("issued", ...).
std::string StatusKeyPart(v1::InvoiceStatus status);

// Completed jobs with no invoice that is not void (value: empty), oldest completion first.
std::string AwaitingBillingKey(absl::string_view tenant, absl::Time completed_at,
                               absl::string_view job_id);
// A customer's account entries (value AccountEntry) in the order they happened.
std::string AccountEntryKey(absl::string_view tenant, absl::string_view customer_id, absl::Time at,
                            absl::string_view event_id);
std::string AccountPrefix(absl::string_view tenant, absl::string_view customer_id);
// The highest invoice and estimate numbers of a tenant (counters).
std::string InvoiceNumberKey(absl::string_view tenant);
std::string EstimateNumberKey(absl::string_view tenant);

}  // namespace jobledger::billing
