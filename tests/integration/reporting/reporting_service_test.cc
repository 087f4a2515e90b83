// The reporting service end to end: the real job, scheduling, billing and notification services
// make the events; reporting's answers are checked against what was done, by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "reporting_test_env.h"

namespace jobledger::reporting::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kAnaPhone[] = "+15551230001";

class ReportingTest : public ::testing::Test {
 protected:
  NotificationEnv& system() { return env_.system(); }
  std::unique_ptr<grpc::ClientContext> Dispatcher() { return system().Dispatcher(); }

  std::string NewJob(const std::string& title, const std::string& project = "") {
    if (customer_.customer_id().empty()) {
      customer_ = system().CustomerWithContacts(
          "Maria Gonzalez", {{"Ana", kAnaPhone, "ana@example.com", true, true}});
    }
    job::v1::CreateJobRequest request;
    request.set_customer_id(customer_.customer_id());
    request.set_title(title);
    request.set_project_id(project);
    job::v1::JobReply reply;
    EXPECT_TRUE(IsOk(system().jobs().CreateJob(Dispatcher().get(), request, &reply)));
    return reply.job().job_id();
  }

  void LogWork(const std::string& job_id, const std::string& employee, int day, int64_t minutes,
               const std::string& type = "regular") {
    job::v1::LogWorkRequest request;
    request.set_job_id(job_id);
    job::v1::WorkEntry& entry = *request.mutable_entry();
    entry.set_employee_id(employee);
    entry.mutable_date()->set_year(2026);
    entry.mutable_date()->set_month(11);
    entry.mutable_date()->set_day(day);
    entry.set_type(type);
    entry.set_minutes(minutes);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(system().jobs().LogWork(Dispatcher().get(), request, &reply)));
  }

  void AddLine(const std::string& job_id, job::v1::LineItemKind kind, const std::string& name,
               int64_t quantity_milli, int64_t unit_cents) {
    job::v1::AddLineItemRequest request;
    request.set_job_id(job_id);
    job::v1::LineItem& line = *request.mutable_line_item();
    line.set_kind(kind);
    line.set_name(name);
    line.set_quantity_milli(quantity_milli);
    line.mutable_unit_price()->set_currency("USD");
    line.mutable_unit_price()->set_minor_units(unit_cents);
    line.set_billable(true);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(system().jobs().AddLineItem(Dispatcher().get(), request, &reply)));
  }

  std::vector<v1::JobRow> List(v1::View view, const common::v1::LocalDate& day = {}) {
    env_.CatchUp();
    v1::ListJobsRequest request;
    request.set_view(view);
    *request.mutable_day() = day;
    v1::ListJobsResponse response;
    EXPECT_TRUE(IsOk(env_.reports().ListJobs(Dispatcher().get(), request, &response)));
    return {response.rows().begin(), response.rows().end()};
  }

  ReportingEnv env_;
  job::v1::Customer customer_;
};

common::v1::LocalDate DateOf(absl::Time at) {
  const absl::CivilDay day = absl::ToCivilDay(at, absl::UTCTimeZone());
  common::v1::LocalDate date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

TEST_F(ReportingTest, TimeAndMaterialsAddsLabourPerEmployeeAndLinesWithKnownTotals) {
  system().billing_env().SetSettings();  // labour at $90.00 an hour
  const std::string job_id = NewJob("Water heater replacement");
  LogWork(job_id, "sam", 20, 90);  // 1.5 h × $90 = $135.00
  LogWork(job_id, "ria", 20, 45);  // 0.75 h × $90 = $67.50
  LogWork(job_id, "sam", 21, 30);  // 0.5 h × $90 = $45.00
  AddLine(job_id, job::v1::LINE_ITEM_KIND_MATERIAL, "Anode rod", 2'000, 24'99);   // $49.98
  AddLine(job_id, job::v1::LINE_ITEM_KIND_SERVICE, "Flush, tank", 1'000, 80'00);  // $80.00
  env_.CatchUp();
  v1::TimeAndMaterialsRequest request;
  request.add_job_ids(job_id);
  v1::TimeAndMaterialsReport report;
  ASSERT_TRUE(IsOk(env_.reports().GetTimeAndMaterials(Dispatcher().get(), request, &report)));
  ASSERT_THAT(report.labor(), SizeIs(2));
  EXPECT_EQ(report.labor(0).employee_id(), "ria");
  EXPECT_EQ(report.labor(0).minutes(), 45);
  EXPECT_EQ(report.labor(0).amount().minor_units(), 67'50);
  EXPECT_EQ(report.labor(1).employee_id(), "sam");
  EXPECT_EQ(report.labor(1).minutes(), 120);
  EXPECT_EQ(report.labor(1).amount().minor_units(), 180'00);
  EXPECT_EQ(report.labor_total().minor_units(), 247'50);
  EXPECT_EQ(report.materials_total().minor_units(), 49'98);
  EXPECT_EQ(report.services_total().minor_units(), 80'00);
  EXPECT_EQ(report.total().minor_units(), 247'50 + 49'98 + 80'00);
  ASSERT_THAT(report.days(), SizeIs(2));
  EXPECT_EQ(report.days(0).labor_minutes(), 135);
  EXPECT_EQ(report.days(1).labor_minutes(), 30);

  // One day only: the 21st.
  request.mutable_from()->set_year(2026);
  request.mutable_from()->set_month(11);
  request.mutable_from()->set_day(21);
  *request.mutable_to() = request.from();
  ASSERT_TRUE(IsOk(env_.reports().GetTimeAndMaterials(Dispatcher().get(), request, &report)));
  EXPECT_EQ(report.labor_total().minor_units(), 45'00);

  // As CSV.
  auto csv_context = Dispatcher();
  auto reader = env_.reports().ExportTimeAndMaterialsCsv(csv_context.get(), request);
  std::string csv;
  v1::CsvChunk chunk;
  while (reader->Read(&chunk)) csv += chunk.data();
  ASSERT_TRUE(IsOk(reader->Finish()));
  EXPECT_THAT(csv, HasSubstr("labor,,sam,regular,,30,,90.00,45.00,USD\r\n"));
  EXPECT_THAT(csv, HasSubstr("material,JOB-"));
}

TEST_F(ReportingTest, DispatchViewsListTodayUnassignedOverdueAndCountByStatus) {
  system().RegisterTechnician("sam", "Sam Patel", "+15559870001");
  const absl::Time now = system().clock().Now();
  const std::string assigned = NewJob("Boiler service");
  const std::string unassigned = NewJob("Leaking tap, kitchen");
  const std::string late = NewJob("Gutter repair");
  system().Schedule(assigned, now + absl::Hours(1), 2, {"sam"});
  system().Schedule(unassigned, now + absl::Hours(1), 1, {});
  system().Schedule(late, now - absl::Hours(30), 2, {"sam"});
  const common::v1::LocalDate today = DateOf(now + absl::Hours(1));
  auto numbers = [](const std::vector<v1::JobRow>& rows) {
    std::vector<std::string> titles;
    for (const v1::JobRow& row : rows) titles.push_back(row.title());
    return titles;
  };
  EXPECT_THAT(numbers(List(v1::VIEW_SCHEDULED_TODAY, today)),
              ElementsAre("Boiler service", "Leaking tap, kitchen"));
  EXPECT_THAT(numbers(List(v1::VIEW_UNASSIGNED_TODAY, today)), ElementsAre("Leaking tap, kitchen"));
  EXPECT_THAT(numbers(List(v1::VIEW_OVERDUE)), ElementsAre("Gutter repair"));
  const std::vector<v1::JobRow> today_rows = List(v1::VIEW_SCHEDULED_TODAY, today);
  EXPECT_EQ(today_rows[0].customer_name(), "Maria Gonzalez");
  EXPECT_THAT(today_rows[0].technician_ids(), ElementsAre("sam"));

  v1::DispatchCountsRequest count_request;
  *count_request.mutable_day() = today;
  v1::DispatchCounts counts;
  ASSERT_TRUE(IsOk(env_.reports().GetDispatchCounts(Dispatcher().get(), count_request, &counts)));
  EXPECT_EQ(counts.scheduled_today(), 2);
  EXPECT_EQ(counts.unassigned_today(), 1);
  EXPECT_EQ(counts.overdue(), 1);
  int64_t jobs = 0;
  for (const v1::StatusCount& count : counts.by_status()) jobs += count.count();
  EXPECT_EQ(jobs, 3);

  // A technician sees only their own jobs.
  v1::ListJobsRequest request;
  request.set_view(v1::VIEW_SCHEDULED_TODAY);
  *request.mutable_day() = today;
  v1::ListJobsResponse response;
  ASSERT_TRUE(IsOk(env_.reports().ListJobs(system().As("sam", auth::Role::kTechnician).get(),
                                           request, &response)));
  ASSERT_THAT(response.rows(), SizeIs(1));
  EXPECT_EQ(response.rows(0).title(), "Boiler service");
  ASSERT_TRUE(IsOk(env_.reports().ListJobs(system().As("ria", auth::Role::kTechnician).get(),
                                           request, &response)));
  EXPECT_THAT(response.rows(), SizeIs(0));
  // Another tenant sees none of it.
  ASSERT_TRUE(
      IsOk(env_.reports().ListJobs(system().Dispatcher("globex").get(), request, &response)));
  EXPECT_THAT(response.rows(), SizeIs(0));
}

TEST_F(ReportingTest, CsvExportQuotesCommasQuotesNewlinesAndUnicode) {
  const std::string tricky = "Pipe, \"main\" line\nJos\xc3\xa9 \xe2\x82\xac";
  NewJob(tricky);
  NewJob("Plain job");
  env_.CatchUp();
  v1::ListJobsRequest request;
  request.set_view(v1::VIEW_BY_STATUS);
  request.set_status(job::v1::JOB_STATUS_OPEN);
  auto context = Dispatcher();
  auto reader = env_.reports().ExportJobsCsv(context.get(), request);
  std::string csv;
  v1::CsvChunk chunk;
  while (reader->Read(&chunk)) csv += chunk.data();
  ASSERT_TRUE(IsOk(reader->Finish()));
  // Python's csv module reads it back into the same fields.
  jobledger::testing::TempDir dir;
  const std::string path = dir.Sub("jobs.csv");
  std::ofstream(path, std::ios::binary) << csv;
  const std::string command = absl::StrCat(
      "/usr/bin/python3 -c 'import csv,sys,json; rows=list(csv.reader(open(sys.argv[1], "
      "newline=\"\", encoding=\"utf-8\"))); print(json.dumps([r[1] for r in rows]))' ",
      path);
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0);
  const nlohmann::json titles = nlohmann::json::parse(out);
  ASSERT_EQ(titles.size(), 3u);
  EXPECT_EQ(titles[0], "title");
  EXPECT_EQ(titles[1], "Plain job");  // newest first
  EXPECT_EQ(titles[2], tricky);
}

TEST_F(ReportingTest, HistoryMergesEveryTopicInCausalOrderWithVerifiedChains) {
  system().billing_env().SetSettings();
  system().RegisterTechnician("sam", "Sam Patel", "+15559870001");
  const std::string job_id = NewJob("Water heater replacement");
  AddLine(job_id, job::v1::LINE_ITEM_KIND_SERVICE, "Install", 1'000, 300'00);
  system().Schedule(job_id, system().clock().Now() + absl::Hours(2), 2, {"sam"});
  system().WaitForJobMessages(job_id, 3, [](const notification::v1::Message& m) {
    return m.status() == notification::v1::MESSAGE_STATUS_SENT;
  });
  ASSERT_TRUE(IsOk(system().billing_env().Complete(job_id)));
  system().billing_env().IssuedInvoice(job_id);
  env_.CatchUp();
  v1::JobHistoryRequest request;
  request.set_job_id(job_id);
  v1::JobHistory history;
  ASSERT_TRUE(IsOk(env_.reports().GetJobHistory(Dispatcher().get(), request, &history)));
  EXPECT_TRUE(history.chain_verified()) << absl::StrJoin(history.chain_problems(), "; ");
  std::set<std::string> topics;
  std::vector<std::string> types;
  for (const v1::HistoryEntry& entry : history.entries()) {
    topics.insert(entry.topic());
    types.push_back(entry.envelope().type());
  }
  EXPECT_EQ(topics.size(), 4u);  // job, scheduling, billing, notification
  auto position = [&](absl::string_view type) {
    return std::find(types.begin(), types.end(), type) - types.begin();
  };
  EXPECT_LT(position("jobledger.job.v1.JobCreated"),
            position("jobledger.scheduling.v1.AppointmentScheduled"));
  EXPECT_LT(position("jobledger.scheduling.v1.AppointmentScheduled"),
            position("jobledger.notification.v1.MessageQueued"));
  EXPECT_LT(position("jobledger.notification.v1.MessageQueued"),
            position("jobledger.notification.v1.MessageSent"));
  EXPECT_LT(position("jobledger.billing.v1.InvoiceCreated"),
            position("jobledger.billing.v1.InvoiceIssued"));
  // Entries are in time order, and each caused event after its cause.
  for (int i = 1; i < history.entries_size(); ++i) {
    const auto& entry = history.entries(i);
    for (int j = i + 1; j < history.entries_size(); ++j) {
      EXPECT_NE(history.entries(j).envelope().event_id(), entry.envelope().causation_id());
    }
  }
  // A technician not on the job does not see it.
  EXPECT_EQ(env_.reports()
                .GetJobHistory(system().As("ria", auth::Role::kTechnician).get(), request, &history)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReportingTest, TheJobAsOfAPastMomentEqualsWhatTheJobServiceSaidThen) {
  const std::string job_id = NewJob("Boiler service");
  auto snapshot = [&] {
    job::v1::GetJobRequest get;
    get.set_job_id(job_id);
    job::v1::JobView view;
    EXPECT_TRUE(IsOk(system().jobs().GetJob(Dispatcher().get(), get, &view)));
    return view.job();
  };
  // Snapshots taken between changes, each with the moment it held.
  std::vector<std::pair<absl::Time, job::v1::Job>> snapshots;
  auto record = [&] {
    const absl::Time at = absl::Now();
    snapshots.emplace_back(at, snapshot());
    // The next change happens strictly after `at`.
    ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return absl::Now() > at; }));
  };
  record();
  AddLine(job_id, job::v1::LINE_ITEM_KIND_MATERIAL, "Valve", 1'000, 45'00);
  record();
  LogWork(job_id, "sam", 20, 60);
  record();
  job::v1::ChangeJobStatusRequest hold;
  hold.set_job_id(job_id);
  hold.set_status(job::v1::JOB_STATUS_ON_HOLD);
  hold.set_reason("waiting for parts");
  job::v1::JobReply reply;
  ASSERT_TRUE(IsOk(system().jobs().ChangeJobStatus(Dispatcher().get(), hold, &reply)));
  record();
  env_.CatchUp();
  for (const auto& [at, expected] : snapshots) {
    v1::JobAsOfRequest request;
    request.set_job_id(job_id);
    *request.mutable_at() = ProtoFromTime(at);
    v1::JobAsOf as_of;
    ASSERT_TRUE(IsOk(env_.reports().GetJobAsOf(Dispatcher().get(), request, &as_of)));
    EXPECT_EQ(as_of.job().SerializeAsString(), expected.SerializeAsString())
        << "at " << absl::FormatTime(at) << ": " << as_of.job().DebugString() << " vs "
        << expected.DebugString();
  }
  v1::JobAsOfRequest before;
  before.set_job_id(job_id);
  *before.mutable_at() = ProtoFromTime(snapshots[0].first - absl::Hours(1));
  v1::JobAsOf as_of;
  EXPECT_EQ(env_.reports().GetJobAsOf(Dispatcher().get(), before, &as_of).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReportingTest, RevenueShowsCompletedInvoicedAndCollectedSideBySide) {
  system().billing_env().SetSettings();
  const std::string job_id = NewJob("Repair");
  AddLine(job_id, job::v1::LINE_ITEM_KIND_SERVICE, "Repair", 1'000, 200'00);
  ASSERT_TRUE(IsOk(system().billing_env().Complete(job_id)));
  const billing::v1::Invoice invoice = system().billing_env().IssuedInvoice(job_id);
  billing::v1::RecordPaymentRequest pay;
  pay.set_invoice_id(invoice.invoice_id());
  pay.mutable_amount()->set_currency("USD");
  pay.mutable_amount()->set_minor_units(50'00);
  billing::v1::InvoiceReply paid;
  ASSERT_TRUE(IsOk(system().billing().RecordPayment(
      system().As("clerk-1", auth::Role::kBilling).get(), pay, &paid)));
  env_.CatchUp();
  v1::RevenueRequest request;
  v1::RevenueReport revenue;
  ASSERT_TRUE(IsOk(env_.reports().GetRevenue(Dispatcher().get(), request, &revenue)));
  EXPECT_EQ(revenue.completed_work_value().minor_units(), 200'00);
  EXPECT_EQ(revenue.jobs_completed(), 1);
  EXPECT_EQ(revenue.invoiced().minor_units(), invoice.total().minor_units());
  EXPECT_EQ(revenue.invoices_issued(), 1);
  EXPECT_EQ(revenue.collected().minor_units(), 50'00);
  EXPECT_EQ(revenue.payments(), 1);
}

}  // namespace
}  // namespace jobledger::reporting::testing
