// The flags every service process shares, turned into an open log: librdkafka properties from
// flags and from a properties file reach Kafka (the dev broker); bad ones stop the process with
// the flag named.
#include "jobledger/server/service_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::server {
namespace {

using ::testing::HasSubstr;

class ServiceProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto broker =
        eventlog::DevBroker::Start({.brokers = 1, .topics = {{"jobledger.job.events", 2}}});
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    config_.data_dir = dir_.path() + "/job";
  }

  // Parses `args` (after the program name) as a service's flags and opens its log.
  absl::StatusOr<ServiceProcess> Open(std::vector<std::string> args) {
    ServiceProcessFlags flags;
    CLI::App app;
    flags.AddTo(app);
    args.push_back("--kafka-bootstrap=" + broker_->bootstrap_servers());
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
    return OpenServiceProcess(flags, config_, "job", "jobledger.job.events");
  }

  std::string PropertiesFile(const std::string& text) {
    const std::string path = dir_.path() + "/kafka.properties";
    std::ofstream(path) << text;
    return path;
  }

  jobledger::testing::TempDir dir_;
  std::unique_ptr<eventlog::DevBroker> broker_;
  ServerConfig config_;
};

TEST_F(ServiceProcessTest, PropertiesFromTheFileAndFlagsOpenKafka) {
  const std::string file =
      PropertiesFile("# mounted from a Secret\nclient.rack=zone-a\nsocket.keepalive.enable=true\n");
  auto process =
      Open({"--kafka-properties-file", file, "--kafka-property", "socket.keepalive.enable=false",
            "--kafka-property", "client.rack = zone-b"});
  ASSERT_TRUE(process.ok()) << process.status();
  auto partitions = process->log->PartitionCount("jobledger.job.events");
  ASSERT_TRUE(partitions.ok()) << partitions.status();
  EXPECT_EQ(*partitions, 2);
}

TEST_F(ServiceProcessTest, ABadPropertyStopsTheProcessNamingTheFlagOrThePropertyAndLine) {
  // librdkafka refuses the value: the property reaches it.
  absl::Status status = Open({"--kafka-property", "security.protocol=bogus"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("security.protocol=bogus"));

  status = Open({"--kafka-property", "security.protocol"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--kafka-property: "));

  const std::string file = PropertiesFile("client.rack=zone-a\nssl.ca.location\n");
  status = Open({"--kafka-properties-file", file}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--kafka-properties-file: " + file + ":2: "));

  status = Open({"--kafka-properties-file", dir_.path() + "/missing"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--kafka-properties-file: cannot read"));

  // What KafkaLog's guarantees rest on cannot be overridden.
  status = Open({"--kafka-property", "enable.idempotence=false"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("enable.idempotence"));
}

}  // namespace
}  // namespace jobledger::server
