// Reports from the read model's copies.
#include "report_queries.h"

#include <map>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/project_report.h"
#include "domain/revenue.h"
#include "domain/time_materials.h"
#include "domain/utilization.h"
#include "jobledger/common/csv.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/server/read_your_writes.h"
#include "projections/reporting_tables.h"

namespace jobledger::reporting {
namespace {

using server::Caller;

constexpr int kMaxReportJobs = 1000;
constexpr int kMaxUtilizationDays = 62;
constexpr size_t kChunkBytes = 64 * 1024;

// Every row of `table`'s index under `prefix`.
template <typename Row>
absl::StatusOr<std::vector<Row>> AllRows(const projection::StateReader& state,
                                         const projection::Table<Row>& table,
                                         absl::string_view index, absl::string_view prefix) {
  std::vector<Row> rows;
  std::string cursor;
  do {
    auto page = table.ScanIndex(state, index, prefix, {.cursor = cursor, .limit = 500});
    if (!page.ok()) return page.status();
    for (Row& row : page->rows) rows.push_back(std::move(row));
    cursor = std::move(page->next_cursor);
  } while (!cursor.empty());
  return rows;
}

absl::StatusOr<billing::v1::BillingSettings> SettingsOf(const projection::StateReader& state,
                                                        const std::string& tenant) {
  auto row = SettingsCopyTable().Get(state, PrimaryKey(tenant, tenant));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return billing::v1::BillingSettings();
  return (*row)->settings();
}

// Every version of the tenant's billing settings, oldest first, with when it was set.
absl::StatusOr<std::vector<std::pair<absl::Time, billing::v1::BillingSettings>>> SettingsHistory(
    const projection::StateReader& state, const std::string& tenant) {
  std::vector<std::pair<absl::Time, billing::v1::BillingSettings>> history;
  const std::string prefix = SettingsHistoryPrefix(tenant);
  auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    projection::KeyReader key(it->key().substr(prefix.size()));
    auto at = key.Time();
    if (!at.ok()) return absl::DataLossError("a settings history key does not decode");
    billing::v1::BillingSettings settings;
    if (!settings.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a settings history entry does not parse");
    }
    history.emplace_back(*at, std::move(settings));
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  return history;
}

// The settings in effect at `at`: the last version set at or before it (none: empty settings).
billing::v1::BillingSettings SettingsAt(
    const std::vector<std::pair<absl::Time, billing::v1::BillingSettings>>& history,
    absl::Time at) {
  billing::v1::BillingSettings in_effect;
  for (const auto& [set_at, settings] : history) {
    if (set_at > at) break;
    in_effect = settings;
  }
  return in_effect;
}

std::optional<common::v1::LocalDate> Given(const common::v1::LocalDate& date) {
  if (date.year() == 0) return std::nullopt;
  return date;
}

// "2026-11-24", or empty for an unset date.
std::string DateText(const common::v1::LocalDate& date) {
  auto day = LocalDateFromProto(date);
  return day.ok() ? FormatLocalDate(*day) : "";
}

std::string AmountText(const common::v1::Money& money) {
  auto parsed = Money::FromProto(money);
  return parsed.ok() && !money.currency().empty() ? parsed->FormatAmount() : "";
}

std::string QuantityText(int64_t milli) {
  return absl::StrFormat("%d.%03d", milli / 1000, std::abs(milli % 1000));
}

}  // namespace

absl::StatusOr<v1::TimeAndMaterialsReport> ReportQueries::TimeAndMaterials(
    const Caller& caller, const v1::TimeAndMaterialsRequest& request) const {
  if (request.job_ids().empty() == request.project_id().empty()) {
    return Invalid("job_ids", "name the jobs, or a project_id, not both");
  }
  if (request.job_ids_size() > kMaxReportJobs) return Invalid("job_ids", "at most 1000 jobs");
  for (const auto* date : {&request.from(), &request.to()}) {
    if (date->year() == 0) continue;
    if (absl::Status s = ValidateDate(date == &request.from() ? "from" : "to", *date, true);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s =
          server::WaitForMinPosition(*options_.projection, caller, request.min_position(),
                                     absl::Now(), options_.max_wait, "the reports");
      !s.ok()) {
    return s;
  }
  // Held for the whole query: a rebuild may swap the serving store meanwhile.
  const auto store = options_.projection->store();
  const projection::StateReader& state = *store;
  std::vector<v1::JobViewRow> rows;
  if (!request.project_id().empty()) {
    auto found = AllRows(state, JobViewTable(), "project",
                         TenantValuePrefix(caller.tenant, request.project_id()));
    if (!found.ok()) return found.status();
    rows = *std::move(found);
    if (rows.size() > static_cast<size_t>(kMaxReportJobs)) {
      return absl::FailedPreconditionError("the project has more than 1000 jobs");
    }
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < request.job_ids_size(); ++i) {
      const std::string& id = request.job_ids(i);
      if (!seen.insert(id).second) continue;
      auto row = JobViewTable().Get(state, PrimaryKey(caller.tenant, id));
      if (!row.ok()) return row.status();
      if (!row->has_value()) {
        return absl::NotFoundError(absl::StrCat(Indexed("job_ids", i), ": job ", id, " not found"));
      }
      rows.push_back(**row);
    }
  }
  std::vector<const job::v1::Job*> jobs;
  for (const v1::JobViewRow& row : rows) jobs.push_back(&row.job());
  auto settings = SettingsOf(state, caller.tenant);
  if (!settings.ok()) return settings.status();
  return reporting::TimeAndMaterials(jobs, *settings, Given(request.from()), Given(request.to()));
}

absl::StatusOr<v1::ProjectReport> ReportQueries::Project(
    const Caller& caller, const v1::ProjectReportRequest& request) const {
  if (request.project_id().empty()) return Invalid("project_id", "required");
  if (absl::Status s =
          server::WaitForMinPosition(*options_.projection, caller, request.min_position(),
                                     absl::Now(), options_.max_wait, "the reports");
      !s.ok()) {
    return s;
  }
  // Held for the whole query: a rebuild may swap the serving store meanwhile.
  const auto store = options_.projection->store();
  const projection::StateReader& state = *store;
  auto rows = AllRows(state, JobViewTable(), "project",
                      TenantValuePrefix(caller.tenant, request.project_id()));
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::NotFoundError(absl::StrCat("project ", request.project_id(), " has no jobs"));
  }
  std::vector<const job::v1::Job*> jobs;
  std::vector<v1::InvoiceCopyRow> invoice_rows;
  for (const v1::JobViewRow& row : *rows) {
    jobs.push_back(&row.job());
    auto invoices = AllRows(state, InvoiceCopyTable(), "job",
                            TenantValuePrefix(caller.tenant, row.job().job_id()));
    if (!invoices.ok()) return invoices.status();
    for (v1::InvoiceCopyRow& invoice : *invoices) invoice_rows.push_back(std::move(invoice));
  }
  std::vector<const billing::v1::Invoice*> invoices;
  for (const v1::InvoiceCopyRow& row : invoice_rows) invoices.push_back(&row.invoice());
  auto settings = SettingsOf(state, caller.tenant);
  if (!settings.ok()) return settings.status();
  return ProjectReportOf(request.project_id(), jobs, invoices, *settings);
}

absl::StatusOr<v1::RevenueReport> ReportQueries::Revenue(const Caller& caller,
                                                         const v1::RevenueRequest& request) const {
  const std::string prefix = RevenuePrefix(caller.tenant);
  const std::string lower =
      request.from().year() != 0 ? RevenueDateKey(caller.tenant, request.from()) : prefix;
  std::string upper = projection::PrefixEnd(prefix);
  if (request.to().year() != 0)
    upper = projection::PrefixEnd(RevenueDateKey(caller.tenant, request.to()));
  const auto store = options_.projection->store();
  auto history = SettingsHistory(*store, caller.tenant);
  if (!history.ok()) return history.status();
  std::vector<RevenueEntry> entries;
  auto it = store->NewIterator(lower, upper);
  for (it->Seek(lower); it->Valid(); it->Next()) {
    v1::RevenueEntryRow row;
    if (!row.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a revenue entry does not parse");
    }
    if (row.has_completed_job()) {
      // The settings in effect at completion: the same answer however the topics were read.
      auto entry = CompletedWorkEntry(
          row.completed_job(), SettingsAt(*history, TimeFromProto(row.completed_at())), row.date());
      if (!entry.ok()) continue;  // no value in the report's currency
      entries.push_back(row.reversal() ? ReversalOf(*entry, row.date()) : *std::move(entry));
      continue;
    }
    entries.push_back(RevenueEntry{.kind = static_cast<RevenueEntry::Kind>(row.kind()),
                                   .date = row.date(),
                                   .minor_units = row.amount().minor_units(),
                                   .currency = row.amount().currency(),
                                   .counts = row.counts()});
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  return RevenueOf(entries, Given(request.from()), Given(request.to()));
}

absl::StatusOr<v1::UtilizationResponse> ReportQueries::Utilization(
    const Caller& caller, const v1::UtilizationRequest& request) const {
  if (absl::Status s = ValidateDate("from", request.from(), true); !s.ok()) return s;
  if (absl::Status s = ValidateDate("to", request.to(), true); !s.ok()) return s;
  const absl::CivilDay from(request.from().year(), request.from().month(), request.from().day());
  const absl::CivilDay to(request.to().year(), request.to().month(), request.to().day());
  if (to < from) return Invalid("to", "before from");
  if (to - from >= kMaxUtilizationDays) return Invalid("to", "at most 62 days from from");
  // Held for the whole query: a rebuild may swap the serving store meanwhile.
  const auto store = options_.projection->store();
  const projection::StateReader& state = *store;
  // The jobs with a visit or with work logged in the period: their appointments, and the work
  // logged on them.
  std::map<std::string, v1::JobViewRow> jobs;
  for (absl::CivilDay day = from; day <= to; ++day) {
    common::v1::LocalDate date;
    LocalDateToProto(day, &date);
    auto worked_on =
        AllRows(state, JobViewTable(), "work_day",
                projection::KeyBuilder().String(caller.tenant).Int64(DateKey(date)).key());
    if (!worked_on.ok()) return worked_on.status();
    for (v1::JobViewRow& row : *worked_on) {
      const std::string id = row.job().job_id();
      jobs.try_emplace(id, std::move(row));
    }
    auto visits =
        AllRows(state, BoardTable(), "day",
                projection::KeyBuilder().String(caller.tenant).Int64(DateKey(date)).key());
    if (!visits.ok()) return visits.status();
    for (const v1::BoardRow& visit : *visits) {
      const std::string& id = visit.row().job_id();
      if (jobs.contains(id)) continue;
      auto row = JobViewTable().Get(state, PrimaryKey(caller.tenant, id));
      if (!row.ok()) return row.status();
      if (!row->has_value()) return absl::DataLossError(absl::StrCat("job ", id, " has no row"));
      jobs.emplace(id, **std::move(row));
    }
  }
  std::vector<v1::ScheduleCopyRow> schedules;
  std::vector<const job::v1::Job*> worked;
  for (const auto& [id, row] : jobs) {
    worked.push_back(&row.job());
    auto schedule = ScheduleCopyTable().Get(state, PrimaryKey(caller.tenant, id));
    if (!schedule.ok()) return schedule.status();
    if (schedule->has_value()) schedules.push_back(**schedule);
  }
  std::vector<const scheduling::v1::Appointment*> appointments;
  for (const v1::ScheduleCopyRow& row : schedules) {
    for (const scheduling::v1::Appointment& visit : row.schedule().appointments()) {
      appointments.push_back(&visit);
    }
  }
  std::vector<v1::TechnicianCopyRow> technicians;
  if (request.technician_ids().empty()) {
    auto all = TechnicianCopyTable().Scan(state, TenantPrefix(caller.tenant),
                                          {.cursor = "", .limit = 10'000});
    if (!all.ok()) return all.status();
    for (v1::TechnicianCopyRow& row : all->rows) {
      if (row.technician().active()) technicians.push_back(std::move(row));
    }
  } else {
    for (int i = 0; i < request.technician_ids_size(); ++i) {
      auto row =
          TechnicianCopyTable().Get(state, PrimaryKey(caller.tenant, request.technician_ids(i)));
      if (!row.ok()) return row.status();
      if (!row->has_value()) {
        return absl::NotFoundError(absl::StrCat(Indexed("technician_ids", i), ": technician ",
                                                request.technician_ids(i), " not found"));
      }
      technicians.push_back(**row);
    }
  }
  v1::UtilizationResponse response;
  for (const v1::TechnicianCopyRow& technician : technicians) {
    for (v1::UtilizationDay& day : reporting::Utilization(technician.technician(), appointments,
                                                          worked, from, to, options_.zone)) {
      *response.add_days() = std::move(day);
    }
  }
  return response;
}

absl::Status ReportQueries::ExportTimeAndMaterialsCsv(
    const Caller& caller, const v1::TimeAndMaterialsRequest& request,
    const std::function<bool(std::string&)>& write) const {
  auto report = TimeAndMaterials(caller, request);
  if (!report.ok()) return report.status();
  std::string out;
  AppendCsvRow(out, {"section", "job_number", "who_or_item", "type_or_kind", "date", "minutes",
                     "quantity", "rate_or_unit_price", "amount", "currency"});
  auto flush = [&]() {
    if (out.size() < kChunkBytes) return true;
    return write(out);
  };
  for (const v1::LaborLine& line : report->labor()) {
    AppendCsvRow(out, {"labor", "", line.employee_id(), line.work_type(), "",
                       absl::StrCat(line.minutes()), "", AmountText(line.hourly_rate()),
                       AmountText(line.amount()), line.amount().currency()});
    if (!flush()) return absl::CancelledError("the client went away");
  }
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<v1::ItemLine>*> items[] = {
      {"material", &report->materials()},
      {"service", &report->services()},
      {"asset", &report->assets()}};
  for (const auto& [section, lines] : items) {
    for (const v1::ItemLine& line : *lines) {
      AppendCsvRow(out, {section, absl::StrCat("JOB-", line.job_number()), line.name(),
                         line.billable() ? "billable" : "not billable", "", "",
                         QuantityText(line.quantity_milli()), AmountText(line.unit_price()),
                         AmountText(line.total()), line.total().currency()});
      if (!flush()) return absl::CancelledError("the client went away");
    }
  }
  for (const v1::ExpenseLine& line : report->expenses()) {
    AppendCsvRow(out, {"expense", absl::StrCat("JOB-", line.job_number()), line.description(),
                       line.employee_id(), DateText(line.date()), "", "", "",
                       AmountText(line.amount()), line.amount().currency()});
    if (!flush()) return absl::CancelledError("the client went away");
  }
  AppendCsvRow(out, {"total", "", "", "", "", "", "", "", AmountText(report->total()),
                     report->total().currency()});
  if (!write(out)) return absl::CancelledError("the client went away");
  return absl::OkStatus();
}

}  // namespace jobledger::reporting
