// Keys and tables of the job service's read model.
#include "projections/job_tables.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/projection/key_codec.h"

namespace jobledger::job {
namespace {

using projection::KeyBuilder;
using projection::Table;

KeyBuilder Tenant(absl::string_view kind, absl::string_view tenant) {
  KeyBuilder key;
  key.String(kind).String(tenant);
  return key;
}

std::string Lower(absl::string_view text) { return absl::AsciiStrToLower(text); }

}  // namespace

std::string PrimaryKey(absl::string_view tenant, absl::string_view id) {
  return KeyBuilder().String(tenant).String(id).key();
}

const Table<v1::JobRow>& JobTable() {
  static const auto* table = new Table<v1::JobRow>(
      "jobs", [](const v1::JobRow& row) { return PrimaryKey(row.tenant(), row.job().job_id()); });
  return *table;
}

const Table<v1::CustomerRow>& CustomerTable() {
  using Index = Table<v1::CustomerRow>::Index;
  static const auto* table = new Table<v1::CustomerRow>(
      "customers",
      [](const v1::CustomerRow& row) {
        return PrimaryKey(row.tenant(), row.customer().customer_id());
      },
      {Index{"name",
             [](const v1::CustomerRow& row) {
               return std::vector<std::string>{
                   KeyBuilder().String(row.tenant()).String(Lower(row.customer().name())).key()};
             }},
       Index{"tag", [](const v1::CustomerRow& row) {
               std::vector<std::string> keys;
               for (const std::string& tag : row.customer().tags()) {
                 keys.push_back(KeyBuilder()
                                    .String(row.tenant())
                                    .String(Lower(tag))
                                    .String(Lower(row.customer().name()))
                                    .key());
               }
               return keys;
             }}});
  return *table;
}

const Table<v1::RequestRow>& RequestTable() {
  using Index = Table<v1::RequestRow>::Index;
  static const auto* table = new Table<v1::RequestRow>(
      "requests",
      [](const v1::RequestRow& row) {
        return PrimaryKey(row.tenant(), row.request().request_id());
      },
      {Index{"status", [](const v1::RequestRow& row) {
               absl::Time received = absl::FromUnixSeconds(row.request().received_at().seconds());
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .Int64(row.request().status())
                                                   .TimeDescending(received)
                                                   .key()};
             }}});
  return *table;
}

std::string JobNumberKey(absl::string_view tenant) { return Tenant("num", tenant).key(); }

std::string SubjobKey(absl::string_view tenant, absl::string_view parent_id,
                      absl::string_view child_id) {
  return Tenant("sub", tenant).String(parent_id).String(child_id).key();
}
std::string SubjobPrefix(absl::string_view tenant, absl::string_view parent_id) {
  return Tenant("sub", tenant).String(parent_id).key();
}
std::string RecallKey(absl::string_view tenant, absl::string_view original_id,
                      absl::string_view recall_id) {
  return Tenant("recall", tenant).String(original_id).String(recall_id).key();
}
std::string RecallPrefix(absl::string_view tenant, absl::string_view original_id) {
  return Tenant("recall", tenant).String(original_id).key();
}
std::string CustomerJobKey(absl::string_view tenant, absl::string_view customer_id,
                           absl::string_view job_id) {
  return Tenant("cjob", tenant).String(customer_id).String(job_id).key();
}
std::string CustomerJobPrefix(absl::string_view tenant, absl::string_view customer_id) {
  return Tenant("cjob", tenant).String(customer_id).key();
}
std::string CrewJobKey(absl::string_view tenant, absl::string_view crew_id,
                       absl::string_view job_id) {
  return Tenant("crewjob", tenant).String(crew_id).String(job_id).key();
}
std::string CrewJobPrefix(absl::string_view tenant, absl::string_view crew_id) {
  return Tenant("crewjob", tenant).String(crew_id).key();
}
std::string ScheduleKey(absl::string_view tenant, absl::string_view job_id) {
  return Tenant("sched", tenant).String(job_id).key();
}
std::string CrewKey(absl::string_view tenant, absl::string_view crew_id) {
  return Tenant("crew", tenant).String(crew_id).key();
}
std::string HistoryKey(absl::string_view tenant, absl::string_view job_id, int64_t sequence) {
  return Tenant("hist", tenant).String(job_id).Int64(sequence).key();
}
std::string HistoryPrefix(absl::string_view tenant, absl::string_view job_id) {
  return Tenant("hist", tenant).String(job_id).key();
}
std::string StatusCountKey(absl::string_view tenant, absl::string_view technician, int32_t status) {
  return Tenant("count", tenant).String(technician).Int64(status).key();
}
std::string StatusCountPrefix(absl::string_view tenant, absl::string_view technician) {
  return Tenant("count", tenant).String(technician).key();
}
std::string TextSearchPrefix(absl::string_view tenant, absl::string_view word, ListSort sort) {
  std::string prefix = ListIndexPrefix(tenant, {"text", std::string(word)}, sort);
  prefix.resize(prefix.size() - 2);  // no terminator: every token that starts with `word`
  return prefix;
}

std::string ListRowKey(absl::string_view tenant, absl::string_view job_id) {
  return Tenant("listrow", tenant).String(job_id).key();
}

std::string ListIndexPrefix(absl::string_view tenant, const ListDimension& dimension,
                            ListSort sort) {
  return Tenant("list", tenant)
      .String(dimension.name)
      .Int64(static_cast<int64_t>(sort))
      .String(dimension.value)
      .key();
}

std::vector<ListDimension> ListDimensionsOf(const v1::JobListRow& row) {
  const v1::JobSummary& summary = row.summary();
  std::vector<ListDimension> dimensions = {
      {"all", ""},
      {"status", absl::StrCat(static_cast<int>(summary.status()))},
      {"customer", summary.customer_id()},
  };
  for (const std::string& tag : row.customer_tags()) dimensions.push_back({"tag", Lower(tag)});
  std::set<std::string> technicians(summary.technician_ids().begin(),
                                    summary.technician_ids().end());
  for (const std::string& technician : technicians) dimensions.push_back({"tech", technician});
  if (summary.technician_ids().empty() && row.crew_ids().empty()) {
    dimensions.push_back({"unassigned", ""});
  }
  if (!row.created_by().empty()) dimensions.push_back({"creator", row.created_by()});
  for (const std::string& technician : row.visible_to()) {
    dimensions.push_back({"visible", technician});
  }
  if (!summary.project_id().empty()) dimensions.push_back({"project", summary.project_id()});
  if (!row.parent_job_id().empty()) dimensions.push_back({"parent", row.parent_job_id()});
  for (const std::string& token : row.search_tokens()) dimensions.push_back({"text", token});
  return dimensions;
}

std::vector<std::string> ListIndexKeys(absl::string_view tenant, const v1::JobSummary& summary,
                                       const std::vector<ListDimension>& dimensions) {
  // Unscheduled jobs sort after every scheduled one.
  const int64_t scheduled =
      summary.has_scheduled_start()
          ? google::protobuf::util::TimeUtil::TimestampToMicroseconds(summary.scheduled_start())
          : INT64_MAX;
  std::vector<std::string> keys;
  for (const ListDimension& dimension : dimensions) {
    keys.push_back(KeyBuilder()
                       .Raw(ListIndexPrefix(tenant, dimension, ListSort::kNumberDescending))
                       .Int64Descending(summary.number())
                       .String(summary.job_id())
                       .key());
    // Words are many per job: they are searched newest first only (see ListJobs).
    if (dimension.name == "text") continue;
    keys.push_back(KeyBuilder()
                       .Raw(ListIndexPrefix(tenant, dimension, ListSort::kScheduledAscending))
                       .Int64(scheduled)
                       .Int64Descending(summary.number())
                       .String(summary.job_id())
                       .key());
  }
  return keys;
}

std::vector<std::string> ListIndexKeys(absl::string_view tenant, const v1::JobListRow& row) {
  return ListIndexKeys(tenant, row.summary(), ListDimensionsOf(row));
}

std::string NormalizeSearchWord(absl::string_view word) {
  std::string lower = Lower(word);
  lower.erase(std::remove_if(lower.begin(), lower.end(),
                             [](char c) { return c == ',' || c == '.' || c == '"' || c == '\''; }),
              lower.end());
  return lower;
}

std::vector<std::string> SearchTokens(const v1::JobListRow& row) {
  std::set<std::string> tokens = {absl::StrCat("job-", row.summary().number()),
                                  absl::StrCat(row.summary().number())};
  for (const std::string* text : {&row.summary().title(), &row.summary().customer_name()}) {
    for (absl::string_view word :
         absl::StrSplit(*text, absl::ByAnyChar(" \t\n/()"), absl::SkipEmpty())) {
      std::string token = NormalizeSearchWord(word);
      if (!token.empty()) tokens.insert(token.substr(0, 32));
    }
  }
  return {tokens.begin(), tokens.end()};
}

}  // namespace jobledger::job
