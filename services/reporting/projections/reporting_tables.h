// The reporting service's read model: copies of every service's records, the jobs' rows of the
// dispatch views with their indexes, counts by status, revenue entries and each job's history
// index. Every key starts with the tenant.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/projection/table.h"
#include "jobledger/reporting/v1/rows.pb.h"

namespace jobledger::reporting {

std::string PrimaryKey(absl::string_view tenant, absl::string_view id);
std::string TenantPrefix(absl::string_view tenant);
std::string TenantValuePrefix(absl::string_view tenant, absl::string_view value);

// A local date as one sortable number, 20261124.
int64_t DateKey(const common::v1::LocalDate& date);

// Jobs by (tenant, job id), whole. Index "project" (tenant, project, number).
const projection::Table<v1::JobViewRow>& JobViewTable();
// When the job is planned: its visits' first start and last end, else its own scheduled times.
const google::protobuf::Timestamp& PlannedStart(const v1::JobViewRow& row);
const google::protobuf::Timestamp& PlannedEnd(const v1::JobViewRow& row);
// Whether a job in this status can be overdue (not completed, cancelled, deferred or a draft).
bool MayBeOverdue(job::v1::JobStatus status);

// The jobs' rows of the dispatch lists by (tenant, job id), each BoardRowOf(its JobViewRow).
// Covering indexes (entries hold the row): "status" (tenant, status, number descending), "day"
// (tenant, each visit day, number), "open_end" (tenant, planned end; jobs that may still become
// overdue), "awaiting_billing" and "awaiting_payment" (tenant, number descending).
const projection::Table<v1::BoardRow>& BoardTable();
v1::BoardRow BoardRowOf(const v1::JobViewRow& view);

const projection::Table<v1::CustomerCopyRow>& CustomerCopyTable();
// Schedules by (tenant, job id).
const projection::Table<v1::ScheduleCopyRow>& ScheduleCopyTable();
const projection::Table<v1::TechnicianCopyRow>& TechnicianCopyTable();
// Invoices by (tenant, invoice id); index "job" (tenant, job, number).
const projection::Table<v1::InvoiceCopyRow>& InvoiceCopyTable();
// Billing settings by (tenant, tenant).
const projection::Table<v1::SettingsCopyRow>& SettingsCopyTable();
// Messages by (tenant, message id); index "job" (tenant, job, message id).
const projection::Table<v1::MessageCopyRow>& MessageCopyTable();

// The number of a tenant's jobs in a status (a counter).
std::string StatusCountKey(absl::string_view tenant, job::v1::JobStatus status);
// A job's history index: (tenant, job, occurred at, topic, partition, offset) → EventRef.
std::string HistoryKey(absl::string_view tenant, absl::string_view job_id, absl::Time at,
                       absl::string_view topic, int32_t partition, int64_t offset);
std::string HistoryPrefix(absl::string_view tenant, absl::string_view job_id);
// Revenue entries: (tenant, date, event id, n) → RevenueEntryRow.
std::string RevenueKey(absl::string_view tenant, const common::v1::LocalDate& date,
                       absl::string_view event_id, int n);
std::string RevenuePrefix(absl::string_view tenant);
// Every version of a tenant's billing settings by when it was set (value BillingSettings): the
// settings in effect at any moment.
std::string SettingsHistoryKey(absl::string_view tenant, absl::Time at, int64_t sequence);
std::string SettingsHistoryPrefix(absl::string_view tenant);
// The ids of a job's invoices (KeyBuilder strings, in the order they were created): a job's row
// reads its invoices by point reads, where an index scan over a batch being applied would sort
// the whole batch's writes.
std::string JobInvoicesKey(absl::string_view tenant, absl::string_view job_id);
// The revenue entry of a job's last completion (RevenueEntryRow), reversed if it is reopened.
std::string LastCompletionKey(absl::string_view tenant, absl::string_view job_id);
std::string RevenueDateKey(absl::string_view tenant, const common::v1::LocalDate& date);

}  // namespace jobledger::reporting
