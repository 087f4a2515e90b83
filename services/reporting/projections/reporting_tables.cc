// Keys and tables of the reporting read model.
#include "projections/reporting_tables.h"

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
      {Index{"status",
             [](const v1::JobViewRow& row) {
               return Keys{KeyBuilder()
                               .String(row.tenant())
                               .Int64(row.job().status())
                               .Int64Descending(row.job().number())
                               .key()};
             }},
       Index{"day",
             [](const v1::JobViewRow& row) {
               Keys keys;
               for (const common::v1::LocalDate& day : row.visit_days()) {
                 keys.push_back(KeyBuilder()
                                    .String(row.tenant())
                                    .Int64(DateKey(day))
                                    .Int64(row.job().number())
                                    .key());
               }
               return keys;
             }},
       Index{"open_end",
             [](const v1::JobViewRow& row) {
               const google::protobuf::Timestamp& end = PlannedEnd(row);
               if (!MayBeOverdue(row.job().status()) || (end.seconds() == 0 && end.nanos() == 0)) {
                 return Keys{};
               }
               return Keys{KeyBuilder().String(row.tenant()).Time(TimeFromProto(end)).key()};
             }},
       Index{"awaiting_billing",
             [](const v1::JobViewRow& row) {
               if (row.job().status() != job::v1::JOB_STATUS_COMPLETED || row.has_live_invoice()) {
                 return Keys{};
               }
               return Keys{
                   KeyBuilder().String(row.tenant()).Int64Descending(row.job().number()).key()};
             }},
       Index{"awaiting_payment",
             [](const v1::JobViewRow& row) {
               if (!Owes(row.balance())) return Keys{};
               return Keys{
                   KeyBuilder().String(row.tenant()).Int64Descending(row.job().number()).key()};
             }},
       Index{"project", [](const v1::JobViewRow& row) {
               if (row.job().project_id().empty()) return Keys{};
               return Keys{KeyBuilder()
                               .String(row.tenant())
                               .String(row.job().project_id())
                               .Int64(row.job().number())
                               .key()};
             }}});
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
