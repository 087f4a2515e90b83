// Dispatch lists, counts and CSV.
#include "dispatch_views.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
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

bool Sees(const Caller& caller, const v1::BoardRow& board) {
  if (caller.sees_everything()) return true;
  const auto& ids = board.row().technician_ids();
  return std::find(ids.begin(), ids.end(), caller.user_id) != ids.end();
}

// Customers' names by id, each read once per list or export (an export of a million jobs names
// a few thousand customers); bounded, for a tenant with very many.
class CustomerNames {
 public:
  CustomerNames(const projection::StateReader& state, absl::string_view tenant)
      : state_(state), tenant_(tenant) {}

  absl::StatusOr<absl::string_view> Of(const std::string& customer_id) {
    if (auto known = names_.find(customer_id); known != names_.end()) return known->second;
    auto customer = CustomerCopyTable().Get(state_, PrimaryKey(tenant_, customer_id));
    if (!customer.ok()) return customer.status();
    if (names_.size() >= kMaxKept) names_.clear();
    std::string name = customer->has_value() ? (*customer)->customer().name() : "";
    return names_.emplace(customer_id, std::move(name)).first->second;
  }

 private:
  static constexpr size_t kMaxKept = 100'000;
  const projection::StateReader& state_;
  std::string tenant_;
  absl::flat_hash_map<std::string, std::string> names_;
};

void AppendTime(std::string& out, const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0 && at.nanos() == 0) return;
  const absl::CivilSecond t = absl::ToCivilSecond(TimeFromProto(at), absl::UTCTimeZone());
  absl::StrAppendFormat(&out, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year(), t.month(), t.day(),
                        t.hour(), t.minute(), t.second());
}

// An enum value's name without its type's prefix: JOB_STATUS_ON_HOLD → ON_HOLD.
absl::string_view Unprefixed(const std::string& name, absl::string_view prefix) {
  absl::string_view value = name;
  absl::ConsumePrefix(&value, prefix);
  return value;
}

// A scan's INVALID_ARGUMENT is a cursor it could not use: the caller's page_token.
absl::Status PageTokenError(const absl::Status& status) {
  if (absl::IsInvalidArgument(status)) return Invalid("page_token", "not from this list");
  return status;
}

// A job's CSV row, written straight from its board row (an export writes a million).
void AppendJobCsvRow(std::string& out, const v1::JobRow& row, absl::string_view customer_name) {
  thread_local std::string field;
  auto next = [&](absl::string_view value) {
    AppendCsvField(out, value);
    out.push_back(',');
  };
  absl::StrAppend(&out, "JOB-", row.number(), ",");
  next(row.title());
  next(customer_name);
  next(Unprefixed(job::v1::JobStatus_Name(row.status()), "JOB_STATUS_"));
  next(row.status_reason());
  next(Unprefixed(job::v1::JobPriority_Name(row.priority()), "JOB_PRIORITY_"));
  field.clear();
  AppendTime(field, row.scheduled_start());
  next(field);
  field.clear();
  AppendTime(field, row.scheduled_end());
  next(field);
  for (const auto* ids : {&row.technician_ids(), &row.crew_ids()}) {
    field.clear();
    for (int i = 0; i < ids->size(); ++i) absl::StrAppend(&field, i == 0 ? "" : " ", ids->Get(i));
    next(field);
  }
  next(row.project_id());
  field.clear();
  if (!row.balance().currency().empty()) {
    if (auto balance = Money::FromProto(row.balance()); balance.ok()) field = balance->ToString();
  }
  next(field);
  AppendCsvField(out, row.job_id());
  out.append("\r\n");
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
  auto visible = [caller](const v1::BoardRow& row) { return Sees(caller, row); };
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
      return Selection{"day", day_prefix, [caller](const v1::BoardRow& row) {
                         return row.row().status() == job::v1::JOB_STATUS_COMPLETED &&
                                Sees(caller, row);
                       }};
    case v1::VIEW_UNASSIGNED_TODAY:
      return Selection{"day", day_prefix, [caller](const v1::BoardRow& row) {
                         return row.has_unassigned_visit() && Sees(caller, row);
                       }};
    case v1::VIEW_OVERDUE:
      return Selection{"open_end", TenantPrefix(tenant), [caller, now](const v1::BoardRow& row) {
                         return TimeFromProto(row.row().scheduled_end()) < now && Sees(caller, row);
                       }};
    case v1::VIEW_AWAITING_BILLING:
      return Selection{"awaiting_billing", TenantPrefix(tenant), visible};
    case v1::VIEW_AWAITING_PAYMENT:
      return Selection{"awaiting_payment", TenantPrefix(tenant), visible};
    default:
      return Invalid("view", "name a view (VIEW_BY_STATUS, VIEW_SCHEDULED_TODAY, ...)");
  }
}

absl::StatusOr<projection::Page<v1::BoardRow>> DispatchViews::BoardPage(
    const projection::StateReader& state, const Selection& selection, const std::string& page_token,
    int page_size) const {
  auto page =
      projection::FilteredPage(BoardTable(), state, selection.index, selection.prefix, page_token,
                               page_size, options_.max_examined, selection.keep);
  if (!page.ok()) return PageTokenError(page.status());
  return page;
}

absl::StatusOr<v1::ListJobsResponse> DispatchViews::Page(const Caller& caller,
                                                         const projection::StateReader& state,
                                                         const Selection& selection,
                                                         const std::string& page_token,
                                                         int page_size) const {
  auto page = BoardPage(state, selection, page_token, page_size);
  if (!page.ok()) return page.status();
  CustomerNames names(state, caller.tenant);
  v1::ListJobsResponse response;
  for (v1::BoardRow& board : page->rows) {
    auto name = names.Of(board.row().customer_id());
    if (!name.ok()) return name.status();
    v1::JobRow& row = *response.add_rows();
    row = std::move(*board.mutable_row());
    row.set_customer_name(std::string(*name));
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
  return Page(caller, **store, *selection, request.page_token(), *page_size);
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
      auto next =
          BoardTable().VisitIndex(state, selection->index, selection->prefix,
                                  {.cursor = cursor, .limit = 1000}, [&](const v1::BoardRow& row) {
                                    total += selection->keep(row) ? 1 : 0;
                                    return absl::OkStatus();
                                  });
      if (!next.ok()) return next.status();
      cursor = *std::move(next);
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
  CustomerNames names(**store, caller.tenant);
  std::string chunk;
  AppendCsvRow(chunk, CsvHeader());
  auto write_row = [&](const v1::BoardRow& board) -> absl::Status {
    if (!selection->keep(board)) return absl::OkStatus();
    auto name = names.Of(board.row().customer_id());
    if (!name.ok()) return name.status();
    AppendJobCsvRow(chunk, board.row(), *name);
    if (chunk.size() >= kChunkBytes) {
      if (!write(chunk)) return absl::CancelledError("the client went away");
      chunk.clear();
    }
    return absl::OkStatus();
  };
  // Page by page (each its own iterator, so that a slow client pins no store files for long),
  // every row parsed into one reused message.
  std::string cursor = request.page_token();
  do {
    auto next = BoardTable().VisitIndex(**store, selection->index, selection->prefix,
                                        {.cursor = cursor, .limit = kExportPage}, write_row);
    if (!next.ok()) return PageTokenError(next.status());
    cursor = *std::move(next);
  } while (!cursor.empty());
  if (!chunk.empty() && !write(chunk)) return absl::CancelledError("the client went away");
  return absl::OkStatus();
}

}  // namespace jobledger::reporting
