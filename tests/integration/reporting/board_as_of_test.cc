// The dispatch board as of a past instant: the live board recorded at moments of a scenario (the
// real job, scheduling, billing and notification services making the events) is asked for again
// with `as_of` each moment afterwards, and must come back the same, for every caller.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "board_snapshots.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/projection/tools.h"
#include "jobledger/testing/wait.h"
#include "reporting_test_env.h"

namespace jobledger::reporting::testing {
namespace {

using job::testing::Refused;
using jobledger::testing::WaitUntil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ContextFactory = std::function<std::unique_ptr<grpc::ClientContext>()>;
// Every answer of a board, by what was asked ("sam VIEW_OVERDUE", "dispatcher counts").
using Answers = std::map<std::string, std::string>;

struct Moment {
  absl::Time at;
  Answers board;
  std::string csv;  // the dispatcher's export of the scheduled jobs
};

class BoardAsOfTest : public ::testing::Test {
 protected:
  NotificationEnv& system() { return env_.system(); }
  std::unique_ptr<grpc::ClientContext> Dispatcher() { return system().Dispatcher(); }
  std::unique_ptr<grpc::ClientContext> Technician(const std::string& id) {
    return system().As(id, auth::Role::kTechnician);
  }

  std::string NewJob(const std::string& title) {
    if (customer_.customer_id().empty()) {
      customer_ = system().CustomerWithContacts(
          "Maria Gonzalez", {{"Ana", "+15551230001", "ana@example.com", true, true}});
    }
    return system().CreateJob(customer_.customer_id(), title);
  }

  job::v1::JobStatus StatusOf(const std::string& job_id) {
    job::v1::GetJobRequest request;
    request.set_job_id(job_id);
    job::v1::JobView view;
    if (!system().jobs().GetJob(Dispatcher().get(), request, &view).ok()) {
      return job::v1::JOB_STATUS_UNSPECIFIED;
    }
    return view.job().status();
  }

  // A visit, once scheduling's reaction has moved the job to Scheduled.
  std::string ScheduleAndWait(const std::string& job_id, absl::Time start,
                              const std::vector<std::string>& technicians) {
    const std::string appointment = system().Schedule(job_id, start, 2, technicians);
    EXPECT_TRUE(WaitUntil([&] { return StatusOf(job_id) == job::v1::JOB_STATUS_SCHEDULED; },
                          absl::Seconds(20)))
        << job_id;
    return appointment;
  }

  void ChangeStatus(const std::string& job_id, job::v1::JobStatus status,
                    const std::string& reason = "") {
    job::v1::ChangeJobStatusRequest request;
    request.set_job_id(job_id);
    request.set_status(status);
    request.set_reason(reason);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(system().jobs().ChangeJobStatus(Dispatcher().get(), request, &reply)));
  }

  void Reassign(const std::string& job_id, const std::string& appointment_id,
                const std::vector<std::string>& technicians) {
    scheduling::v1::ReassignAppointmentRequest request;
    request.set_job_id(job_id);
    request.set_appointment_id(appointment_id);
    for (const std::string& technician : technicians) request.add_technician_ids(technician);
    request.set_reason("sam is off sick");
    scheduling::v1::ScheduleReply reply;
    ASSERT_TRUE(IsOk(system().dispatch().ReassignAppointment(Dispatcher().get(), request, &reply)));
  }

  static std::vector<v1::ListJobsRequest> Lists() {
    std::vector<v1::ListJobsRequest> lists;
    for (job::v1::JobStatus status :
         {job::v1::JOB_STATUS_OPEN, job::v1::JOB_STATUS_SCHEDULED, job::v1::JOB_STATUS_COMPLETED}) {
      lists.emplace_back().set_view(v1::VIEW_BY_STATUS);
      lists.back().set_status(status);
    }
    for (v1::View view : {v1::VIEW_ON_HOLD, v1::VIEW_SCHEDULED_TODAY, v1::VIEW_UNASSIGNED_TODAY,
                          v1::VIEW_OVERDUE, v1::VIEW_AWAITING_BILLING}) {
      lists.emplace_back().set_view(view);
    }
    return lists;
  }

  // The board's lists and counts for the office, both technicians and another tenant; "today"
  // and "overdue" are left to the service (its clock, or `as_of`).
  Answers Board(const google::protobuf::Timestamp* as_of) {
    const std::vector<std::pair<std::string, ContextFactory>> viewers = {
        {"dispatcher", [&] { return Dispatcher(); }},
        {"sam", [&] { return Technician("sam"); }},
        {"ria", [&] { return Technician("ria"); }},
        {"globex", [&] { return system().Dispatcher("globex"); }}};
    Answers answers;
    for (const auto& [viewer, context] : viewers) {
      for (v1::ListJobsRequest request : Lists()) {
        const std::string asked = absl::StrCat(viewer, " ", v1::View_Name(request.view()), " ",
                                               job::v1::JobStatus_Name(request.status()));
        if (as_of != nullptr) *request.mutable_as_of() = *as_of;
        v1::ListJobsResponse response;
        EXPECT_TRUE(IsOk(env_.reports().ListJobs(context().get(), request, &response))) << asked;
        answers[asked] = response.DebugString();
      }
      v1::DispatchCountsRequest request;
      if (as_of != nullptr) *request.mutable_as_of() = *as_of;
      v1::DispatchCounts counts;
      EXPECT_TRUE(IsOk(env_.reports().GetDispatchCounts(context().get(), request, &counts)))
          << viewer;
      answers[viewer + " counts"] = counts.DebugString();
    }
    return answers;
  }

  std::string Csv(const google::protobuf::Timestamp* as_of) {
    v1::ListJobsRequest request;
    request.set_view(v1::VIEW_BY_STATUS);
    request.set_status(job::v1::JOB_STATUS_SCHEDULED);
    if (as_of != nullptr) *request.mutable_as_of() = *as_of;
    auto context = Dispatcher();
    auto reader = env_.reports().ExportJobsCsv(context.get(), request);
    std::string csv;
    v1::CsvChunk chunk;
    while (reader->Read(&chunk)) csv += chunk.data();
    EXPECT_TRUE(IsOk(reader->Finish()));
    return csv;
  }

  std::vector<std::string> Titles(std::unique_ptr<grpc::ClientContext> context,
                                  job::v1::JobStatus status, absl::Time as_of) {
    v1::ListJobsRequest request;
    request.set_view(v1::VIEW_BY_STATUS);
    request.set_status(status);
    *request.mutable_as_of() = ProtoFromTime(as_of);
    v1::ListJobsResponse response;
    EXPECT_TRUE(IsOk(env_.reports().ListJobs(context.get(), request, &response)));
    std::vector<std::string> titles;
    for (const v1::JobRow& row : response.rows()) titles.push_back(row.title());
    return titles;
  }

  std::map<projection::TopicPartition, int64_t> LogEnds() {
    const std::vector<std::string> topics(std::begin(eventlog::kAllTopics),
                                          std::end(eventlog::kAllTopics));
    auto ends = projection::LogEnds(system().jobs_env().log(), topics);
    EXPECT_TRUE(ends.ok()) << ends.status();
    return ends.value_or(std::map<projection::TopicPartition, int64_t>{});
  }

  // The live board at a moment when nothing is being appended: the logs did not change from
  // before the projection caught up until after the board was read. The service's clock is set to
  // the moment, so "today" and "overdue" are judged then, as the past board will judge them.
  Moment Record() {
    Moment moment;
    bool quiet = false;
    for (int attempt = 0; attempt < 20; ++attempt) {
      const auto before = LogEnds();
      env_.CatchUp();
      moment.at = absl::Now();
      system().clock().Set(moment.at);
      moment.board = Board(nullptr);
      moment.csv = Csv(nullptr);
      quiet = LogEnds() == before;
      if (quiet) break;
    }
    EXPECT_TRUE(quiet) << "the logs kept changing while the board was read";
    // Whatever is appended next is stamped after the moment (the log stamps milliseconds).
    EXPECT_TRUE(WaitUntil(
        [&] { return absl::Now() >= SnapshotInstant(moment.at) + absl::Milliseconds(1); }));
    return moment;
  }

  // The scratch stores of past boards that exist now, by name.
  std::vector<std::string> Snapshots() {
    std::vector<std::string> names;
    for (const auto& entry :
         std::filesystem::directory_iterator(env_.data_dir() + "/board-snapshots")) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  grpc::Status CountsAsOf(absl::Time at) {
    v1::DispatchCountsRequest request;
    *request.mutable_as_of() = ProtoFromTime(at);
    v1::DispatchCounts counts;
    return env_.reports().GetDispatchCounts(Dispatcher().get(), request, &counts);
  }

  ReportingEnv env_;
  job::v1::Customer customer_;
};

TEST_F(BoardAsOfTest, ThePastBoardEqualsTheLiveBoardRecordedAtThatInstant) {
  ASSERT_TRUE(IsOk(system().TurnOffAutomaticMessages()));
  system().RegisterTechnician("sam", "Sam Patel", "+15559870001");
  system().RegisterTechnician("ria", "Ria Chen", "+15559870002");
  std::vector<Moment> moments;
  moments.push_back(Record());  // nothing on the board yet

  const absl::Time now = absl::Now();
  const std::string boiler = NewJob("Boiler service");
  const std::string tap = NewJob("Leaking tap");
  const std::string gutter = NewJob("Gutter repair");
  const std::string visit = ScheduleAndWait(boiler, now + absl::Minutes(1), {"sam"});
  ScheduleAndWait(gutter, now - absl::Hours(30), {"sam"});  // overdue from the start
  moments.push_back(Record());

  Reassign(boiler, visit, {"ria"});
  ChangeStatus(tap, job::v1::JOB_STATUS_ON_HOLD, "waiting for parts");
  moments.push_back(Record());

  const std::string gas = NewJob("Gas safety check");
  ChangeStatus(gas, job::v1::JOB_STATUS_COMPLETED);  // awaiting billing
  moments.push_back(Record());

  // Each step changed the board, so equal answers below prove the instants were told apart.
  for (size_t i = 1; i < moments.size(); ++i) EXPECT_NE(moments[i].board, moments[i - 1].board);

  for (const Moment& moment : moments) {
    const google::protobuf::Timestamp at = ProtoFromTime(moment.at);
    const Answers past = Board(&at);
    for (const auto& [asked, answer] : moment.board) {
      EXPECT_EQ(past.at(asked), answer) << asked << " as of " << absl::FormatTime(moment.at);
    }
    EXPECT_EQ(Csv(&at), moment.csv) << "as of " << absl::FormatTime(moment.at);
  }

  // A technician sees the jobs they were on at the instant; another tenant, nothing ever.
  EXPECT_THAT(Titles(Technician("sam"), job::v1::JOB_STATUS_SCHEDULED, moments[1].at),
              ElementsAre("Gutter repair", "Boiler service"));
  EXPECT_THAT(Titles(Technician("sam"), job::v1::JOB_STATUS_SCHEDULED, moments[2].at),
              ElementsAre("Gutter repair"));
  EXPECT_THAT(Titles(Technician("ria"), job::v1::JOB_STATUS_SCHEDULED, moments[1].at), IsEmpty());
  EXPECT_THAT(Titles(Technician("ria"), job::v1::JOB_STATUS_SCHEDULED, moments[2].at),
              ElementsAre("Boiler service"));
  EXPECT_THAT(Titles(Dispatcher(), job::v1::JOB_STATUS_OPEN, moments[1].at),
              ElementsAre("Leaking tap"));
  EXPECT_THAT(Titles(Dispatcher(), job::v1::JOB_STATUS_OPEN, moments[2].at), IsEmpty());
  EXPECT_THAT(Titles(system().Dispatcher("globex"), job::v1::JOB_STATUS_SCHEDULED, moments[2].at),
              IsEmpty());
  // Of the snapshots built, no more than the four kept are left (a young instant's is not even
  // kept: a record stamped before it might still have been on its way).
  EXPECT_LE(Snapshots().size(), 4u);
}

TEST_F(BoardAsOfTest, APastListPagesWithItsTokenAndRefusesTheFuture) {
  NewJob("First");
  NewJob("Second");
  env_.CatchUp();
  const absl::Time at = absl::Now();
  system().clock().Set(at);
  ASSERT_TRUE(
      WaitUntil([&] { return absl::Now() >= SnapshotInstant(at) + absl::Milliseconds(1); }));
  NewJob("Third, created after the instant");
  env_.CatchUp();

  v1::ListJobsRequest request;
  request.set_view(v1::VIEW_BY_STATUS);
  request.set_status(job::v1::JOB_STATUS_OPEN);
  request.set_page_size(1);
  *request.mutable_as_of() = ProtoFromTime(at);
  std::vector<std::string> titles;
  do {
    v1::ListJobsResponse page;
    ASSERT_TRUE(IsOk(env_.reports().ListJobs(Dispatcher().get(), request, &page)));
    for (const v1::JobRow& row : page.rows()) titles.push_back(row.title());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(titles, ElementsAre("Second", "First"));

  // The future is refused, whichever RPC asks, and nothing is built for it.
  *request.mutable_as_of() = ProtoFromTime(system().clock().Now() + absl::Hours(1));
  request.clear_page_token();
  v1::ListJobsResponse response;
  EXPECT_TRUE(Refused(env_.reports().ListJobs(Dispatcher().get(), request, &response),
                      grpc::StatusCode::INVALID_ARGUMENT, "as_of"));
  v1::DispatchCountsRequest counts_request;
  *counts_request.mutable_as_of() = request.as_of();
  v1::DispatchCounts counts;
  EXPECT_TRUE(Refused(env_.reports().GetDispatchCounts(Dispatcher().get(), counts_request, &counts),
                      grpc::StatusCode::INVALID_ARGUMENT, "as_of"));
  auto context = Dispatcher();
  auto reader = env_.reports().ExportJobsCsv(context.get(), request);
  v1::CsvChunk chunk;
  while (reader->Read(&chunk)) {
  }
  EXPECT_TRUE(Refused(reader->Finish(), grpc::StatusCode::INVALID_ARGUMENT, "as_of"));
  // An instant protobuf cannot hold is refused as such.
  request.mutable_as_of()->set_nanos(-1);
  EXPECT_TRUE(Refused(env_.reports().ListJobs(Dispatcher().get(), request, &response),
                      grpc::StatusCode::INVALID_ARGUMENT, "as_of"));
}

TEST_F(BoardAsOfTest, ABoardNeedingMoreEventsThanAllowedIsRefusedNamingAsOf) {
  NewJob("One");
  NewJob("Two");
  env_.CatchUp();
  system().clock().Set(absl::Now());  // after both jobs
  BoardSnapshotLimits limits;
  limits.max_events = 1;
  env_.RestartWith(limits);
  EXPECT_TRUE(
      Refused(CountsAsOf(system().clock().Now()), grpc::StatusCode::RESOURCE_EXHAUSTED, "as_of"));
  EXPECT_THAT(Snapshots(), IsEmpty());  // the refused build left no store behind
}

TEST_F(BoardAsOfTest, SettledBoardsAreKeptUpToTheLimitAndTheDroppedOnesRemoved) {
  NewJob("One");
  env_.CatchUp();
  const absl::Time at = absl::Now();
  system().clock().Set(at);
  BoardSnapshotLimits limits;
  limits.cached = 1;
  limits.settle = absl::ZeroDuration();  // nothing is appended behind this test's back
  env_.RestartWith(limits);
  const absl::Time millisecond = SnapshotInstant(at) - absl::Milliseconds(1);
  ASSERT_TRUE(IsOk(CountsAsOf(millisecond)));
  ASSERT_TRUE(IsOk(CountsAsOf(millisecond + absl::Microseconds(500))));  // the same millisecond
  EXPECT_THAT(Snapshots(), ElementsAre("1"));                            // built once, kept
  ASSERT_TRUE(IsOk(CountsAsOf(at - absl::Seconds(1))));
  EXPECT_THAT(Snapshots(), ElementsAre("2"));  // the first dropped, its store removed
}

}  // namespace
}  // namespace jobledger::reporting::testing
