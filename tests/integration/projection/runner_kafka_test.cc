// The projection runtime on the Kafka backend (librdkafka's mock cluster over loopback TCP).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/kafka_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "test_projection.h"

namespace jobledger::projection {
namespace {

using jobledger::testing::TempDir;
using jobledger::testing::WaitUntil;

TEST(RunnerOnKafka, AppliesReadsItsWritesAndResumesFromItsCheckpoint) {
  eventlog::DevBrokerOptions broker_options;
  broker_options.topics = {{testing::kTopic, 3}};
  auto broker = eventlog::DevBroker::Start(broker_options);
  ASSERT_TRUE(broker.ok()) << broker.status();
  eventlog::KafkaLogOptions log_options;
  log_options.bootstrap_servers = (*broker)->bootstrap_servers();
  auto log = eventlog::KafkaLog::Create(log_options);
  ASSERT_TRUE(log.ok()) << log.status();

  std::map<std::string, int64_t> sequences;
  const auto append = [&](int count) {
    LogPosition last;
    for (int i = 0; i < count; ++i) {
      const std::string aggregate = absl::StrCat("a", i % 6);
      const int32_t partition = i % 3;
      auto result = (*log)->Append(
          testing::kTopic, partition,
          {testing::MakeEventRecord("t", aggregate, ++sequences[aggregate],
                                    i == 7 ? testing::kPoisonType : "test.v1.Ping")});
      EXPECT_TRUE(result.ok()) << result.status();
      last = {testing::kTopic, partition, result->first_offset};
    }
    return last;
  };
  append(60);

  TempDir dir;
  testing::CountingProjection projection;
  RunnerOptions options;
  options.directory = dir.Sub("projections");
  options.log = log->get();
  {
    auto runner = ProjectionRunner::Start(projection, options);
    ASSERT_TRUE(runner.ok()) << runner.status();
    ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }, absl::Seconds(30)));
    const LogPosition position = append(1);
    ASSERT_TRUE((*runner)->WaitFor(position, absl::Now() + absl::Seconds(10)).ok());
    EXPECT_EQ((*runner)->status().dead_letters, 1);
  }
  append(30);
  auto runner = ProjectionRunner::Start(projection, options);
  ASSERT_TRUE(runner.ok());
  ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }, absl::Seconds(30)));
  auto row = projection.table().Get(*(*runner)->store(), KeyBuilder().String("a1").key());
  ASSERT_TRUE(row.ok() && row->has_value());
  // a1 got 10 + 5 events, one poison in each run of appends: 13 applied, none twice, none missed.
  EXPECT_EQ((*row)->name(), "1:13");

  options.directory = dir.Sub("clean");
  auto clean = ProjectionRunner::Start(projection, options);
  ASSERT_TRUE(clean.ok());
  ASSERT_TRUE(WaitUntil([&] { return (*clean)->caught_up(); }, absl::Seconds(30)));
  EXPECT_EQ(*(*runner)->store()->Checksum(), *(*clean)->store()->Checksum());
}

}  // namespace
}  // namespace jobledger::projection
