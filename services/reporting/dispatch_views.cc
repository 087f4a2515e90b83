// Dispatch lists, counts and CSV.
#include "dispatch_views.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jobledger/common/csv.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/counter.h"
#include "jobledger/projection/filtered_page.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/server/read_your_writes.h"
#include "projections/reporting_tables.h"

namespace jobledger::reporting {
namespace {

using projection::KeyBuilder;
using server::Caller;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;
constexpr int kExportPage = 1000;
constexpr size_t kChunkBytes = 64 * 1024;

bool Sees(const Caller& caller, const v1::JobViewRow& row) {
  if (caller.sees_everything()) return true;
  const auto& ids = row.technician_ids();
  return std::find(ids.begin(), ids.end(), caller.user_id) != ids.end();
}

std::string TimeText(const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0 && at.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", TimeFromProto(at), absl::UTCTimeZone());
}

std::string MoneyText(const common::v1::Money& money) {
  auto parsed = Money::FromProto(money);
  return parsed.ok() && !money.currency().empty() ? parsed->ToString() : "";
}

absl::StatusOr<v1::JobRow> ToJobRow(const projection::StateReader& state,
                                    const v1::JobViewRow& view) {
  const job::v1::Job& job = view.job();
  v1::JobRow row;
  row.set_job_id(job.job_id());
  row.set_number(job.number());
  row.set_title(job.title());
  row.set_customer_id(job.customer_id());
  auto customer = CustomerCopyTable().Get(state, PrimaryKey(view.tenant(), job.customer_id()));
  if (!customer.ok()) return customer.status();
  if (customer->has_value()) row.set_customer_name((*customer)->customer().name());
  row.set_status(job.status());
  row.set_status_reason(job.status_reason());
  row.set_priority(job.priority());
  *row.mutable_scheduled_start() = PlannedStart(view);
  *row.mutable_scheduled_end() = PlannedEnd(view);
  *row.mutable_technician_ids() = view.technician_ids();
  *row.mutable_crew_ids() = view.crew_ids();
  row.set_project_id(job.project_id());
  *row.mutable_balance() = view.balance();
  return row;
}

std::vector<std::string> CsvFields(const v1::JobRow& row) {
  std::string status = job::v1::JobStatus_Name(row.status());
  std::string priority = job::v1::JobPriority_Name(row.priority());
  return {absl::StrCat("JOB-", row.number()),
          row.title(),
          row.customer_name(),
          status.substr(std::string("JOB_STATUS_").size()),
          row.status_reason(),
          priority.substr(std::min(priority.size(), std::string("JOB_PRIORITY_").size())),
          TimeText(row.scheduled_start()),
          TimeText(row.scheduled_end()),
          absl::StrJoin(row.technician_ids(), " "),
          absl::StrJoin(row.crew_ids(), " "),
          row.project_id(),
          MoneyText(row.balance()),
          row.job_id()};
}

const std::vector<std::string>& CsvHeader() {
  static const auto* const kHeader = new std::vector<std::string>{
      "number",   "title",           "customer",      "status",      "status_reason",
      "priority", "scheduled_start", "scheduled_end", "technicians", "crews",
      "project",  "balance",         "job_id"};
  return *kHeader;
}

}  // namespace

common::v1::LocalDate DispatchViews::DayOf(const common::v1::LocalDate& requested,
                                           absl::Time now) const {
  if (requested.year() != 0) return requested;
  common::v1::LocalDate day;
  LocalDateToProto(LocalDay(now, options_.zone), &day);
  return day;
}

absl::StatusOr<absl::Time> DispatchViews::BoardInstant(
    const google::protobuf::Timestamp* as_of) const {
  const absl::Time now = options_.clock->Now();
  if (as_of == nullptr) return now;
  if (absl::Status s = ValidateTimestamp("as_of", *as_of); !s.ok()) return s;
  const absl::Time instant = TimeFromProto(*as_of);
  if (instant > now) {
    return Invalid("as_of", "is in the future: the board can be seen as it was, not as it will be");
  }
  return instant;
}

absl::StatusOr<DispatchViews::Store> DispatchViews::BoardAt(
    const Caller& caller, const google::protobuf::Timestamp* as_of, absl::Time instant,
    const common::v1::LogPosition& min_position, absl::string_view what) const {
  if (as_of != nullptr) {
    if (options_.snapshots == nullptr) {
      return absl::FailedPreconditionError("as_of: this service keeps no past boards");
    }
    auto snapshot = options_.snapshots->At(instant);
    if (!snapshot.ok()) return snapshot.status();
    return Store(*std::move(snapshot));
  }
  if (absl::Status s = server::WaitForMinPosition(*options_.projection, caller, min_position,
                                                  absl::Now(), options_.max_wait, what);
      !s.ok()) {
    return s;
  }
  return options_.projection->store();
}

absl::StatusOr<DispatchViews::Selection> DispatchViews::Select(const Caller& caller,
                                                               const v1::ListJobsRequest& request,
                                                               absl::Time now) const {
  if (request.day().year() != 0) {
    if (absl::Status s = ValidateDate("day", request.day(), true); !s.ok()) return s;
  }
  const std::string& tenant = caller.tenant;
  const common::v1::LocalDate day = DayOf(request.day(), now);
  const std::string day_prefix = KeyBuilder().String(tenant).Int64(DateKey(day)).key();
  auto status_prefix = [&](job::v1::JobStatus status) {
    return KeyBuilder().String(tenant).Int64(status).key();
  };
  auto visible = [caller](const v1::JobViewRow& row) { return Sees(caller, row); };
  switch (request.view()) {
    case v1::VIEW_BY_STATUS:
      if (request.status() == job::v1::JOB_STATUS_UNSPECIFIED ||
          !job::v1::JobStatus_IsValid(request.status())) {
        return Invalid("status", "name the status to list");
      }
      return Selection{"status", status_prefix(request.status()), visible};
    case v1::VIEW_ON_HOLD:
      return Selection{"status", status_prefix(job::v1::JOB_STATUS_ON_HOLD), visible};
    case v1::VIEW_DEFERRED:
      return Selection{"status", status_prefix(job::v1::JOB_STATUS_DEFERRED), visible};
    case v1::VIEW_SCHEDULED_TODAY:
      return Selection{"day", day_prefix, visible};
    case v1::VIEW_COMPLETED_TODAY:
      return Selection{"day", day_prefix, [caller](const v1::JobViewRow& row) {
                         return row.job().status() == job::v1::JOB_STATUS_COMPLETED &&
                                Sees(caller, row);
                       }};
    case v1::VIEW_UNASSIGNED_TODAY:
      return Selection{"day", day_prefix, [caller](const v1::JobViewRow& row) {
                         return row.has_unassigned_visit() && Sees(caller, row);
                       }};
    case v1::VIEW_OVERDUE:
      return Selection{"open_end", TenantPrefix(tenant), [caller, now](const v1::JobViewRow& row) {
                         return TimeFromProto(PlannedEnd(row)) < now && Sees(caller, row);
                       }};
    case v1::VIEW_AWAITING_BILLING:
      return Selection{"awaiting_billing", TenantPrefix(tenant), visible};
    case v1::VIEW_AWAITING_PAYMENT:
      return Selection{"awaiting_payment", TenantPrefix(tenant), visible};
    default:
      return Invalid("view", "name a view (VIEW_BY_STATUS, VIEW_SCHEDULED_TODAY, ...)");
  }
}

absl::StatusOr<v1::ListJobsResponse> DispatchViews::Page(const projection::StateReader& state,
                                                         const Selection& selection,
                                                         const std::string& page_token,
                                                         int page_size) const {
  auto page =
      projection::FilteredPage(JobViewTable(), state, selection.index, selection.prefix, page_token,
                               page_size, options_.max_examined, selection.keep);
  if (!page.ok()) {
    if (absl::IsInvalidArgument(page.status())) return Invalid("page_token", "not from this list");
    return page.status();
  }
  v1::ListJobsResponse response;
  for (const v1::JobViewRow& view : page->rows) {
    auto row = ToJobRow(state, view);
    if (!row.ok()) return row.status();
    *response.add_rows() = *std::move(row);
  }
  response.set_next_page_token(std::move(page->next_cursor));
  return response;
}

absl::StatusOr<v1::ListJobsResponse> DispatchViews::ListJobs(
    const Caller& caller, const v1::ListJobsRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  const google::protobuf::Timestamp* as_of = request.has_as_of() ? &request.as_of() : nullptr;
  auto instant = BoardInstant(as_of);
  if (!instant.ok()) return instant.status();
  auto selection = Select(caller, request, *instant);
  if (!selection.ok()) return selection.status();
  auto store = BoardAt(caller, as_of, *instant, request.min_position(), "the job lists");
  if (!store.ok()) return store.status();
  return Page(**store, *selection, request.page_token(), *page_size);
}

absl::StatusOr<v1::DispatchCounts> DispatchViews::Counts(
    const Caller& caller, const v1::DispatchCountsRequest& request) const {
  if (request.day().year() != 0) {
    if (absl::Status s = ValidateDate("day", request.day(), true); !s.ok()) return s;
  }
  const google::protobuf::Timestamp* as_of = request.has_as_of() ? &request.as_of() : nullptr;
  auto instant = BoardInstant(as_of);
  if (!instant.ok()) return instant.status();
  auto store = BoardAt(caller, as_of, *instant, {}, "the dispatch counts");
  if (!store.ok()) return store.status();
  const projection::StateReader& state = **store;
  v1::DispatchCounts counts;
  if (caller.sees_everything()) {
    for (int status = job::v1::JOB_STATUS_DRAFT; status <= job::v1::JOB_STATUS_DEFERRED; ++status) {
      auto count = projection::ReadCounter(
          state, StatusCountKey(caller.tenant, static_cast<job::v1::JobStatus>(status)));
      if (!count.ok()) return count.status();
      v1::StatusCount* entry = counts.add_by_status();
      entry->set_status(static_cast<job::v1::JobStatus>(status));
      entry->set_count(*count);
    }
  }
  // The other counts are the lists' lengths (a technician's: of what they see).
  auto count_view = [&](v1::View view, job::v1::JobStatus status) -> absl::StatusOr<int64_t> {
    v1::ListJobsRequest list;
    list.set_view(view);
    list.set_status(status);
    *list.mutable_day() = request.day();
    auto selection = Select(caller, list, *instant);
    if (!selection.ok()) return selection.status();
    int64_t total = 0;
    std::string cursor;
    do {
      auto page = JobViewTable().ScanIndex(state, selection->index, selection->prefix,
                                           {.cursor = cursor, .limit = 1000});
      if (!page.ok()) return page.status();
      for (const v1::JobViewRow& row : page->rows) total += selection->keep(row) ? 1 : 0;
      cursor = std::move(page->next_cursor);
    } while (!cursor.empty());
    return total;
  };
  if (!caller.sees_everything()) {
    for (int status = job::v1::JOB_STATUS_DRAFT; status <= job::v1::JOB_STATUS_DEFERRED; ++status) {
      auto count = count_view(v1::VIEW_BY_STATUS, static_cast<job::v1::JobStatus>(status));
      if (!count.ok()) return count.status();
      v1::StatusCount* entry = counts.add_by_status();
      entry->set_status(static_cast<job::v1::JobStatus>(status));
      entry->set_count(*count);
    }
  }
  const v1::View views[] = {v1::VIEW_SCHEDULED_TODAY,  v1::VIEW_COMPLETED_TODAY,
                            v1::VIEW_UNASSIGNED_TODAY, v1::VIEW_OVERDUE,
                            v1::VIEW_AWAITING_BILLING, v1::VIEW_AWAITING_PAYMENT};
  int64_t values[std::size(views)] = {};
  for (size_t i = 0; i < std::size(views); ++i) {
    auto count = count_view(views[i], job::v1::JOB_STATUS_UNSPECIFIED);
    if (!count.ok()) return count.status();
    values[i] = *count;
  }
  counts.set_scheduled_today(values[0]);
  counts.set_completed_today(values[1]);
  counts.set_unassigned_today(values[2]);
  counts.set_overdue(values[3]);
  counts.set_awaiting_billing(values[4]);
  counts.set_awaiting_payment(values[5]);
  return counts;
}

absl::Status DispatchViews::ExportCsv(const Caller& caller, const v1::ListJobsRequest& request,
                                      const std::function<bool(std::string&)>& write) const {
  // One store for the whole export: a past board is built once, and a rebuild's swap of the live
  // store cannot mix two states in one file.
  const google::protobuf::Timestamp* as_of = request.has_as_of() ? &request.as_of() : nullptr;
  auto instant = BoardInstant(as_of);
  if (!instant.ok()) return instant.status();
  auto selection = Select(caller, request, *instant);
  if (!selection.ok()) return selection.status();
  auto store = BoardAt(caller, as_of, *instant, request.min_position(), "the job lists");
  if (!store.ok()) return store.status();
  std::string chunk;
  AppendCsvRow(chunk, CsvHeader());
  std::string page_token = request.page_token();
  while (true) {
    auto page = Page(**store, *selection, page_token, kExportPage);
    if (!page.ok()) return page.status();
    for (const v1::JobRow& row : page->rows()) {
      AppendCsvRow(chunk, CsvFields(row));
      if (chunk.size() >= kChunkBytes) {
        if (!write(chunk)) return absl::CancelledError("the client went away");
        chunk.clear();
      }
    }
    if (page->next_page_token().empty()) break;
    page_token = page->next_page_token();
  }
  if (!chunk.empty() && !write(chunk)) return absl::CancelledError("the client went away");
  return absl::OkStatus();
}

}  // namespace jobledger::reporting
