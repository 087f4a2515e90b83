// Exact checkpoints: a projection process SIGKILLed at random moments, again and again, ends with
// the same state as a clean rebuild.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "test_projection.h"

namespace jobledger::projection {
namespace {

using jobledger::testing::ChildProcess;
using jobledger::testing::TempDir;

TEST(CheckpointCrash, StateAfterManySigkillsEqualsACleanRebuild) {
  TempDir dir;
  eventlog::EmbeddedLogOptions log_options;
  log_options.directory = dir.Sub("log");
  log_options.owned_topics = {{testing::kTopic, 3}};
  auto log = std::move(*eventlog::EmbeddedLog::Open(log_options));
  std::map<std::string, int64_t> sequences;
  for (int batch = 0; batch < 40; ++batch) {
    for (int32_t partition = 0; partition < 3; ++partition) {
      std::vector<eventlog::Record> records;
      for (int i = 0; i < 100; ++i) {
        const std::string aggregate = absl::StrCat("p", partition, "-a", i % 17);
        records.push_back(
            testing::MakeEventRecord("t", aggregate, ++sequences[aggregate],
                                     i % 97 == 5 ? testing::kPoisonType : "test.v1.Ping"));
      }
      ASSERT_TRUE(log->Append(testing::kTopic, partition, std::move(records)).ok());
    }
  }

  std::mt19937 random(11);
  const std::string projections = dir.Sub("projections");
  int kills = 0;
  for (int round = 0; round < 20; ++round) {
    auto child =
        ChildProcess::Spawn({JL_PROJECTION_CHILD_PATH, log_options.directory, projections});
    ASSERT_TRUE(child.ok());
    const int lines = 1 + static_cast<int>(random() % 6);
    bool finished = false;
    for (int i = 0; i < lines; ++i) {
      const auto line = (*child)->ReadLine(absl::Seconds(60));
      ASSERT_TRUE(line.has_value()) << "child stopped reporting in round " << round;
      if (*line == "done") finished = true;
    }
    (*child)->Signal(SIGKILL);
    (*child)->Wait();
    if (!finished) ++kills;
  }
  EXPECT_GT(kills, 10);  // most rounds died mid-way

  auto child = ChildProcess::Spawn({JL_PROJECTION_CHILD_PATH, log_options.directory, projections});
  ASSERT_TRUE(child.ok());
  while (true) {
    const auto line = (*child)->ReadLine(absl::Seconds(120));
    ASSERT_TRUE(line.has_value());
    if (*line == "done") break;
  }
  ASSERT_EQ((*child)->Wait(), 0);

  // The survivor's store, and one built in one go in this process.
  std::string current;
  std::ifstream(std::filesystem::path(projections) / "counts" / "CURRENT") >> current;
  StoreOptions store_options;
  store_options.path = (std::filesystem::path(projections) / "counts" / current).string();
  auto survivor = ProjectionStore::Open(store_options);
  ASSERT_TRUE(survivor.ok()) << survivor.status();

  testing::CountingProjection projection;
  RunnerOptions options;
  options.directory = dir.Sub("clean");
  options.log = log.get();
  auto clean = ProjectionRunner::Start(projection, options);
  ASSERT_TRUE(clean.ok());
  ASSERT_TRUE(
      jobledger::testing::WaitUntil([&] { return (*clean)->caught_up(); }, absl::Seconds(60)));
  EXPECT_EQ(*(*survivor)->Checksum(), *(*clean)->store()->Checksum());
  EXPECT_EQ(*(*survivor)->CommittedOffsets(), *(*clean)->store()->CommittedOffsets());
  EXPECT_EQ((*survivor)->DeadLetters(1000)->size(), (*clean)->store()->DeadLetters(1000)->size());
}

}  // namespace
}  // namespace jobledger::projection
