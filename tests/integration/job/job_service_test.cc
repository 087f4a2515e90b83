// The job service over real gRPC, a real embedded log and real RocksDB: jobs, lifecycle,
// idempotency, optimistic concurrency, customers and requests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <numeric>
#include <thread>

#include "google/protobuf/util/time_util.h"
#include "job_test_env.h"
#include "jobledger/testing/wait.h"

namespace jobledger::job::testing {
namespace {

using auth::Role;
using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

// Every test here runs on both log backends.
class JobServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  JobServiceEnv env_{GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Backends, JobServiceTest,
                         ::testing::Values(Backend::kEmbedded, Backend::kKafka),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::kKafka ? "Kafka" : "Embedded";
                         });

TEST_P(JobServiceTest, CreatesJobsWithGaplessNumbersAndDefaultsFromTheCustomer) {
  const v1::Customer customer = env_.CreateCustomer("Ada Lovelace");
  v1::CreateJobRequest request;
  request.set_customer_id(customer.customer_id());
  v1::LineItem& line = *request.add_line_items();
  line.set_kind(v1::LINE_ITEM_KIND_SERVICE);
  line.set_name("Water heater replacement");
  line.set_quantity_milli(1000);
  line.mutable_unit_price()->set_minor_units(120000);
  line.mutable_unit_price()->set_currency("USD");
  v1::JobReply first;
  ASSERT_TRUE(IsOk(env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), request, &first)));
  EXPECT_EQ(first.job().number(), 1);
  EXPECT_EQ(first.job().title(), "Water heater replacement");
  EXPECT_EQ(first.job().address().line1(), "1 Main St");
  EXPECT_EQ(first.job().status(), v1::JOB_STATUS_OPEN);
  EXPECT_EQ(first.job().line_items(0).total().minor_units(), 120000);
  EXPECT_EQ(first.result().version(), 1);
  EXPECT_FALSE(first.result().position().topic().empty());

  EXPECT_EQ(env_.CreateJob(customer.customer_id(), "Second").job().number(), 2);
  EXPECT_EQ(env_.CreateJob(customer.customer_id(), "Third").job().number(), 3);
  // Numbers are per tenant.
  const v1::Customer other = env_.CreateCustomer("Other tenant's customer", "globex");
  EXPECT_EQ(env_.CreateJob(other.customer_id(), "Globex job", "globex").job().number(), 1);

  v1::ListJobsRequest list;
  *list.mutable_min_position() = first.result().position();
  v1::ListJobsResponse jobs;
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), list, &jobs)));
  // Eventually the list shows all three (the latest create's position is not passed here).
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    v1::ListJobsResponse page;
    return env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), list, &page).ok() &&
           page.jobs_size() == 3;
  }));
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), list, &jobs)));
  ASSERT_EQ(jobs.jobs_size(), 3);
  EXPECT_EQ(jobs.jobs(0).number(), 3);  // newest first
  EXPECT_EQ(jobs.jobs(2).number(), 1);
  EXPECT_EQ(jobs.jobs(2).customer_name(), "Ada Lovelace");
  EXPECT_EQ(jobs.total_jobs(), 3);
  ASSERT_EQ(jobs.status_counts_size(), 1);
  EXPECT_EQ(jobs.status_counts(0).status(), v1::JOB_STATUS_OPEN);
  EXPECT_EQ(jobs.status_counts(0).count(), 3);
}

TEST_P(JobServiceTest, ConcurrentCreatesInOneTenantGetEveryNumberOnce) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  constexpr int kThreads = 12;
  constexpr int kEach = 5;
  absl::Mutex mu;
  std::vector<int64_t> numbers;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        const int64_t number = env_.CreateJob(customer.customer_id(), "Rush").job().number();
        absl::MutexLock lock(&mu);
        numbers.push_back(number);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::sort(numbers.begin(), numbers.end());
  std::vector<int64_t> expected(kThreads * kEach);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(numbers, expected);
}

TEST_P(JobServiceTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  const int64_t before = env_.JobTopicEvents();
  v1::CreateJobRequest request;
  request.set_customer_id(customer.customer_id());
  request.set_title("Leak");
  v1::LineItem& line = *request.add_line_items();
  line.set_kind(v1::LINE_ITEM_KIND_MATERIAL);
  line.set_name("Pipe");
  line.set_quantity_milli(0);
  line.mutable_unit_price()->set_currency("USD");
  v1::JobReply reply;
  grpc::Status status =
      env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("line_items[0].quantity_milli"));

  request.mutable_line_items(0)->set_quantity_milli(1000);
  request.set_customer_id("not-a-uuid");
  status = env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("customer_id"));

  request.set_customer_id("00000000-0000-7000-8000-000000000000");
  status = env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(env_.JobTopicEvents(), before);
}

TEST_P(JobServiceTest, LifecycleEnforcesReasonsChecklistsAndTheInvoiceCheckOnReopen) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  v1::CreateJobRequest create;
  create.set_customer_id(customer.customer_id());
  create.set_title("Boiler service");
  v1::ChecklistItem& item = *create.add_checklist();
  item.set_text("Check safety valve");
  item.set_required(true);
  create.mutable_completion_requirements()->set_signature_required(true);
  v1::JobReply job;
  ASSERT_TRUE(IsOk(env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), create, &job)));
  const std::string job_id = job.job().job_id();

  auto change = [&](v1::JobStatus to, const std::string& reason, v1::JobReply* reply) {
    v1::ChangeJobStatusRequest request;
    request.set_job_id(job_id);
    request.set_status(to);
    request.set_reason(reason);
    return env_.jobs().ChangeJobStatus(env_.As("d", Role::kDispatcher).get(), request, reply);
  };
  v1::JobReply reply;
  grpc::Status status = change(v1::JOB_STATUS_ON_HOLD, "", &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("reason"));
  ASSERT_TRUE(IsOk(change(v1::JOB_STATUS_ON_HOLD, "waiting for parts", &reply)));
  EXPECT_EQ(reply.job().status_reason(), "waiting for parts");

  status = change(v1::JOB_STATUS_COMPLETED, "", &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("Check safety valve"));
  EXPECT_THAT(status.error_message(), HasSubstr("signature"));

  v1::SetChecklistItemDoneRequest done;
  done.set_job_id(job_id);
  done.set_item_id(job.job().checklist(0).item_id());
  done.set_done(true);
  ASSERT_TRUE(
      IsOk(env_.jobs().SetChecklistItemDone(env_.As("d", Role::kDispatcher).get(), done, &reply)));
  v1::SetCompletionRequirementsRequest requirements;
  requirements.set_job_id(job_id);
  ASSERT_TRUE(IsOk(env_.jobs().SetCompletionRequirements(env_.As("d", Role::kDispatcher).get(),
                                                         requirements, &reply)));
  ASSERT_TRUE(IsOk(change(v1::JOB_STATUS_COMPLETED, "", &reply)));
  EXPECT_TRUE(reply.job().has_actual_end());

  // Completed → In progress only through ReopenJob, and not while an invoice stands.
  status = change(v1::JOB_STATUS_IN_PROGRESS, "", &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("ReopenJob"));
  env_.invoices().Set({"INV-7"});
  v1::ReopenJobRequest reopen;
  reopen.set_job_id(job_id);
  reopen.set_reason("customer called back");
  status = env_.jobs().ReopenJob(env_.As("d", Role::kDispatcher).get(), reopen, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("INV-7"));
  env_.invoices().Set({});
  ASSERT_TRUE(IsOk(env_.jobs().ReopenJob(env_.As("d", Role::kDispatcher).get(), reopen, &reply)));
  EXPECT_EQ(reply.job().status(), v1::JOB_STATUS_IN_PROGRESS);
  EXPECT_FALSE(reply.job().has_actual_end());
  // A technician may not reopen jobs at all.
  status = env_.jobs().ReopenJob(env_.As("t", Role::kTechnician).get(), reopen, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// A device time far outside what a timestamp can hold is refused naming it, by every command
// that records the device's time, and changes nothing.
TEST_P(JobServiceTest, AnOccurredAtBeyondTheTimestampRangeIsRefusedNamingIt) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  const std::string job_id = env_.CreateJob(customer.customer_id(), "Leak").job().job_id();
  common::v1::CommandMeta meta;
  meta.mutable_occurred_at()->set_seconds(std::numeric_limits<int64_t>::max());
  v1::JobReply reply;
  v1::ClockInRequest clock_in;
  clock_in.set_job_id(job_id);
  clock_in.set_employee_id("tech-a");
  *clock_in.mutable_meta() = meta;
  grpc::Status status =
      env_.jobs().ClockIn(env_.As("d", Role::kDispatcher).get(), clock_in, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("meta.occurred_at"));
  v1::ClockOutRequest clock_out;
  clock_out.set_job_id(job_id);
  clock_out.set_employee_id("tech-a");
  meta.mutable_occurred_at()->set_seconds(std::numeric_limits<int64_t>::min());
  *clock_out.mutable_meta() = meta;
  status = env_.jobs().ClockOut(env_.As("d", Role::kDispatcher).get(), clock_out, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("meta.occurred_at"));
  v1::AddNoteRequest note;
  note.set_job_id(job_id);
  note.set_text("Gate code 4421");
  note.set_visibility(v1::NOTE_VISIBILITY_INTERNAL);
  *note.mutable_meta() = meta;
  status = env_.jobs().AddNote(env_.As("d", Role::kDispatcher).get(), note, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("meta.occurred_at"));
  v1::GetJobRequest get;
  get.set_job_id(job_id);
  v1::JobView view;
  ASSERT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  EXPECT_EQ(view.job().version(), 1);
}

TEST_P(JobServiceTest, ClockInStartsWorkAndTracksEachTechnicianSeparately) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  const v1::JobReply job = env_.CreateJob(customer.customer_id(), "Two-person install");
  const std::string job_id = job.job().job_id();
  const absl::Time start = absl::FromUnixSeconds(1'800'000'000);
  auto clock = [&](const std::string& who, bool in, absl::Duration after, v1::JobReply* reply) {
    if (in) {
      v1::ClockInRequest request;
      request.set_job_id(job_id);
      request.set_employee_id(who);
      *request.mutable_meta()->mutable_occurred_at() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start + after));
      return env_.jobs().ClockIn(env_.As("d", Role::kDispatcher).get(), request, reply);
    }
    v1::ClockOutRequest request;
    request.set_job_id(job_id);
    request.set_employee_id(who);
    *request.mutable_meta()->mutable_occurred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start + after));
    return env_.jobs().ClockOut(env_.As("d", Role::kDispatcher).get(), request, reply);
  };
  v1::JobReply reply;
  ASSERT_TRUE(IsOk(clock("tech-a", true, absl::ZeroDuration(), &reply)));
  EXPECT_EQ(reply.job().status(), v1::JOB_STATUS_IN_PROGRESS);
  EXPECT_EQ(reply.result().version(), 3);  // created, session started, status changed
  ASSERT_TRUE(IsOk(clock("tech-b", true, absl::Minutes(10), &reply)));
  EXPECT_EQ(clock("tech-b", true, absl::Minutes(11), &reply).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(IsOk(clock("tech-a", false, absl::Minutes(90) + absl::Seconds(59), &reply)));
  ASSERT_TRUE(IsOk(clock("tech-b", false, absl::Minutes(40), &reply)));
  v1::GetJobRequest get;
  get.set_job_id(job_id);
  *get.mutable_min_position() = reply.result().position();
  v1::JobView view;
  ASSERT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  ASSERT_EQ(view.time_by_employee_size(), 2);
  EXPECT_EQ(view.time_by_employee(0).employee_id(), "tech-a");
  EXPECT_EQ(view.time_by_employee(0).minutes(), 90);
  EXPECT_EQ(view.time_by_employee(1).minutes(), 30);
  EXPECT_EQ(view.counts().work_minutes(), 120);
}

TEST_P(JobServiceTest, RetriesWithTheSameIdempotencyKeyAppendNothing) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  v1::CreateJobRequest create;
  create.mutable_meta()->set_idempotency_key("create-1");
  create.set_customer_id(customer.customer_id());
  create.set_title("Once");
  v1::JobReply first;
  v1::JobReply retry;
  ASSERT_TRUE(IsOk(env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), create, &first)));
  const int64_t events = env_.JobTopicEvents();
  ASSERT_TRUE(IsOk(env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), create, &retry)));
  EXPECT_EQ(retry.job().job_id(), first.job().job_id());
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(retry.result().version(), first.result().version());
  EXPECT_EQ(env_.JobTopicEvents(), events);
  // The retry did not use up a number.
  EXPECT_EQ(env_.CreateJob(customer.customer_id(), "Next").job().number(), 2);

  v1::AddNoteRequest note;
  note.mutable_meta()->set_idempotency_key("note-1");
  note.set_job_id(first.job().job_id());
  note.set_text("gate code 4421");
  v1::JobReply noted;
  ASSERT_TRUE(IsOk(env_.jobs().AddNote(env_.As("d", Role::kDispatcher).get(), note, &noted)));
  ASSERT_TRUE(IsOk(env_.jobs().AddNote(env_.As("d", Role::kDispatcher).get(), note, &noted)));
  EXPECT_TRUE(noted.result().replayed());
  EXPECT_EQ(noted.job().notes_size(), 1);
}

TEST_P(JobServiceTest, ConcurrentWritersWithTheSameVersionGetAbortedNeverALostUpdate) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  const v1::JobReply job = env_.CreateJob(customer.customer_id(), "Contended");
  constexpr int kWriters = 8;
  std::atomic<int> succeeded = 0;
  std::atomic<int> aborted = 0;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      v1::AddNoteRequest note;
      note.mutable_meta()->set_expected_version(job.result().version());
      note.set_job_id(job.job().job_id());
      note.set_text(absl::StrCat("writer ", i));
      v1::JobReply reply;
      grpc::Status status =
          env_.jobs().AddNote(env_.As("d", Role::kDispatcher).get(), note, &reply);
      if (status.ok()) ++succeeded;
      if (status.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(aborted.load(), kWriters - 1);
  v1::GetJobRequest get;
  get.set_job_id(job.job().job_id());
  v1::JobView view;
  ASSERT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  EXPECT_EQ(view.job().version(), job.result().version() + 1);
  EXPECT_EQ(view.job().notes_size(), 1);
}

TEST_P(JobServiceTest, CustomerRequestBecomesAJobOnce) {
  v1::SubmitRequestRequest submit;
  submit.set_source(v1::REQUEST_SOURCE_ONLINE_BOOKING);
  submit.mutable_requester()->set_name("Grace Hopper");
  submit.mutable_requester()->set_email("grace@example.com");
  submit.mutable_requester()->set_accepts_email(true);
  submit.mutable_address()->set_line1("9 Harbor Rd");
  submit.set_summary("Dripping kitchen tap");
  v1::CustomerRequestReply submitted;
  ASSERT_TRUE(IsOk(
      env_.customers().SubmitRequest(env_.As("portal", Role::kService).get(), submit, &submitted)));
  EXPECT_EQ(submitted.request().status(), v1::REQUEST_STATUS_PENDING);

  v1::ConvertRequestRequest convert;
  convert.mutable_meta()->set_idempotency_key("convert-1");
  convert.set_request_id(submitted.request().request_id());
  v1::ConvertRequestResponse converted;
  ASSERT_TRUE(IsOk(
      env_.customers().ConvertRequest(env_.As("d", Role::kDispatcher).get(), convert, &converted)));
  EXPECT_EQ(converted.request().status(), v1::REQUEST_STATUS_CONVERTED);
  EXPECT_EQ(converted.request().job_id(), converted.job().job().job_id());
  EXPECT_EQ(converted.job().job().title(), "Dripping kitchen tap");
  EXPECT_EQ(converted.job().job().address().line1(), "9 Harbor Rd");

  v1::ConvertRequestResponse again;
  ASSERT_TRUE(IsOk(
      env_.customers().ConvertRequest(env_.As("d", Role::kDispatcher).get(), convert, &again)));
  EXPECT_EQ(again.job().job().job_id(), converted.job().job().job_id());
  EXPECT_EQ(again.job().job().number(), 1);

  v1::GetCustomerRequest get;
  get.set_customer_id(converted.job().job().customer_id());
  v1::Customer customer;
  ASSERT_TRUE(
      IsOk(env_.customers().GetCustomer(env_.As("d", Role::kDispatcher).get(), get, &customer)));
  EXPECT_EQ(customer.name(), "Grace Hopper");

  v1::DeclineRequestRequest decline;
  decline.set_request_id(submitted.request().request_id());
  decline.set_reason("duplicate");
  v1::CustomerRequestReply declined;
  EXPECT_EQ(env_.customers()
                .DeclineRequest(env_.As("d", Role::kDispatcher).get(), decline, &declined)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_P(JobServiceTest, StateSurvivesARestartAndNumbersContinue) {
  const v1::Customer customer = env_.CreateCustomer("Ada");
  const v1::JobReply job = env_.CreateJob(customer.customer_id(), "Before restart");
  env_.Stop();
  env_.Start();
  v1::GetJobRequest get;
  get.set_job_id(job.job().job_id());
  v1::JobView view;
  ASSERT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  EXPECT_EQ(view.job().title(), "Before restart");
  EXPECT_EQ(env_.CreateJob(customer.customer_id(), "After restart").job().number(), 2);
}

}  // namespace
}  // namespace jobledger::job::testing
