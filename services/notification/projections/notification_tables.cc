// Keys and tables of the notification read model.
#include "projections/notification_tables.h"

#include "domain/rules.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::notification {
namespace {

using projection::KeyBuilder;
using projection::Table;

// A table of copies keyed by (tenant, the id `id_of` reads), with no indexes.
template <typename Row, typename IdOf>
const Table<Row>* CopyTable(const char* name, IdOf id_of) {
  return new Table<Row>(name,
                        [id_of](const Row& row) { return PrimaryKey(row.tenant(), id_of(row)); });
}

}  // namespace

std::string PrimaryKey(absl::string_view tenant, absl::string_view id) {
  return KeyBuilder().String(tenant).String(id).key();
}

std::string TenantValuePrefix(absl::string_view tenant, absl::string_view value) {
  return KeyBuilder().String(tenant).String(value).key();
}

std::string TenantPrefix(absl::string_view tenant) { return KeyBuilder().String(tenant).key(); }

bool AwaitsDelivery(const v1::Message& message) {
  return message.status() == v1::MESSAGE_STATUS_QUEUED ||
         message.status() == v1::MESSAGE_STATUS_HELD ||
         message.status() == v1::MESSAGE_STATUS_RETRYING;
}

const Table<v1::SettingsRow>& SettingsTable() {
  static const auto* table = new Table<v1::SettingsRow>("settings", [](const v1::SettingsRow& row) {
    return PrimaryKey(row.tenant(), row.tenant());
  });
  return *table;
}

const Table<v1::TemplateRow>& TemplateTable() {
  static const auto* table =
      CopyTable<v1::TemplateRow>("templates", [](const v1::TemplateRow& row) {
        const v1::Template& saved = row.template_();
        return TemplateId({saved.trigger(), saved.channel(), saved.audience()});
      });
  return *table;
}

const Table<v1::MessageRow>& MessageTable() {
  using Index = Table<v1::MessageRow>::Index;
  using Keys = std::vector<std::string>;
  static const auto* table = new Table<v1::MessageRow>(
      "messages",
      [](const v1::MessageRow& row) {
        return PrimaryKey(row.tenant(), row.message().message_id());
      },
      {Index{"job",
             [](const v1::MessageRow& row) {
               if (row.message().job_id().empty()) return Keys{};
               return Keys{KeyBuilder()
                               .String(row.tenant())
                               .String(row.message().job_id())
                               .TimeDescending(TimeFromProto(row.message().queued_at()))
                               .key()};
             }},
       Index{"customer",
             [](const v1::MessageRow& row) {
               if (row.message().customer_id().empty()) return Keys{};
               return Keys{KeyBuilder()
                               .String(row.tenant())
                               .String(row.message().customer_id())
                               .TimeDescending(TimeFromProto(row.message().queued_at()))
                               .key()};
             }},
       Index{"failed",
             [](const v1::MessageRow& row) {
               if (row.message().status() != v1::MESSAGE_STATUS_FAILED) return Keys{};
               return Keys{KeyBuilder()
                               .String(row.tenant())
                               .TimeDescending(TimeFromProto(row.message().queued_at()))
                               .key()};
             }},
       Index{"due", [](const v1::MessageRow& row) {
               if (!AwaitsDelivery(row.message())) return Keys{};
               return Keys{KeyBuilder()
                               .Time(TimeFromProto(row.message().next_attempt_at()))
                               .String(row.tenant())
                               .key()};
             }}});
  return *table;
}

const Table<v1::JobCopyRow>& JobCopyTable() {
  static const auto* table = CopyTable<v1::JobCopyRow>(
      "jobs", [](const v1::JobCopyRow& row) { return row.job().job_id(); });
  return *table;
}

const Table<v1::CustomerCopyRow>& CustomerCopyTable() {
  static const auto* table = CopyTable<v1::CustomerCopyRow>(
      "customers", [](const v1::CustomerCopyRow& row) { return row.customer().customer_id(); });
  return *table;
}

const Table<v1::TechnicianCopyRow>& TechnicianCopyTable() {
  static const auto* table = CopyTable<v1::TechnicianCopyRow>(
      "technicians", [](const v1::TechnicianCopyRow& row) { return row.technician_id(); });
  return *table;
}

const Table<v1::AppointmentCopyRow>& AppointmentCopyTable() {
  static const auto* table = CopyTable<v1::AppointmentCopyRow>(
      "appointments",
      [](const v1::AppointmentCopyRow& row) { return row.appointment().appointment_id(); });
  return *table;
}

const Table<v1::InvoiceCopyRow>& InvoiceCopyTable() {
  static const auto* table = CopyTable<v1::InvoiceCopyRow>(
      "invoices", [](const v1::InvoiceCopyRow& row) { return row.invoice().invoice_id(); });
  return *table;
}

}  // namespace jobledger::notification
