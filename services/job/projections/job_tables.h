// The job service's read model: the tables its projection writes and its queries and command
// path read. All keys start with the tenant, so no scan ever crosses tenants.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/job/v1/rows.pb.h"
#include "jobledger/projection/counter.h"
#include "jobledger/projection/state.h"
#include "jobledger/projection/table.h"

namespace jobledger::job {

// Aggregates, with the head of their chains. Their primary key is PrimaryKey(tenant, id).
const projection::Table<v1::JobRow>& JobTable();
// Indexes "name" (tenant, lower-case name) and "tag" (tenant, tag, lower-case name).
const projection::Table<v1::CustomerRow>& CustomerTable();
// Index "status" (tenant, status, newest first).
const projection::Table<v1::RequestRow>& RequestTable();
std::string PrimaryKey(absl::string_view tenant, absl::string_view id);

// The highest job number given in a tenant (0 for none).
std::string JobNumberKey(absl::string_view tenant);

// Links, each a key with an empty value: scan the prefix to list them.
std::string SubjobKey(absl::string_view tenant, absl::string_view parent_id,
                      absl::string_view child_id);
std::string SubjobPrefix(absl::string_view tenant, absl::string_view parent_id);
std::string RecallKey(absl::string_view tenant, absl::string_view original_id,
                      absl::string_view recall_id);
std::string RecallPrefix(absl::string_view tenant, absl::string_view original_id);
std::string CustomerJobKey(absl::string_view tenant, absl::string_view customer_id,
                           absl::string_view job_id);
std::string CustomerJobPrefix(absl::string_view tenant, absl::string_view customer_id);
std::string CrewJobKey(absl::string_view tenant, absl::string_view crew_id,
                       absl::string_view job_id);
std::string CrewJobPrefix(absl::string_view tenant, absl::string_view crew_id);

// Scheduling's facts about a job's visits, and crews' members.
std::string ScheduleKey(absl::string_view tenant, absl::string_view job_id);
std::string CrewKey(absl::string_view tenant, absl::string_view crew_id);

// A job's events by sequence: value HistoryRow (the event's log position).
std::string HistoryKey(absl::string_view tenant, absl::string_view job_id, int64_t sequence);
std::string HistoryPrefix(absl::string_view tenant, absl::string_view job_id);

// Counts of jobs by status: for everyone (`technician` empty) or visible to one technician.
std::string StatusCountKey(absl::string_view tenant, absl::string_view technician, int32_t status);
std::string StatusCountPrefix(absl::string_view tenant, absl::string_view technician);

// The job list: its current row per job, and the index entries (value: the job id) by which
// lists are read. An entry is (tenant, dimension, sort order, value, sort key, job id).
std::string ListRowKey(absl::string_view tenant, absl::string_view job_id);
enum class ListSort { kNumberDescending, kScheduledAscending };
struct ListDimension {
  std::string name;   // "all", "status", "customer", "tag", "tech", "unassigned", "creator",
                      // "visible", "project", "parent", "text"
  std::string value;  // e.g. the status number, customer id, technician id, search token
  bool operator==(const ListDimension&) const = default;
};
// The prefix of one dimension's entries in one sort order.
std::string ListIndexPrefix(absl::string_view tenant, const ListDimension& dimension,
                            ListSort sort);
// The prefix of the "text" entries of every token that starts with `word` (normalized, no NUL).
std::string TextSearchPrefix(absl::string_view tenant, absl::string_view word, ListSort sort);
// The dimensions a row is listed under, and its index keys: of all its dimensions, or of some.
std::vector<ListDimension> ListDimensionsOf(const v1::JobListRow& row);
std::vector<std::string> ListIndexKeys(absl::string_view tenant, const v1::JobListRow& row);
std::vector<std::string> ListIndexKeys(absl::string_view tenant, const v1::JobSummary& summary,
                                       const std::vector<ListDimension>& dimensions);

using projection::ReadCounter;
using projection::WriteCounter;

// Words for text search: lower-cased words of the title and the customer's name, and the job's
// number both as "job-12" and "12".
std::vector<std::string> SearchTokens(const v1::JobListRow& row);
std::string NormalizeSearchWord(absl::string_view word);

}  // namespace jobledger::job
