// The billing service test environment.
#include "billing_test_env.h"

#include "absl/strings/str_cat.h"
#include "jobledger/testing/wait.h"

namespace jobledger::billing::testing {

common::v1::Money Usd(int64_t cents) {
  common::v1::Money money;
  money.set_currency("USD");
  money.set_minor_units(cents);
  return money;
}

BillingEnv::BillingEnv(Backend backend)
    : jobs_env_(backend), data_dir_(jobs_env_.data_dir() + "-billing") {
  Start();
}

BillingEnv::~BillingEnv() {
  jobs_env_.invoices().Forward(nullptr);
  Stop();
}

void BillingEnv::Start() {
  BillingServerOptions options;
  options.server = job::testing::TestServerConfig("billing", data_dir_);
  options.log = &jobs_env_.billing_log();
  options.job_address = jobs_env_.address();
  options.time_zone = absl::UTCTimeZone();
  options.business_name = "Acme Plumbing";
  options.topic_wait = absl::Seconds(10);
  auto server = BillingServer::Start(std::move(options));
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return server_->grpc_server().ready(); },
                                            absl::Seconds(30)));
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                     grpc::InsecureChannelCredentials());
  stub_ = v1::BillingService::NewStub(channel);
  lookup_ = std::make_unique<job::BillingInvoiceLookup>(channel, absl::Seconds(10));
  jobs_env_.invoices().Forward(lookup_.get());
}

void BillingEnv::Stop() {
  if (server_ == nullptr) return;
  jobs_env_.invoices().Forward(nullptr);
  EXPECT_TRUE(server_->Shutdown().ok());
  server_.reset();
}

void BillingEnv::SetSettings(const std::string& tenant) {
  v1::SetBillingSettingsRequest request;
  v1::BillingSettings* settings = request.mutable_settings();
  settings->set_currency("USD");
  settings->set_jurisdiction("US-TX");
  v1::TaxRate* materials = settings->add_tax_rates();
  materials->set_category("materials");
  materials->set_rate_ppm(82'500);
  v1::LaborRate* labor = settings->add_labor_rates();
  *labor->mutable_hourly_cost() = Usd(40'00);
  *labor->mutable_hourly_price() = Usd(90'00);
  settings->set_payment_terms_days(30);
  for (const char* field :
       {"currency", "jurisdiction", "tax_rates", "labor_rates", "payment_terms_days"}) {
    request.add_update_fields(field);
  }
  v1::BillingSettingsReply reply;
  EXPECT_TRUE(IsOk(billing().SetBillingSettings(Clerk(tenant).get(), request, &reply)));
}

v1::PriceItem BillingEnv::CreatePriceItem(const std::string& code, const std::string& name,
                                          job::v1::LineItemKind kind, int64_t unit_price_cents,
                                          int64_t cost_price_cents, const std::string& tax_category,
                                          const std::string& tenant) {
  v1::CreatePriceItemRequest request;
  v1::PriceItem* item = request.mutable_item();
  item->set_code(code);
  item->set_name(name);
  item->set_kind(kind);
  *item->mutable_unit_price() = Usd(unit_price_cents);
  if (cost_price_cents > 0) *item->mutable_cost_price() = Usd(cost_price_cents);
  item->set_tax_category(tax_category);
  v1::PriceItemReply reply;
  EXPECT_TRUE(IsOk(billing().CreatePriceItem(Clerk(tenant).get(), request, &reply)));
  return reply.item();
}

job::v1::Job BillingEnv::OpenJob(const std::vector<Line>& lines, int64_t contract_cents,
                                 const std::string& customer_id, const std::string& tenant) {
  job::v1::CreateJobRequest request;
  request.set_customer_id(customer_id.empty()
                              ? jobs_env_.CreateCustomer("Customer", tenant).customer_id()
                              : customer_id);
  request.set_title("Work");
  if (contract_cents > 0) *request.mutable_contract_amount() = Usd(contract_cents);
  for (const Line& line : lines) {
    job::v1::LineItem* item = request.add_line_items();
    item->set_price_book_item_id(line.price_item_id);
    item->set_name(line.name);
    item->set_kind(line.kind);
    item->set_quantity_milli(line.quantity_milli);
    *item->mutable_unit_price() = Usd(line.unit_price_cents);
    item->set_billable(true);
  }
  job::v1::JobReply reply;
  EXPECT_TRUE(IsOk(jobs().CreateJob(As("dispatcher-1", auth::Role::kDispatcher, tenant).get(),
                                    request, &reply)));
  return reply.job();
}

grpc::Status BillingEnv::Complete(const std::string& job_id, const std::string& tenant) {
  job::v1::ChangeJobStatusRequest request;
  request.set_job_id(job_id);
  request.set_status(job::v1::JOB_STATUS_COMPLETED);
  job::v1::JobReply reply;
  return jobs().ChangeJobStatus(As("dispatcher-1", auth::Role::kDispatcher, tenant).get(), request,
                                &reply);
}

std::string BillingEnv::CompletedJob(const std::vector<Line>& lines, const std::string& tenant) {
  const std::string job_id = OpenJob(lines, 0, "", tenant).job_id();
  EXPECT_TRUE(IsOk(Complete(job_id, tenant)));
  return job_id;
}

v1::Invoice BillingEnv::IssuedInvoice(const std::string& job_id,
                                      common::v1::LogPosition* position) {
  v1::CreateInvoiceRequest create;
  create.set_job_id(job_id);
  v1::InvoiceReply created;
  EXPECT_TRUE(IsOk(billing().CreateInvoice(Clerk().get(), create, &created)));
  v1::InvoiceActionRequest issue;
  issue.set_invoice_id(created.invoice().invoice_id());
  v1::InvoiceReply issued;
  EXPECT_TRUE(IsOk(billing().IssueInvoice(Clerk().get(), issue, &issued)));
  if (position != nullptr) *position = issued.result().position();
  return issued.invoice();
}

}  // namespace jobledger::billing::testing
