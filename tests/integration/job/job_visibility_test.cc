// The visibility rule on every job read and write path, with assignments from scheduling's
// events appended straight to the scheduling topic; tenants apart; the list's filters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "google/protobuf/util/time_util.h"
#include "job_test_env.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "jobledger/testing/wait.h"

namespace jobledger::job::testing {
namespace {

using auth::Role;
using google::protobuf::util::TimeUtil;

class JobVisibilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    customer_ = env_.CreateCustomer("Ada");
    job_a_ = env_.CreateJob(customer_.customer_id(), "Job A").job().job_id();
    job_b_ = env_.CreateJob(customer_.customer_id(), "Job B").job().job_id();
  }

  void Schedule(const std::string& job_id, const std::string& appointment_id,
                std::vector<std::string> technicians, std::vector<std::string> crews) {
    scheduling::v1::AppointmentScheduled scheduled;
    scheduled.set_appointment_id(appointment_id);
    scheduled.set_job_id(job_id);
    for (const std::string& technician : technicians) scheduled.add_technician_ids(technician);
    for (const std::string& crew : crews) scheduled.add_crew_ids(crew);
    env_.AppendScheduling("acme", "job_schedule", job_id, scheduled);
  }

  std::set<std::string> VisibleTitles(const std::string& user, Role role,
                                      v1::ListJobsRequest request = {}) {
    v1::ListJobsResponse response;
    EXPECT_TRUE(IsOk(env_.jobs().ListJobs(env_.As(user, role).get(), request, &response)));
    std::set<std::string> titles;
    for (const v1::JobSummary& job : response.jobs()) titles.insert(job.title());
    return titles;
  }

  grpc::StatusCode GetCode(const std::string& user, Role role, const std::string& job_id,
                           const std::string& tenant = "acme") {
    v1::GetJobRequest get;
    get.set_job_id(job_id);
    v1::JobView view;
    return env_.jobs().GetJob(env_.As(user, role, tenant).get(), get, &view).error_code();
  }

  JobServiceEnv env_;
  v1::Customer customer_;
  std::string job_a_;
  std::string job_b_;
};

TEST_F(JobVisibilityTest, TechniciansSeeOnlyJobsTheyCreatedOrAreAssignedTo) {
  Schedule(job_a_, "11111111-1111-7111-8111-111111111111", {"tech-1"}, {});
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return VisibleTitles("tech-1", Role::kTechnician).contains("Job A"); }));
  EXPECT_EQ(VisibleTitles("tech-1", Role::kTechnician), std::set<std::string>{"Job A"});
  EXPECT_EQ(GetCode("tech-1", Role::kTechnician, job_a_), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode("tech-1", Role::kTechnician, job_b_), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode("tech-2", Role::kTechnician, job_a_), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(VisibleTitles("tech-2", Role::kTechnician).empty());

  // Writes follow the same rule: tech-1 cannot change job B, nor see its history.
  v1::AddNoteRequest note;
  note.set_job_id(job_b_);
  note.set_text("not mine");
  v1::JobReply reply;
  EXPECT_EQ(
      env_.jobs().AddNote(env_.As("tech-1", Role::kTechnician).get(), note, &reply).error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::GetJobHistoryRequest history;
  history.set_job_id(job_b_);
  v1::GetJobHistoryResponse entries;
  EXPECT_EQ(env_.jobs()
                .GetJobHistory(env_.As("tech-1", Role::kTechnician).get(), history, &entries)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  note.set_job_id(job_a_);
  EXPECT_TRUE(IsOk(env_.jobs().AddNote(env_.As("tech-1", Role::kTechnician).get(), note, &reply)));

  // A job a technician creates is theirs to see.
  v1::CreateJobRequest create;
  create.set_customer_id(customer_.customer_id());
  create.set_title("Found on site");
  v1::JobReply created;
  ASSERT_TRUE(
      IsOk(env_.jobs().CreateJob(env_.As("tech-2", Role::kTechnician).get(), create, &created)));
  EXPECT_EQ(GetCode("tech-2", Role::kTechnician, created.job().job_id()), grpc::StatusCode::OK);
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return VisibleTitles("tech-2", Role::kTechnician).contains("Found on site"); }));

  // Reassigning moves the job from one technician's view to the other's.
  scheduling::v1::AppointmentReassigned reassigned;
  reassigned.set_appointment_id("11111111-1111-7111-8111-111111111111");
  reassigned.set_job_id(job_a_);
  reassigned.add_technician_ids("tech-3");
  reassigned.add_previous_technician_ids("tech-1");
  env_.AppendScheduling("acme", "job_schedule", job_a_, reassigned);
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return VisibleTitles("tech-3", Role::kTechnician).contains("Job A"); }));
  EXPECT_EQ(GetCode("tech-1", Role::kTechnician, job_a_), grpc::StatusCode::NOT_FOUND);
}

TEST_F(JobVisibilityTest, CrewMembersSeeTheirCrewsJobsAsMembershipChanges) {
  Schedule(job_b_, "22222222-2222-7222-8222-222222222222", {}, {"crew-north"});
  scheduling::v1::CrewMemberAdded added;
  added.set_crew_id("crew-north");
  added.set_technician_id("tech-7");
  env_.AppendScheduling("acme", "crew", "crew-north", added);
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return GetCode("tech-7", Role::kTechnician, job_b_) == grpc::StatusCode::OK; }));
  EXPECT_EQ(VisibleTitles("tech-7", Role::kTechnician), std::set<std::string>{"Job B"});

  scheduling::v1::CrewMemberRemoved removed;
  removed.set_crew_id("crew-north");
  removed.set_technician_id("tech-7");
  env_.AppendScheduling("acme", "crew", "crew-north", removed);
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return GetCode("tech-7", Role::kTechnician, job_b_) == grpc::StatusCode::NOT_FOUND; }));
  EXPECT_TRUE(VisibleTitles("tech-7", Role::kTechnician).empty());
}

TEST_F(JobVisibilityTest, RolesDecideWhichMethodsMayBeCalled) {
  v1::CreateJobRequest create;
  create.set_customer_id(customer_.customer_id());
  create.set_title("From billing?");
  v1::JobReply reply;
  EXPECT_EQ(env_.jobs().CreateJob(env_.As("b", Role::kBilling).get(), create, &reply).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(env_.jobs().CreateJob(env_.As("a", Role::kAnalyst).get(), create, &reply).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext anonymous;
  EXPECT_EQ(env_.jobs().CreateJob(&anonymous, create, &reply).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::BulkChangeStatusRequest bulk;
  bulk.add_job_ids(job_a_);
  bulk.set_status(v1::JOB_STATUS_COMPLETED);
  v1::BulkChangeStatusResponse bulk_reply;
  EXPECT_EQ(env_.jobs()
                .BulkChangeStatus(env_.As("t", Role::kTechnician).get(), bulk, &bulk_reply)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Billing and analysts read every job of their tenant.
  EXPECT_EQ(GetCode("b", Role::kBilling, job_a_), grpc::StatusCode::OK);
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return VisibleTitles("a", Role::kAnalyst).size() == 2; }));
}

TEST_F(JobVisibilityTest, AnotherTenantSeesNothing) {
  EXPECT_EQ(GetCode("dispatcher-9", Role::kDispatcher, job_a_, "globex"),
            grpc::StatusCode::NOT_FOUND);
  v1::ListJobsResponse response;
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("dispatcher-9", Role::kDispatcher, "globex").get(),
                                        {}, &response)));
  EXPECT_EQ(response.jobs_size(), 0);
  EXPECT_EQ(response.total_jobs(), 0);
  v1::ChangeJobStatusRequest change;
  change.set_job_id(job_a_);
  change.set_status(v1::JOB_STATUS_CANCELLED);
  change.set_reason("not yours");
  v1::JobReply reply;
  EXPECT_EQ(env_.jobs()
                .ChangeJobStatus(env_.As("dispatcher-9", Role::kDispatcher, "globex").get(), change,
                                 &reply)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetCustomerRequest customer;
  customer.set_customer_id(customer_.customer_id());
  v1::Customer found;
  EXPECT_EQ(
      env_.customers()
          .GetCustomer(env_.As("dispatcher-9", Role::kDispatcher, "globex").get(), customer, &found)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(JobVisibilityTest, ListFiltersUseTheirIndexesAndPagesNeverRepeat) {
  Schedule(job_a_, "33333333-3333-7333-8333-333333333333", {"tech-1"}, {});
  const v1::Customer other = env_.CreateCustomer("Bob Builder");
  std::vector<std::string> more;
  for (int i = 0; i < 7; ++i) {
    v1::CreateJobRequest create;
    create.set_customer_id(other.customer_id());
    create.set_title(absl::StrCat("Furnace tune-up ", i));
    *create.mutable_scheduled_start() = TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(absl::FromUnixSeconds(1'900'000'000) + absl::Hours(24 * i)));
    v1::JobReply reply;
    ASSERT_TRUE(IsOk(
        env_.jobs().CreateJob(env_.As("dispatcher-2", Role::kDispatcher).get(), create, &reply)));
    more.push_back(reply.job().job_id());
  }
  v1::ChangeJobStatusRequest hold;
  hold.set_job_id(more[0]);
  hold.set_status(v1::JOB_STATUS_ON_HOLD);
  hold.set_reason("parts");
  v1::JobReply held;
  ASSERT_TRUE(
      IsOk(env_.jobs().ChangeJobStatus(env_.As("d", Role::kDispatcher).get(), hold, &held)));
  v1::ListJobsRequest wait;
  *wait.mutable_min_position() = held.result().position();
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    return VisibleTitles("d", Role::kDispatcher, wait).size() == 9 &&
           VisibleTitles("d", Role::kDispatcher,
                         [] {
                           v1::ListJobsRequest r;
                           r.set_technician_id("tech-1");
                           return r;
                         }())
                   .size() == 1;
  }));

  v1::ListJobsRequest by_customer;
  by_customer.set_customer_id(other.customer_id());
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, by_customer).size(), 7);
  v1::ListJobsRequest on_hold;
  on_hold.add_statuses(v1::JOB_STATUS_ON_HOLD);
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, on_hold),
            std::set<std::string>{"Furnace tune-up 0"});
  v1::ListJobsRequest unassigned;
  unassigned.set_unassigned(true);
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, unassigned).size(), 8);
  v1::ListJobsRequest mine;
  mine.set_created_by_me(true);
  EXPECT_EQ(VisibleTitles("dispatcher-2", Role::kDispatcher, mine).size(), 7);
  v1::ListJobsRequest text;
  text.set_text("furn tune-up");
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, text).size(), 7);
  text.set_sort(v1::JOB_SORT_SCHEDULED_ASC);  // words are then checked on each row
  v1::ListJobsResponse by_date;
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), text, &by_date)));
  ASSERT_EQ(by_date.jobs_size(), 7);
  EXPECT_EQ(by_date.jobs(0).title(), "Furnace tune-up 0");
  EXPECT_EQ(by_date.jobs(6).title(), "Furnace tune-up 6");
  text.clear_sort();
  text.set_text("furn JOB-6");  // words match prefixes of the title's words or the number
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, text),
            std::set<std::string>{"Furnace tune-up 3"});
  v1::ListJobsRequest by_number;
  by_number.set_text("JOB-2");
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, by_number), std::set<std::string>{"Job B"});
  v1::ListJobsRequest tagged;
  tagged.set_customer_tag("Residential");
  EXPECT_EQ(VisibleTitles("d", Role::kDispatcher, tagged).size(), 9)
      << ::testing::PrintToString(VisibleTitles("d", Role::kDispatcher, tagged));
  v1::ListJobsRequest in_range;
  in_range.set_sort(v1::JOB_SORT_SCHEDULED_ASC);
  *in_range.mutable_scheduled_from() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromUnixSeconds(1'900'000'000) + absl::Hours(24)));
  *in_range.mutable_scheduled_to() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromUnixSeconds(1'900'000'000) + absl::Hours(72)));
  v1::ListJobsResponse ranged;
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), in_range, &ranged)));
  ASSERT_EQ(ranged.jobs_size(), 2);
  EXPECT_EQ(ranged.jobs(0).title(), "Furnace tune-up 1");
  EXPECT_EQ(ranged.jobs(1).title(), "Furnace tune-up 2");

  // Pages of 4: every job exactly once, newest first, even with a job created between pages.
  v1::ListJobsRequest paged;
  paged.set_page_size(4);
  std::vector<int64_t> numbers;
  v1::ListJobsResponse page;
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), paged, &page)));
  for (const auto& job : page.jobs()) numbers.push_back(job.number());
  env_.CreateJob(customer_.customer_id(), "Created between pages");
  while (!page.next_page_token().empty()) {
    paged.set_page_token(page.next_page_token());
    ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), paged, &page)));
    for (const auto& job : page.jobs()) numbers.push_back(job.number());
  }
  EXPECT_EQ(numbers, (std::vector<int64_t>{9, 8, 7, 6, 5, 4, 3, 2, 1}));
  ASSERT_EQ(page.status_counts_size(), 3);  // open, scheduled, on hold

  v1::ListJobsRequest bad;
  bad.set_page_token("garbage");
  EXPECT_EQ(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), bad, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace jobledger::job::testing
