// The reporting service test environment.
#include "reporting_test_env.h"

#include "absl/strings/str_cat.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/testing/wait.h"

namespace jobledger::reporting::testing {

ReportingEnv::ReportingEnv(EnvOptions options)
    : system_(std::move(options)), data_dir_(system_.data_dir() + "-reporting") {
  Start();
}

ReportingEnv::~ReportingEnv() { Stop(); }

void ReportingEnv::Start() {
  ReportingServerOptions options;
  options.server = job::testing::TestServerConfig("reporting", data_dir_);
  // Reporting writes nothing: any handle on the log will do.
  options.log = &system_.jobs_env().log();
  options.time_zone = absl::UTCTimeZone();
  options.clock = &system_.clock();
  options.topic_wait = absl::Seconds(10);
  options.board_snapshots = board_snapshots_;
  auto server = ReportingServer::Start(std::move(options));
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return server_->grpc_server().ready(); },
                                            absl::Seconds(30)));
  stub_ = v1::ReportingService::NewStub(
      grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
}

std::string ReportingEnv::address() const { return absl::StrCat("127.0.0.1:", server_->port()); }

void ReportingEnv::Stop() {
  if (server_ == nullptr) return;
  EXPECT_TRUE(server_->Shutdown().ok());
  server_.reset();
}

void ReportingEnv::RestartWith(BoardSnapshotLimits limits) {
  Stop();
  board_snapshots_ = limits;
  Start();
}

void ReportingEnv::CatchUp() {
  eventlog::EventLog& log = system_.jobs_env().log();
  for (absl::string_view topic : eventlog::kAllTopics) {
    auto partitions = log.PartitionCount(topic);
    ASSERT_TRUE(partitions.ok()) << partitions.status();
    for (int32_t partition = 0; partition < *partitions; ++partition) {
      auto end = log.HighWatermark(topic, partition);
      ASSERT_TRUE(end.ok()) << end.status();
      if (*end == 0) continue;
      ASSERT_TRUE(
          server_->projection()
              .WaitFor({std::string(topic), partition, *end - 1}, absl::Now() + absl::Seconds(20))
              .ok());
    }
  }
}

}  // namespace jobledger::reporting::testing
