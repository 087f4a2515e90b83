// The demo seeder of `jl up` against the real five services: the demo tenant has what the README
// promises (people, price book, a day of jobs in every state, an invoice paid), read back through
// the APIs; a second run writes nothing; a run that died half-way is finished without duplicates;
// a tenant with data of its own is left alone.
#include "demo_seed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "jobledger/common/local_time.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/testing/wait.h"
#include "reporting_test_env.h"

namespace jobledger::cli {
namespace {

using reporting::testing::IsOk;
using reporting::testing::ReportingEnv;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kTenant[] = "demo";

class DemoSeedTest : public ::testing::Test {
 protected:
  DemoSeedOptions Options(const std::string& tenant = kTenant) {
    DemoSeedOptions options;
    options.endpoints.job = system().jobs_env().address();
    options.endpoints.scheduling = system().scheduling_address();
    options.endpoints.billing = absl::StrCat("127.0.0.1:", system().billing_env().server().port());
    options.tenant = tenant;
    options.token = DevTokenSource(job::testing::kKey, tenant);
    options.now = now_;
    options.zone = absl::UTCTimeZone();   // the test services' zone
    options.deadline = absl::Minutes(3);  // sanitizer builds on a busy machine
    return options;
  }

  reporting::testing::NotificationEnv& system() { return env_.system(); }
  std::unique_ptr<grpc::ClientContext> Dispatcher() {
    return system().As("dispatcher-1", auth::Role::kDispatcher, kTenant);
  }
  common::v1::LocalDate Today() const {
    common::v1::LocalDate day;
    LocalDateToProto(LocalDay(now_, absl::UTCTimeZone()), &day);
    return day;
  }

  reporting::v1::DispatchCounts Counts() {
    reporting::v1::DispatchCountsRequest request;
    *request.mutable_day() = Today();
    reporting::v1::DispatchCounts counts;
    EXPECT_TRUE(IsOk(env_.reports().GetDispatchCounts(Dispatcher().get(), request, &counts)));
    return counts;
  }

  std::map<job::v1::JobStatus, int64_t> ByStatus(const reporting::v1::DispatchCounts& counts) {
    std::map<job::v1::JobStatus, int64_t> by_status;
    for (const auto& count : counts.by_status()) {
      if (count.count() > 0) by_status[count.status()] = count.count();
    }
    return by_status;
  }

  // Scheduling moves the hot-list jobs to Scheduled by reacting to their visits: wait for the
  // day to settle where the seed left it.
  void WaitForTheDay() {
    const std::map<job::v1::JobStatus, int64_t> expected = {
        {job::v1::JOB_STATUS_OPEN, 3},        {job::v1::JOB_STATUS_SCHEDULED, 8},
        {job::v1::JOB_STATUS_IN_PROGRESS, 4}, {job::v1::JOB_STATUS_ON_HOLD, 1},
        {job::v1::JOB_STATUS_COMPLETED, 3},   {job::v1::JOB_STATUS_CANCELLED, 1},
        {job::v1::JOB_STATUS_DEFERRED, 1}};
    EXPECT_TRUE(jobledger::testing::WaitUntil(
        [&] {
          env_.CatchUp();
          return ByStatus(Counts()) == expected;
        },
        absl::Seconds(30)));
    EXPECT_EQ(ByStatus(Counts()), expected);
  }

  // Records in the topics the seed writes to (notification's are the sinks' business).
  int64_t WrittenRecords() {
    int64_t total = 0;
    eventlog::EventLog& log = system().jobs_env().log();
    for (absl::string_view topic :
         {eventlog::kJobTopic, eventlog::kSchedulingTopic, eventlog::kBillingTopic}) {
      auto partitions = log.PartitionCount(topic);
      EXPECT_TRUE(partitions.ok()) << partitions.status();
      for (int32_t partition = 0; partition < partitions.value_or(0); ++partition) {
        auto end = log.HighWatermark(topic, partition);
        EXPECT_TRUE(end.ok()) << end.status();
        total += end.value_or(0);
      }
    }
    return total;
  }

  std::vector<reporting::v1::JobRow> Rows(reporting::v1::View view) {
    reporting::v1::ListJobsRequest request;
    request.set_view(view);
    *request.mutable_day() = Today();
    request.set_page_size(100);
    reporting::v1::ListJobsResponse response;
    EXPECT_TRUE(IsOk(env_.reports().ListJobs(Dispatcher().get(), request, &response)));
    return {response.rows().begin(), response.rows().end()};
  }

  job::v1::JobView FindJob(const std::string& text) {
    job::v1::ListJobsRequest list;
    list.set_text(text);
    job::v1::ListJobsResponse found;
    EXPECT_TRUE(IsOk(system().jobs().ListJobs(Dispatcher().get(), list, &found)));
    EXPECT_THAT(found.jobs(), SizeIs(1)) << text;
    job::v1::GetJobRequest get;
    if (!found.jobs().empty()) get.set_job_id(found.jobs(0).job_id());
    job::v1::JobView view;
    EXPECT_TRUE(IsOk(system().jobs().GetJob(Dispatcher().get(), get, &view)));
    return view;
  }

  // Everything the README promises, read back through the services.
  void ExpectTheDemo() {
    WaitForTheDay();
    const reporting::v1::DispatchCounts counts = Counts();
    EXPECT_EQ(counts.scheduled_today(), 15);
    EXPECT_EQ(counts.completed_today(), 3);
    EXPECT_EQ(counts.unassigned_today(), 2);  // the hot list
    EXPECT_EQ(counts.awaiting_billing(), 1);
    EXPECT_EQ(counts.awaiting_payment(), 1);
    const auto on_hold = Rows(reporting::v1::VIEW_ON_HOLD);
    ASSERT_THAT(on_hold, SizeIs(1));
    EXPECT_THAT(on_hold[0].status_reason(), HasSubstr("Austin Energy"));
    const auto deferred = Rows(reporting::v1::VIEW_DEFERRED);
    ASSERT_THAT(deferred, SizeIs(1));
    EXPECT_THAT(deferred[0].status_reason(), HasSubstr("approve the estimate"));

    job::v1::ListJobsRequest all;
    job::v1::ListJobsResponse jobs;
    ASSERT_TRUE(IsOk(system().jobs().ListJobs(Dispatcher().get(), all, &jobs)));
    EXPECT_EQ(jobs.total_jobs(), 21);

    // The completed job with a checklist: its required items are done, the work is logged.
    const job::v1::JobView gfci = FindJob("GFCI");
    EXPECT_EQ(gfci.job().status(), job::v1::JOB_STATUS_COMPLETED);
    for (const job::v1::ChecklistItem& item : gfci.job().checklist()) {
      EXPECT_EQ(item.done(), item.required()) << item.text();
    }
    ASSERT_THAT(gfci.job().work_log(), SizeIs(1));
    EXPECT_EQ(gfci.job().work_log(0).minutes(), 80);
    EXPECT_FALSE(gfci.job().line_items().empty());
    // The project: a parent job with its two buildings' subjobs, one worked on by a crew.
    const job::v1::JobView project = FindJob("retrofit");
    EXPECT_EQ(project.job().status(), job::v1::JOB_STATUS_IN_PROGRESS);
    EXPECT_THAT(project.subjob_ids(), SizeIs(2));
    job::v1::ListJobsRequest subjobs_request;
    subjobs_request.set_parent_job_id(project.job().job_id());
    job::v1::ListJobsResponse subjobs;
    ASSERT_TRUE(IsOk(system().jobs().ListJobs(Dispatcher().get(), subjobs_request, &subjobs)));
    std::map<job::v1::JobStatus, int> subjob_statuses;
    for (const job::v1::JobSummary& subjob : subjobs.jobs()) {
      ++subjob_statuses[subjob.status()];
      if (subjob.status() != job::v1::JOB_STATUS_IN_PROGRESS) continue;
      job::v1::GetJobRequest get;
      get.set_job_id(subjob.job_id());
      job::v1::JobView crew_job;
      ASSERT_TRUE(IsOk(system().jobs().GetJob(Dispatcher().get(), get, &crew_job)));
      EXPECT_THAT(crew_job.assignment().crew_ids(), SizeIs(1));
      EXPECT_THAT(crew_job.job().work_log(), SizeIs(2));  // both crew members clocked in
    }
    EXPECT_EQ(subjob_statuses,
              (std::map<job::v1::JobStatus, int>{{job::v1::JOB_STATUS_OPEN, 1},
                                                 {job::v1::JOB_STATUS_IN_PROGRESS, 1}}));

    // Technicians with skills and a shift today, crews, the price book.
    scheduling::v1::ListTechniciansRequest technicians_request;
    scheduling::v1::ListTechniciansResponse technicians;
    ASSERT_TRUE(IsOk(system().technicians().ListTechnicians(Dispatcher().get(), technicians_request,
                                                            &technicians)));
    ASSERT_THAT(technicians.technicians(), SizeIs(6));
    for (const scheduling::v1::Technician& technician : technicians.technicians()) {
      EXPECT_FALSE(technician.skills().empty()) << technician.name();
      EXPECT_FALSE(technician.shifts().empty()) << technician.name();
    }
    scheduling::v1::ListCrewsResponse crews;
    ASSERT_TRUE(IsOk(system().technicians().ListCrews(Dispatcher().get(), {}, &crews)));
    EXPECT_THAT(crews.crews(), SizeIs(2));
    billing::v1::ListPriceItemsRequest prices_request;
    prices_request.set_page_size(100);
    billing::v1::ListPriceItemsResponse prices;
    ASSERT_TRUE(
        IsOk(system().billing().ListPriceItems(Dispatcher().get(), prices_request, &prices)));
    EXPECT_THAT(prices.items(), SizeIs(19));

    // Dispatch states on today's board: on the way, on site, done.
    scheduling::v1::GetBoardRequest board_request;
    *board_request.mutable_first_day() = Today();
    *board_request.mutable_last_day() = Today();
    scheduling::v1::GetBoardResponse board;
    ASSERT_TRUE(IsOk(system().dispatch().GetBoard(Dispatcher().get(), board_request, &board)));
    std::set<scheduling::v1::DispatchState> states;
    for (const auto& technician : board.technicians()) {
      for (const auto& appointment : technician.appointments()) {
        for (const auto& dispatch : appointment.dispatch()) states.insert(dispatch.state());
      }
    }
    EXPECT_THAT(states, Contains(scheduling::v1::DISPATCH_STATE_EN_ROUTE));
    EXPECT_THAT(states, Contains(scheduling::v1::DISPATCH_STATE_WORKING));
    EXPECT_THAT(states, Contains(scheduling::v1::DISPATCH_STATE_DEPARTED));
    EXPECT_THAT(states, Contains(scheduling::v1::DISPATCH_STATE_COMPLETED));
    EXPECT_THAT(board.unassigned(), SizeIs(2));

    // Two invoices issued, one of them paid in full.
    billing::v1::ListInvoicesRequest invoices_request;
    billing::v1::ListInvoicesResponse invoices;
    ASSERT_TRUE(
        IsOk(system().billing().ListInvoices(Dispatcher().get(), invoices_request, &invoices)));
    ASSERT_THAT(invoices.invoices(), SizeIs(2));
    int paid = 0;
    for (const billing::v1::Invoice& invoice : invoices.invoices()) {
      if (invoice.status() != billing::v1::INVOICE_STATUS_PAID) continue;
      ++paid;
      EXPECT_THAT(invoice.payments(), SizeIs(1));
      EXPECT_EQ(invoice.balance().minor_units(), 0);
    }
    EXPECT_EQ(paid, 1);
  }

  void ExpectSeededResult(const DemoSeedResult& result) {
    EXPECT_FALSE(result.already_seeded);
    EXPECT_EQ(result.customers, 8);
    EXPECT_EQ(result.technicians, 6);
    EXPECT_EQ(result.crews, 2);
    EXPECT_EQ(result.price_items, 19);
    EXPECT_EQ(result.jobs, 21);
    EXPECT_EQ(result.appointments, 15);
    EXPECT_EQ(result.invoices, 2);
    EXPECT_EQ(result.payments, 1);
    EXPECT_THAT(result.lines, SizeIs(3));
  }

  // Runs the seed again: it finds the demo and writes nothing.
  void ExpectSecondRunWritesNothing() {
    const int64_t before = WrittenRecords();
    auto again = SeedDemoTenant(Options());
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_TRUE(again->already_seeded);
    EXPECT_EQ(again->jobs, 0);
    EXPECT_THAT(again->lines, SizeIs(1));
    EXPECT_EQ(WrittenRecords(), before);
    job::v1::ListJobsRequest all;
    job::v1::ListJobsResponse jobs;
    ASSERT_TRUE(IsOk(system().jobs().ListJobs(Dispatcher().get(), all, &jobs)));
    EXPECT_EQ(jobs.total_jobs(), 21);
  }

  const absl::Time now_ = absl::Now();
  ReportingEnv env_;
};

TEST_F(DemoSeedTest, SeedsADayInEveryStateOnceAndOnlyOnce) {
  auto seeded = SeedDemoTenant(Options());
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  ExpectSeededResult(*seeded);
  for (const std::string& line : seeded->lines) std::printf("%s\n", line.c_str());
  ExpectTheDemo();
  ExpectSecondRunWritesNothing();
}

TEST_F(DemoSeedTest, FinishesAnInterruptedSeedWithoutDuplicates) {
  // The first run dies half-way through the day: a technician's token cannot be had.
  DemoSeedOptions broken = Options();
  const DemoTokenSource good = broken.token;
  broken.token = [good](auth::Role role,
                        const std::string& subject) -> absl::StatusOr<std::string> {
    if (subject == "tech-lena") return absl::UnavailableError("identity provider down");
    return good(role, subject);
  };
  auto interrupted = SeedDemoTenant(broken);
  ASSERT_FALSE(interrupted.ok());
  EXPECT_THAT(interrupted.status().message(), HasSubstr("tech-lena"));

  auto finished = SeedDemoTenant(Options());
  ASSERT_TRUE(finished.ok()) << finished.status();
  ExpectSeededResult(*finished);
  ExpectTheDemo();
  ExpectSecondRunWritesNothing();
}

TEST_F(DemoSeedTest, LeavesATenantWithItsOwnDataAlone) {
  system().jobs_env().CreateCustomer("Own Customer", "own");
  // The seeder looks at what the job service's lists show (it knows no position to wait for):
  // the customer is there before it looks.
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] {
        job::v1::ListCustomersRequest any;
        job::v1::ListCustomersResponse found;
        return IsOk(system().customers().ListCustomers(
                   system().As("dispatcher-1", auth::Role::kDispatcher, "own").get(), any,
                   &found)) &&
               found.customers_size() == 1;
      },
      absl::Seconds(30)));
  const int64_t before = WrittenRecords();
  auto seeded = SeedDemoTenant(Options("own"));
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  EXPECT_TRUE(seeded->already_seeded);
  EXPECT_EQ(WrittenRecords(), before);
}

}  // namespace
}  // namespace jobledger::cli
