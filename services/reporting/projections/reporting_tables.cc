// Keys and tables of the reporting read model.
#include "projections/reporting_tables.h"

#include <set>

#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::reporting {
namespace {

using projection::KeyBuilder;
using projection::Table;
using Keys = std::vector<std::string>;

template <typename Row, typename IdOf>
const Table<Row>* CopyTable(const char* name, IdOf id_of) {
  return new Table<Row>(name,
                        [id_of](const Row& row) { return PrimaryKey(row.tenant(), id_of(row)); });
}

bool Owes(const common::v1::Money& balance) { return balance.minor_units() > 0; }

}  // namespace

std::string PrimaryKey(absl::string_view tenant, absl::string_view id) {
  return KeyBuilder().String(tenant).String(id).key();
}

std::string TenantPrefix(absl::string_view tenant) { return KeyBuilder().String(tenant).key(); }

std::string TenantValuePrefix(absl::string_view tenant, absl::string_view value) {
  return KeyBuilder().String(tenant).String(value).key();
}

int64_t DateKey(const common::v1::LocalDate& date) {
  return int64_t{date.year()} * 10'000 + date.month() * 100 + date.day();
}

const google::protobuf::Timestamp& PlannedStart(const v1::JobViewRow& row) {
  return row.has_planned_start() ? row.planned_start() : row.job().scheduled_start();
}

const google::protobuf::Timestamp& PlannedEnd(const v1::JobViewRow& row) {
  return row.has_planned_end() ? row.planned_end() : row.job().scheduled_end();
}

bool MayBeOverdue(job::v1::JobStatus status) {
  return status != job::v1::JOB_STATUS_COMPLETED && status != job::v1::JOB_STATUS_CANCELLED &&
         status != job::v1::JOB_STATUS_DEFERRED && status != job::v1::JOB_STATUS_DRAFT &&
         status != job::v1::JOB_STATUS_UNSPECIFIED;
}

const Table<v1::JobViewRow>& JobViewTable() {
  using Index = Table<v1::JobViewRow>::Index;
  static const auto* table = new Table<v1::JobViewRow>(
      "jobs",
      [](const v1::JobViewRow& row) { return PrimaryKey(row.tenant(), row.job().job_id()); },
      {Index{"project",
             [](const v1::JobViewRow& row) {
               if (row.job().project_id().empty()) return Keys{};
               return Keys{KeyBuilder()
                               .String(row.tenant())
                               .String(row.job().project_id())
                               .Int64(row.job().number())
                               .key()};
             }},
       // The days work is logged for (utilization counts work on jobs without a visit that day).
       Index{"work_day", [](const v1::JobViewRow& row) {
               std::set<int64_t> days;
               for (const job::v1::WorkEntry& entry : row.job().work_log()) {
                 days.insert(DateKey(entry.date()));
               }
               Keys keys;
               for (int64_t day : days) {
                 keys.push_back(KeyBuilder().String(row.tenant()).Int64(day).key());
               }
               return keys;
             }}});
  return *table;
}

v1::BoardRow BoardRowOf(const v1::JobViewRow& view) {
  const job::v1::Job& job = view.job();
  v1::BoardRow board;
  v1::JobRow& row = *board.mutable_row();
  row.set_job_id(job.job_id());
  row.set_number(job.number());
  row.set_title(job.title());
  row.set_customer_id(job.customer_id());
  row.set_status(job.status());
  row.set_status_reason(job.status_reason());
  row.set_priority(job.priority());
  *row.mutable_scheduled_start() = PlannedStart(view);
  *row.mutable_scheduled_end() = PlannedEnd(view);
  *row.mutable_technician_ids() = view.technician_ids();
  *row.mutable_crew_ids() = view.crew_ids();
  row.set_project_id(job.project_id());
  *row.mutable_balance() = view.balance();
  board.set_tenant(view.tenant());
  *board.mutable_visit_days() = view.visit_days();
  board.set_has_live_invoice(view.has_live_invoice());
  board.set_has_unassigned_visit(view.has_unassigned_visit());
  return board;
}

const Table<v1::BoardRow>& BoardTable() {
  using Index = Table<v1::BoardRow>::Index;
  static const auto* table = new Table<v1::BoardRow>(
      "board",
      [](const v1::BoardRow& board) { return PrimaryKey(board.tenant(), board.row().job_id()); },
      {Index{"status",
             [](const v1::BoardRow& board) {
               return Keys{KeyBuilder()
                               .String(board.tenant())
                               .Int64(board.row().status())
                               .Int64Descending(board.row().number())
                               .key()};
             }},
       Index{"day",
             [](const v1::BoardRow& board) {
               Keys keys;
               for (const common::v1::LocalDate& day : board.visit_days()) {
                 keys.push_back(KeyBuilder()
                                    .String(board.tenant())
                                    .Int64(DateKey(day))
                                    .Int64(board.row().number())
                                    .key());
               }
               return keys;
             }},
       Index{"open_end",
             [](const v1::BoardRow& board) {
               const google::protobuf::Timestamp& end = board.row().scheduled_end();
               if (!MayBeOverdue(board.row().status()) ||
                   (end.seconds() == 0 && end.nanos() == 0)) {
                 return Keys{};
               }
               return Keys{KeyBuilder().String(board.tenant()).Time(TimeFromProto(end)).key()};
             }},
       Index{"awaiting_billing",
             [](const v1::BoardRow& board) {
               if (board.row().status() != job::v1::JOB_STATUS_COMPLETED ||
                   board.has_live_invoice()) {
                 return Keys{};
               }
               return Keys{
                   KeyBuilder().String(board.tenant()).Int64Descending(board.row().number()).key()};
             }},
       Index{"awaiting_payment",
             [](const v1::BoardRow& board) {
               if (!Owes(board.row().balance())) return Keys{};
               return Keys{
                   KeyBuilder().String(board.tenant()).Int64Descending(board.row().number()).key()};
             }}},
      Table<v1::BoardRow>::IndexEntries::kRowCopy);
  return *table;
}

const Table<v1::CustomerCopyRow>& CustomerCopyTable() {
  static const auto* table = CopyTable<v1::CustomerCopyRow>(
      "customers", [](const v1::CustomerCopyRow& row) { return row.customer().customer_id(); });
  return *table;
}

const Table<v1::ScheduleCopyRow>& ScheduleCopyTable() {
  static const auto* table = CopyTable<v1::ScheduleCopyRow>(
      "schedules", [](const v1::ScheduleCopyRow& row) { return row.schedule().job_id(); });
  return *table;
}

const Table<v1::TechnicianCopyRow>& TechnicianCopyTable() {
  static const auto* table = CopyTable<v1::TechnicianCopyRow>(
      "technicians",
      [](const v1::TechnicianCopyRow& row) { return row.technician().technician_id(); });
  return *table;
}

const Table<v1::InvoiceCopyRow>& InvoiceCopyTable() {
  using Index = Table<v1::InvoiceCopyRow>::Index;
  static const auto* table =
      new Table<v1::InvoiceCopyRow>("invoices",
                                    [](const v1::InvoiceCopyRow& row) {
                                      return PrimaryKey(row.tenant(), row.invoice().invoice_id());
                                    },
                                    {Index{"job", [](const v1::InvoiceCopyRow& row) {
                                             if (row.invoice().job_id().empty()) return Keys{};
                                             return Keys{KeyBuilder()
                                                             .String(row.tenant())
                                                             .String(row.invoice().job_id())
                                                             .Int64(row.invoice().number())
                                                             .key()};
                                           }}});
  return *table;
}

const Table<v1::SettingsCopyRow>& SettingsCopyTable() {
  static const auto* table = new Table<v1::SettingsCopyRow>(
      "settings",
      [](const v1::SettingsCopyRow& row) { return PrimaryKey(row.tenant(), row.tenant()); });
  return *table;
}

const Table<v1::MessageCopyRow>& MessageCopyTable() {
  using Index = Table<v1::MessageCopyRow>::Index;
  static const auto* table =
      new Table<v1::MessageCopyRow>("messages",
                                    [](const v1::MessageCopyRow& row) {
                                      return PrimaryKey(row.tenant(), row.message().message_id());
                                    },
                                    {Index{"job", [](const v1::MessageCopyRow& row) {
                                             if (row.message().job_id().empty()) return Keys{};
                                             return Keys{KeyBuilder()
                                                             .String(row.tenant())
                                                             .String(row.message().job_id())
                                                             .String(row.message().message_id())
                                                             .key()};
                                           }}});
  return *table;
}

std::string StatusCountKey(absl::string_view tenant, job::v1::JobStatus status) {
  return KeyBuilder().String("status_count").String(tenant).Int64(status).key();
}

std::string HistoryKey(absl::string_view tenant, absl::string_view job_id, absl::Time at,
                       absl::string_view topic, int32_t partition, int64_t offset) {
  return KeyBuilder()
      .Raw(HistoryPrefix(tenant, job_id))
      .Time(at)
      .String(topic)
      .Int64(partition)
      .Int64(offset)
      .key();
}

std::string HistoryPrefix(absl::string_view tenant, absl::string_view job_id) {
  return KeyBuilder().String("history").String(tenant).String(job_id).key();
}

std::string RevenueKey(absl::string_view tenant, const common::v1::LocalDate& date,
                       absl::string_view event_id, int n) {
  return KeyBuilder().Raw(RevenueDateKey(tenant, date)).String(event_id).Int64(n).key();
}

std::string RevenuePrefix(absl::string_view tenant) {
  return KeyBuilder().String("revenue").String(tenant).key();
}

std::string SettingsHistoryKey(absl::string_view tenant, absl::Time at, int64_t sequence) {
  return KeyBuilder().Raw(SettingsHistoryPrefix(tenant)).Time(at).Int64(sequence).key();
}

std::string SettingsHistoryPrefix(absl::string_view tenant) {
  return KeyBuilder().String("settings_history").String(tenant).key();
}

std::string JobInvoicesKey(absl::string_view tenant, absl::string_view job_id) {
  return KeyBuilder().String("job_invoices").String(tenant).String(job_id).key();
}

std::string LastCompletionKey(absl::string_view tenant, absl::string_view job_id) {
  return KeyBuilder().String("last_completion").String(tenant).String(job_id).key();
}

std::string RevenueDateKey(absl::string_view tenant, const common::v1::LocalDate& date) {
  return KeyBuilder().Raw(RevenuePrefix(tenant)).Int64(DateKey(date)).key();
}

}  // namespace jobledger::reporting
