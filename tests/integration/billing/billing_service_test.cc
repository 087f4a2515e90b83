// The billing service end to end with the real job service: settings and price book, invoices
// from completed jobs numbered without gaps under concurrency, void → reopen, payments and
// overpayment, progress billing to the cent, estimates converted exactly once, recall
// chargebacks, statements, PDFs, roles and tenants, and a restart keeping everything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "billing_test_env.h"
#include "jobledger/common/local_time.h"
#include "jobledger/testing/wait.h"

namespace jobledger::billing::testing {
namespace {

using ::testing::HasSubstr;

class BillingServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  BillingServiceTest() : env_(GetParam()) { env_.SetSettings(); }

  v1::Invoice GetInvoice(const std::string& id, const common::v1::LogPosition& after = {}) {
    v1::GetInvoiceRequest request;
    request.set_invoice_id(id);
    *request.mutable_min_position() = after;
    v1::Invoice invoice;
    EXPECT_TRUE(IsOk(env_.billing().GetInvoice(env_.Clerk().get(), request, &invoice)));
    return invoice;
  }

  grpc::Status Pay(const std::string& invoice_id, int64_t cents, v1::InvoiceReply* reply,
                   bool excess_to_credit = false) {
    v1::RecordPaymentRequest request;
    request.set_invoice_id(invoice_id);
    *request.mutable_amount() = Usd(cents);
    request.set_method("check");
    request.set_reference("1043");
    request.set_excess_to_credit(excess_to_credit);
    return env_.billing().RecordPayment(env_.Clerk().get(), request, reply);
  }

  BillingEnv env_;
};

TEST_P(BillingServiceTest, InvoicesACompletedJobWithPriceBookTaxAndRefusesTheRest) {
  const v1::PriceItem pipe = env_.CreatePriceItem(
      "MAT-PVC-2IN", "PVC pipe 2in", job::v1::LINE_ITEM_KIND_MATERIAL, 12'34, 6'00, "materials");
  // A code is unique per tenant, whatever its case.
  v1::CreatePriceItemRequest again;
  again.mutable_item()->set_code("mat-pvc-2in");
  again.mutable_item()->set_name("Other");
  again.mutable_item()->set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
  *again.mutable_item()->mutable_unit_price() = Usd(1);
  v1::PriceItemReply refused;
  EXPECT_EQ(env_.billing().CreatePriceItem(env_.Clerk().get(), again, &refused).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  const std::string job_id = env_.CompletedJob(
      {{pipe.price_item_id(), "PVC pipe 2in", job::v1::LINE_ITEM_KIND_MATERIAL, 3'000, 12'34},
       {"", "Drain cleaning", job::v1::LINE_ITEM_KIND_SERVICE, 1'500, 150'00}});
  v1::CreateInvoiceRequest create;
  create.set_job_id(job_id);
  v1::InvoiceReply created;
  ASSERT_TRUE(IsOk(env_.billing().CreateInvoice(env_.Clerk().get(), create, &created)));
  const v1::Invoice& invoice = created.invoice();
  EXPECT_EQ(invoice.number(), 1);
  EXPECT_EQ(invoice.status(), v1::INVOICE_STATUS_DRAFT);
  ASSERT_EQ(invoice.lines_size(), 2);
  // 3 × 12.34 = 37.02, taxed 8.25 % = 3.05415 → 3.05; 1.5 × 150.00 = 225.00 untaxed.
  EXPECT_EQ(invoice.subtotal().minor_units(), 37'02 + 225'00);
  EXPECT_EQ(invoice.tax().minor_units(), 3'05);
  EXPECT_EQ(invoice.total().minor_units(), 37'02 + 225'00 + 3'05);

  // A second standard invoice of the job is refused, naming the first.
  v1::InvoiceReply second;
  grpc::Status twice = env_.billing().CreateInvoice(env_.Clerk().get(), create, &second);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(twice.error_message(), HasSubstr("INV-1"));

  // Only completed jobs, and only jobs with something to bill.
  const job::v1::Job open =
      env_.OpenJob({{"", "Visit", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 50'00}});
  create.set_job_id(open.job_id());
  grpc::Status not_done = env_.billing().CreateInvoice(env_.Clerk().get(), create, &second);
  EXPECT_EQ(not_done.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(not_done.error_message(), HasSubstr("JOB-"));
  create.set_job_id(env_.CompletedJob({}));
  grpc::Status nothing = env_.billing().CreateInvoice(env_.Clerk().get(), create, &second);
  EXPECT_EQ(nothing.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(nothing.error_message(), HasSubstr("nothing to invoice"));

  // A price change is an event; the invoice keeps the price it was made with.
  v1::ChangePriceRequest change;
  change.set_price_item_id(pipe.price_item_id());
  *change.mutable_unit_price() = Usd(99'99);
  v1::PriceItemReply changed;
  ASSERT_TRUE(IsOk(env_.billing().ChangePrice(env_.Clerk().get(), change, &changed)));
  EXPECT_EQ(changed.item().unit_price().minor_units(), 99'99);
  EXPECT_EQ(GetInvoice(invoice.invoice_id(), created.result().position())
                .lines(0)
                .unit_price()
                .minor_units(),
            12'34);
}

TEST_P(BillingServiceTest, ConcurrentInvoicesAreNumberedWithoutGapsAndOncePerJob) {
  constexpr int kJobs = 12;
  std::vector<std::string> jobs;
  for (int i = 0; i < kJobs; ++i) {
    jobs.push_back(
        env_.CompletedJob({{"", "Service", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 100'00 + i}}));
  }
  // Every job is asked for twice at once: one wins per job, and the numbers are 1..12.
  std::vector<std::thread> threads;
  absl::Mutex mu;
  std::vector<int64_t> numbers;
  int refused = 0;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& job_id : jobs) {
      threads.emplace_back([&, job_id] {
        v1::CreateInvoiceRequest request;
        request.set_job_id(job_id);
        v1::InvoiceReply reply;
        grpc::Status status = env_.billing().CreateInvoice(env_.Clerk().get(), request, &reply);
        absl::MutexLock lock(&mu);
        if (status.ok()) {
          numbers.push_back(reply.invoice().number());
        } else {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
              << status.error_message();
          ++refused;
        }
      });
    }
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(refused, kJobs);
  std::set<int64_t> unique(numbers.begin(), numbers.end());
  ASSERT_EQ(unique.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(*unique.begin(), 1);
  EXPECT_EQ(*unique.rbegin(), kJobs);
}

TEST_P(BillingServiceTest, AVoidReleasesTheJobForReopening) {
  const std::string job_id =
      env_.CompletedJob({{"", "Repair", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 80'00}});
  common::v1::LogPosition issued_at;
  const v1::Invoice invoice = env_.IssuedInvoice(job_id, &issued_at);

  v1::ListAwaitingBillingRequest awaiting;
  *awaiting.mutable_min_position() = issued_at;
  v1::ListAwaitingBillingResponse listed;
  ASSERT_TRUE(IsOk(env_.billing().ListAwaitingBilling(env_.Clerk().get(), awaiting, &listed)));
  EXPECT_EQ(listed.jobs_size(), 0);

  job::v1::ReopenJobRequest reopen;
  reopen.set_job_id(job_id);
  reopen.set_reason("customer called back");
  job::v1::JobReply reopened;
  grpc::Status refused = env_.jobs().ReopenJob(
      env_.As("dispatcher-1", auth::Role::kDispatcher).get(), reopen, &reopened);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("INV-1"));

  v1::VoidInvoiceRequest void_request;
  void_request.set_invoice_id(invoice.invoice_id());
  v1::InvoiceReply voided;
  EXPECT_EQ(env_.billing().VoidInvoice(env_.Clerk().get(), void_request, &voided).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // a reason is required
  void_request.set_reason("wrong customer");
  ASSERT_TRUE(IsOk(env_.billing().VoidInvoice(env_.Clerk().get(), void_request, &voided)));
  EXPECT_EQ(voided.invoice().status(), v1::INVOICE_STATUS_VOID);

  // Void, the job awaits billing again, and it can be reopened.
  awaiting.mutable_min_position()->CopyFrom(voided.result().position());
  ASSERT_TRUE(IsOk(env_.billing().ListAwaitingBilling(env_.Clerk().get(), awaiting, &listed)));
  ASSERT_EQ(listed.jobs_size(), 1);
  EXPECT_EQ(listed.jobs(0).job_id(), job_id);
  EXPECT_EQ(listed.jobs(0).billable().minor_units(), 80'00);
  ASSERT_TRUE(IsOk(env_.jobs().ReopenJob(env_.As("dispatcher-1", auth::Role::kDispatcher).get(),
                                         reopen, &reopened)));
  EXPECT_EQ(reopened.job().status(), job::v1::JOB_STATUS_IN_PROGRESS);
}

TEST_P(BillingServiceTest, PartialPaymentsOverpaymentCreditRefundAndStatement) {
  const std::string job_id =
      env_.CompletedJob({{"", "Install", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 500'00}});
  const v1::Invoice invoice = env_.IssuedInvoice(job_id);
  ASSERT_EQ(invoice.total().minor_units(), 500'00);

  v1::InvoiceReply paid;
  ASSERT_TRUE(IsOk(Pay(invoice.invoice_id(), 200'00, &paid)));
  EXPECT_EQ(paid.invoice().status(), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_EQ(paid.invoice().balance().minor_units(), 300'00);

  grpc::Status over = Pay(invoice.invoice_id(), 350'00, &paid);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(over.error_message(), HasSubstr("overpayment"));
  EXPECT_EQ(GetInvoice(invoice.invoice_id(), paid.result().position()).balance().minor_units(),
            300'00);  // unchanged

  ASSERT_TRUE(IsOk(Pay(invoice.invoice_id(), 350'00, &paid, /*excess_to_credit=*/true)));
  EXPECT_EQ(paid.invoice().status(), v1::INVOICE_STATUS_PAID);
  EXPECT_EQ(paid.invoice().balance().minor_units(), 0);

  // A paid invoice is not voided; a refund comes first.
  v1::VoidInvoiceRequest void_request;
  void_request.set_invoice_id(invoice.invoice_id());
  void_request.set_reason("mistake");
  v1::InvoiceReply voided;
  EXPECT_EQ(env_.billing().VoidInvoice(env_.Clerk().get(), void_request, &voided).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::RecordRefundRequest refund;
  refund.set_invoice_id(invoice.invoice_id());
  *refund.mutable_amount() = Usd(100'00);
  refund.set_method("card");
  v1::InvoiceReply refunded;
  ASSERT_TRUE(IsOk(env_.billing().RecordRefund(env_.Clerk().get(), refund, &refunded)));
  EXPECT_EQ(refunded.invoice().status(), v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_EQ(refunded.invoice().balance().minor_units(), 100'00);

  v1::GetCustomerStatementRequest statement_request;
  statement_request.set_customer_id(invoice.customer_id());
  const absl::CivilDay today = LocalDay(absl::Now(), absl::UTCTimeZone());
  LocalDateToProto(today - 1, statement_request.mutable_first_day());
  LocalDateToProto(today + 1, statement_request.mutable_last_day());
  *statement_request.mutable_min_position() = refunded.result().position();
  v1::CustomerStatement statement;
  ASSERT_TRUE(
      IsOk(env_.billing().GetCustomerStatement(env_.Clerk().get(), statement_request, &statement)));
  EXPECT_EQ(statement.opening_balance().minor_units(), 0);
  // Charged 500 and refunded 100; paid 200 and 350 (50 of it kept as credit).
  ASSERT_EQ(statement.lines_size(), 4);
  EXPECT_EQ(statement.closing_balance().minor_units(), 500'00 + 100'00 - 200'00 - 350'00);
  EXPECT_EQ(statement.credit_available().minor_units(), 50'00);
}

TEST_P(BillingServiceTest, ProgressBillingAddsUpToTheContractToTheCent) {
  const job::v1::Job job = env_.OpenJob({}, /*contract_cents=*/1000'01);
  v1::SetBillingScheduleRequest schedule;
  schedule.set_job_id(job.job_id());
  for (int64_t share : {200'000, 200'000, 600'000}) {
    schedule.add_stages()->set_share_ppm(share);
  }
  v1::JobBillingReply scheduled;
  ASSERT_TRUE(IsOk(env_.billing().SetBillingSchedule(env_.Clerk().get(), schedule, &scheduled)));
  EXPECT_EQ(scheduled.billing().contract_amount().minor_units(), 1000'01);

  int64_t sum = 0;
  for (int stage : {2, 0, 1}) {  // in any order
    v1::CreateProgressInvoiceRequest request;
    request.set_job_id(job.job_id());
    request.set_stage(stage);
    v1::InvoiceReply reply;
    ASSERT_TRUE(IsOk(env_.billing().CreateProgressInvoice(env_.Clerk().get(), request, &reply)));
    EXPECT_EQ(reply.invoice().kind(), v1::INVOICE_KIND_PROGRESS);
    sum += reply.invoice().total().minor_units();
  }
  EXPECT_EQ(sum, 1000'01);
  // A stage is billed once, and the schedule is fixed while its invoices stand.
  v1::CreateProgressInvoiceRequest again;
  again.set_job_id(job.job_id());
  again.set_stage(1);
  v1::InvoiceReply reply;
  EXPECT_EQ(env_.billing().CreateProgressInvoice(env_.Clerk().get(), again, &reply).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      env_.billing().SetBillingSchedule(env_.Clerk().get(), schedule, &scheduled).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  // Completed, the job is not billed a second time as a whole.
  ASSERT_TRUE(IsOk(env_.Complete(job.job_id())));
  v1::CreateInvoiceRequest whole;
  whole.set_job_id(job.job_id());
  grpc::Status again_whole = env_.billing().CreateInvoice(env_.Clerk().get(), whole, &reply);
  EXPECT_EQ(again_whole.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(again_whole.error_message(), HasSubstr("progress schedule"));

  v1::GetJobFinancialsRequest financials_request;
  financials_request.set_job_id(job.job_id());
  *financials_request.mutable_min_position() = reply.result().position();
  v1::JobFinancials financials;
  ASSERT_TRUE(
      IsOk(env_.billing().GetJobFinancials(env_.Clerk().get(), financials_request, &financials)));
  EXPECT_EQ(financials.invoices_size(), 3);
  for (const v1::BillingStage& stage : financials.billing().schedule()) {
    EXPECT_FALSE(stage.invoice_id().empty());
  }
}

TEST_P(BillingServiceTest, AnApprovedEstimateBecomesOneJob) {
  const v1::PriceItem heater = env_.CreatePriceItem("AST-WH-50", "Water heater 50 gal",
                                                    job::v1::LINE_ITEM_KIND_ASSET, 1200'00, 0, "");
  const job::v1::Customer customer = env_.jobs_env().CreateCustomer("Jane Doe");
  v1::DraftEstimateRequest draft;
  draft.set_customer_id(customer.customer_id());
  draft.set_title("Replace water heater");
  draft.set_notes("Old unit in the garage");
  job::v1::LineItem* line = draft.add_lines();
  line->set_price_book_item_id(heater.price_item_id());
  line->set_quantity_milli(1'000);
  v1::EstimateReply estimate;
  ASSERT_TRUE(IsOk(env_.billing().DraftEstimate(env_.Clerk().get(), draft, &estimate)));
  EXPECT_EQ(estimate.estimate().total().minor_units(), 1200'00);
  const std::string id = estimate.estimate().estimate_id();

  v1::EstimateActionRequest action;
  action.set_estimate_id(id);
  EXPECT_EQ(env_.billing().ConvertEstimate(env_.Clerk().get(), action, &estimate).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // not approved yet
  ASSERT_TRUE(IsOk(env_.billing().SendEstimate(env_.Clerk().get(), action, &estimate)));
  v1::ApproveEstimateRequest approve;
  approve.set_estimate_id(id);
  approve.set_approved_by("Jane Doe");
  ASSERT_TRUE(IsOk(env_.billing().ApproveEstimate(env_.Clerk().get(), approve, &estimate)));

  v1::EstimateReply first;
  ASSERT_TRUE(IsOk(env_.billing().ConvertEstimate(env_.Clerk().get(), action, &first)));
  EXPECT_EQ(first.estimate().status(), v1::ESTIMATE_STATUS_CONVERTED);
  v1::EstimateReply second;
  ASSERT_TRUE(IsOk(env_.billing().ConvertEstimate(env_.Clerk().get(), action, &second)));
  EXPECT_EQ(second.estimate().job_id(), first.estimate().job_id());

  job::v1::GetJobRequest get;
  get.set_job_id(first.estimate().job_id());
  job::v1::JobView view;
  ASSERT_TRUE(
      IsOk(env_.jobs().GetJob(env_.As("dispatcher-1", auth::Role::kDispatcher).get(), get, &view)));
  const job::v1::Job& job = view.job();
  EXPECT_EQ(job.customer_id(), customer.customer_id());
  ASSERT_EQ(job.line_items_size(), 1);
  EXPECT_EQ(job.line_items(0).unit_price().minor_units(), 1200'00);
  EXPECT_EQ(job.line_items(0).price_book_item_id(), heater.price_item_id());
}

TEST_P(BillingServiceTest, ACompletedRecallIsChargedBackToTheOriginalTechnician) {
  const auto log_work = [&](const std::string& job_id, const std::string& employee, int minutes) {
    job::v1::LogWorkRequest request;
    request.set_job_id(job_id);
    request.mutable_entry()->set_employee_id(employee);
    LocalDateToProto(LocalDay(absl::Now(), absl::UTCTimeZone()),
                     request.mutable_entry()->mutable_date());
    request.mutable_entry()->set_type("regular");
    request.mutable_entry()->set_minutes(minutes);
    job::v1::JobReply reply;
    EXPECT_TRUE(IsOk(env_.jobs().LogWork(env_.As("dispatcher-1", auth::Role::kDispatcher).get(),
                                         request, &reply)));
  };
  const job::v1::Job original =
      env_.OpenJob({{"", "Install", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 300'00}});
  log_work(original.job_id(), "tech-a", 120);
  ASSERT_TRUE(IsOk(env_.Complete(original.job_id())));

  const job::v1::Job recall = env_.OpenJob({}, 0, original.customer_id());
  job::v1::LinkRecallRequest link;
  link.set_job_id(recall.job_id());
  link.set_original_job_id(original.job_id());
  job::v1::JobReply linked;
  ASSERT_TRUE(IsOk(env_.jobs().LinkRecall(env_.As("dispatcher-1", auth::Role::kDispatcher).get(),
                                          link, &linked)));
  log_work(recall.job_id(), "tech-b", 60);
  ASSERT_TRUE(IsOk(env_.Complete(recall.job_id())));

  v1::GetJobFinancialsRequest request;
  request.set_job_id(original.job_id());
  v1::JobFinancials financials;
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] {
        return env_.billing().GetJobFinancials(env_.Clerk().get(), request, &financials).ok() &&
               financials.billing().chargebacks_size() > 0;
      },
      absl::Seconds(20)));
  ASSERT_EQ(financials.billing().chargebacks_size(), 1);
  const v1::Chargeback& chargeback = financials.billing().chargebacks(0);
  EXPECT_EQ(chargeback.technician_id(), "tech-a");
  EXPECT_EQ(chargeback.recall_job_id(), recall.job_id());
  EXPECT_EQ(chargeback.amount().minor_units(), 90'00);  // 60 minutes at $90.00 an hour
  EXPECT_FALSE(chargeback.rule().empty());
}

TEST_P(BillingServiceTest, CreditNotesPdfRolesTenantsAndARestart) {
  const std::string job_id =
      env_.CompletedJob({{"", "Service call", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 120'00}});
  const v1::Invoice invoice = env_.IssuedInvoice(job_id);

  v1::CreateCreditNoteRequest credit;
  credit.set_invoice_id(invoice.invoice_id());
  credit.set_reason("loyalty discount");
  v1::InvoiceLine* line = credit.add_lines();
  line->set_name("Discount");
  line->set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  line->set_quantity_milli(1'000);
  *line->mutable_unit_price() = Usd(20'00);
  v1::InvoiceReply note;
  ASSERT_TRUE(IsOk(env_.billing().CreateCreditNote(env_.Clerk().get(), credit, &note)));
  EXPECT_EQ(note.invoice().kind(), v1::INVOICE_KIND_CREDIT_NOTE);
  EXPECT_EQ(note.invoice().total().minor_units(), -20'00);
  EXPECT_EQ(note.invoice().number(), invoice.number() + 1);
  // The invoice cannot be voided while the credit note against it stands.
  v1::VoidInvoiceRequest void_request;
  void_request.set_invoice_id(invoice.invoice_id());
  void_request.set_reason("redo");
  v1::InvoiceReply voided;
  EXPECT_EQ(env_.billing().VoidInvoice(env_.Clerk().get(), void_request, &voided).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The PDF, streamed.
  v1::GetInvoiceRequest pdf_request;
  pdf_request.set_invoice_id(invoice.invoice_id());
  auto context = env_.Clerk();
  auto reader = env_.billing().GetInvoicePdf(context.get(), pdf_request);
  std::string pdf;
  v1::DocumentChunk chunk;
  std::string file_name;
  while (reader->Read(&chunk)) {
    if (file_name.empty()) file_name = chunk.file_name();
    pdf += chunk.content();
  }
  ASSERT_TRUE(IsOk(reader->Finish()));
  EXPECT_EQ(file_name, "INV-1.pdf");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");

  // Technicians have no billing access; another tenant sees nothing.
  v1::Invoice seen;
  EXPECT_EQ(env_.billing()
                .GetInvoice(env_.As("tech-1", auth::Role::kTechnician).get(), pdf_request, &seen)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(env_.billing().GetInvoice(env_.Clerk("other").get(), pdf_request, &seen).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // A restart keeps the invoices, and numbering goes on from there.
  env_.Stop();
  env_.Start();
  EXPECT_EQ(GetInvoice(invoice.invoice_id()).status(), v1::INVOICE_STATUS_ISSUED);
  const std::string next_job =
      env_.CompletedJob({{"", "Follow-up", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 60'00}});
  v1::CreateInvoiceRequest create;
  create.set_job_id(next_job);
  v1::InvoiceReply created;
  ASSERT_TRUE(IsOk(env_.billing().CreateInvoice(env_.Clerk().get(), create, &created)));
  EXPECT_EQ(created.invoice().number(), note.invoice().number() + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, BillingServiceTest,
                         ::testing::Values(Backend::kEmbedded, Backend::kKafka),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return backend.param == Backend::kEmbedded ? "Embedded" : "Kafka";
                         });

}  // namespace
}  // namespace jobledger::billing::testing
