// Reading events out of a real (embedded) log: the merge by occurred_at, the selection with its
// offsets, limit and bad records, and the verification pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "event_selection.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/testing/temp_dir.h"
#include "log_verifier.h"
#include "merged_event_reader.h"
#include "test_events.h"

namespace jobledger::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Position = std::tuple<std::string, int32_t, int64_t>;

const absl::Time kNine = absl::FromUnixSeconds(1'774'947'600);
constexpr int32_t kPartitions = 2;
const std::string kJobs(eventlog::kJobTopic);
const std::string kScheduling(eventlog::kSchedulingTopic);

class LogReadingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    eventlog::EmbeddedLogOptions options;
    options.directory = dir_.path();
    options.owned_topics = {{kJobs, kPartitions}, {kScheduling, kPartitions}};
    auto log = eventlog::EmbeddedLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  // Appends the aggregate's next event at `minute` past nine to an explicit partition.
  void Append(const std::string& topic, int32_t partition, const std::string& aggregate_id,
              int minute) {
    job::v1::NoteAdded note;
    note.mutable_note()->set_text(absl::StrCat("minute ", minute));
    const events::v1::Event event =
        chains_.Next("acme", "job", aggregate_id, note, kNine + absl::Minutes(minute));
    ASSERT_TRUE(log_->Append(topic, partition, {eventlog::EncodeEvent(event)}).ok());
  }

  std::vector<PartitionCursor> AllPartitions() {
    std::vector<PartitionCursor> cursors;
    for (const std::string& topic : {kJobs, kScheduling}) {
      for (int32_t partition = 0; partition < kPartitions; ++partition) {
        cursors.emplace_back(*log_, topic, partition, 0,
                             log_->HighWatermark(topic, partition).value());
      }
    }
    return cursors;
  }

  jobledger::testing::TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  testing::EventChains chains_;
};

TEST_F(LogReadingTest, PartitionsAreMergedByOccurredAtEachInItsOwnOrder) {
  Append(kJobs, 0, "job-a", 10);
  Append(kJobs, 0, "job-a", 30);
  Append(kJobs, 0, "job-a", 20);  // a device clock behind: stays after the one before it
  Append(kJobs, 1, "job-b", 20);
  Append(kJobs, 1, "job-b", 40);
  Append(kScheduling, 0, "job-c", 20);  // ties with job-b's: the job topic sorts first

  PayloadDecoder decoder;
  MergedEventReader reader(
      AllPartitions(), EventFilter({}), decoder,
      [](const eventlog::Record&, const absl::Status& error) { ADD_FAILURE() << error; });
  EXPECT_EQ(reader.records_planned(), 6);
  std::vector<Position> order;
  while (true) {
    auto event = reader.Next();
    ASSERT_TRUE(event.ok()) << event.status();
    if (*event == nullptr) break;
    order.emplace_back((*event)->topic, (*event)->partition, (*event)->offset);
  }
  EXPECT_THAT(order,
              ElementsAre(Position{kJobs, 0, 0}, Position{kJobs, 1, 0}, Position{kScheduling, 0, 0},
                          Position{kJobs, 0, 1}, Position{kJobs, 0, 2}, Position{kJobs, 1, 1}));
  EXPECT_EQ(reader.records_read(), 6);
}

TEST_F(LogReadingTest, ASelectionStartsAtItsOffsetStopsAtItsLimitAndSkipsBadRecords) {
  for (int minute = 0; minute < 4; ++minute) Append(kJobs, 0, "job-a", minute);
  eventlog::Record not_an_event;
  not_an_event.key = "job-a";
  not_an_event.value = "hello";
  ASSERT_TRUE(log_->Append(kJobs, 0, {not_an_event}).ok());
  Append(kJobs, 0, "job-a", 5);

  PayloadDecoder decoder;
  std::vector<int64_t> offsets;
  const auto collect = [&](const LocatedEvent& event) {
    offsets.push_back(event.offset);
    return absl::OkStatus();
  };
  SelectionOptions selection;
  selection.topics = {kJobs};
  selection.from_offset = 2;
  auto summary = ForEachSelectedEvent(*log_, selection, decoder, collect);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_THAT(offsets, ElementsAre(2, 3, 5));
  EXPECT_EQ(summary->events, 3);
  EXPECT_EQ(summary->bad_records, 1);

  offsets.clear();
  selection.from_offset = 0;
  selection.limit = 2;
  summary = ForEachSelectedEvent(*log_, selection, decoder, collect);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_THAT(offsets, ElementsAre(0, 1));
}

TEST_F(LogReadingTest, ASelectionOfAnUnknownTopicFailsNamingIt) {
  PayloadDecoder decoder;
  SelectionOptions selection;
  selection.topics = {"jobledger.nope.events"};
  auto summary = ForEachSelectedEvent(*log_, selection, decoder,
                                      [](const LocatedEvent&) { return absl::OkStatus(); });
  ASSERT_FALSE(summary.ok());
  EXPECT_THAT(std::string(summary.status().message()), HasSubstr("jobledger.nope.events"));
}

TEST_F(LogReadingTest, VerifyCountsEventsAndAggregatesOfAnIntactLog) {
  for (const char* job : {"job-a", "job-b", "job-c"}) {
    for (int minute = 0; minute < 3; ++minute) {
      Append(kJobs, eventlog::PartitionForKey(job, kPartitions), job, minute);
    }
  }
  std::vector<LogProblem> problems;
  auto summary = VerifyLog(*log_, {{kJobs, kPartitions}, {kScheduling, kPartitions}},
                           [&](const LogProblem& problem) { problems.push_back(problem); });
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->events, 9);
  EXPECT_EQ(summary->aggregates, 3);
  EXPECT_EQ(summary->problems, 0);
  EXPECT_TRUE(problems.empty());
}

TEST_F(LogReadingTest, VerifyReportsWhereEachProblemIs) {
  // A job whose key belongs on partition 0, so the problems come in a known order.
  std::string job = "job-0";
  for (int i = 1; eventlog::PartitionForKey(job, kPartitions) != 0; ++i)
    job = absl::StrCat("job-", i);
  Append(kJobs, 0, job, 0);
  Append(kJobs, 1, job, 1);  // on the wrong partition
  eventlog::Record not_an_event;
  not_an_event.key = job;
  not_an_event.value = "hello";
  ASSERT_TRUE(log_->Append(kJobs, 0, {not_an_event}).ok());

  std::vector<LogProblem> problems;
  auto summary = VerifyLog(*log_, {{kJobs, kPartitions}},
                           [&](const LogProblem& problem) { problems.push_back(problem); });
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->events, 2);
  EXPECT_EQ(summary->aggregates, 1);
  EXPECT_EQ(summary->problems, 2);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].topic, kJobs);
  EXPECT_EQ(problems[0].partition, 0);
  EXPECT_EQ(problems[0].offset, 1);
  EXPECT_EQ(problems[0].aggregate, "?");
  EXPECT_THAT(problems[0].what, HasSubstr("not a valid event"));
  EXPECT_EQ(problems[1].partition, 1);
  EXPECT_EQ(problems[1].offset, 0);
  EXPECT_EQ(problems[1].aggregate, absl::StrCat("acme/job/", job));
  EXPECT_EQ(problems[1].what, "on partition 1, but its key belongs on partition 0");
}

}  // namespace
}  // namespace jobledger::cli
