// Seeds the demo tenant through the public APIs, unless the tenant already has data.
#include "demo_seed.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "demo_catalog.h"
#include "demo_client.h"
#include "demo_day.h"
#include "demo_roster.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/common/local_time.h"

namespace jobledger::cli {
namespace {

using demo::DemoClient;

enum class TenantState {
  kEmpty,
  kUnfinishedDemo,  // an earlier seed stopped half-way: finish it
  kHasData,         // a finished demo, or the tenant's own data: leave it alone
};

// The payment is the seed's last write, so a demo tenant with a paid invoice is a finished one.
absl::StatusOr<TenantState> Inspect(DemoClient& client) {
  job::v1::ListCustomersRequest any;
  any.set_page_size(1);
  auto customers = client.Call("look for customers", demo::Dispatcher(), client.customers(),
                               &job::v1::CustomerService::Stub::ListCustomers, any);
  if (!customers.ok()) return customers.status();
  if (customers->customers().empty()) return TenantState::kEmpty;

  job::v1::ListCustomersRequest tagged = any;
  tagged.set_tag(demo::kDemoTag);
  auto demo_customers =
      client.Call("look for demo customers", demo::Dispatcher(), client.customers(),
                  &job::v1::CustomerService::Stub::ListCustomers, tagged);
  if (!demo_customers.ok()) return demo_customers.status();
  if (demo_customers->customers().empty()) return TenantState::kHasData;

  billing::v1::ListInvoicesRequest paid;
  paid.set_status(billing::v1::INVOICE_STATUS_PAID);
  paid.set_page_size(1);
  auto invoices = client.Call("look for paid invoices", demo::BillingClerk(), client.billing(),
                              &billing::v1::BillingService::Stub::ListInvoices, paid);
  if (!invoices.ok()) return invoices.status();
  return invoices->invoices().empty() ? TenantState::kUnfinishedDemo : TenantState::kHasData;
}

absl::Status PayInFull(DemoClient& client, const billing::v1::Invoice& invoice) {
  billing::v1::RecordPaymentRequest request;
  *request.mutable_meta() = demo::Meta(absl::StrCat("payment/", invoice.invoice_id()));
  request.set_invoice_id(invoice.invoice_id());
  *request.mutable_amount() = invoice.balance();
  request.set_method("card");
  request.set_reference("Visa ending 4242, paid on site");
  return client
      .Call(absl::StrCat("record the payment of INV-", invoice.number()), demo::BillingClerk(),
            client.billing(), &billing::v1::BillingService::Stub::RecordPayment, request)
      .status();
}

std::string StatusWord(job::v1::JobStatus status) {
  switch (status) {
    case job::v1::JOB_STATUS_OPEN:
      return "open";
    case job::v1::JOB_STATUS_SCHEDULED:
      return "scheduled";
    case job::v1::JOB_STATUS_IN_PROGRESS:
      return "in progress";
    case job::v1::JOB_STATUS_ON_HOLD:
      return "on hold";
    case job::v1::JOB_STATUS_COMPLETED:
      return "completed";
    case job::v1::JOB_STATUS_CANCELLED:
      return "cancelled";
    case job::v1::JOB_STATUS_DEFERRED:
      return "deferred";
    default:
      return "other";
  }
}

std::vector<std::string> Summary(const std::string& tenant, const DemoSeedResult& result,
                                 const demo::Roster& roster, const demo::DayResult& day,
                                 absl::CivilDay today) {
  std::vector<std::string> by_status;
  for (const auto& [status, count] : day.by_status) {
    by_status.push_back(absl::StrCat(count, " ", StatusWord(status)));
  }
  int hot_list = 0;
  int awaiting_billing = 0;
  for (const demo::Job& job : demo::DayOfJobs()) {
    if (job.outcome == demo::Outcome::kHotList) ++hot_list;
    if (job.outcome == demo::Outcome::kCompleted) ++awaiting_billing;
  }
  return {
      absl::StrCat("Demo tenant \"", tenant, "\": ", result.customers, " customers, ",
                   result.technicians, " technicians in ", result.crews, " crews, ",
                   result.price_items, " price-book items, ", roster.requests,
                   " service request waiting."),
      absl::StrCat("Today (", FormatLocalDate(today), "): ", result.jobs, " jobs (",
                   absl::StrJoin(by_status, ", "), "), ", result.appointments, " visits, ",
                   hot_list, " of them unassigned on the hot list."),
      absl::StrCat("Billing: ", result.invoices, " invoices issued (", result.payments, " paid), ",
                   awaiting_billing, " completed job awaiting billing."),
  };
}

}  // namespace

absl::StatusOr<DemoSeedResult> SeedDemoTenant(const DemoSeedOptions& options) {
  if (options.tenant.empty()) return absl::InvalidArgumentError("tenant: required");
  if (!options.token) return absl::InvalidArgumentError("token: required");
  const absl::Time now = options.now == absl::InfinitePast() ? absl::Now() : options.now;
  const absl::CivilDay today = LocalDay(now, options.zone);
  DemoClient client(options);

  DemoSeedResult result;
  absl::StatusOr<TenantState> state = Inspect(client);
  if (!state.ok()) return state.status();
  if (*state == TenantState::kHasData) {
    result.already_seeded = true;
    result.lines.push_back(
        absl::StrCat("Tenant \"", options.tenant, "\" already has data: no demo data was added."));
    return result;
  }

  absl::StatusOr<demo::Roster> roster = demo::SeedRoster(client, today);
  if (!roster.ok()) return roster.status();
  absl::StatusOr<demo::DayResult> day = demo::SeedDay(client, *roster, today, options.zone);
  if (!day.ok()) return day.status();
  for (const billing::v1::Invoice& invoice : day->to_pay) {
    if (absl::Status s = PayInFull(client, invoice); !s.ok()) return s;
  }

  result.customers = static_cast<int>(roster->customers.size());
  result.technicians = roster->technicians;
  result.crews = static_cast<int>(roster->crew_ids.size());
  result.price_items = static_cast<int>(roster->prices.size());
  result.jobs = day->jobs;
  result.appointments = day->appointments;
  result.invoices = day->invoices;
  result.payments = static_cast<int>(day->to_pay.size());
  result.lines = Summary(options.tenant, result, *roster, *day, today);
  return result;
}

DemoTokenSource DevTokenSource(std::string hs256_key, std::string tenant, absl::Duration ttl) {
  return [key = std::move(hs256_key), tenant_id = std::move(tenant), ttl](
             auth::Role role, const std::string& subject) -> absl::StatusOr<std::string> {
    auth::TokenClaims claims;
    claims.subject = subject;
    claims.tenant = tenant_id;
    claims.roles = {role};
    claims.name = subject;
    const absl::Time now = absl::Now();
    claims.issued_at = now;
    claims.not_before = now;
    claims.expires_at = now + ttl;
    return auth::MintToken(claims, auth::JwtAlgorithm::kHs256, key);
  };
}

}  // namespace jobledger::cli
