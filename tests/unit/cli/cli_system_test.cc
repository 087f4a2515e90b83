// The pieces `jl up`, `jl status`, `jl down` and `jl call` are made of.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "dev_key.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "json_grpc_call.h"
#include "process_control.h"
#include "service_probe.h"
#include "system_state.h"

namespace jobledger::cli {
namespace {

using ::testing::HasSubstr;

TEST(ProjectionLagFromMetrics, SumsTheLagGaugeOfEachProjection) {
  const std::string exposition =
      "# HELP jobledger_projection_lag_events Records in the log not yet applied\n"
      "# TYPE jobledger_projection_lag_events gauge\n"
      "jobledger_projection_lag_events{projection=\"job\"} 12\n"
      "jobledger_projection_lag_events{projection=\"reactions\",partition=\"1\"} 3\n"
      "jobledger_projection_lag_events{partition=\"2\",projection=\"reactions\"} 4\n"
      "jobledger_projection_lag_events_other{projection=\"job\"} 99\n"
      "jobledger_projection_events_applied_total{projection=\"job\"} 1000\n";
  const std::map<std::string, double> lag = ProjectionLagFromMetrics(exposition);
  EXPECT_EQ(lag, (std::map<std::string, double>{{"job", 12}, {"reactions", 7}}));
}

TEST(SystemState, RoundTripsThroughItsFile) {
  jobledger::testing::TempDir dir;
  SystemState state;
  state.backend = "embedded";
  state.Put({.name = "job",
             .process = {.pid = 42, .start_ticks = 7},
             .grpc_address = "127.0.0.1:7101",
             .metrics_address = "127.0.0.1:9101",
             .output_file = "/d/logs/job.log"});
  state.Put({.name = "smtp",
             .process = {.pid = 43, .start_ticks = 8},
             .grpc_address = "",
             .metrics_address = "",
             .output_file = "/d/logs/smtp.log"});
  state.Put({.name = "job",
             .process = {.pid = 44, .start_ticks = 9},
             .grpc_address = "127.0.0.1:7101",
             .metrics_address = "127.0.0.1:9101",
             .output_file = "/d/logs/job.log"});
  ASSERT_TRUE(WriteSystemState(dir.Sub("system.json"), state).ok());
  const absl::StatusOr<SystemState> read = ReadSystemState(dir.Sub("system.json"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->backend, "embedded");
  ASSERT_EQ(read->processes.size(), 2u);
  EXPECT_EQ(read->Find("job")->process.pid, 44);
  EXPECT_EQ(read->Find("job")->process.start_ticks, 9u);
  EXPECT_EQ(read->Find("smtp")->output_file, "/d/logs/smtp.log");
  EXPECT_EQ(read->Find("billing"), nullptr);
}

TEST(SystemState, AMissingFileIsNotFoundAndAGarbledOneIsDataLoss) {
  jobledger::testing::TempDir dir;
  EXPECT_TRUE(absl::IsNotFound(ReadSystemState(dir.Sub("none.json")).status()));
  std::ofstream(dir.Sub("bad.json")) << "{not json";
  EXPECT_TRUE(absl::IsDataLoss(ReadSystemState(dir.Sub("bad.json")).status()));
}

TEST(DevKey, IsMadeOnceOwnerOnlyAndReused) {
  jobledger::testing::TempDir dir;
  const absl::StatusOr<std::string> first = EnsureDevKey(dir.Sub("key"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->size(), 64u);
  struct stat info {};
  ASSERT_EQ(stat(dir.Sub("key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(*EnsureDevKey(dir.Sub("key")), *first);
  std::ofstream(dir.Sub("short")) << "abc\n";
  EXPECT_TRUE(absl::IsDataLoss(EnsureDevKey(dir.Sub("short")).status()));
}

TEST(ProcessControl, StartsDetachedWithOutputToAFileAndStopsIt) {
  jobledger::testing::TempDir dir;
  const absl::StatusOr<ProcessRef> started =
      StartDetached({"/bin/sh", "-c",
                     "trap 'echo stopping; exit 0' TERM; echo started; while :; do sleep 1; done"},
                    dir.Sub("out.log"));
  ASSERT_TRUE(started.ok()) << started.status();
  const auto output = [&] {
    std::ifstream in(dir.Sub("out.log"));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  // Until the trap is set, a TERM would end the shell before it says anything.
  ASSERT_TRUE(
      jobledger::testing::WaitUntil([&] { return output().find("started") != std::string::npos; }));
  EXPECT_TRUE(IsRunning(*started));
  // A different start time is a different process, whatever its pid.
  EXPECT_FALSE(IsRunning({.pid = started->pid, .start_ticks = started->start_ticks + 1}));
  ASSERT_TRUE(Stop(*started, absl::Seconds(10)).ok());
  EXPECT_FALSE(IsRunning(*started));
  EXPECT_THAT(output(), HasSubstr("stopping"));
  EXPECT_TRUE(Stop(*started, absl::Seconds(1)).ok());  // already gone: nothing to do
}

TEST(ProcessControl, KillsWhatIgnoresTermAfterTheGrace) {
  jobledger::testing::TempDir dir;
  const absl::StatusOr<ProcessRef> started = StartDetached(
      {"/bin/sh", "-c", "trap '' TERM; echo deaf; while :; do sleep 1; done"}, dir.Sub("out"));
  ASSERT_TRUE(started.ok());
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    std::ifstream in(dir.Sub("out"));
    std::string line;
    return std::getline(in, line) && line == "deaf";
  }));
  ASSERT_TRUE(Stop(*started, absl::Milliseconds(300)).ok());
  EXPECT_FALSE(IsRunning(*started));
}

TEST(ProcessControl, AMissingProgramIsAnError) {
  jobledger::testing::TempDir dir;
  EXPECT_FALSE(StartDetached({"/no/such/program"}, dir.Sub("out")).ok());
}

TEST(FindMethod, FindsByFullOrShortServiceNameAndNamesWhatIsMissing) {
  auto full = FindMethod("jobledger.job.v1.JobService/ListJobs");
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ((*full)->full_name(), "jobledger.job.v1.JobService.ListJobs");
  auto short_name = FindMethod("ReportingService/ExportJobsCsv");
  ASSERT_TRUE(short_name.ok()) << short_name.status();
  EXPECT_TRUE((*short_name)->server_streaming());
  EXPECT_TRUE(absl::IsNotFound(FindMethod("JobService/Nope").status()));
  EXPECT_THAT(FindMethod("JobService/Nope").status().message(), HasSubstr("Nope"));
  EXPECT_TRUE(absl::IsNotFound(FindMethod("NoService/ListJobs").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(FindMethod("ListJobs").status()));
}

TEST(CallWithJson, RefusesJsonThatIsNotTheRequestWithoutCalling) {
  auto method = FindMethod("JobService/ListJobs");
  ASSERT_TRUE(method.ok());
  const absl::Status status =
      CallWithJson(JsonCall{.address = "127.0.0.1:1",
                            .method = *method,
                            .request_json = R"({"noSuchField": 1})",
                            .bearer_token = "",
                            .timeout = absl::Seconds(1)},
                   [](const std::string&) { ADD_FAILURE() << "no reply expected"; });
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("jobledger.job.v1.ListJobsRequest"));
}

}  // namespace
}  // namespace jobledger::cli
