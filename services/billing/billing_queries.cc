// Reading the billing read model on the callers' behalf.
#include "billing_queries.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/costing.h"
#include "domain/invoicing.h"
#include "domain/statement.h"
#include "jobledger/billing/v1/rows.pb.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/catch_up.h"
#include "jobledger/projection/filtered_page.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/projection/table.h"
#include "jobledger/server/read_your_writes.h"
#include "pdf/invoice_pdf.h"
#include "projections/billing_tables.h"
#include "projections/invoice_reads.h"
#include "projections/job_copies.h"

namespace jobledger::billing {
namespace {

using projection::KeyBuilder;
using projection::KeyReader;
using projection::PageRequest;
using projection::StateReader;
using server::Caller;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr size_t kReadAllBatch = 500;  // rows per page when a query reads a whole index
constexpr size_t kPdfChunkBytes = 64 * 1024;
constexpr int kMaxStatementDays = 366;
constexpr size_t kMaxTextLength = 200;
constexpr char kDefaultCurrency[] = "USD";

absl::Status NotFound(absl::string_view what, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
}

// A scan's INVALID_ARGUMENT is its cursor's: the request's page token.
absl::Status PageTokenError(const absl::Status& status) {
  if (absl::IsInvalidArgument(status)) return Invalid("page_token", "not from this query");
  return status;
}

// Every row under `prefix` of the index `index`.
template <typename Row>
absl::StatusOr<std::vector<Row>> ReadAll(const projection::Table<Row>& table,
                                         const StateReader& state, absl::string_view index,
                                         absl::string_view prefix) {
  std::vector<Row> rows;
  PageRequest request;
  request.limit = kReadAllBatch;
  do {
    auto page = table.ScanIndex(state, index, prefix, request);
    if (!page.ok()) return page.status();
    std::move(page->rows.begin(), page->rows.end(), std::back_inserter(rows));
    request.cursor = std::move(page->next_cursor);
  } while (!request.cursor.empty());
  return rows;
}

absl::StatusOr<v1::BillingSettings> ReadSettings(const StateReader& state,
                                                 const std::string& tenant) {
  auto row = SettingsTable().Get(state, PrimaryKey(tenant, tenant));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return v1::BillingSettings();
  return std::move(*(*row)->mutable_settings());
}

absl::StatusOr<v1::Invoice> ReadInvoice(const StateReader& state, const std::string& tenant,
                                        const std::string& invoice_id) {
  auto row = InvoiceTable().Get(state, PrimaryKey(tenant, invoice_id));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return NotFound("invoice", invoice_id);
  return std::move(*(*row)->mutable_invoice());
}

// The cost bar, with the cost prices of the job's price-book items read up front.
absl::StatusOr<v1::JobCost> CostOf(const StateReader& state, const std::string& tenant,
                                   const job::v1::Job& job) {
  auto settings = ReadSettings(state, tenant);
  if (!settings.ok()) return settings.status();
  std::map<std::string, std::optional<Money>> cost_prices;
  for (const job::v1::LineItem& line : job.line_items()) {
    const std::string& id = line.price_book_item_id();
    if (!line.billable() || id.empty() || cost_prices.contains(id)) continue;
    auto row = PriceItemTable().Get(state, PrimaryKey(tenant, id));
    if (!row.ok()) return row.status();
    std::optional<Money> cost;
    if (row->has_value() && (*row)->item().has_cost_price()) {
      auto money = Money::FromProto((*row)->item().cost_price());
      if (!money.ok()) return money.status();
      cost = *std::move(money);
    }
    cost_prices.emplace(id, std::move(cost));
  }
  return CostJob(job, *settings, [&](const std::string& id) -> std::optional<Money> {
    auto found = cost_prices.find(id);
    return found == cost_prices.end() ? std::nullopt : found->second;
  });
}

// Issued and (partly) paid documents count toward what a job was billed; drafts and void ones
// do not.
bool CountsAsInvoiced(const v1::Invoice& invoice) {
  return invoice.status() == v1::INVOICE_STATUS_ISSUED ||
         invoice.status() == v1::INVOICE_STATUS_PARTIALLY_PAID ||
         invoice.status() == v1::INVOICE_STATUS_PAID;
}

// A sum of amounts in one currency: one in another is FAILED_PRECONDITION naming it and `what`;
// an unset amount adds nothing.
class Sum {
 public:
  explicit Sum(Money zero) : sum_(std::move(zero)) {}

  absl::Status Add(const common::v1::Money& amount, absl::string_view what) {
    if (amount.currency().empty() && amount.minor_units() == 0) return absl::OkStatus();
    if (amount.currency() != sum_.currency()) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, " is in ", amount.currency(), ", not ", sum_.currency()));
    }
    auto money = Money::FromProto(amount);
    if (!money.ok()) return money.status();
    auto added = sum_.Plus(*money);
    if (!added.ok()) return added.status();
    sum_ = *std::move(added);
    return absl::OkStatus();
  }

  const Money& value() const { return sum_; }

 private:
  Money sum_;
};

// A currency to sum in: `first` when set, else `otherwise`, else USD.
std::string CurrencyOr(absl::string_view first, absl::string_view otherwise) {
  if (!first.empty()) return std::string(first);
  if (!otherwise.empty()) return std::string(otherwise);
  return kDefaultCurrency;
}

// The encoded key part of every string that starts with `text`.
std::string StringPrefix(absl::string_view tenant, absl::string_view text) {
  std::string prefix = KeyBuilder().String(tenant).String(text).key();
  prefix.resize(prefix.size() - 2);  // no terminator: every value that starts with `text`
  return prefix;
}

// The awaiting-billing entries of a tenant: the part of their keys before the completion time,
// taken from a key so that it follows AwaitingBillingKey.
absl::StatusOr<std::string> AwaitingPrefix(absl::string_view tenant) {
  const std::string key = AwaitingBillingKey(tenant, absl::UnixEpoch(), "");
  KeyReader reader(key);
  if (!reader.String().ok() || !reader.String().ok()) {
    return absl::InternalError("awaiting-billing keys do not start with kind and tenant");
  }
  return key.substr(0, key.size() - reader.rest().size());
}

// A postal address on up to four lines: "12 Main St\nSuite 4\nAustin, TX 78701\nUS".
std::string AddressText(const job::v1::Address& address) {
  std::vector<std::string> lines;
  for (const std::string* line : {&address.line1(), &address.line2()}) {
    if (!line->empty()) lines.push_back(*line);
  }
  std::vector<std::string> region;
  for (const std::string* part : {&address.region(), &address.postal_code()}) {
    if (!part->empty()) region.push_back(*part);
  }
  std::vector<std::string> city;
  if (!address.city().empty()) city.push_back(address.city());
  if (!region.empty()) city.push_back(absl::StrJoin(region, " "));
  if (!city.empty()) lines.push_back(absl::StrJoin(city, ", "));
  if (!address.country().empty()) lines.push_back(address.country());
  return absl::StrJoin(lines, "\n");
}

// The customer's primary property's address, else their first property's ("" without any).
std::string CustomerAddress(const job::v1::Customer& customer) {
  const job::v1::Property* chosen = nullptr;
  for (const job::v1::Property& property : customer.properties()) {
    if (property.property_id() == customer.primary_property_id()) {
      chosen = &property;
      break;
    }
  }
  if (chosen == nullptr && !customer.properties().empty()) chosen = &customer.properties(0);
  return chosen == nullptr ? std::string() : AddressText(chosen->address());
}

// The billable lines' totals of a job, in the currency of its first billable line (else
// `otherwise`).
absl::StatusOr<Money> BillableOf(const job::v1::Job& job, absl::string_view otherwise) {
  std::string currency;
  for (const job::v1::LineItem& line : job.line_items()) {
    if (line.billable() && currency.empty()) currency = line.total().currency();
  }
  auto zero = Money::Zero(CurrencyOr(currency, otherwise));
  if (!zero.ok()) return zero.status();
  Sum billable(*std::move(zero));
  for (const job::v1::LineItem& line : job.line_items()) {
    if (!line.billable()) continue;
    if (absl::Status s = billable.Add(line.total(), absl::StrCat("a line of ", JobLabel(job)));
        !s.ok()) {
      return s;
    }
  }
  return billable.value();
}

}  // namespace

absl::Time BillingQueries::Deadline(const Caller& caller) const {
  return std::min(caller.deadline, options_.clock->Now() + options_.max_wait);
}

absl::StatusOr<job::v1::Job> BillingQueries::JobOf(const Caller& caller,
                                                   const std::string& job_id) const {
  return KnownJobCopy(*options_.projection, *options_.log, options_.job_topic, caller.tenant,
                      job_id, Deadline(caller));
}

absl::Status BillingQueries::WaitForPosition(const Caller& caller,
                                             const common::v1::LogPosition& position) const {
  return server::WaitForMinPosition(*options_.projection, caller, position, options_.clock->Now(),
                                    options_.max_wait, "the billing read model");
}

// ---- settings and the price book

absl::StatusOr<v1::JobBillingStatus> BillingQueries::GetJobBillingStatus(
    const Caller& caller, const v1::GetJobBillingStatusRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  // The job service asks before it reopens a job: an invoice created a moment ago must count.
  if (absl::Status s = projection::WaitForTopicEnd(*options_.projection, *options_.log,
                                                   options_.billing_topic, Deadline(caller));
      !s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("billing cannot say yet whether the job has invoices: ", s.message()));
  }
  auto invoices = InvoicesOfJob(*options_.projection->store(), caller.tenant, request.job_id());
  if (!invoices.ok()) return invoices.status();
  v1::JobBillingStatus status;
  status.set_job_id(request.job_id());
  for (const v1::Invoice& invoice : *invoices) {
    if (invoice.status() != v1::INVOICE_STATUS_VOID) {
      status.add_unvoided_invoice_numbers(InvoiceLabel(invoice));
    }
  }
  return status;
}

absl::StatusOr<v1::BillingSettings> BillingQueries::GetBillingSettings(
    const Caller& caller, const v1::GetBillingSettingsRequest& request) const {
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  return ReadSettings(*options_.projection->store(), caller.tenant);
}

absl::StatusOr<v1::PriceItem> BillingQueries::GetPriceItem(
    const Caller& caller, const v1::GetPriceItemRequest& request) const {
  if (absl::Status s = ValidateId("price_item_id", request.price_item_id(), true); !s.ok()) {
    return s;
  }
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto row = PriceItemTable().Get(*options_.projection->store(),
                                  PrimaryKey(caller.tenant, request.price_item_id()));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return NotFound("price item", request.price_item_id());
  return std::move(*(*row)->mutable_item());
}

absl::StatusOr<v1::ListPriceItemsResponse> BillingQueries::ListPriceItems(
    const Caller& caller, const v1::ListPriceItemsRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = ValidateText("text", request.text(), kMaxTextLength, false); !s.ok()) {
    return s;
  }
  if (!job::v1::LineItemKind_IsValid(request.kind())) return Invalid("kind", "unknown value");
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  auto keep = [&](const v1::PriceItemRow& row) {
    const v1::PriceItem& item = row.item();
    if (!request.include_inactive() && !item.active()) return false;
    return request.kind() == job::v1::LINE_ITEM_KIND_UNSPECIFIED || item.kind() == request.kind();
  };
  const auto store = options_.projection->store();
  v1::ListPriceItemsResponse response;
  const std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(request.text()));
  if (text.empty()) {
    auto page =
        projection::FilteredPage(PriceItemTable(), *store, "code", TenantPrefix(caller.tenant),
                                 request.page_token(), *page_size, options_.max_examined, keep);
    if (!page.ok()) return PageTokenError(page.status());
    for (v1::PriceItemRow& row : page->rows) *response.add_items() = std::move(*row.mutable_item());
    response.set_next_page_token(std::move(page->next_cursor));
    return response;
  }

  // Code matches and name matches, each once, in the code index's order (lower-case code, then
  // id): the page token is the sort key of the last item returned.
  std::string after;
  if (!request.page_token().empty()) {
    bool valid = absl::WebSafeBase64Unescape(request.page_token(), &after);
    if (valid) {
      KeyReader reader(after);
      valid = reader.String().ok() && reader.String().ok() && reader.done();
    }
    if (!valid) return Invalid("page_token", "not from this query");
  }
  const std::string prefix = StringPrefix(caller.tenant, text);
  std::map<std::string, v1::PriceItem> matches;  // by sort key
  for (const char* index : {"code", "name"}) {
    auto rows = ReadAll(PriceItemTable(), *store, index, prefix);
    if (!rows.ok()) return rows.status();
    for (v1::PriceItemRow& row : *rows) {
      if (!keep(row)) continue;
      std::string key = KeyBuilder()
                            .String(absl::AsciiStrToLower(row.item().code()))
                            .String(row.item().price_item_id())
                            .key();
      if (!after.empty() && key <= after) continue;
      matches.try_emplace(std::move(key), std::move(*row.mutable_item()));
    }
  }
  const std::string* last = nullptr;
  for (auto& [key, item] : matches) {
    if (response.items_size() == *page_size) {
      response.set_next_page_token(absl::WebSafeBase64Escape(*last));
      break;
    }
    *response.add_items() = std::move(item);
    last = &key;
  }
  return response;
}

// ---- estimates

absl::StatusOr<v1::Estimate> BillingQueries::GetEstimate(
    const Caller& caller, const v1::GetEstimateRequest& request) const {
  if (absl::Status s = ValidateId("estimate_id", request.estimate_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto row = EstimateTable().Get(*options_.projection->store(),
                                 PrimaryKey(caller.tenant, request.estimate_id()));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return NotFound("estimate", request.estimate_id());
  return std::move(*(*row)->mutable_estimate());
}

// ---- jobs

absl::StatusOr<v1::JobCost> BillingQueries::GetJobCost(const Caller& caller,
                                                       const v1::GetJobCostRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto job = JobOf(caller, request.job_id());
  if (!job.ok()) return job.status();
  return CostOf(*options_.projection->store(), caller.tenant, *job);
}

absl::StatusOr<v1::JobFinancials> BillingQueries::GetJobFinancials(
    const Caller& caller, const v1::GetJobFinancialsRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto job = JobOf(caller, request.job_id());
  if (!job.ok()) return job.status();
  const auto store = options_.projection->store();
  auto cost = CostOf(*store, caller.tenant, *job);
  if (!cost.ok()) return cost.status();
  auto invoices = InvoicesOfJob(*store, caller.tenant, request.job_id());
  if (!invoices.ok()) return invoices.status();
  auto billing_row = JobBillingTable().Get(*store, PrimaryKey(caller.tenant, request.job_id()));
  if (!billing_row.ok()) return billing_row.status();

  std::string currency;
  for (const v1::Invoice& invoice : *invoices) {
    if (CountsAsInvoiced(invoice) && currency.empty()) currency = invoice.total().currency();
  }
  auto zero = Money::Zero(CurrencyOr(currency, cost->price().currency()));
  if (!zero.ok()) return zero.status();
  // Credit notes have negative totals: adding them deducts them.
  Sum invoiced(*zero);
  Sum paid(*zero);
  for (const v1::Invoice& invoice : *invoices) {
    if (!CountsAsInvoiced(invoice)) continue;
    const std::string label = InvoiceLabel(invoice);
    if (absl::Status s = invoiced.Add(invoice.total(), label); !s.ok()) return s;
    if (absl::Status s = paid.Add(invoice.paid(), label); !s.ok()) return s;
  }
  auto balance = invoiced.value().Minus(paid.value());
  if (!balance.ok()) return balance.status();

  v1::JobFinancials financials;
  *financials.mutable_cost() = *std::move(cost);
  invoiced.value().ToProto(financials.mutable_invoiced());
  paid.value().ToProto(financials.mutable_paid());
  balance->ToProto(financials.mutable_balance());
  v1::JobBilling& billing = *financials.mutable_billing();
  if (billing_row->has_value()) billing = std::move(*(*billing_row)->mutable_billing());
  billing.set_job_id(request.job_id());
  // A stage is invoiced by its progress invoice that is not void.
  for (v1::BillingStage& stage : *billing.mutable_schedule()) stage.clear_invoice_id();
  for (const v1::Invoice& invoice : *invoices) {
    if (invoice.kind() != v1::INVOICE_KIND_PROGRESS ||
        invoice.status() == v1::INVOICE_STATUS_VOID || invoice.progress_stage() < 0 ||
        invoice.progress_stage() >= billing.schedule_size()) {
      continue;
    }
    v1::BillingStage& stage = *billing.mutable_schedule(invoice.progress_stage());
    if (stage.invoice_id().empty()) stage.set_invoice_id(invoice.invoice_id());
  }
  for (v1::Invoice& invoice : *invoices) *financials.add_invoices() = std::move(invoice);
  return financials;
}

// ---- invoices

absl::StatusOr<v1::Invoice> BillingQueries::GetInvoice(const Caller& caller,
                                                       const v1::GetInvoiceRequest& request) const {
  if (absl::Status s = ValidateId("invoice_id", request.invoice_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  return ReadInvoice(*options_.projection->store(), caller.tenant, request.invoice_id());
}

absl::StatusOr<v1::ListInvoicesResponse> BillingQueries::ListInvoices(
    const Caller& caller, const v1::ListInvoicesRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  const v1::InvoiceStatus status = request.status();
  if (!v1::InvoiceStatus_IsValid(status)) return Invalid("status", "unknown value");
  if (request.awaiting_payment() && status != v1::INVOICE_STATUS_UNSPECIFIED &&
      status != v1::INVOICE_STATUS_ISSUED && status != v1::INVOICE_STATUS_PARTIALLY_PAID) {
    return Invalid("status", "with awaiting_payment, only ISSUED or PARTIALLY_PAID");
  }
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), false); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  // The most selective index the request names; its other filters are checked on each row.
  const char* index = "number";
  std::string prefix = TenantPrefix(caller.tenant);
  if (!request.customer_id().empty()) {
    index = "customer";
    prefix = TenantValuePrefix(caller.tenant, request.customer_id());
  } else if (request.awaiting_payment()) {
    index = "awaiting_payment";
  } else if (status != v1::INVOICE_STATUS_UNSPECIFIED) {
    index = "status";
    prefix = TenantValuePrefix(caller.tenant, StatusKeyPart(status));
  }
  // ISSUED with awaiting_payment lists issued and partly paid invoices alike.
  const bool by_status = status != v1::INVOICE_STATUS_UNSPECIFIED &&
                         !(request.awaiting_payment() && status == v1::INVOICE_STATUS_ISSUED);
  auto keep = [&](const v1::InvoiceRow& row) {
    if (request.awaiting_payment() && !AwaitsPayment(row.invoice())) return false;
    return !by_status || row.invoice().status() == status;
  };
  auto page =
      projection::FilteredPage(InvoiceTable(), *options_.projection->store(), index, prefix,
                               request.page_token(), *page_size, options_.max_examined, keep);
  if (!page.ok()) return PageTokenError(page.status());
  v1::ListInvoicesResponse response;
  for (v1::InvoiceRow& row : page->rows) {
    *response.add_invoices() = std::move(*row.mutable_invoice());
  }
  response.set_next_page_token(std::move(page->next_cursor));
  return response;
}

absl::StatusOr<v1::ListAwaitingBillingResponse> BillingQueries::ListAwaitingBilling(
    const Caller& caller, const v1::ListAwaitingBillingRequest& request) const {
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  auto prefix = AwaitingPrefix(caller.tenant);
  if (!prefix.ok()) return prefix.status();
  std::string start = *prefix;
  if (!request.page_token().empty() &&
      (!absl::WebSafeBase64Unescape(request.page_token(), &start) ||
       !absl::StartsWith(start, *prefix))) {
    return Invalid("page_token", "not from this query");
  }
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  const auto store = options_.projection->store();
  // Keys first, then the jobs: the iterator stays a plain scan.
  std::vector<std::string> job_ids;
  std::string last;
  v1::ListAwaitingBillingResponse response;
  auto it = store->NewIterator(*prefix, projection::PrefixEnd(*prefix));
  it->Seek(start);
  // The token names the last entry returned: continue strictly after it.
  if (!request.page_token().empty() && it->Valid() && it->key() == start) it->Next();
  for (; it->Valid(); it->Next()) {
    if (static_cast<int>(job_ids.size()) == *page_size) {
      response.set_next_page_token(absl::WebSafeBase64Escape(last));
      break;
    }
    KeyReader key(it->key().substr(prefix->size()));
    auto completed_at = key.Time();
    auto job_id = key.String();
    if (!completed_at.ok() || !job_id.ok()) {
      return absl::DataLossError("an awaiting-billing key does not parse");
    }
    job_ids.push_back(*std::move(job_id));
    last.assign(it->key().data(), it->key().size());
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  if (job_ids.empty()) return response;

  auto settings = ReadSettings(*store, caller.tenant);
  if (!settings.ok()) return settings.status();
  for (const std::string& job_id : job_ids) {
    auto row = JobCopyTable().Get(*store, PrimaryKey(caller.tenant, job_id));
    if (!row.ok()) return row.status();
    if (!row->has_value()) {
      return absl::DataLossError(
          absl::StrCat("job ", job_id, " awaits billing but has no copy in the read model"));
    }
    const job::v1::Job& job = (*row)->job();
    auto billable = BillableOf(job, settings->currency());
    if (!billable.ok()) return billable.status();
    v1::AwaitingBilling& entry = *response.add_jobs();
    entry.set_job_id(job_id);
    entry.set_job_number(job.number());
    entry.set_title(job.title());
    entry.set_customer_id(job.customer_id());
    *entry.mutable_completed_at() = job.actual_end();
    billable->ToProto(entry.mutable_billable());
  }
  return response;
}

absl::StatusOr<std::vector<v1::DocumentChunk>> BillingQueries::GetInvoicePdf(
    const Caller& caller, const v1::GetInvoiceRequest& request) const {
  if (absl::Status s = ValidateId("invoice_id", request.invoice_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  auto invoice = ReadInvoice(*store, caller.tenant, request.invoice_id());
  if (!invoice.ok()) return invoice.status();

  InvoiceDocument document;
  document.business_name = options_.business_name;
  document.time_zone = options_.zone;
  auto customer =
      CustomerCopyTable().Get(*store, PrimaryKey(caller.tenant, invoice->customer_id()));
  if (!customer.ok()) return customer.status();
  if (customer->has_value()) {
    document.customer_name = (*customer)->customer().name();
    document.customer_address = CustomerAddress((*customer)->customer());
  }
  if (!invoice->job_id().empty()) {
    auto job = JobCopyTable().Get(*store, PrimaryKey(caller.tenant, invoice->job_id()));
    if (!job.ok()) return job.status();
    if (job->has_value()) document.job_label = JobLabel((*job)->job());
  }
  auto pdf = RenderInvoicePdf(*invoice, document);
  if (!pdf.ok()) return pdf.status();

  std::vector<v1::DocumentChunk> chunks;
  for (size_t offset = 0; offset < pdf->size() || chunks.empty(); offset += kPdfChunkBytes) {
    v1::DocumentChunk& chunk = chunks.emplace_back();
    if (offset == 0) {
      chunk.set_media_type("application/pdf");
      chunk.set_file_name(InvoicePdfFileName(*invoice));
    }
    chunk.set_content(pdf->substr(offset, kPdfChunkBytes));
  }
  return chunks;
}

absl::StatusOr<v1::CustomerStatement> BillingQueries::GetCustomerStatement(
    const Caller& caller, const v1::GetCustomerStatementRequest& request) const {
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateDate("first_day", request.first_day(), true); !s.ok()) return s;
  if (absl::Status s = ValidateDate("last_day", request.last_day(), true); !s.ok()) return s;
  auto first = LocalDateFromProto(request.first_day());
  if (!first.ok()) return Invalid("first_day", "not a valid date");
  auto last = LocalDateFromProto(request.last_day());
  if (!last.ok()) return Invalid("last_day", "not a valid date");
  if (*last < *first) return Invalid("last_day", "before first_day");
  if (*last - *first >= kMaxStatementDays) {
    return Invalid("last_day", absl::StrCat("at most ", kMaxStatementDays, " days from first_day"));
  }
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  if (auto customer = KnownCustomerCopy(*options_.projection, *options_.log, options_.job_topic,
                                        caller.tenant, request.customer_id(), Deadline(caller));
      !customer.ok()) {
    return customer.status();
  }

  const auto store = options_.projection->store();
  auto settings = ReadSettings(*store, caller.tenant);
  if (!settings.ok()) return settings.status();
  // Entries up to the end of last_day (the earliest key at that instant bounds the scan).
  const std::string prefix = AccountPrefix(caller.tenant, request.customer_id());
  const std::string end = AccountEntryKey(caller.tenant, request.customer_id(),
                                          LocalDayRange(*last, options_.zone).end, "");
  std::vector<v1::AccountEntry> entries;
  auto it = store->NewIterator(prefix, end);
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    v1::AccountEntry& entry = entries.emplace_back();
    if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("an account entry of customer ", request.customer_id(), " is corrupt"));
    }
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  // The tenant's currency; before it is set, the one the account was kept in.
  std::string first_currency;
  if (!entries.empty()) {
    first_currency = entries.front().has_charge() ? entries.front().charge().currency()
                                                  : entries.front().credit().currency();
  }
  return BuildStatement(request.customer_id(), entries, *first, *last, options_.zone,
                        CurrencyOr(settings->currency(), first_currency));
}

}  // namespace jobledger::billing
