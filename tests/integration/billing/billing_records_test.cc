// The billing projection is a pure function of the logs: the live state equals a clean rebuild
// (as `jl projections verify billing` checks it), and a service whose projection is deleted
// rebuilds it and answers every query the same.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "billing_test_env.h"
#include "jobledger/common/local_time.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/wait.h"

namespace jobledger::billing::testing {
namespace {

using ::testing::HasSubstr;
using Answers = std::map<std::string, std::string>;

TEST(BillingRecordsTest, TheProjectionEqualsACleanRebuildAndAnswersTheSameAfterOne) {
  BillingEnv env;
  env.SetSettings();
  const v1::PriceItem valve = env.CreatePriceItem(
      "MAT-VALVE", "Ball valve", job::v1::LINE_ITEM_KIND_MATERIAL, 24'99, 11'00, "materials");
  env.CreatePriceItem("SVC-CALL", "Service call", job::v1::LINE_ITEM_KIND_SERVICE, 89'00, 0, "");

  // An invoice paid in part, with a credit note; an overpaid one; a voided one; progress stages.
  const std::string first = env.CompletedJob(
      {{valve.price_item_id(), "Ball valve", job::v1::LINE_ITEM_KIND_MATERIAL, 2'000, 24'99},
       {"", "Labour", job::v1::LINE_ITEM_KIND_SERVICE, 1'500, 95'00}});
  const v1::Invoice paid_in_part = env.IssuedInvoice(first);
  v1::RecordPaymentRequest pay;
  pay.set_invoice_id(paid_in_part.invoice_id());
  *pay.mutable_amount() = Usd(50'00);
  v1::InvoiceReply reply;
  ASSERT_TRUE(IsOk(env.billing().RecordPayment(env.Clerk().get(), pay, &reply)));
  v1::CreateCreditNoteRequest credit;
  credit.set_invoice_id(paid_in_part.invoice_id());
  credit.set_reason("goodwill");
  v1::InvoiceLine* line = credit.add_lines();
  line->set_name("Goodwill");
  line->set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  line->set_quantity_milli(1'000);
  *line->mutable_unit_price() = Usd(10'00);
  ASSERT_TRUE(IsOk(env.billing().CreateCreditNote(env.Clerk().get(), credit, &reply)));

  const std::string second =
      env.CompletedJob({{"", "Inspection", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 70'00}});
  const v1::Invoice overpaid = env.IssuedInvoice(second);
  pay.set_invoice_id(overpaid.invoice_id());
  *pay.mutable_amount() = Usd(100'00);
  pay.set_excess_to_credit(true);
  ASSERT_TRUE(IsOk(env.billing().RecordPayment(env.Clerk().get(), pay, &reply)));

  const std::string third =
      env.CompletedJob({{"", "Repair", job::v1::LINE_ITEM_KIND_SERVICE, 1'000, 40'00}});
  const v1::Invoice voided = env.IssuedInvoice(third);
  v1::VoidInvoiceRequest void_request;
  void_request.set_invoice_id(voided.invoice_id());
  void_request.set_reason("duplicate");
  ASSERT_TRUE(IsOk(env.billing().VoidInvoice(env.Clerk().get(), void_request, &reply)));

  const job::v1::Job project = env.OpenJob({}, 5000'00);
  v1::SetBillingScheduleRequest schedule;
  schedule.set_job_id(project.job_id());
  for (int64_t share : {300'000, 700'000}) schedule.add_stages()->set_share_ppm(share);
  v1::JobBillingReply scheduled;
  ASSERT_TRUE(IsOk(env.billing().SetBillingSchedule(env.Clerk().get(), schedule, &scheduled)));
  v1::CreateProgressInvoiceRequest progress;
  progress.set_job_id(project.job_id());
  ASSERT_TRUE(IsOk(env.billing().CreateProgressInvoice(env.Clerk().get(), progress, &reply)));
  v1::CommissionRequest defer;
  defer.set_job_id(first);
  defer.set_note("callback pending");
  ASSERT_TRUE(IsOk(env.billing().DeferCommission(env.Clerk().get(), defer, &scheduled)));

  v1::DraftEstimateRequest draft;
  draft.set_customer_id(env.jobs_env().CreateCustomer("Estimate customer").customer_id());
  draft.set_title("New valve");
  job::v1::LineItem* estimate_line = draft.add_lines();
  estimate_line->set_price_book_item_id(valve.price_item_id());
  estimate_line->set_quantity_milli(1'000);
  v1::EstimateReply estimate;
  ASSERT_TRUE(IsOk(env.billing().DraftEstimate(env.Clerk().get(), draft, &estimate)));
  const common::v1::LogPosition last = estimate.result().position();

  auto read_answers = [&] {
    Answers answers;
    auto keep = [&](const std::string& name, const grpc::Status& status,
                    const google::protobuf::Message& message) {
      EXPECT_TRUE(IsOk(status)) << name;
      answers[name] = message.DebugString();
    };
    v1::ListInvoicesRequest list;
    *list.mutable_min_position() = last;
    list.set_page_size(100);
    v1::ListInvoicesResponse invoices;
    keep("invoices", env.billing().ListInvoices(env.Clerk().get(), list, &invoices), invoices);
    for (const v1::Invoice& invoice : invoices.invoices()) {
      v1::GetInvoiceRequest get;
      get.set_invoice_id(invoice.invoice_id());
      v1::Invoice one;
      keep("invoice " + invoice.invoice_id(),
           env.billing().GetInvoice(env.Clerk().get(), get, &one), one);
      v1::GetCustomerStatementRequest statement_request;
      statement_request.set_customer_id(invoice.customer_id());
      const absl::CivilDay today = LocalDay(absl::Now(), absl::UTCTimeZone());
      LocalDateToProto(today - 30, statement_request.mutable_first_day());
      LocalDateToProto(today + 1, statement_request.mutable_last_day());
      v1::CustomerStatement statement;
      keep("statement " + invoice.customer_id(),
           env.billing().GetCustomerStatement(env.Clerk().get(), statement_request, &statement),
           statement);
    }
    for (const std::string& job_id : {first, second, third, project.job_id()}) {
      v1::GetJobFinancialsRequest financials_request;
      financials_request.set_job_id(job_id);
      v1::JobFinancials financials;
      keep("financials " + job_id,
           env.billing().GetJobFinancials(env.Clerk().get(), financials_request, &financials),
           financials);
    }
    v1::ListAwaitingBillingResponse awaiting;
    keep("awaiting", env.billing().ListAwaitingBilling(env.Clerk().get(), {}, &awaiting), awaiting);
    v1::ListPriceItemsResponse items;
    keep("price items", env.billing().ListPriceItems(env.Clerk().get(), {}, &items), items);
    v1::GetEstimateRequest get_estimate;
    get_estimate.set_estimate_id(estimate.estimate().estimate_id());
    v1::Estimate estimate_now;
    keep("estimate", env.billing().GetEstimate(env.Clerk().get(), get_estimate, &estimate_now),
         estimate_now);
    v1::BillingSettings settings;
    keep("settings", env.billing().GetBillingSettings(env.Clerk().get(), {}, &settings), settings);
    return answers;
  };
  const Answers before = read_answers();
  // Not a comparison of empty answers.
  EXPECT_THAT(before.at("invoices"), HasSubstr("INVOICE_KIND_CREDIT_NOTE"));
  EXPECT_THAT(before.at("invoices"), HasSubstr("INVOICE_STATUS_VOID"));
  EXPECT_THAT(before.at("awaiting"), HasSubstr(third));
  EXPECT_THAT(before.at("financials " + first), HasSubstr("commission_deferred: true"));

  // The live projection equals a clean rebuild, as `jl projections verify` sees it.
  env.Stop();
  auto child = jobledger::testing::ChildProcess::Spawn(
      {JL_CLI_PATH, "projections", "verify", "billing", "--data-dir", env.data_dir()});
  ASSERT_TRUE(child.ok()) << child.status();
  std::string output;
  while (auto text = (*child)->ReadLine(absl::Seconds(60))) output += *text + "\n";
  EXPECT_EQ((*child)->Wait(), 0) << output;
  EXPECT_THAT(output, HasSubstr("OK: the live state equals a clean rebuild"));

  // Without its projection the service rebuilds it from the logs and answers the same.
  std::error_code error;
  ASSERT_GT(std::filesystem::remove_all(env.projections_dir(), error), 0u) << error.message();
  env.Start();
  const Answers after = read_answers();
  for (const auto& [name, answer] : before) {
    EXPECT_EQ(after.at(name), answer) << name;
  }
}

}  // namespace
}  // namespace jobledger::billing::testing
