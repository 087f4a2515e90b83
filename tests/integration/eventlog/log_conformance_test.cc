// One suite of log behaviour, run against every backend (embedded, and Kafka over TCP).
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"
#include "log_backend.h"

namespace jobledger::eventlog {
namespace {

constexpr char kTopic[] = "conformance.events";
constexpr int32_t kPartitions = 4;

Record MakeRecord(const std::string& key, const std::string& value) {
  Record record;
  record.key = key;
  record.value = value;
  record.headers = {{"ce_id", absl::StrCat("id-", value)}, {"ce_specversion", "1.0"}};
  return record;
}

std::vector<Record> Records(const std::string& key, int first, int count) {
  std::vector<Record> records;
  for (int i = first; i < first + count; ++i)
    records.push_back(MakeRecord(key, absl::StrCat("v", i)));
  return records;
}

std::vector<std::string> Values(const std::vector<Record>& records) {
  std::vector<std::string> values;
  for (const Record& record : records) values.push_back(record.value);
  return values;
}

// Polls until `count` records arrived (true) or ten seconds passed.
bool WaitForRecords(Subscription& subscription, size_t count, std::vector<std::string>& seen) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (seen.size() < count && absl::Now() < deadline) {
    auto batch = subscription.Poll(count - seen.size(), absl::Milliseconds(500));
    if (!batch.ok()) return false;
    for (const Record& record : *batch) seen.push_back(record.value);
  }
  return seen.size() == count;
}

class LogConformanceTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make({{kTopic, kPartitions}});
    writer_ = backend_->Writer();
    ASSERT_NE(writer_, nullptr);
  }

  std::unique_ptr<EventLog> Reader() {
    auto reader = backend_->Reader();
    EXPECT_NE(reader, nullptr);
    return reader;
  }

  // Reads everything in [from, high watermark) of a partition through `log`.
  std::vector<Record> ReadAll(EventLog& log, int32_t partition, int64_t from = 0) {
    std::vector<Record> all;
    auto high_watermark = log.HighWatermark(kTopic, partition);
    EXPECT_TRUE(high_watermark.ok()) << high_watermark.status();
    while (high_watermark.ok() && from < *high_watermark) {
      auto batch = log.Read(kTopic, partition, from, 1000);
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok() || batch->empty()) break;
      from += static_cast<int64_t>(batch->size());
      for (Record& record : *batch) all.push_back(std::move(record));
    }
    return all;
  }

  std::unique_ptr<LogBackend> backend_;
  std::unique_ptr<EventLog> writer_;
};

TEST_P(LogConformanceTest, ListsTopicsWithPartitionCounts) {
  auto topics = writer_->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status();
  EXPECT_THAT(*topics, ::testing::Contains(TopicSpec{kTopic, kPartitions}));
  EXPECT_EQ(*writer_->PartitionCount(kTopic), kPartitions);
  EXPECT_EQ(writer_->PartitionCount("no.such.topic").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(LogConformanceTest, AppendAssignsContiguousOffsetsInOrder) {
  auto first = writer_->Append(kTopic, 1, Records("job-1", 0, 3));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->first_offset, 0);
  EXPECT_EQ(first->count, 3);
  auto second = writer_->Append(kTopic, 1, Records("job-1", 3, 2));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->first_offset, 3);
  EXPECT_EQ(second->last_offset(), 4);
  EXPECT_EQ(*writer_->HighWatermark(kTopic, 1), 5);
  EXPECT_EQ(*writer_->HighWatermark(kTopic, 0), 0);  // partitions are independent

  const std::vector<Record> records = ReadAll(*writer_, 1);
  EXPECT_THAT(Values(records), ::testing::ElementsAre("v0", "v1", "v2", "v3", "v4"));
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].offset, static_cast<int64_t>(i));
}

TEST_P(LogConformanceTest, AcknowledgedRecordsAreVisibleToASecondClient) {
  Record binary;
  binary.key = std::string("job\0key", 7);
  binary.value = std::string("\x00\xff\x10payload", 10);
  binary.headers = {{"ce_id", "e-1"}, {"ce_hash", std::string("\x00\x01\xfe", 3)}, {"empty", ""}};
  const absl::Time before = absl::Now() - absl::Seconds(1);
  ASSERT_TRUE(writer_->Append(kTopic, 2, {binary}).ok());

  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(*reader->HighWatermark(kTopic, 2), 1);
  const std::vector<Record> records = ReadAll(*reader, 2);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, binary.key);
  EXPECT_EQ(records[0].value, binary.value);
  EXPECT_EQ(records[0].headers, binary.headers);
  EXPECT_EQ(records[0].offset, 0);
  EXPECT_GE(records[0].timestamp, before);
  EXPECT_LE(records[0].timestamp, absl::Now() + absl::Seconds(1));
}

TEST_P(LogConformanceTest, EventsRoundTripThroughTheLog) {
  UuidV7Generator ids;
  events::v1::Event event;
  auto& envelope = *event.mutable_envelope();
  envelope.set_event_id(ids.NewId().ToString());
  envelope.set_type("jobledger.job.v1.JobCreated");
  envelope.set_source("/jobledger/job");
  envelope.set_tenant("t1");
  envelope.set_aggregate_type("job");
  envelope.set_aggregate_id(ids.NewId().ToString());
  envelope.set_sequence(1);
  envelope.mutable_occurred_at()->set_seconds(1'795'000'000);
  event.set_payload("payload");
  SealEvent(event);
  const int32_t partition = PartitionForKey(envelope.aggregate_id(), kPartitions);
  ASSERT_TRUE(writer_->Append(kTopic, partition, {EncodeEvent(event)}).ok());

  auto reader = Reader();
  const std::vector<Record> records = ReadAll(*reader, partition);
  ASSERT_EQ(records.size(), 1u);
  auto decoded = DecodeEvent(records[0]);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->SerializeAsString(), event.SerializeAsString());
}

TEST_P(LogConformanceTest, SubscriberSeesAppendsMadeAfterItSubscribed) {
  auto reader = Reader();
  auto subscription = reader->Subscribe(kTopic, 3, 0);
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  // Nothing there yet: a poll returns empty once its timeout passes.
  auto nothing = (*subscription)->Poll(10, absl::Milliseconds(50));
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_TRUE(nothing->empty());

  constexpr int kCount = 100;
  std::thread appender([&] {
    for (int i = 0; i < kCount; ++i) {
      ASSERT_TRUE(writer_->Append(kTopic, 3, {MakeRecord("job-9", absl::StrCat("v", i))}).ok());
    }
  });
  std::vector<std::string> seen;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (seen.size() < kCount && absl::Now() < deadline) {
    auto batch = (*subscription)->Poll(7, absl::Seconds(1));  // small polls: backpressure
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_LE(batch->size(), 7u);
    for (const Record& record : *batch) {
      EXPECT_EQ(record.offset, static_cast<int64_t>(seen.size()));
      seen.push_back(record.value);
    }
  }
  appender.join();
  ASSERT_EQ(seen.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(seen[i], absl::StrCat("v", i));
  EXPECT_EQ((*subscription)->position(), kCount);
}

TEST_P(LogConformanceTest, OneSubscriptionFollowsManyPartitions) {
  ASSERT_TRUE(writer_->Append(kTopic, 0, Records("p0", 0, 3)).ok());  // before: from offset 1
  auto reader = Reader();
  auto subscription = reader->SubscribeMany({{kTopic, 0, 1}, {kTopic, 2, 0}});
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  std::thread appender([&] {
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(writer_->Append(kTopic, 2, {MakeRecord("p2", absl::StrCat("w", i))}).ok());
      ASSERT_TRUE(writer_->Append(kTopic, 0, {MakeRecord("p0", absl::StrCat("v", 3 + i))}).ok());
      ASSERT_TRUE(writer_->Append(kTopic, 1, {MakeRecord("p1", "not subscribed")}).ok());
    }
  });
  std::map<int32_t, std::vector<std::string>> seen;
  size_t total = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (total < 42 && absl::Now() < deadline) {
    auto batch = (*subscription)->Poll(5, absl::Seconds(1));
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const Record& record : *batch) {
      EXPECT_EQ(record.topic, kTopic);
      EXPECT_EQ(record.offset, static_cast<int64_t>(seen[record.partition].size()) +
                                   (record.partition == 0 ? 1 : 0));
      seen[record.partition].push_back(record.value);
      ++total;
    }
  }
  appender.join();
  ASSERT_EQ(total, 42u);
  EXPECT_EQ(seen.count(1), 0u);
  ASSERT_EQ(seen[0].size(), 22u);
  EXPECT_EQ(seen[0].front(), "v1");
  EXPECT_EQ(seen[0].back(), "v22");
  ASSERT_EQ(seen[2].size(), 20u);
  EXPECT_EQ(seen[2].back(), "w19");

  const auto read = reader->Read(kTopic, 2, 0, 1);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)[0].topic, kTopic);  // plain reads say where records are too
  EXPECT_EQ((*read)[0].partition, 2);
  EXPECT_EQ(reader->SubscribeMany({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(LogConformanceTest, SubscriptionResumesFromAnOffset) {
  ASSERT_TRUE(writer_->Append(kTopic, 0, Records("job-2", 0, 10)).ok());
  auto reader = Reader();
  auto subscription = reader->Subscribe(kTopic, 0, 6);
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  std::vector<std::string> seen;
  ASSERT_TRUE(WaitForRecords(**subscription, 4, seen));
  EXPECT_THAT(seen, ::testing::ElementsAre("v6", "v7", "v8", "v9"));

  auto read = reader->Read(kTopic, 0, 8, 100);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(Values(*read), ::testing::ElementsAre("v8", "v9"));
  auto at_end = reader->Read(kTopic, 0, 10, 100);
  ASSERT_TRUE(at_end.ok());
  EXPECT_TRUE(at_end->empty());
}

TEST_P(LogConformanceTest, KeysLandOnTheirPartitionInEveryClient) {
  for (int i = 0; i < 40; ++i) {
    const std::string key = absl::StrCat("job-", i);
    ASSERT_TRUE(
        writer_->Append(kTopic, PartitionForKey(key, kPartitions), {MakeRecord(key, key)}).ok());
  }
  auto reader = Reader();
  int found = 0;
  for (int32_t partition = 0; partition < kPartitions; ++partition) {
    for (const Record& record : ReadAll(*reader, partition)) {
      EXPECT_EQ(PartitionForKey(record.key, kPartitions), partition) << record.key;
      ++found;
    }
  }
  EXPECT_EQ(found, 40);
}

TEST_P(LogConformanceTest, LargeBatchesAndLargeRecords) {
  auto batch = writer_->Append(kTopic, 1, Records("bulk", 0, 5000));
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->count, 5000);
  const std::string big(500'000, 'x');
  Record large_record;
  large_record.key = "big";
  large_record.value = big;
  auto large = writer_->Append(kTopic, 1, {large_record});
  ASSERT_TRUE(large.ok()) << large.status();
  EXPECT_EQ(large->first_offset, 5000);

  auto reader = Reader();
  const std::vector<Record> records = ReadAll(*reader, 1);
  ASSERT_EQ(records.size(), 5001u);
  EXPECT_EQ(records[4999].value, "v4999");
  EXPECT_EQ(records[5000].value, big);
}

TEST_P(LogConformanceTest, ConcurrentAppendersGetDistinctContiguousOffsets) {
  constexpr int kThreads = 8;
  constexpr int kAppendsPerThread = 50;
  std::vector<std::vector<std::pair<AppendResult, std::string>>> acks(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        const int size = 1 + (i % 3);
        std::vector<Record> records;
        for (int j = 0; j < size; ++j) {
          records.push_back(MakeRecord("job-c", absl::StrCat("t", t, "-a", i, "-r", j)));
        }
        auto result = writer_->Append(kTopic, 2, std::move(records));
        ASSERT_TRUE(result.ok()) << result.status();
        acks[t].push_back({*result, absl::StrCat("t", t, "-a", i)});
      }
    });
  }
  for (auto& thread : threads) thread.join();

  const std::vector<Record> records = ReadAll(*writer_, 2);
  std::set<int64_t> offsets;
  for (int t = 0; t < kThreads; ++t) {
    int64_t previous = -1;
    for (const auto& [result, name] : acks[t]) {
      EXPECT_GT(result.first_offset, previous);  // one caller's appends stay in its order
      previous = result.first_offset;
      for (int64_t j = 0; j < result.count; ++j) {
        const int64_t offset = result.first_offset + j;
        EXPECT_TRUE(offsets.insert(offset).second) << "offset given twice: " << offset;
        ASSERT_LT(offset, static_cast<int64_t>(records.size()));
        EXPECT_EQ(records[offset].value, absl::StrCat(name, "-r", j));
      }
    }
  }
  EXPECT_EQ(offsets.size(), records.size());
  EXPECT_EQ(*offsets.rbegin(), static_cast<int64_t>(records.size()) - 1);
}

TEST_P(LogConformanceTest, AsyncAppendsCompleteOnceEachInSubmissionOrder) {
  constexpr int kCount = 200;
  absl::Mutex mu;
  std::vector<int64_t> offsets(kCount, -1);
  int completed = 0;
  for (int i = 0; i < kCount; ++i) {
    writer_->AppendAsync(kTopic, 0, {MakeRecord("job-a", absl::StrCat("v", i))},
                         [&, i](absl::StatusOr<AppendResult> result) {
                           absl::MutexLock lock(&mu);
                           EXPECT_TRUE(result.ok()) << result.status();
                           if (result.ok()) offsets[i] = result->first_offset;
                           ++completed;
                         });
  }
  {
    absl::MutexLock lock(&mu);
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(
                                        +[](int* done) { return *done == kCount; }, &completed),
                                    absl::Seconds(30)));
  }
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(offsets[i], i);  // one partition keeps the order
  const std::vector<Record> records = ReadAll(*writer_, 0);
  ASSERT_EQ(records.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(records[kCount - 1].value, absl::StrCat("v", kCount - 1));

  absl::Notification refused;
  writer_->AppendAsync(kTopic, kPartitions, Records("k", 0, 1),
                       [&](absl::StatusOr<AppendResult> result) {
                         EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
                         refused.Notify();
                       });
  EXPECT_TRUE(refused.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST_P(LogConformanceTest, BadAppendsAreRefusedAndChangeNothing) {
  EXPECT_EQ(writer_->Append(kTopic, 0, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->Append(kTopic, kPartitions, Records("k", 0, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->Append(kTopic, -1, Records("k", 0, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->Append("no.such.topic", 0, Records("k", 0, 1)).status().code(),
            absl::StatusCode::kNotFound);
  std::vector<Record> with_oversized = Records("k", 0, 2);
  with_oversized.push_back(MakeRecord("k", std::string(2'000'000, 'x')));
  EXPECT_EQ(writer_->Append(kTopic, 0, std::move(with_oversized)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*writer_->HighWatermark(kTopic, 0), 0);  // nothing of the refused batch landed

  EXPECT_EQ(writer_->Read(kTopic, 0, -1, 10).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->Read(kTopic, 9, 0, 10).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->Subscribe(kTopic, 9, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, LogConformanceTest, ::testing::ValuesIn(AllBackends()),
                         [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace jobledger::eventlog
