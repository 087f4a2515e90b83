// The tools around the Kafka backend as separate processes: kcat reading jobledger's records,
// and `jl devbroker` serving Kafka to another process until it is stopped.
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/kafka_log.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"

namespace jobledger::eventlog {
namespace {

using ::jobledger::testing::ChildProcess;
using ::jobledger::testing::TempDir;
using ::jobledger::testing::WaitUntil;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ProcessOutput {
  std::vector<std::string> lines;
  // False if the process still had its stdout open when the deadline passed.
  bool reached_end = false;
};

// Reads stdout lines until the process closes it (it exited) or `timeout` passes.
ProcessOutput ReadUntilExit(ChildProcess& child, absl::Duration timeout) {
  ProcessOutput output;
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    std::optional<std::string> line = child.ReadLine(deadline - absl::Now());
    if (line.has_value()) {
      output.lines.push_back(*std::move(line));
      continue;
    }
    output.reached_end = absl::Now() < deadline;
    return output;
  }
}

absl::StatusOr<std::unique_ptr<KafkaLog>> Connect(const std::string& servers) {
  KafkaLogOptions options;
  options.bootstrap_servers = servers;
  return KafkaLog::Create(std::move(options));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return content;
}

TEST(KcatTest, KcatReadsTheCloudEventsHeadersOfAppendedRecords) {
  ASSERT_TRUE(std::filesystem::exists(JL_KCAT_PATH))
      << JL_KCAT_PATH << " is missing: run tools/install-deps";
  auto broker = DevBroker::Start({.brokers = 1, .topics = {{std::string(kJobTopic), 6}}});
  ASSERT_TRUE(broker.ok()) << broker.status();
  auto log = Connect((*broker)->bootstrap_servers());
  ASSERT_TRUE(log.ok()) << log.status();

  std::vector<Record> records(2);
  for (int i = 0; i < 2; ++i) {
    records[i].key = "job-42";
    records[i].value = absl::StrCat("payload-", i);
    records[i].headers = {{"ce_id", absl::StrCat("0190a0b1-0000-7000-8000-00000000000", i)},
                          {"ce_type", "jobledger.job.v1.JobCreated"},
                          {"ce_source", "/jobledger/job"},
                          {"ce_specversion", "1.0"},
                          {"ce_sequence", absl::StrCat(i + 1)},
                          {"content-type", "application/protobuf"}};
  }
  auto appended = (*log)->Append(kJobTopic, 0, records);
  ASSERT_TRUE(appended.ok()) << appended.status();

  // -e: exit at the end of the partition; -q: no informational lines on stdout.
  auto kcat = ChildProcess::Spawn({JL_KCAT_PATH, "-C", "-q", "-e", "-b",
                                   (*broker)->bootstrap_servers(), "-t", std::string(kJobTopic),
                                   "-p", "0", "-o", "beginning", "-f", "%o|%k|%s|%h\n"});
  ASSERT_TRUE(kcat.ok()) << kcat.status();
  const ProcessOutput output = ReadUntilExit(**kcat, absl::Seconds(60));
  ASSERT_TRUE(output.reached_end) << "kcat did not finish";
  EXPECT_EQ((*kcat)->Wait(), 0);
  ASSERT_EQ(output.lines.size(), 2u) << absl::StrJoin(output.lines, "\n");
  for (int i = 0; i < 2; ++i) {
    EXPECT_THAT(output.lines[i],
                AllOf(HasSubstr(absl::StrCat(i, "|job-42|payload-", i, "|")),
                      HasSubstr(absl::StrCat("ce_id=0190a0b1-0000-7000-8000-00000000000", i)),
                      HasSubstr("ce_type=jobledger.job.v1.JobCreated"),
                      HasSubstr("ce_source=/jobledger/job"), HasSubstr("ce_specversion=1.0"),
                      HasSubstr(absl::StrCat("ce_sequence=", i + 1)),
                      HasSubstr("content-type=application/protobuf")));
  }
}

// Starts `jl devbroker` with `args`, waits for its bootstrap file and returns the address.
std::string StartDevbroker(const TempDir& dir, std::vector<std::string> args,
                           std::unique_ptr<ChildProcess>& child) {
  const std::string bootstrap_file = dir.Sub("bootstrap");
  std::vector<std::string> argv = {JL_CLI_PATH, "devbroker", "--bootstrap-file", bootstrap_file};
  argv.insert(argv.end(), args.begin(), args.end());
  auto spawned = ChildProcess::Spawn(argv);
  EXPECT_TRUE(spawned.ok()) << spawned.status();
  if (!spawned.ok()) return "";
  child = std::move(*spawned);
  std::string servers;
  EXPECT_TRUE(WaitUntil(
      [&] {
        servers = std::string(absl::StripAsciiWhitespace(ReadFile(bootstrap_file)));
        return !servers.empty();
      },
      absl::Seconds(30)))
      << "jl devbroker wrote no bootstrap file";
  return servers;
}

TEST(JlDevbrokerTest, ServesKafkaToAnotherProcessUntilSigterm) {
  TempDir dir;
  std::unique_ptr<ChildProcess> devbroker;
  const std::string servers =
      StartDevbroker(dir, {"--brokers", "2", "--partitions", "3"}, devbroker);
  ASSERT_FALSE(servers.empty());
  EXPECT_TRUE(absl::StartsWith(servers, "127.0.0.1:")) << servers;

  // What it printed once ready: the address and the topics.
  std::vector<std::string> printed;
  while (printed.empty() || !absl::StartsWith(printed.back(), "ready")) {
    std::optional<std::string> line = devbroker->ReadLine(absl::Seconds(30));
    ASSERT_TRUE(line.has_value()) << "printed so far:\n" << absl::StrJoin(printed, "\n");
    printed.push_back(*line);
  }
  EXPECT_THAT(printed, Contains(absl::StrCat("bootstrap servers: ", servers)));
  for (absl::string_view topic : kAllTopics) {
    EXPECT_THAT(printed,
                Contains(absl::StrCat("topic: ", topic, " (3 partitions, replication factor 2)")));
  }

  auto log = Connect(servers);
  ASSERT_TRUE(log.ok()) << log.status();
  auto topics = (*log)->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status();
  EXPECT_THAT(*topics, ElementsAre(TopicSpec{"jobledger.billing.events", 3},
                                   TopicSpec{"jobledger.job.events", 3},
                                   TopicSpec{"jobledger.notification.events", 3},
                                   TopicSpec{"jobledger.scheduling.events", 3}));
  Record record;
  record.key = "job-1";
  record.value = "hello over TCP";
  record.headers = {{"ce_type", "jobledger.billing.v1.InvoiceIssued"}};
  for (int32_t partition = 0; partition < 3; ++partition) {
    auto appended = (*log)->Append(kBillingTopic, partition, {record, record});
    ASSERT_TRUE(appended.ok()) << appended.status();
    EXPECT_EQ(appended->first_offset, 0);
    auto read = (*log)->Read(kBillingTopic, partition, 0, 10);
    ASSERT_TRUE(read.ok()) << read.status();
    ASSERT_EQ(read->size(), 2u);
    EXPECT_EQ((*read)[1].value, "hello over TCP");
    EXPECT_EQ((*read)[1].headers, record.headers);
  }

  devbroker->Signal(SIGTERM);
  const ProcessOutput rest = ReadUntilExit(*devbroker, absl::Seconds(30));
  ASSERT_TRUE(rest.reached_end) << "jl devbroker did not stop on SIGTERM";
  EXPECT_EQ(devbroker->Wait(), 0);
  EXPECT_THAT(rest.lines, Contains("jl devbroker: stopping on SIGTERM"));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("bootstrap")));  // no stale address left
}

TEST(JlDevbrokerTest, TakesItsSettingsFromTheEnvironmentAndStopsOnSigint) {
  TempDir dir;
  setenv("JOBLEDGER_DEVBROKER_TOPICS", "alpha.events,beta.events", 1);
  setenv("JOBLEDGER_DEVBROKER_PARTITIONS", "2", 1);
  std::unique_ptr<ChildProcess> devbroker;
  const std::string servers = StartDevbroker(dir, {}, devbroker);
  unsetenv("JOBLEDGER_DEVBROKER_TOPICS");
  unsetenv("JOBLEDGER_DEVBROKER_PARTITIONS");
  ASSERT_FALSE(servers.empty());

  auto log = Connect(servers);
  ASSERT_TRUE(log.ok()) << log.status();
  auto topics = (*log)->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status();
  EXPECT_THAT(*topics, ElementsAre(TopicSpec{"alpha.events", 2}, TopicSpec{"beta.events", 2}));

  devbroker->Signal(SIGINT);
  const ProcessOutput rest = ReadUntilExit(*devbroker, absl::Seconds(30));
  ASSERT_TRUE(rest.reached_end) << "jl devbroker did not stop on SIGINT";
  EXPECT_EQ(devbroker->Wait(), 0);
}

TEST(JlDevbrokerTest, HelpStatesTheLimits) {
  auto help = ChildProcess::Spawn({JL_CLI_PATH, "devbroker", "--help"});
  ASSERT_TRUE(help.ok()) << help.status();
  const ProcessOutput output = ReadUntilExit(**help, absl::Seconds(30));
  ASSERT_TRUE(output.reached_end);
  EXPECT_EQ((*help)->Wait(), 0);
  const std::string text = absl::StrJoin(output.lines, "\n");
  EXPECT_THAT(text, AllOf(HasSubstr("in memory only"), HasSubstr("5 MiB"), HasSubstr("100k"),
                          HasSubstr("no commit markers"), HasSubstr("offset-for-timestamp"),
                          HasSubstr("--brokers"), HasSubstr("--partitions"), HasSubstr("--topic"),
                          HasSubstr("--bootstrap-file"), HasSubstr("JOBLEDGER_DEVBROKER_BROKERS")));
}

TEST(JlDevbrokerTest, RefusesABadBrokerCount) {
  auto bad = ChildProcess::Spawn({JL_CLI_PATH, "devbroker", "--brokers", "0"});
  ASSERT_TRUE(bad.ok()) << bad.status();
  const ProcessOutput output = ReadUntilExit(**bad, absl::Seconds(30));
  ASSERT_TRUE(output.reached_end);
  EXPECT_NE((*bad)->Wait(), 0);
}

}  // namespace
}  // namespace jobledger::eventlog
