// The billing service with the real job service beside it, both in-process on port 0 over the
// same log (embedded in a temp directory, or Kafka through the dev broker). The job service asks
// this billing service before it reopens a job; billing asks the job service to create the jobs
// of converted estimates. Tokens for any user and role, stubs, and helpers for the common setup.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "billing_invoice_lookup.h"
#include "billing_server.h"
#include "job_test_env.h"
#include "jobledger/billing/v1/billing_service.grpc.pb.h"

namespace jobledger::billing::testing {

using job::testing::Backend;
using job::testing::IsOk;

// A job line for CompletedJob: a price-book item, or a custom line when the id is empty.
struct Line {
  std::string price_item_id;
  std::string name;
  job::v1::LineItemKind kind = job::v1::LINE_ITEM_KIND_SERVICE;
  int64_t quantity_milli = 1000;
  int64_t unit_price_cents = 0;
};

class BillingEnv {
 public:
  explicit BillingEnv(Backend backend = Backend::kEmbedded);
  ~BillingEnv();

  // Starts (or restarts) the billing server on the same directory; waits until ready.
  void Start();
  void Stop();

  std::unique_ptr<grpc::ClientContext> As(const std::string& user, auth::Role role,
                                          const std::string& tenant = "acme") const {
    return jobs_env_.As(user, role, tenant);
  }
  std::unique_ptr<grpc::ClientContext> Clerk(const std::string& tenant = "acme") const {
    return As("clerk-1", auth::Role::kBilling, tenant);
  }
  job::testing::JobServiceEnv& jobs_env() { return jobs_env_; }
  job::v1::JobService::Stub& jobs() { return jobs_env_.jobs(); }
  v1::BillingService::Stub& billing() { return *stub_; }
  BillingServer& server() { return *server_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string projections_dir() const { return data_dir_ + "/projections"; }

  // USD, 8.25 % on "materials" in US-TX, labour at $40.00 cost / $90.00 price an hour, 30 days.
  void SetSettings(const std::string& tenant = "acme");
  v1::PriceItem CreatePriceItem(const std::string& code, const std::string& name,
                                job::v1::LineItemKind kind, int64_t unit_price_cents,
                                int64_t cost_price_cents, const std::string& tax_category,
                                const std::string& tenant = "acme");
  // A job for a new customer with these lines, then Completed; its id.
  std::string CompletedJob(const std::vector<Line>& lines, const std::string& tenant = "acme");
  // A job with these lines (and a contract amount) for the customer (a new one when empty), left
  // Open.
  job::v1::Job OpenJob(const std::vector<Line>& lines, int64_t contract_cents = 0,
                       const std::string& customer_id = "", const std::string& tenant = "acme");
  grpc::Status Complete(const std::string& job_id, const std::string& tenant = "acme");
  // Creates and issues the job's invoice; `position` (if given) is where the issue was appended.
  v1::Invoice IssuedInvoice(const std::string& job_id, common::v1::LogPosition* position = nullptr);

 private:
  job::testing::JobServiceEnv jobs_env_;
  std::string data_dir_;
  std::unique_ptr<BillingServer> server_;
  std::unique_ptr<v1::BillingService::Stub> stub_;
  std::unique_ptr<job::BillingInvoiceLookup> lookup_;
};

common::v1::Money Usd(int64_t cents);

}  // namespace jobledger::billing::testing
