// Offline projection tools: list, verify against a rebuild, rebuild and swap.
#include "jobledger/projection/tools.h"

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "test_projection.h"

namespace jobledger::projection {
namespace {

using jobledger::testing::TempDir;
using jobledger::testing::WaitUntil;

class ToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    eventlog::EmbeddedLogOptions options;
    options.directory = dir_.Sub("log");
    options.owned_topics = {{testing::kTopic, 2}};
    log_ = std::move(*eventlog::EmbeddedLog::Open(options));
    Append(500);
  }

  void Append(int count) {
    for (int i = 0; i < count; ++i, ++next_) {
      const std::string aggregate = absl::StrCat("a", next_ % 7);
      ASSERT_TRUE(log_->Append(testing::kTopic, next_ % 2,
                               {testing::MakeEventRecord(
                                   "t", aggregate, ++sequences_[aggregate],
                                   next_ % 50 == 3 ? testing::kPoisonType : "test.v1.Ping")})
                      .ok());
    }
  }

  std::unique_ptr<ProjectionRunner> StartRunner() {
    RunnerOptions options;
    options.directory = projections();
    options.log = log_.get();
    auto runner = ProjectionRunner::Start(projection_, options);
    EXPECT_TRUE(runner.ok()) << runner.status();
    EXPECT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
    return std::move(*runner);
  }

  std::string projections() { return dir_.Sub("projections"); }

  TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  std::map<std::string, int64_t> sequences_;
  int next_ = 0;
  testing::CountingProjection projection_;
};

TEST_F(ToolsTest, ListsProjectionsWithOffsetsLagAndDeadLetters) {
  StartRunner()->Stop().IgnoreError();
  Append(5);
  auto listed = ListProjections(projections(), log_.get());
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  const StoredProjection& counts = (*listed)[0];
  EXPECT_EQ(counts.name, "counts");
  EXPECT_EQ(counts.store_name, "v1-0001");
  EXPECT_EQ(counts.version, 1);
  EXPECT_EQ(counts.applied.at({testing::kTopic, 0}), 250);
  EXPECT_EQ(counts.lag, 5);
  EXPECT_EQ(counts.dead_letters, 10u);
  EXPECT_EQ(ListProjections(dir_.Sub("nothing-here"), nullptr).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ToolsTest, VerifyMatchesAHealthyStoreEvenWhileItsServiceRuns) {
  auto runner = StartRunner();
  int64_t reported_total = -1;
  auto verified = VerifyProjection(projection_, projections(), *log_,
                                   [&](int64_t, int64_t total) { reported_total = total; });
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->matches());
  EXPECT_EQ(verified->events, 500);
  EXPECT_EQ(reported_total, 500);
}

TEST_F(ToolsTest, VerifyCatchesADamagedStore) {
  StartRunner()->Stop().IgnoreError();
  {
    StoreOptions options;
    options.path = dir_.Sub("projections/counts/v1-0001");
    auto store = std::move(*ProjectionStore::Open(options));
    auto transaction = store->Begin();
    testing::CountRow forged;
    forged.set_user_id("a1");
    forged.set_role("t");
    forged.set_name("1:999");
    ASSERT_TRUE(projection_.table().Put(*transaction, forged).ok());
    ASSERT_TRUE(store->Commit(*transaction).ok());
  }
  auto verified = VerifyProjection(projection_, projections(), *log_, nullptr);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->matches());
}

TEST_F(ToolsTest, RebuildSwapsInAFreshStoreOnlyWhenTheServiceIsStopped) {
  auto runner = StartRunner();
  EXPECT_EQ(RebuildProjection(projection_, projections(), *log_, nullptr).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const std::string before = runner->store()->Checksum().value();
  ASSERT_TRUE(runner->Stop().ok());
  runner.reset();

  auto rebuilt = RebuildProjection(projection_, projections(), *log_, nullptr);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, 500);
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("projections/counts/v1-0001")));
  ASSERT_TRUE(std::filesystem::exists(dir_.Sub("projections/counts/v1-0002")));

  runner = StartRunner();  // serves the rebuilt store and goes on from its offsets
  EXPECT_EQ(runner->store()->path(), dir_.Sub("projections/counts/v1-0002"));
  EXPECT_EQ(*runner->store()->Checksum(), before);
}

TEST_F(ToolsTest, ApplyUntilWithAFilterStopsEachPartitionAtItsFirstRefusedRecord) {
  StoreOptions options;
  options.path = dir_.Sub("partial");
  auto store = std::move(*ProjectionStore::Open(options));
  auto ends = LogEnds(*log_, {testing::kTopic});
  ASSERT_TRUE(ends.ok()) << ends.status();
  EXPECT_EQ(ends->at({testing::kTopic, 0}), 250);
  EXPECT_EQ(ends->at({testing::kTopic, 1}), 250);
  // Record 100 of each partition is refused; the later ones would pass, but a partition is only
  // ever applied as a prefix.
  auto applied = ApplyUntil(projection_, *log_, *store, *ends, nullptr,
                            [](const eventlog::Record& record) { return record.offset != 100; });
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 200);
  auto committed = store->CommittedOffsets();
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->at({testing::kTopic, 0}), 100);
  EXPECT_EQ(committed->at({testing::kTopic, 1}), 100);
}

TEST_F(ToolsTest, VerifyRefusesAnotherVersionsStore) {
  StartRunner()->Stop().IgnoreError();
  testing::CountingProjection v2(2);
  EXPECT_EQ(VerifyProjection(v2, projections(), *log_, nullptr).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace jobledger::projection
