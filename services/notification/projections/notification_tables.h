// The notification service's read model: the tables its projection writes and its commands,
// queries and sender read. Every key starts with the tenant, except the "due" index, which the
// sender scans across tenants in time order.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "jobledger/notification/v1/rows.pb.h"
#include "jobledger/projection/table.h"

namespace jobledger::notification {

std::string PrimaryKey(absl::string_view tenant, absl::string_view id);
// The prefix of entries of an index that start with (tenant, value), or with the tenant alone.
std::string TenantValuePrefix(absl::string_view tenant, absl::string_view value);
std::string TenantPrefix(absl::string_view tenant);

// Settings by (tenant, tenant).
const projection::Table<v1::SettingsRow>& SettingsTable();
// Saved templates by (tenant, template id).
const projection::Table<v1::TemplateRow>& TemplateTable();
// Messages by (tenant, message id). Indexes: "job" and "customer" (tenant, id, newest first),
// "failed" (tenant, newest first; FAILED messages), "due" (next attempt time, tenant; queued, held
// and retrying messages).
const projection::Table<v1::MessageRow>& MessageTable();
// Whether the sender still has work on the message.
bool AwaitsDelivery(const v1::Message& message);

// Copies of the other services' records, by (tenant, id).
const projection::Table<v1::JobCopyRow>& JobCopyTable();
const projection::Table<v1::CustomerCopyRow>& CustomerCopyTable();
const projection::Table<v1::TechnicianCopyRow>& TechnicianCopyTable();
const projection::Table<v1::AppointmentCopyRow>& AppointmentCopyTable();
const projection::Table<v1::InvoiceCopyRow>& InvoiceCopyTable();

}  // namespace jobledger::notification
