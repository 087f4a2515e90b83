// `jl replay --kafka` and `jl verify --kafka` against a real Kafka protocol endpoint: the dev
// broker (librdkafka's mock cluster over loopback TCP).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "jl_run.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/kafka_log.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "nlohmann/json.hpp"
#include "test_events.h"

namespace jobledger::cli::testing {
namespace {

using ::testing::ElementsAre;

constexpr int32_t kPartitions = 3;

TEST(KafkaReplayTest, ReplayAndVerifyReadKafka) {
  auto broker = eventlog::DevBroker::Start(
      {.brokers = 1, .topics = {{std::string(eventlog::kJobTopic), kPartitions}}});
  ASSERT_TRUE(broker.ok()) << broker.status();
  eventlog::KafkaLogOptions options;
  options.bootstrap_servers = (*broker)->bootstrap_servers();
  auto log = eventlog::KafkaLog::Create(options);
  ASSERT_TRUE(log.ok()) << log.status();

  EventChains chains;
  const absl::Time nine = absl::FromUnixSeconds(1'774'947'600);
  for (int i = 0; i < 3; ++i) {
    job::v1::JobCreated created;
    created.mutable_job()->set_job_id(absl::StrCat("job-", i));
    created.mutable_job()->set_title(absl::StrCat("Job ", i));
    ASSERT_TRUE(AppendEvent(**log, eventlog::kJobTopic, kPartitions,
                            chains.Next("acme", "job", absl::StrCat("job-", i), created,
                                        nine + absl::Minutes(i)))
                    .ok());
  }
  job::v1::NoteAdded note;
  note.mutable_note()->set_text("called the customer");
  ASSERT_TRUE(AppendEvent(**log, eventlog::kJobTopic, kPartitions,
                          chains.Next("acme", "job", "job-0", note, nine + absl::Minutes(5)))
                  .ok());

  const JlRun replay = RunJl({"replay", "--kafka", (*broker)->bootstrap_servers()});
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
  std::vector<std::string> titles;
  for (const std::string& line : replay.lines) {
    const nlohmann::json json = nlohmann::json::parse(line);
    EXPECT_EQ(json["topic"], std::string(eventlog::kJobTopic));
    titles.push_back(json["payload"].contains("job") ? json["payload"]["job"]["title"]
                                                     : json["payload"]["note"]["text"]);
  }
  EXPECT_THAT(titles, ElementsAre("Job 0", "Job 1", "Job 2", "called the customer"));

  const JlRun job = RunJl({"replay", "--kafka", (*broker)->bootstrap_servers(), "--job", "job-0"});
  EXPECT_EQ(job.lines.size(), 2u) << job.out;

  const JlRun verify = RunJl({"verify", "--kafka", (*broker)->bootstrap_servers()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_THAT(verify.lines, ElementsAre("verified 1 topic: 4 events, 3 aggregates, 0 problems",
                                        "OK: every aggregate's sequence and hash chain is intact"));
}

}  // namespace
}  // namespace jobledger::cli::testing
