// `jl verify`'s chain check: each break of sequence or hash reported once, the rest still checked.
#include "chain_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/job/v1/events.pb.h"
#include "test_events.h"

namespace jobledger::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNine = absl::FromUnixSeconds(1'774'947'600);

std::vector<events::v1::Event> Chain(testing::EventChains& chains, const std::string& job_id,
                                     int count) {
  std::vector<events::v1::Event> events;
  for (int i = 0; i < count; ++i) {
    job::v1::NoteAdded note;
    note.mutable_note()->set_text(absl::StrCat("note ", i));
    events.push_back(chains.Next("acme", "job", job_id, note, kNine + absl::Minutes(i)));
  }
  return events;
}

std::vector<std::string> Check(ChainChecker& checker, const events::v1::Event& event) {
  return checker.Check(event.envelope(), event.payload());
}

TEST(ChainCheckerTest, AnIntactChainHasNoProblems) {
  testing::EventChains chains;
  ChainChecker checker;
  for (const auto& event : Chain(chains, "job-1", 3)) EXPECT_THAT(Check(checker, event), IsEmpty());
  for (const auto& event : Chain(chains, "job-2", 2)) EXPECT_THAT(Check(checker, event), IsEmpty());
  EXPECT_EQ(checker.aggregates(), 2);
}

TEST(ChainCheckerTest, AGapIsReportedOnceAndTheChainGoesOnAfterIt) {
  testing::EventChains chains;
  const auto events = Chain(chains, "job-1", 5);
  ChainChecker checker;
  EXPECT_THAT(Check(checker, events[0]), IsEmpty());
  EXPECT_THAT(Check(checker, events[1]), IsEmpty());
  EXPECT_THAT(Check(checker, events[3]), ElementsAre("sequence 4 follows 2: 1 event missing"));
  EXPECT_THAT(Check(checker, events[4]), IsEmpty());
}

TEST(ChainCheckerTest, AnAggregateThatDoesNotStartAtOneIsReported) {
  testing::EventChains chains;
  const auto events = Chain(chains, "job-1", 3);
  ChainChecker checker;
  EXPECT_THAT(Check(checker, events[2]),
              ElementsAre("sequence 3 is the aggregate's first event: 2 events missing"));
}

TEST(ChainCheckerTest, ARepeatedSequenceIsReportedAndDoesNotMoveTheChain) {
  testing::EventChains chains;
  const auto events = Chain(chains, "job-1", 3);
  ChainChecker checker;
  EXPECT_THAT(Check(checker, events[0]), IsEmpty());
  EXPECT_THAT(Check(checker, events[1]), IsEmpty());
  EXPECT_THAT(Check(checker, events[1]),
              ElementsAre("sequence 2 repeated (the aggregate is at 2)"));
  EXPECT_THAT(Check(checker, events[2]), IsEmpty());
}

TEST(ChainCheckerTest, APreviousHashThatIsNotThePreviousEventsHashIsReported) {
  testing::EventChains chains;
  auto events = Chain(chains, "job-1", 3);
  // Forged consistently: the event's own hash recomputes, only the link is wrong.
  events[1].mutable_envelope()->set_previous_hash(std::string(32, 'x'));
  eventlog::SealEvent(events[1]);
  ChainChecker checker;
  EXPECT_THAT(Check(checker, events[0]), IsEmpty());
  EXPECT_THAT(Check(checker, events[1]),
              ElementsAre("sequence 2: previous_hash does not equal the hash of sequence 1"));
  EXPECT_THAT(Check(checker, events[2]),
              ElementsAre("sequence 3: previous_hash does not equal the hash of sequence 2"))
      << "the next event chains to the original, which is no longer there";
}

TEST(ChainCheckerTest, AnAlteredEventDoesNotMatchItsHash) {
  testing::EventChains chains;
  auto events = Chain(chains, "job-1", 2);
  events[1].set_payload(events[0].payload());
  ChainChecker checker;
  EXPECT_THAT(Check(checker, events[0]), IsEmpty());
  EXPECT_THAT(Check(checker, events[1]), ElementsAre(HasSubstr("does not match its hash")));
}

TEST(ChainCheckerTest, AFirstEventWithAPreviousHashIsReported) {
  testing::EventChains chains;
  auto events = Chain(chains, "job-1", 1);
  events[0].mutable_envelope()->set_previous_hash(std::string(32, 'x'));
  eventlog::SealEvent(events[0]);
  ChainChecker checker;
  EXPECT_THAT(Check(checker, events[0]),
              ElementsAre("sequence 1 has a previous_hash; the first event has none"));
}

TEST(ChainCheckerTest, AggregatesAreToldApartByTenantAndType) {
  testing::EventChains chains;
  job::v1::NoteAdded note;
  ChainChecker checker;
  EXPECT_THAT(Check(checker, chains.Next("acme", "job", "x-1", note, kNine)), IsEmpty());
  EXPECT_THAT(Check(checker, chains.Next("beta", "job", "x-1", note, kNine)), IsEmpty());
  EXPECT_THAT(Check(checker, chains.Next("acme", "job_schedule", "x-1", note, kNine)), IsEmpty());
  EXPECT_EQ(checker.aggregates(), 3);
}

}  // namespace
}  // namespace jobledger::cli
