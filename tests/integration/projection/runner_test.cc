// The projection runtime on the embedded log and real RocksDB stores.
#include "jobledger/projection/runner.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "test_projection.h"

namespace jobledger::projection {
namespace {

using jobledger::testing::TempDir;
using jobledger::testing::WaitUntil;
using testing::CountingProjection;
using testing::kTopic;
using testing::MakeEventRecord;

constexpr int32_t kPartitions = 3;

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    eventlog::EmbeddedLogOptions options;
    options.directory = dir_.Sub("log");
    options.owned_topics = {{kTopic, kPartitions}};
    log_ = std::move(*eventlog::EmbeddedLog::Open(options));
  }

  RunnerOptions Options(const std::string& projections = "projections") {
    RunnerOptions options;
    options.directory = dir_.Sub(projections);
    options.log = log_.get();
    options.idle_wait = absl::Milliseconds(10);
    return options;
  }

  // Appends `count` events spread over aggregates "a0".."a9"; returns the last position.
  LogPosition AppendEvents(int count, const std::string& type = "test.v1.Ping") {
    LogPosition last;
    for (int i = 0; i < count; ++i) {
      const std::string aggregate = absl::StrCat("a", next_ % 10);
      const int32_t partition = static_cast<int32_t>(next_ % kPartitions);
      auto result = log_->Append(kTopic, partition,
                                 {MakeEventRecord(absl::StrCat("t", next_ % 2), aggregate,
                                                  ++sequences_[aggregate], type)});
      EXPECT_TRUE(result.ok()) << result.status();
      last = {kTopic, partition, result->first_offset};
      ++next_;
    }
    return last;
  }

  int64_t Count(const ProjectionRunner& runner, const CountingProjection& projection,
                const std::string& aggregate) {
    auto row = projection.table().Get(*runner.store(), KeyBuilder().String(aggregate).key());
    if (!row.ok() || !row->has_value()) return 0;
    const std::string& name = (*row)->name();
    return std::stoll(name.substr(name.find(':') + 1));
  }

  // Checksum of the same projection built from scratch in a directory of its own.
  std::string CleanRebuildChecksum(const CountingProjection& projection) {
    auto runner = ProjectionRunner::Start(projection, Options(absl::StrCat("clean", ++clean_)));
    EXPECT_TRUE(runner.ok()) << runner.status();
    EXPECT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
    return *(*runner)->store()->Checksum();
  }

  TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  std::map<std::string, int64_t> sequences_;
  int next_ = 0;
  int clean_ = 0;
};

TEST_F(RunnerTest, AppliesTheLogAndBecomesReady) {
  AppendEvents(200);
  CountingProjection projection;
  auto runner = ProjectionRunner::Start(projection, Options());
  ASSERT_TRUE(runner.ok()) << runner.status();
  ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
  for (int a = 0; a < 10; ++a) EXPECT_EQ(Count(**runner, projection, absl::StrCat("a", a)), 20);
  auto by_tenant = projection.table().ScanIndex(*(*runner)->store(), "by_tenant",
                                                KeyBuilder().String("t0").key(), {});
  ASSERT_TRUE(by_tenant.ok());
  EXPECT_EQ(by_tenant->rows.size(), 5u);  // even aggregates belong to t0
  const ProjectionStatus status = (*runner)->status();
  EXPECT_EQ(status.lag, 0);
  EXPECT_EQ(status.applied.size(), static_cast<size_t>(kPartitions));
}

TEST_F(RunnerTest, WaitForGivesReadYourWritesOrDeadlineExceeded) {
  CountingProjection projection;
  auto runner = ProjectionRunner::Start(projection, Options());
  ASSERT_TRUE(runner.ok());
  for (int i = 0; i < 20; ++i) {
    const LogPosition position = AppendEvents(1);
    ASSERT_TRUE((*runner)->WaitFor(position, absl::Now() + absl::Seconds(10)).ok());
    EXPECT_EQ(Count(**runner, projection, absl::StrCat("a", i % 10)), i / 10 + 1);  // visible now
  }
  const absl::Time start = absl::Now();
  const absl::Status late =
      (*runner)->WaitFor({kTopic, 0, 1'000'000}, absl::Now() + absl::Milliseconds(100));
  EXPECT_EQ(late.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ((*runner)->WaitFor({"other.topic", 0, 0}, absl::Now()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RunnerTest, PoisonEventsBecomeDeadLettersAndProcessingContinues) {
  prometheus::Registry registry;
  CountingProjection projection;
  RunnerOptions options = Options();
  options.metrics = &registry;
  AppendEvents(3);
  AppendEvents(1, testing::kPoisonType);
  eventlog::Record malformed;
  malformed.key = "junk";
  malformed.value = "not an event";
  ASSERT_TRUE(log_->Append(kTopic, 1, {malformed}).ok());
  const LogPosition last = AppendEvents(3);

  auto runner = ProjectionRunner::Start(projection, options);
  ASSERT_TRUE(runner.ok());
  ASSERT_TRUE((*runner)->WaitFor(last, absl::Now() + absl::Seconds(10)).ok());
  auto dead_letters = (*runner)->store()->DeadLetters(10);
  ASSERT_TRUE(dead_letters.ok());
  ASSERT_EQ(dead_letters->size(), 2u);
  std::vector<std::string> reasons;
  for (const auto& dead_letter : *dead_letters) reasons.push_back(dead_letter.reason());
  EXPECT_TRUE(absl::StrContains(reasons[0] + reasons[1], "poison events are refused"));
  EXPECT_TRUE(absl::StrContains(reasons[0] + reasons[1], "not a valid event"));
  // The refused event's own write was undone: a3 counts only its good events.
  EXPECT_EQ(Count(**runner, projection, "a3"), 0);
  EXPECT_EQ(Count(**runner, projection, "a4"), 1);
  EXPECT_EQ((*runner)->status().dead_letters, 2);

  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  EXPECT_TRUE(
      absl::StrContains(text, "jobledger_projection_dead_letters_total{projection=\"counts\"} 2"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text, "jobledger_projection_events_applied_total{projection=\"counts\"} 8"))
      << text;
}

// Answers UNAVAILABLE ("not now") for one event type until it has been tried `failures` times.
class FlakyProjection final : public Projection {
 public:
  explicit FlakyProjection(int failures) : failures_(failures) {}
  std::string name() const override { return inner_.name(); }
  int32_t version() const override { return inner_.version(); }
  std::vector<std::string> topics() const override { return inner_.topics(); }
  absl::Status Apply(const events::v1::Event& event, const EventPosition& position,
                     StateWriter& state) const override {
    absl::Status applied = inner_.Apply(event, position, state);  // writes first, then fails
    if (applied.ok() && event.envelope().type() == "test.v1.Later" && ++tries_ <= failures_) {
      return absl::UnavailableError("the other service is down");
    }
    return applied;
  }
  int tries() const { return tries_.load(); }
  const CountingProjection& inner() const { return inner_; }

 private:
  CountingProjection inner_;
  const int failures_;
  mutable std::atomic<int> tries_ = 0;
};

TEST_F(RunnerTest, AnUnavailableEventIsAppliedLaterNeverDeadLettered) {
  FlakyProjection projection(3);
  AppendEvents(4);
  AppendEvents(1, "test.v1.Later");  // aggregate a4
  AppendEvents(5);
  auto runner = ProjectionRunner::Start(projection, Options());
  ASSERT_TRUE(runner.ok());
  auto total = [&] {
    int64_t sum = 0;
    for (int a = 0; a < 10; ++a) sum += Count(**runner, projection.inner(), absl::StrCat("a", a));
    return sum;
  };
  // Every event counted exactly once: the refused tries' writes were undone.
  ASSERT_TRUE(WaitUntil([&] { return total() == 10; }));
  EXPECT_TRUE((*runner)->caught_up());
  EXPECT_EQ(projection.tries(), 4);  // three refusals, then applied
  EXPECT_EQ((*runner)->status().dead_letters, 0);
  EXPECT_EQ(Count(**runner, projection.inner(), "a4"), 1);
}

TEST_F(RunnerTest, RestartResumesExactlyFromTheCheckpoint) {
  CountingProjection projection;
  AppendEvents(100);
  {
    auto runner = ProjectionRunner::Start(projection, Options());
    ASSERT_TRUE(runner.ok());
    ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
  }
  AppendEvents(50);
  auto runner = ProjectionRunner::Start(projection, Options());
  ASSERT_TRUE(runner.ok());
  ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
  EXPECT_EQ(Count(**runner, projection, "a0"), 15);  // nothing applied twice, nothing missed
  EXPECT_EQ(*(*runner)->store()->Checksum(), CleanRebuildChecksum(projection));
}

TEST_F(RunnerTest, AVersionBumpRebuildsIntoANewStore) {
  AppendEvents(100);
  std::string old_path;
  {
    CountingProjection v1(1);
    auto runner = ProjectionRunner::Start(v1, Options());
    ASSERT_TRUE(runner.ok());
    ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
    old_path = (*runner)->store()->path();
  }
  CountingProjection v2(2);
  auto runner = ProjectionRunner::Start(v2, Options());
  ASSERT_TRUE(runner.ok());
  ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up() && !(*runner)->status().rebuilding; }));
  auto row = v2.table().Get(*(*runner)->store(), KeyBuilder().String("a0").key());
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->name(), "2:10");  // written by version 2, from offset 0
  EXPECT_NE((*runner)->store()->path(), old_path);
  EXPECT_TRUE(WaitUntil([&] { return !std::filesystem::exists(old_path); }));
  EXPECT_EQ(*(*runner)->store()->Checksum(), CleanRebuildChecksum(v2));
}

TEST_F(RunnerTest, RebuildWhileServingSwapsInAnEqualStore) {
  CountingProjection projection;
  AppendEvents(3000);
  auto runner = ProjectionRunner::Start(projection, Options());
  ASSERT_TRUE(runner.ok());
  ASSERT_TRUE(WaitUntil([&] { return (*runner)->caught_up(); }));
  const std::string before = (*runner)->store()->path();

  ASSERT_TRUE((*runner)->Rebuild().ok());
  EXPECT_EQ((*runner)->Rebuild().code(), absl::StatusCode::kFailedPrecondition);
  // Writes and reads go on during the rebuild; the serving store keeps up with them.
  for (int i = 0; i < 20; ++i) {
    const LogPosition position = AppendEvents(10);
    ASSERT_TRUE((*runner)->WaitFor(position, absl::Now() + absl::Seconds(10)).ok());
    EXPECT_GE(Count(**runner, projection, "a0"), 300);
  }
  ASSERT_TRUE(WaitUntil([&] { return !(*runner)->status().rebuilding; }, absl::Seconds(60)));
  EXPECT_NE((*runner)->store()->path(), before);
  EXPECT_EQ(Count(**runner, projection, "a0"), 320);
  EXPECT_EQ(*(*runner)->store()->Checksum(), CleanRebuildChecksum(projection));
}

TEST_F(RunnerTest, RefusesBadDefinitions) {
  CountingProjection bad_name(1, "Bad-Name");
  EXPECT_EQ(ProjectionRunner::Start(bad_name, Options()).status().code(),
            absl::StatusCode::kInvalidArgument);
  CountingProjection bad_version(0);
  EXPECT_EQ(ProjectionRunner::Start(bad_version, Options()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jobledger::projection
