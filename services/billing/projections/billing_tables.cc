// Keys and tables of the billing read model.
#include "projections/billing_tables.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace jobledger::billing {
namespace {

using projection::KeyBuilder;
using projection::Table;

KeyBuilder Kind(absl::string_view kind, absl::string_view tenant) {
  KeyBuilder key;
  key.String(kind).String(tenant);
  return key;
}

std::string Lower(absl::string_view text) { return absl::AsciiStrToLower(text); }

}  // namespace

std::string PrimaryKey(absl::string_view tenant, absl::string_view id) {
  return KeyBuilder().String(tenant).String(id).key();
}

std::string TenantPrefix(absl::string_view tenant) { return KeyBuilder().String(tenant).key(); }

std::string TenantValuePrefix(absl::string_view tenant, absl::string_view value) {
  return KeyBuilder().String(tenant).String(value).key();
}

bool AwaitsPayment(const v1::Invoice& invoice) {
  return invoice.kind() != v1::INVOICE_KIND_CREDIT_NOTE &&
         (invoice.status() == v1::INVOICE_STATUS_ISSUED ||
          invoice.status() == v1::INVOICE_STATUS_PARTIALLY_PAID);
}

std::string StatusKeyPart(v1::InvoiceStatus status) {
  switch (status) {
    case v1::INVOICE_STATUS_DRAFT:
      return "draft";
    case v1::INVOICE_STATUS_ISSUED:
      return "issued";
    case v1::INVOICE_STATUS_PARTIALLY_PAID:
      return "partially_paid";
    case v1::INVOICE_STATUS_PAID:
      return "paid";
    case v1::INVOICE_STATUS_VOID:
      return "void";
    default:
      return "unknown";
  }
}

const Table<v1::SettingsRow>& SettingsTable() {
  static const auto* table = new Table<v1::SettingsRow>(
      "settings", [](const v1::SettingsRow& row) { return PrimaryKey(row.tenant(), row.tenant()); },
      {});
  return *table;
}

const Table<v1::PriceItemRow>& PriceItemTable() {
  using Index = Table<v1::PriceItemRow>::Index;
  static const auto* table = new Table<v1::PriceItemRow>(
      "price_items",
      [](const v1::PriceItemRow& row) {
        return PrimaryKey(row.tenant(), row.item().price_item_id());
      },
      {Index{"code",
             [](const v1::PriceItemRow& row) {
               return std::vector<std::string>{
                   KeyBuilder().String(row.tenant()).String(Lower(row.item().code())).key()};
             }},
       Index{"name", [](const v1::PriceItemRow& row) {
               return std::vector<std::string>{
                   KeyBuilder().String(row.tenant()).String(Lower(row.item().name())).key()};
             }}});
  return *table;
}

const Table<v1::EstimateRow>& EstimateTable() {
  using Index = Table<v1::EstimateRow>::Index;
  static const auto* table = new Table<v1::EstimateRow>(
      "estimates",
      [](const v1::EstimateRow& row) {
        return PrimaryKey(row.tenant(), row.estimate().estimate_id());
      },
      {Index{"customer", [](const v1::EstimateRow& row) {
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .String(row.estimate().customer_id())
                                                   .Int64Descending(row.estimate().number())
                                                   .key()};
             }}});
  return *table;
}

const Table<v1::InvoiceRow>& InvoiceTable() {
  using Index = Table<v1::InvoiceRow>::Index;
  static const auto* table = new Table<v1::InvoiceRow>(
      "invoices",
      [](const v1::InvoiceRow& row) {
        return PrimaryKey(row.tenant(), row.invoice().invoice_id());
      },
      {Index{"number",
             [](const v1::InvoiceRow& row) {
               return std::vector<std::string>{
                   KeyBuilder().String(row.tenant()).Int64Descending(row.invoice().number()).key()};
             }},
       Index{"status",
             [](const v1::InvoiceRow& row) {
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .String(StatusKeyPart(row.invoice().status()))
                                                   .Int64Descending(row.invoice().number())
                                                   .key()};
             }},
       Index{"awaiting_payment",
             [](const v1::InvoiceRow& row) {
               if (!AwaitsPayment(row.invoice())) return std::vector<std::string>{};
               return std::vector<std::string>{
                   KeyBuilder().String(row.tenant()).Int64Descending(row.invoice().number()).key()};
             }},
       Index{"customer",
             [](const v1::InvoiceRow& row) {
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .String(row.invoice().customer_id())
                                                   .Int64Descending(row.invoice().number())
                                                   .key()};
             }},
       Index{"job",
             [](const v1::InvoiceRow& row) {
               if (row.invoice().job_id().empty()) return std::vector<std::string>{};
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .String(row.invoice().job_id())
                                                   .Int64(row.invoice().number())
                                                   .key()};
             }},
       Index{"credited", [](const v1::InvoiceRow& row) {
               if (row.invoice().credited_invoice_id().empty()) return std::vector<std::string>{};
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .String(row.invoice().credited_invoice_id())
                                                   .Int64(row.invoice().number())
                                                   .key()};
             }}});
  return *table;
}

const Table<v1::JobBillingRow>& JobBillingTable() {
  static const auto* table = new Table<v1::JobBillingRow>(
      "job_billing",
      [](const v1::JobBillingRow& row) { return PrimaryKey(row.tenant(), row.billing().job_id()); },
      {});
  return *table;
}

const Table<v1::JobCopyRow>& JobCopyTable() {
  using Index = Table<v1::JobCopyRow>::Index;
  static const auto* table = new Table<v1::JobCopyRow>(
      "jobs",
      [](const v1::JobCopyRow& row) { return PrimaryKey(row.tenant(), row.job().job_id()); },
      {Index{"subjob", [](const v1::JobCopyRow& row) {
               if (row.job().parent_job_id().empty()) return std::vector<std::string>{};
               return std::vector<std::string>{KeyBuilder()
                                                   .String(row.tenant())
                                                   .String(row.job().parent_job_id())
                                                   .Int64(row.job().number())
                                                   .key()};
             }}});
  return *table;
}

const Table<v1::CustomerCopyRow>& CustomerCopyTable() {
  static const auto* table = new Table<v1::CustomerCopyRow>(
      "customers",
      [](const v1::CustomerCopyRow& row) {
        return PrimaryKey(row.tenant(), row.customer().customer_id());
      },
      {});
  return *table;
}

std::string AwaitingBillingKey(absl::string_view tenant, absl::Time completed_at,
                               absl::string_view job_id) {
  return Kind("awaiting", tenant).Time(completed_at).String(job_id).key();
}

std::string AccountEntryKey(absl::string_view tenant, absl::string_view customer_id, absl::Time at,
                            absl::string_view event_id) {
  return Kind("account", tenant).String(customer_id).Time(at).String(event_id).key();
}

std::string AccountPrefix(absl::string_view tenant, absl::string_view customer_id) {
  return Kind("account", tenant).String(customer_id).key();
}

std::string InvoiceNumberKey(absl::string_view tenant) {
  return Kind("num", tenant).String("invoice").key();
}

std::string EstimateNumberKey(absl::string_view tenant) {
  return Kind("num", tenant).String("estimate").key();
}

}  // namespace jobledger::billing
