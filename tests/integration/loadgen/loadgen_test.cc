// The load generator end to end: a short closed- and open-loop run against the real job service
// in-process (embedded log, RocksDB) and the echo baseline; the numbers must be sane.
#include "jobledger/loadgen/loadgen.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "job_server.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/loadgen/seed.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"

namespace jobledger::loadgen {
namespace {

constexpr char kKey[] = "loadgen-test-key-loadgen-test-key-0123";

std::string Token() {
  auth::TokenClaims claims;
  claims.subject = "loadgen-dispatcher";
  claims.tenant = "loadgen";
  claims.roles = {auth::Role::kDispatcher};
  claims.expires_at = absl::Now() + absl::Hours(1);
  return *auth::MintToken(claims, auth::JwtAlgorithm::kHs256, kKey);
}

void ExpectSane(const LoadReport& report) {
  EXPECT_GT(report.ok, 0) << FormatReport(report);
  EXPECT_EQ(report.errors, 0) << FormatReport(report);
  EXPECT_GT(report.throughput, 0);
  const LatencyHistogram& latency = report.all().latency;
  EXPECT_GT(latency.PercentileMicros(0.5), 0);
  EXPECT_LE(latency.PercentileMicros(0.5), latency.PercentileMicros(0.99));
  EXPECT_LE(latency.PercentileMicros(0.99), latency.max_micros());
}

class LoadgenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A small seed creates both topics (the job service waits for scheduling's) and gives the
    // lists something to find.
    SeedOptions seed;
    seed.log_dir = dir_.Sub("log");
    seed.jobs = 2'000;
    seed.customers = 20;
    seed.technicians = 5;
    seed.partitions = 2;
    auto seeded = SeedJobs(seed);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    EXPECT_EQ(seeded->jobs, 2'000);

    eventlog::EmbeddedLogOptions log_options;
    log_options.directory = dir_.Sub("log");
    log_options.owned_topics = {{std::string(eventlog::kJobTopic), 2}};
    auto log = eventlog::EmbeddedLog::Open(log_options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    job::JobServerOptions options;
    options.server.service_name = "job";
    options.server.jwt.algorithm = auth::JwtAlgorithm::kHs256;
    options.server.jwt.key = kKey;
    options.server.data_dir = dir_.Sub("job");
    options.server.log_level = server::Level::kWarning;
    options.log = log_.get();
    options.topic_wait = absl::Seconds(10);
    auto server = job::JobServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return server_->grpc_server().ready(); },
                                              absl::Seconds(20)));
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Shutdown().ok());
    }
  }

  LoadOptions Options() const {
    LoadOptions options;
    options.target = absl::StrCat("127.0.0.1:", server_->port());
    options.token = Token();
    options.clients = 4;
    options.duration = absl::Seconds(2);
    options.warmup = absl::Milliseconds(200);
    options.seeded_jobs = 2'000;
    options.seeded_customers = 20;
    options.seeded_technicians = 5;
    return options;
  }

  jobledger::testing::TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  std::unique_ptr<job::JobServer> server_;
};

TEST_F(LoadgenTest, ClosedLoopMixAndEchoBaseline) {
  LoadOptions options = Options();
  options.mix = *CommandMix::Parse("create=2,status=3,note=1,line=1,time=1,get=1,list=1");
  auto report = RunJobLoad(options);
  ASSERT_TRUE(report.ok()) << report.status();
  ExpectSane(*report);
  EXPECT_EQ(report->mode, "closed");
  std::vector<std::string> names;
  for (const RpcStats& stats : report->rpcs) names.push_back(stats.name);
  for (const char* rpc : {"CreateJob", "ChangeJobStatus", "GetJob", "all"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), rpc), names.end()) << rpc;
  }

  auto echo = EchoBaseline::Start(kKey);
  ASSERT_TRUE(echo.ok()) << echo.status();
  LoadOptions echo_options = options;
  echo_options.target = absl::StrCat("127.0.0.1:", (*echo)->port());
  auto baseline = RunEchoLoad(echo_options);
  ASSERT_TRUE(baseline.ok()) << baseline.status();
  ExpectSane(*baseline);
  // A plain echo is not slower than durable commands.
  EXPECT_GT(baseline->throughput, report->throughput * 0.5);
  const std::string json = ReportsToJson({*report, *baseline});
  EXPECT_NE(json.find("throughput_ratio"), std::string::npos);
  EXPECT_NE(FormatComparison(*report, *baseline).find("ratio"), std::string::npos);
}

TEST_F(LoadgenTest, OpenLoopSendsAtTheOfferedRate) {
  LoadOptions options = Options();
  options.rate = 200;
  options.mix = *CommandMix::Parse("create=1,status=2,list=1");
  auto report = RunJobLoad(options);
  ASSERT_TRUE(report.ok()) << report.status();
  ExpectSane(*report);
  EXPECT_EQ(report->mode, "open");
  // 2 s at 200/s: about 400 calls in the window.
  EXPECT_GT(report->ok, 300);
  EXPECT_LT(report->ok, 500);
}

}  // namespace
}  // namespace jobledger::loadgen
