// The job page, the job list and the job's history.
#include "job_queries.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/evolve.h"
#include "domain/history.h"
#include "domain/validate.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/job/v1/rows.pb.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/server/read_your_writes.h"
#include "projections/job_tables.h"

namespace jobledger::job {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

template <typename Visit>
absl::Status ScanPrefix(const projection::StateReader& state, const std::string& prefix,
                        Visit visit) {
  auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    visit(it->key().substr(prefix.size()), it->value());
  }
  return it->status();
}

// The last String part of a key suffix (the child id of a link).
std::string LastId(absl::string_view suffix) {
  projection::KeyReader reader(suffix);
  auto id = reader.String();
  return id.ok() ? *id : std::string();
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& values,
              absl::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The request's filters, checked against a row by the list scan.
struct ListFilter {
  std::set<int> statuses;  // empty: any
  std::string customer_id;
  std::string tag;
  std::string technician_id;
  bool unassigned = false;
  std::string created_by;
  std::string visible_to;  // a technician caller
  std::string project_id;
  std::string parent_job_id;
  std::optional<int64_t> from;  // scheduled start, micros
  std::optional<int64_t> to;
  std::vector<std::string> words;

  bool Matches(const v1::JobListRow& row) const {
    const v1::JobSummary& s = row.summary();
    if (!statuses.empty() && !statuses.contains(s.status())) return false;
    if (!customer_id.empty() && s.customer_id() != customer_id) return false;
    if (!tag.empty() &&
        std::none_of(row.customer_tags().begin(), row.customer_tags().end(),
                     [&](const std::string& t) { return absl::AsciiStrToLower(t) == tag; })) {
      return false;
    }
    if (!technician_id.empty() && !Contains(s.technician_ids(), technician_id)) return false;
    if (unassigned && (!s.technician_ids().empty() || !row.crew_ids().empty())) return false;
    if (!created_by.empty() && row.created_by() != created_by) return false;
    if (!visible_to.empty() && !Contains(row.visible_to(), visible_to)) return false;
    if (!project_id.empty() && s.project_id() != project_id) return false;
    if (!parent_job_id.empty() && row.parent_job_id() != parent_job_id) return false;
    if (from.has_value() || to.has_value()) {
      if (!s.has_scheduled_start()) return false;
      const int64_t start = TimeUtil::TimestampToMicroseconds(s.scheduled_start());
      if (from.has_value() && start < *from) return false;
      if (to.has_value() && start >= *to) return false;
    }
    for (const std::string& word : words) {
      if (std::none_of(row.search_tokens().begin(), row.search_tokens().end(),
                       [&](const std::string& token) { return absl::StartsWith(token, word); })) {
        return false;
      }
    }
    return true;
  }
};

absl::StatusOr<ListFilter> FilterOf(const server::Caller& caller,
                                    const v1::ListJobsRequest& request) {
  ListFilter filter;
  for (int i = 0; i < request.statuses_size(); ++i) {
    const int status = request.statuses(i);
    if (!v1::JobStatus_IsValid(status) || status == v1::JOB_STATUS_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat("statuses[", i, "]: not a job status"));
    }
    filter.statuses.insert(status);
  }
  switch (request.status_group()) {
    case v1::STATUS_GROUP_UNSPECIFIED:
      break;
    case v1::STATUS_GROUP_ACTIVE:
    case v1::STATUS_GROUP_CLOSED: {
      const std::set<int> group =
          request.status_group() == v1::STATUS_GROUP_ACTIVE
              ? std::set<int>{v1::JOB_STATUS_OPEN, v1::JOB_STATUS_SCHEDULED,
                              v1::JOB_STATUS_IN_PROGRESS, v1::JOB_STATUS_ON_HOLD}
              : std::set<int>{v1::JOB_STATUS_COMPLETED, v1::JOB_STATUS_CANCELLED};
      if (filter.statuses.empty()) {
        filter.statuses = group;
      } else {
        std::erase_if(filter.statuses, [&](int status) { return !group.contains(status); });
        if (filter.statuses.empty()) filter.statuses.insert(-1);  // nothing can match
      }
      break;
    }
    default:
      return absl::InvalidArgumentError("status_group: unknown value");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"customer_id", &request.customer_id()},
        {"parent_job_id", &request.parent_job_id()}}) {
    if (absl::Status s = ValidateId(field, *value, false); !s.ok()) return s;
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"customer_tag", &request.customer_tag()},
        {"technician_id", &request.technician_id()},
        {"project_id", &request.project_id()},
        {"text", &request.text()}}) {
    if (absl::Status s = ValidateText(field, *value, kMaxNameLength, false); !s.ok()) return s;
  }
  filter.customer_id = request.customer_id();
  filter.tag = absl::AsciiStrToLower(request.customer_tag());
  filter.technician_id = request.technician_id();
  filter.unassigned = request.unassigned();
  if (request.created_by_me()) filter.created_by = caller.user_id;
  if (!caller.sees_everything()) filter.visible_to = caller.user_id;
  filter.project_id = request.project_id();
  filter.parent_job_id = request.parent_job_id();
  if (request.has_scheduled_from()) {
    filter.from = TimeUtil::TimestampToMicroseconds(request.scheduled_from());
  }
  if (request.has_scheduled_to()) {
    filter.to = TimeUtil::TimestampToMicroseconds(request.scheduled_to());
  }
  if (filter.from && filter.to && *filter.to <= *filter.from) {
    return absl::InvalidArgumentError("scheduled_to: must be after scheduled_from");
  }
  for (absl::string_view word :
       absl::StrSplit(request.text(), absl::ByAnyChar(" \t\n/()"), absl::SkipEmpty())) {
    std::string normalized = NormalizeSearchWord(word);
    if (!normalized.empty()) filter.words.push_back(normalized.substr(0, 32));
  }
  return filter;
}

// The index to scan: the most selective dimension the filter names.
std::string ScanPrefixFor(const std::string& tenant, const ListFilter& filter, ListSort sort) {
  auto prefix = [&](const char* name, const std::string& value) {
    return ListIndexPrefix(tenant, {name, value}, sort);
  };
  if (!filter.visible_to.empty()) return prefix("visible", filter.visible_to);
  if (!filter.technician_id.empty()) return prefix("tech", filter.technician_id);
  if (!filter.customer_id.empty()) return prefix("customer", filter.customer_id);
  if (!filter.parent_job_id.empty()) return prefix("parent", filter.parent_job_id);
  if (!filter.project_id.empty()) return prefix("project", filter.project_id);
  if (!filter.words.empty() && sort == ListSort::kNumberDescending) {
    return TextSearchPrefix(tenant, filter.words.front(), sort);
  }
  if (!filter.tag.empty()) return prefix("tag", filter.tag);
  if (!filter.created_by.empty()) return prefix("creator", filter.created_by);
  if (filter.unassigned) return prefix("unassigned", "");
  if (filter.statuses.size() == 1) {
    return prefix("status", absl::StrCat(*filter.statuses.begin()));
  }
  return prefix("all", "");
}

}  // namespace

absl::Status JobQueries::WaitForPosition(const server::Caller& caller,
                                         const common::v1::LogPosition& position) const {
  return server::WaitForMinPosition(*options_.projection, caller, position, options_.clock->Now(),
                                    options_.max_wait, "the job list");
}

absl::StatusOr<v1::JobView> JobQueries::GetJob(const server::Caller& caller,
                                               const v1::GetJobRequest& request) const {
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto job = options_.commands->ReadVisibleJob(caller, request.job_id());
  if (!job.ok()) return job.status();
  v1::JobView view;
  const auto store = options_.projection->store();
  auto bytes = store->Get(ListRowKey(caller.tenant, request.job_id()));
  if (!bytes.ok()) return bytes.status();
  v1::JobListRow row;
  if (bytes->has_value() && row.ParseFromString(**bytes)) {
    *view.mutable_assignment()->mutable_technician_ids() = row.summary().technician_ids();
    *view.mutable_assignment()->mutable_crew_ids() = row.crew_ids();
    view.set_customer_name(row.summary().customer_name());
  }
  if (absl::Status s = ScanPrefix(*store, SubjobPrefix(caller.tenant, request.job_id()),
                                  [&](absl::string_view suffix, absl::string_view) {
                                    view.add_subjob_ids(LastId(suffix));
                                  });
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ScanPrefix(*store, RecallPrefix(caller.tenant, request.job_id()),
                                  [&](absl::string_view suffix, absl::string_view) {
                                    view.add_recall_job_ids(LastId(suffix));
                                  });
      !s.ok()) {
    return s;
  }
  v1::JobTabCounts& counts = *view.mutable_counts();
  counts.set_line_items(job->line_items_size());
  counts.set_expenses(job->expenses_size());
  counts.set_equipment(job->equipment_size());
  counts.set_work_entries(job->work_log_size());
  counts.set_notes(job->notes_size());
  counts.set_attachments(job->attachments_size());
  counts.set_checklist_items(job->checklist_size());
  counts.set_subjobs(view.subjob_ids_size());
  counts.set_recalls(view.recall_job_ids_size());
  std::map<std::string, int64_t> minutes;
  for (const v1::WorkEntry& entry : job->work_log()) {
    minutes[entry.employee_id()] += entry.minutes();
    counts.set_work_minutes(counts.work_minutes() + entry.minutes());
  }
  for (const auto& [employee, total] : minutes) {
    v1::EmployeeTime& time = *view.add_time_by_employee();
    time.set_employee_id(employee);
    time.set_minutes(total);
  }
  *view.mutable_job() = *std::move(job);
  return view;
}

absl::StatusOr<v1::ListJobsResponse> JobQueries::ListJobs(
    const server::Caller& caller, const v1::ListJobsRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  auto filter = FilterOf(caller, request);
  if (!filter.ok()) return filter.status();
  ListSort sort;
  switch (request.sort()) {
    case v1::JOB_SORT_UNSPECIFIED:
    case v1::JOB_SORT_CREATED_DESC:
    case v1::JOB_SORT_NUMBER_DESC:
      sort = ListSort::kNumberDescending;
      break;
    case v1::JOB_SORT_SCHEDULED_ASC:
      sort = ListSort::kScheduledAscending;
      break;
    default:
      return absl::InvalidArgumentError(
          "sort: newest first (NUMBER_DESC, CREATED_DESC) or SCHEDULED_ASC");
  }
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  const auto store = options_.projection->store();
  const std::string prefix = ScanPrefixFor(caller.tenant, *filter, sort);
  std::string start = prefix;
  if (!request.page_token().empty()) {
    if (!absl::WebSafeBase64Unescape(request.page_token(), &start) ||
        !absl::StartsWith(start, prefix)) {
      return absl::InvalidArgumentError("page_token: not from this query");
    }
  } else if (sort == ListSort::kScheduledAscending && filter->from.has_value() &&
             prefix.back() == '\x01') {
    start = projection::KeyBuilder().Raw(prefix).Int64(*filter->from).key();
  }
  v1::ListJobsResponse response;
  std::set<std::string> seen;  // text prefixes can list a job under several of its words
  auto it = store->NewIterator(prefix, projection::PrefixEnd(prefix));
  it->Seek(start);
  if (!request.page_token().empty() && it->Valid() && it->key() == start) it->Next();
  int examined = 0;
  std::string last;
  // A full dimension prefix ends with its value's terminator; a text prefix does not.
  const bool ordered_by_date = sort == ListSort::kScheduledAscending && prefix.back() == '\x01';
  const int64_t by_date_until = ordered_by_date && filter->to.has_value() ? *filter->to : INT64_MAX;
  for (; it->Valid(); it->Next()) {
    if (response.jobs_size() == *page_size || examined == options_.max_examined) {
      response.set_next_page_token(absl::WebSafeBase64Escape(last));
      break;
    }
    if (by_date_until != INT64_MAX) {
      // Entries are in scheduled order: past the range's end nothing more can match.
      projection::KeyReader reader(it->key().substr(prefix.size()));
      auto scheduled = reader.Int64();
      if (scheduled.ok() && *scheduled >= by_date_until) break;
    }
    ++examined;
    last.assign(it->key().data(), it->key().size());
    auto bytes = store->Get(ListRowKey(caller.tenant, it->value()));
    if (!bytes.ok()) return bytes.status();
    v1::JobListRow row;
    if (!bytes->has_value() || !row.ParseFromString(**bytes)) {
      return absl::DataLossError("a job list entry points at a missing or corrupt row");
    }
    if (!filter->Matches(row) || !seen.insert(row.summary().job_id()).second) continue;
    *response.add_jobs() = row.summary();
  }
  if (absl::Status s = it->status(); !s.ok()) return s;

  const std::string scope = caller.sees_everything() ? std::string() : caller.user_id;
  const std::string count_prefix = StatusCountPrefix(caller.tenant, scope);
  int64_t total = 0;
  absl::Status counted =
      ScanPrefix(*store, count_prefix, [&](absl::string_view suffix, absl::string_view value) {
        projection::KeyReader reader(suffix);
        auto status = reader.Int64();
        if (!status.ok() || value.size() != 8) return;
        int64_t count = 0;
        for (char c : value) count = (count << 8) | static_cast<uint8_t>(c);
        v1::StatusCount& entry = *response.add_status_counts();
        entry.set_status(static_cast<v1::JobStatus>(*status));
        entry.set_count(count);
        total += count;
      });
  if (!counted.ok()) return counted;
  response.set_total_jobs(total);
  return response;
}

absl::StatusOr<v1::GetJobHistoryResponse> JobQueries::GetHistory(
    const server::Caller& caller, const v1::GetJobHistoryRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), 100, 1000);
  if (!page_size.ok()) return page_size.status();
  auto job = options_.commands->ReadVisibleJob(caller, request.job_id());
  if (!job.ok()) return job.status();
  int64_t first = 1;
  if (!request.page_token().empty()) {
    if (!absl::SimpleAtoi(request.page_token(), &first) || first < 1) {
      return absl::InvalidArgumentError("page_token: not from this query");
    }
  }
  // Wait until the projection knows every event the job has (its history index is there).
  const auto store = options_.projection->store();
  std::vector<common::v1::LogPosition> positions;
  if (absl::Status s =
          ScanPrefix(*store, HistoryPrefix(caller.tenant, request.job_id()),
                     [&](absl::string_view, absl::string_view value) {
                       v1::HistoryRow row;
                       if (row.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                         positions.push_back(row.position());
                       }
                     });
      !s.ok()) {
    return s;
  }
  // Replay from the first event: summaries need the state before each one, and the chain is
  // checked from its start.
  v1::GetJobHistoryResponse response;
  response.set_chain_verified(true);
  v1::Job state;
  std::string previous_hash;
  const int64_t last = std::min<int64_t>(first - 1 + *page_size, positions.size());
  for (int64_t sequence = 1; sequence <= last; ++sequence) {
    const common::v1::LogPosition& position = positions[sequence - 1];
    auto records = options_.log->Read(position.topic(), position.partition(), position.offset(), 1);
    if (!records.ok()) return records.status();
    if (records->empty()) return absl::DataLossError("a history entry points past the log");
    auto event = eventlog::DecodeEvent(records->front());
    if (!event.ok()) {
      response.set_chain_verified(false);
      return absl::DataLossError(
          absl::StrCat("event ", sequence, " of the job: ", event.status().message()));
    }
    const events::v1::Envelope& envelope = event->envelope();
    if (envelope.sequence() != sequence || envelope.previous_hash() != previous_hash ||
        envelope.aggregate_id() != request.job_id() || envelope.tenant() != caller.tenant) {
      response.set_chain_verified(false);
    }
    previous_hash = envelope.hash();
    auto decoded = DecodeEventAs<JobEvent>(envelope.type(), event->payload());
    if (!decoded.ok()) return decoded.status();
    const v1::Job before = state;
    if (absl::Status s = EvolveJob(state, envelope, *decoded); !s.ok()) return s;
    if (sequence < first) continue;
    v1::HistoryEntry& entry = *response.add_entries();
    *entry.mutable_envelope() = envelope;
    entry.set_payload(event->payload());
    *entry.mutable_position() = position;
    HistoryDescription description = DescribeJobEvent(before, state, *decoded);
    entry.set_summary(std::move(description.summary));
    for (v1::FieldChange& change : description.changes) *entry.add_changes() = std::move(change);
  }
  if (last < static_cast<int64_t>(positions.size())) {
    response.set_next_page_token(absl::StrCat(last + 1));
  }
  return response;
}

}  // namespace jobledger::job
