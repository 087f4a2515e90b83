// The load generator's propagation probe against the real job and reporting services on one log:
// every acknowledged create and status change becomes visible in reporting, and the time it took
// is reported apart from the run's own calls.
#include <gtest/gtest.h>

#include "jobledger/loadgen/loadgen.h"
#include "reporting_test_env.h"

namespace jobledger::reporting::testing {
namespace {

TEST(PropagationTest, EveryProbedCommandBecomesVisibleInReportingAndIsTimed) {
  ReportingEnv env;
  loadgen::LoadOptions options;
  options.target = env.system().jobs_env().address();
  options.token = env.system().jobs_env().Token("dispatcher-1", auth::Role::kDispatcher);
  options.mix = *loadgen::CommandMix::Parse("create=1,status=1");
  options.clients = 4;
  options.requests = 120;
  options.duration = absl::Seconds(60);
  options.warmup = absl::ZeroDuration();
  options.setup_customers = 3;
  options.propagation_target = env.address();
  options.propagation_every = 1;

  auto report = loadgen::RunJobLoad(options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->errors, 0) << loadgen::FormatReport(*report);
  const loadgen::RpcStats* probe = nullptr;
  for (const loadgen::RpcStats& rpc : report->rpcs) {
    if (rpc.name == loadgen::kPropagationRpc) probe = &rpc;
  }
  ASSERT_NE(probe, nullptr) << loadgen::FormatReport(*report);
  // Each acknowledged create and status change was probed once, and each probe was answered.
  int64_t acknowledged = 0;
  for (const loadgen::RpcStats& rpc : report->rpcs) {
    if (rpc.name == "CreateJob" || rpc.name == "ChangeJobStatus") acknowledged += rpc.ok;
  }
  EXPECT_GT(acknowledged, 0);
  EXPECT_EQ(probe->ok, acknowledged) << loadgen::FormatReport(*report);
  EXPECT_TRUE(probe->errors.empty()) << loadgen::FormatReport(*report);
  EXPECT_GT(probe->latency.PercentileMicros(0.5), 0);
  // Not one of the run's calls: "all" counts only the job service's.
  EXPECT_EQ(report->all().ok, acknowledged);
  EXPECT_EQ(report->rpcs.back().name, "all");

  // What the probes waited for is there: the run's jobs are in reporting's lists.
  auto context = env.system().Dispatcher();
  v1::DispatchCountsRequest request;
  v1::DispatchCounts counts;
  ASSERT_TRUE(env.reports().GetDispatchCounts(context.get(), request, &counts).ok());
  int64_t jobs = 0;
  for (const v1::StatusCount& count : counts.by_status()) jobs += count.count();
  int64_t created = 0;
  for (const loadgen::RpcStats& rpc : report->rpcs) {
    if (rpc.name == "CreateJob") created = rpc.ok;
  }
  EXPECT_EQ(jobs, created);
}

}  // namespace
}  // namespace jobledger::reporting::testing
