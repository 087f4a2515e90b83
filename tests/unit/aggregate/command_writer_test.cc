// The command writer against a real embedded log and a state source the test controls: chained
// sequences, pending state, optimistic concurrency, idempotency, and appends with unknown outcome.
#include "jobledger/aggregate/command_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "google/protobuf/wrappers.pb.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::aggregate {
namespace {

using google::protobuf::Int64Value;
using ::testing::HasSubstr;
using Counter = Int64Value;              // the state: a running total
using Added = std::variant<Int64Value>;  // the one event: an amount added
using Writer = CommandWriter<Counter, Added>;

constexpr char kTopic[] = "test.counter.events";
constexpr int kPartitions = 2;

absl::Status Evolve(Counter& state, const events::v1::Envelope&, const Added& event) {
  state.set_value(state.value() + std::get<Int64Value>(event).value());
  return absl::OkStatus();
}

// A projection stand-in: the test says what is applied.
class FakeSource final : public StateSource<Counter> {
 public:
  absl::StatusOr<Head> Load(const AggregateKey& key, Counter& state) const override {
    absl::MutexLock lock(&mu_);
    auto it = states_.find(key.id);
    if (it == states_.end()) return Head{};
    state = it->second.first;
    return it->second.second;
  }
  absl::StatusOr<std::optional<CommandRecord>> FindCommand(absl::string_view,
                                                           absl::string_view) const override {
    return std::optional<CommandRecord>();
  }
  absl::Status WaitFor(const LogPosition& position, absl::Time deadline) const override {
    absl::MutexLock lock(&mu_);
    auto applied = [&] {
      auto it = applied_.find(position.partition);
      return it != applied_.end() && it->second > position.offset;
    };
    if (mu_.AwaitWithDeadline(absl::Condition(&applied), deadline)) return absl::OkStatus();
    return absl::DeadlineExceededError("not applied");
  }
  bool caught_up() const override { return caught_up_; }

  // Applies everything in the log (as the projection would).
  void ApplyAll(eventlog::EventLog& log) {
    absl::MutexLock lock(&mu_);
    for (int partition = 0; partition < kPartitions; ++partition) {
      auto records = log.Read(kTopic, partition, applied_[partition], 10'000);
      ASSERT_TRUE(records.ok());
      for (const eventlog::Record& record : *records) {
        auto event = eventlog::DecodeEvent(record);
        ASSERT_TRUE(event.ok()) << event.status();
        Int64Value added;
        ASSERT_TRUE(added.ParseFromString(event->payload()));
        auto& [state, head] = states_[event->envelope().aggregate_id()];
        state.set_value(state.value() + added.value());
        head.version = event->envelope().sequence();
        head.hash = event->envelope().hash();
        applied_[partition] = record.offset + 1;
      }
    }
  }
  std::atomic<bool> caught_up_ = true;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::pair<Counter, Head>> states_ ABSL_GUARDED_BY(mu_);
  std::map<int32_t, int64_t> applied_ ABSL_GUARDED_BY(mu_);
};

// Delegates to the real log; can make the next append fail before or after it lands.
class FlakyLog final : public eventlog::EventLog {
 public:
  explicit FlakyLog(eventlog::EventLog* log) : log_(log) {}
  enum class Failure { kNone, kBeforeLanding, kAfterLanding };
  std::atomic<Failure> next_failure = Failure::kNone;

  absl::StatusOr<std::vector<eventlog::TopicSpec>> ListTopics() override {
    return log_->ListTopics();
  }
  absl::StatusOr<int32_t> PartitionCount(absl::string_view topic) override {
    return log_->PartitionCount(topic);
  }
  absl::StatusOr<eventlog::AppendResult> Append(absl::string_view topic, int32_t partition,
                                                std::vector<eventlog::Record> records) override {
    const Failure failure = next_failure.exchange(Failure::kNone);
    if (failure == Failure::kBeforeLanding) return absl::UnavailableError("broker down");
    auto appended = log_->Append(topic, partition, std::move(records));
    if (failure == Failure::kAfterLanding) return absl::DeadlineExceededError("ack timed out");
    return appended;
  }
  absl::StatusOr<std::vector<eventlog::Record>> Read(absl::string_view topic, int32_t partition,
                                                     int64_t from, size_t max) override {
    return log_->Read(topic, partition, from, max);
  }
  absl::StatusOr<int64_t> HighWatermark(absl::string_view topic, int32_t partition) override {
    return log_->HighWatermark(topic, partition);
  }
  absl::StatusOr<std::unique_ptr<eventlog::Subscription>> Subscribe(absl::string_view topic,
                                                                    int32_t partition,
                                                                    int64_t from) override {
    return log_->Subscribe(topic, partition, from);
  }

 private:
  eventlog::EventLog* log_;
};

class CommandWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    eventlog::EmbeddedLogOptions options;
    options.directory = dir_.Sub("log");
    options.owned_topics = {{kTopic, kPartitions}};
    auto log = eventlog::EmbeddedLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    flaky_ = std::make_unique<FlakyLog>(log_.get());
    WriterOptions writer_options;
    writer_options.log = flaky_.get();
    writer_options.topic = kTopic;
    writer_options.source = "/test";
    writer_options.ids = &ids_;
    writer_options.catch_up_timeout = absl::Milliseconds(200);
    auto writer = Writer::Create(writer_options, "counter", &source_, Evolve);
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = *std::move(writer);
  }

  absl::StatusOr<Outcome<Counter>> Add(const std::string& id, int64_t amount,
                                       CommandMeta meta = {}) {
    return writer_->Execute(writer_->Key("acme", id), meta,
                            [&](const Counter&, const Head&) -> absl::StatusOr<std::vector<Added>> {
                              Int64Value added;
                              added.set_value(amount);
                              return std::vector<Added>{added};
                            });
  }

  std::vector<events::v1::Event> EventsOf(const std::string& id) {
    std::vector<events::v1::Event> events;
    for (int partition = 0; partition < kPartitions; ++partition) {
      auto records = log_->Read(kTopic, partition, 0, 100'000);
      EXPECT_TRUE(records.ok());
      for (const auto& record : *records) {
        auto event = eventlog::DecodeEvent(record);
        EXPECT_TRUE(event.ok()) << event.status();
        if (event->envelope().aggregate_id() == id) events.push_back(*event);
      }
    }
    return events;
  }

  jobledger::testing::TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  std::unique_ptr<FlakyLog> flaky_;
  UuidV7Generator ids_;
  FakeSource source_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(CommandWriterTest, EventsFollowOneAnotherInAChainEvenBeforeTheProjectionHasThem) {
  for (int i = 1; i <= 3; ++i) {
    auto outcome = Add("a", 10);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->version, i);
    EXPECT_EQ(outcome->state.value(), 10 * i);  // decided on pending state, not the source's
  }
  const auto events = EventsOf("a");
  ASSERT_EQ(events.size(), 3u);
  std::string previous;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].envelope().sequence(), i + 1);
    EXPECT_EQ(events[i].envelope().previous_hash(), previous);
    EXPECT_EQ(events[i].envelope().tenant(), "acme");
    EXPECT_EQ(events[i].envelope().type(), "google.protobuf.Int64Value");
    previous = events[i].envelope().hash();
  }
  EXPECT_EQ(writer_->SweepPending(), 1u);  // the projection has not applied it
  source_.ApplyAll(*log_);
  EXPECT_EQ(writer_->SweepPending(), 0u);
  auto next = Add("a", 1);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->version, 4);
  EXPECT_EQ(next->state.value(), 31);
}

TEST_F(CommandWriterTest, AStaleExpectedVersionIsAborted) {
  ASSERT_TRUE(Add("a", 1).ok());
  CommandMeta meta;
  meta.expected_version = 0;
  auto stale = Add("a", 1, meta);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(stale.status().message(), HasSubstr("version 1"));
  meta.expected_version = 1;
  EXPECT_TRUE(Add("a", 1, meta).ok());
}

TEST_F(CommandWriterTest, ARetryGetsTheFirstResultAndAKeyCannotBeReusedElsewhere) {
  CommandMeta meta;
  meta.idempotency_key = "k-1";
  auto first = Add("a", 5, meta);
  ASSERT_TRUE(first.ok());
  auto retry = Add("a", 5, meta);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->version, first->version);
  EXPECT_EQ(retry->position->offset, first->position->offset);
  EXPECT_EQ(EventsOf("a").size(), 1u);
  EXPECT_EQ(Add("b", 5, meta).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(CommandWriterTest, AnAppendWithAnUnknownOutcomeIsSettledFromTheProjection) {
  ASSERT_TRUE(Add("a", 1).ok());
  flaky_->next_failure = FlakyLog::Failure::kAfterLanding;  // it lands, the ack is lost
  EXPECT_EQ(Add("a", 2).status().code(), absl::StatusCode::kUnavailable);
  // Until the projection has read the partition to its end, the writer cannot know the head.
  EXPECT_EQ(Add("a", 4).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(EventsOf("a").size(), 2u);
  source_.ApplyAll(*log_);
  auto next = Add("a", 4);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->version, 3);  // after the event that did land, never a second sequence 2
  EXPECT_EQ(next->state.value(), 7);

  flaky_->next_failure = FlakyLog::Failure::kBeforeLanding;
  EXPECT_EQ(Add("a", 100).status().code(), absl::StatusCode::kUnavailable);
  source_.ApplyAll(*log_);
  auto after = Add("a", 1);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->version, 4);
  EXPECT_EQ(after->state.value(), 8);
}

TEST_F(CommandWriterTest, CommandsWaitForTheProjectionToCatchUp) {
  source_.caught_up_ = false;
  EXPECT_EQ(Add("a", 1).status().code(), absl::StatusCode::kUnavailable);
  source_.caught_up_ = true;
  EXPECT_TRUE(Add("a", 1).ok());
}

TEST_F(CommandWriterTest, ConcurrentCommandsOnOneAggregateNeverShareASequence) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) ASSERT_TRUE(Add("hot", 1).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  const auto events = EventsOf("hot");
  ASSERT_EQ(events.size(), static_cast<size_t>(kThreads * kEach));
  eventlog::HashChainVerifier verifier;
  for (const auto& event : events) EXPECT_TRUE(verifier.Check(event.envelope()).ok());
}

TEST_F(CommandWriterTest, DecisionsThatRefuseOrDoNothingAppendNothing) {
  auto refused =
      writer_->Execute(writer_->Key("acme", "a"), {},
                       [](const Counter&, const Head&) -> absl::StatusOr<std::vector<Added>> {
                         return absl::FailedPreconditionError("no");
                       });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  auto nothing =
      writer_->Execute(writer_->Key("acme", "a"), {},
                       [](const Counter&, const Head&) -> absl::StatusOr<std::vector<Added>> {
                         return std::vector<Added>{};
                       });
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->position.has_value());
  EXPECT_TRUE(EventsOf("a").empty());
}

TEST_F(CommandWriterTest, APreparedCommandSaysWhetherItAppendsBeforeAndAfterSubmit) {
  // Numbering counts a number as used only when the create appends: that must still be known
  // once Submit has handed the records to the log.
  auto decide = [](const Counter&, const Head&) -> absl::StatusOr<std::vector<Added>> {
    Int64Value added;
    added.set_value(1);
    return std::vector<Added>{added};
  };
  auto prepared = writer_->Prepare(writer_->Key("acme", "a"), {}, decide);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_TRUE((*prepared)->appends());
  (*prepared)->Submit();
  EXPECT_TRUE((*prepared)->appends());
  ASSERT_TRUE((*prepared)->Wait().ok());
  auto idle =
      writer_->Prepare(writer_->Key("acme", "b"), {},
                       [](const Counter&, const Head&) -> absl::StatusOr<std::vector<Added>> {
                         return std::vector<Added>{};
                       });
  ASSERT_TRUE(idle.ok());
  (*idle)->Submit();
  EXPECT_FALSE((*idle)->appends());
}

TEST(DerivedAggregateIdTest, IsStablePerTenantTypeAndKey) {
  const Uuid id = DerivedAggregateId("acme", "job", "key-1");
  EXPECT_EQ(id, DerivedAggregateId("acme", "job", "key-1"));
  EXPECT_EQ(id.version(), 8);
  EXPECT_NE(id, DerivedAggregateId("globex", "job", "key-1"));
  EXPECT_NE(id, DerivedAggregateId("acme", "customer", "key-1"));
  EXPECT_NE(id, DerivedAggregateId("acme", "job", "key-2"));
  EXPECT_NE(DerivedAggregateId("a/b", "c", "d"), DerivedAggregateId("a", "b/c", "d"));
}

}  // namespace
}  // namespace jobledger::aggregate
