// KafkaLog against librdkafka's mock cluster (DevBroker) over loopback TCP.
#include "jobledger/eventlog/kafka_log.h"

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h needs the declarations of rdkafka.h before it.
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/partitioner.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/testing/wait.h"

namespace jobledger::eventlog {
namespace {

using ::jobledger::testing::WaitUntil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Kafka protocol API key of ProduceRequest, for the mock's fault injection.
constexpr int16_t kProduceApiKey = 0;

std::unique_ptr<DevBroker> StartBroker(int32_t brokers, std::vector<TopicSpec> topics) {
  auto broker = DevBroker::Start({.brokers = brokers, .topics = std::move(topics)});
  EXPECT_TRUE(broker.ok()) << broker.status();
  return broker.ok() ? std::move(*broker) : nullptr;
}

std::vector<TopicSpec> AllJobledgerTopics() {
  std::vector<TopicSpec> topics;
  for (absl::string_view topic : kAllTopics) topics.push_back({std::string(topic), 6});
  return topics;
}

KafkaLogOptions Options(std::string client_id, std::map<std::string, std::string> properties = {}) {
  KafkaLogOptions options;
  options.client_id = std::move(client_id);
  options.properties = std::move(properties);
  return options;
}

std::unique_ptr<KafkaLog> Connect(const DevBroker& broker,
                                  KafkaLogOptions options = Options("jobledger")) {
  options.bootstrap_servers = broker.bootstrap_servers();
  auto log = KafkaLog::Create(std::move(options));
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? std::move(*log) : nullptr;
}

Record MakeRecord(std::string key, std::string value, std::vector<Header> headers = {}) {
  Record record;
  record.key = std::move(key);
  record.value = std::move(value);
  record.headers = std::move(headers);
  return record;
}

std::vector<std::string> Values(const std::vector<Record>& records) {
  std::vector<std::string> values;
  for (const Record& record : records) values.push_back(record.value);
  return values;
}

// Everything in [from, high watermark) of a partition, read in batches of `batch`.
std::vector<Record> ReadAll(EventLog& log, absl::string_view topic, int32_t partition,
                            int64_t from = 0, size_t batch = 1000) {
  std::vector<Record> all;
  auto high_watermark = log.HighWatermark(topic, partition);
  EXPECT_TRUE(high_watermark.ok()) << high_watermark.status();
  while (high_watermark.ok() && from < *high_watermark) {
    auto records = log.Read(topic, partition, from, batch);
    EXPECT_TRUE(records.ok()) << records.status();
    if (!records.ok() || records->empty()) break;
    from = records->back().offset + 1;
    for (Record& record : *records) all.push_back(std::move(record));
  }
  return all;
}

TEST(KafkaLogTest, AppendedRecordsReadBackByteForByteFromASecondClient) {
  auto broker = StartBroker(3, AllJobledgerTopics());
  ASSERT_NE(broker, nullptr);
  auto writer = Connect(*broker, Options("writer"));
  ASSERT_NE(writer, nullptr);

  std::vector<Record> first_batch = {
      MakeRecord("job-1", "created",
                 {{"ce_id", "0190a0b1-0000-7000-8000-000000000001"},
                  {"ce_type", "jobledger.job.v1.JobCreated"},
                  {"ce_specversion", "1.0"},
                  {"content-type", "application/protobuf"}}),
      // Binary key, value and header values; an empty header value; a repeated header name.
      MakeRecord(std::string("job\0two", 7), std::string("\x00\xff\x01payload\x00", 11),
                 {{"ce_hash", std::string("\x00\x01\xfe\xff", 4)},
                  {"empty", ""},
                  {"dup", "first"},
                  {"dup", "second"}}),
      MakeRecord("job-3", "", {}),
  };
  std::vector<Record> second_batch;
  for (int i = 0; i < 50; ++i) {
    second_batch.push_back(
        MakeRecord(absl::StrCat("job-", i), absl::StrCat("value-", i), {{"ce_sequence", "1"}}));
  }
  const absl::Time before = absl::Now() - absl::Seconds(1);
  auto first = writer->Append(kJobTopic, 4, first_batch);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->first_offset, 0);
  EXPECT_EQ(first->count, 3);
  auto second = writer->Append(kJobTopic, 4, second_batch);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->first_offset, 3);
  EXPECT_EQ(second->last_offset(), 52);
  const absl::Time after = absl::Now() + absl::Seconds(1);

  // A different KafkaLog is a different set of librdkafka handles and connections.
  auto reader = Connect(*broker, Options("reader"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(*reader->HighWatermark(kJobTopic, 4), 53);
  EXPECT_EQ(*reader->HighWatermark(kJobTopic, 3), 0);

  const std::vector<Record> records = ReadAll(*reader, kJobTopic, 4, 0, 7);
  ASSERT_EQ(records.size(), 53u);
  std::vector<Record> expected = first_batch;
  expected.insert(expected.end(), second_batch.begin(), second_batch.end());
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(records[i].key, expected[i].key);
    EXPECT_EQ(records[i].value, expected[i].value);
    EXPECT_EQ(records[i].headers, expected[i].headers);
    EXPECT_EQ(records[i].topic, kJobTopic);
    EXPECT_EQ(records[i].partition, 4);
    EXPECT_EQ(records[i].offset, static_cast<int64_t>(i));
    EXPECT_GE(records[i].timestamp, before);
    EXPECT_LE(records[i].timestamp, after);
  }

  // A window in the middle, a window cut by the high watermark, and the end of the log.
  auto middle = reader->Read(kJobTopic, 4, 10, 5);
  ASSERT_TRUE(middle.ok()) << middle.status();
  EXPECT_THAT(Values(*middle),
              ElementsAre("value-7", "value-8", "value-9", "value-10", "value-11"));
  EXPECT_EQ(middle->front().offset, 10);
  auto tail = reader->Read(kJobTopic, 4, 50, 100);
  ASSERT_TRUE(tail.ok()) << tail.status();
  EXPECT_THAT(Values(*tail), ElementsAre("value-47", "value-48", "value-49"));
  auto end = reader->Read(kJobTopic, 4, 53, 100);
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_TRUE(end->empty());
}

TEST(KafkaLogTest, ListsTopicsAndRefusesUnknownOnesWithoutCreatingThem) {
  auto broker = StartBroker(1, AllJobledgerTopics());
  ASSERT_NE(broker, nullptr);
  ASSERT_TRUE(broker->CreateTopic({"__internal_offsets", 2}).ok());
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);

  auto topics = log->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status();
  EXPECT_THAT(*topics, ElementsAre(TopicSpec{"jobledger.billing.events", 6},
                                   TopicSpec{"jobledger.job.events", 6},
                                   TopicSpec{"jobledger.notification.events", 6},
                                   TopicSpec{"jobledger.scheduling.events", 6}));
  EXPECT_EQ(*log->PartitionCount(kBillingTopic), 6);

  const std::vector<Record> one = {MakeRecord("k", "v")};
  EXPECT_EQ(log->PartitionCount("no.such.topic").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log->Append("no.such.topic", 0, one).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log->Read("no.such.topic", 0, 0, 10).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log->HighWatermark("no.such.topic", 0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log->Subscribe("no.such.topic", 0, 0).status().code(), absl::StatusCode::kNotFound);
  // Kafka brokers may auto-create a topic a producer asks about; KafkaLog never asks that way.
  topics = log->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status();
  EXPECT_EQ(topics->size(), 4u);

  EXPECT_EQ(log->Append(kJobTopic, 6, one).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Append(kJobTopic, -1, one).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Append(kJobTopic, 0, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Read(kJobTopic, 0, -1, 10).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Read(kJobTopic, 6, 0, 10).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Subscribe(kJobTopic, 0, -1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Subscribe(kJobTopic, 0, 1).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(*log->HighWatermark(kJobTopic, 0), 0);
}

TEST(KafkaLogTest, OversizedRecordIsRefusedBeforeAnyOfTheBatchIsSent) {
  auto broker = StartBroker(1, {{"sizes", 1}});
  ASSERT_NE(broker, nullptr);
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);
  std::vector<Record> batch = {MakeRecord("k", "small"), MakeRecord("k", "small")};
  batch.push_back(MakeRecord("k", std::string(1'100'000, 'x')));
  auto refused = log->Append("sizes", 0, batch);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("record 2"));
  EXPECT_EQ(*log->HighWatermark("sizes", 0), 0);

  // Just under the limit is fine (default message.max.bytes is 1,000,000).
  auto accepted = log->Append("sizes", 0, {MakeRecord("k", std::string(990'000, 'y'))});
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  auto read = log->Read("sizes", 0, 0, 10);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ(read->front().value, std::string(990'000, 'y'));
}

TEST(KafkaLogTest, SubscriberSeesRecordsAppendedAfterItSubscribedInOrder) {
  auto broker = StartBroker(1, AllJobledgerTopics());
  ASSERT_NE(broker, nullptr);
  auto writer = Connect(*broker, Options("writer"));
  auto reader = Connect(*broker, Options("reader"));
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);

  auto subscription = reader->Subscribe(kSchedulingTopic, 2, 0);
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  auto nothing = (*subscription)->Poll(10, absl::Milliseconds(50));
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_TRUE(nothing->empty());

  constexpr int kBatches = 20;
  constexpr int kPerBatch = 5;
  constexpr size_t kTotal = kBatches * kPerBatch;
  absl::Mutex mu;
  std::vector<Record> seen;
  absl::Status poll_status;
  std::atomic<bool> stop{false};
  std::thread poller([&] {
    auto& sub = **subscription;
    while (!stop.load()) {
      auto batch = sub.Poll(8, absl::Milliseconds(200));
      absl::MutexLock lock(&mu);
      if (!batch.ok()) {
        poll_status = batch.status();
        return;
      }
      EXPECT_LE(batch->size(), 8u);
      for (Record& record : *batch) seen.push_back(std::move(record));
      if (seen.size() >= kTotal) return;
    }
  });
  for (int b = 0; b < kBatches; ++b) {
    std::vector<Record> batch;
    for (int i = 0; i < kPerBatch; ++i) {
      batch.push_back(MakeRecord("tech-7", absl::StrCat("e", b * kPerBatch + i)));
    }
    auto appended = writer->Append(kSchedulingTopic, 2, std::move(batch));
    ASSERT_TRUE(appended.ok()) << appended.status();
  }
  const bool all_seen = WaitUntil(
      [&] {
        absl::MutexLock lock(&mu);
        return seen.size() >= kTotal || !poll_status.ok();
      },
      absl::Seconds(30));
  stop.store(true);
  poller.join();
  ASSERT_TRUE(all_seen);
  ASSERT_TRUE(poll_status.ok()) << poll_status;
  ASSERT_EQ(seen.size(), kTotal);
  for (size_t i = 0; i < kTotal; ++i) {
    EXPECT_EQ(seen[i].offset, static_cast<int64_t>(i));
    EXPECT_EQ(seen[i].value, absl::StrCat("e", i));
  }
  EXPECT_EQ((*subscription)->position(), static_cast<int64_t>(kTotal));
}

TEST(KafkaLogTest, OneSubscriptionFollowsPartitionsOfSeveralTopics) {
  auto broker = StartBroker(1, AllJobledgerTopics());
  ASSERT_NE(broker, nullptr);
  auto writer = Connect(*broker, Options("writer"));
  auto reader = Connect(*broker, Options("reader"));
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(writer->Append(kJobTopic, 4, {MakeRecord("j4", absl::StrCat("old", i))}).ok());
  }
  // Job partition 4 from offset 2, and two partitions that are still empty.
  auto subscription = reader->SubscribeMany({{std::string(kJobTopic), 4, 2},
                                             {std::string(kBillingTopic), 1, 0},
                                             {std::string(kJobTopic), 1, 0}});
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  std::thread appender([&] {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(writer->Append(kBillingTopic, 1, {MakeRecord("b1", absl::StrCat("b", i))}).ok());
      ASSERT_TRUE(writer->Append(kJobTopic, 1, {MakeRecord("j1", absl::StrCat("j", i))}).ok());
      ASSERT_TRUE(writer->Append(kJobTopic, 2, {MakeRecord("j2", "not subscribed")}).ok());
    }
  });
  std::map<std::pair<std::string, int32_t>, std::vector<Record>> seen;
  size_t total = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (total < 21 && absl::Now() < deadline) {
    auto batch = (*subscription)->Poll(4, absl::Seconds(1));
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_LE(batch->size(), 4u);
    for (Record& record : *batch) {
      ++total;
      seen[{record.topic, record.partition}].push_back(std::move(record));
    }
  }
  appender.join();
  EXPECT_EQ(total, 21u);
  EXPECT_EQ(seen.size(), 3u);
  const auto& job4 = seen[{std::string(kJobTopic), 4}];
  ASSERT_EQ(job4.size(), 1u);
  EXPECT_EQ(job4[0].value, "old2");
  EXPECT_EQ(job4[0].offset, 2);
  for (const auto& [where, name] :
       std::vector<std::pair<std::pair<std::string, int32_t>, std::string>>{
           {{std::string(kBillingTopic), 1}, "b"}, {{std::string(kJobTopic), 1}, "j"}}) {
    const auto& records = seen[where];
    ASSERT_EQ(records.size(), 10u) << where.first;
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(records[i].offset, i);
      EXPECT_EQ(records[i].value, absl::StrCat(name, i));
    }
  }

  EXPECT_EQ(reader->SubscribeMany({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->SubscribeMany({{std::string(kJobTopic), 1, 0}, {std::string(kJobTopic), 1, 3}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->SubscribeMany({{std::string(kJobTopic), 1, 11}}).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(reader->SubscribeMany({{"no.such.topic", 0, 0}}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(KafkaLogTest, AsyncAppendCallbacksMayStartMoreAppends) {
  auto broker = StartBroker(1, {{"chain", 1}});
  ASSERT_NE(broker, nullptr);
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);
  // Each callback, on the delivery thread, starts the next append: 200 deep.
  constexpr int kDepth = 200;
  absl::Notification finished;
  std::atomic<int> wrong{0};
  std::function<void(int)> append_from = [&](int i) {
    log->AppendAsync("chain", 0, {MakeRecord("k", absl::StrCat("c", i))},
                     [&, i](absl::StatusOr<AppendResult> result) {
                       if (!result.ok() || result->first_offset != i) wrong.fetch_add(1);
                       if (i + 1 < kDepth) {
                         append_from(i + 1);
                       } else {
                         finished.Notify();
                       }
                     });
  };
  append_from(0);
  ASSERT_TRUE(finished.WaitForNotificationWithTimeout(absl::Seconds(60)));
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(*log->HighWatermark("chain", 0), kDepth);

  // Refusals come back through the callback too.
  absl::Notification refused;
  log->AppendAsync("chain", 1, {MakeRecord("k", "v")}, [&](absl::StatusOr<AppendResult> result) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    refused.Notify();
  });
  EXPECT_TRUE(refused.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST(KafkaLogTest, FullProducerQueueNeverDeadlocksCallbacksThatAppend) {
  auto broker = StartBroker(1, {{"tight", 4}});
  ASSERT_NE(broker, nullptr);
  // A local queue of four records: producers block for space all the time, while callbacks
  // keep starting appends of their own.
  auto log = Connect(*broker, Options("tight", {{"queue.buffering.max.messages", "4"}}));
  ASSERT_NE(log, nullptr);
  constexpr int kThreads = 4;
  constexpr int kAppendsPerThread = 40;
  constexpr int kExpected = 2 * kThreads * kAppendsPerThread;
  absl::Mutex mu;
  int completed = 0;
  int failed = 0;
  auto count = [&](const absl::StatusOr<AppendResult>& result) {
    absl::MutexLock lock(&mu);
    ++completed;
    if (!result.ok()) ++failed;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        std::vector<Record> batch(3, MakeRecord("k", absl::StrCat("t", t, "-", i)));
        log->AppendAsync("tight", t, std::move(batch), [&, t](absl::StatusOr<AppendResult> r) {
          count(r);
          log->AppendAsync("tight", t, {MakeRecord("k", "follow-up")}, count);
        });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  absl::MutexLock lock(&mu);
  EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(
                                      +[](int* done) { return *done == kExpected; }, &completed),
                                  absl::Seconds(60)))
      << completed << " of " << kExpected << " appends completed";
  EXPECT_EQ(failed, 0);
}

TEST(KafkaLogTest, ClosingTheLogRunsTheCallbacksOfAppendsInFlight) {
  auto broker = StartBroker(1, {{"closing", 1}});
  ASSERT_NE(broker, nullptr);
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);
  std::atomic<int> callbacks{0};
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 100; ++i) {
    log->AppendAsync("closing", 0, {MakeRecord("k", absl::StrCat(i))},
                     [&](absl::StatusOr<AppendResult> result) {
                       if (result.ok()) succeeded.fetch_add(1);
                       callbacks.fetch_add(1);
                     });
  }
  log.reset();
  EXPECT_EQ(callbacks.load(), 100);
  EXPECT_EQ(succeeded.load(), 100);  // the broker is up: closing waits for the acks

  auto reader = Connect(*broker);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(*reader->HighWatermark("closing", 0), 100);
}

TEST(KafkaLogTest, SubscriptionPullsHistoryInBoundedBatches) {
  auto broker = StartBroker(1, {{"history", 2}});
  ASSERT_NE(broker, nullptr);
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);
  for (int b = 0; b < 10; ++b) {
    std::vector<Record> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(MakeRecord("k", absl::StrCat(b * 100 + i)));
    ASSERT_TRUE(log->Append("history", 1, std::move(batch)).ok());
  }
  auto subscription = log->Subscribe("history", 1, 100);
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  int64_t expected = 100;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (expected < 1000 && absl::Now() < deadline) {
    auto batch = (*subscription)->Poll(64, absl::Seconds(1));
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_LE(batch->size(), 64u);
    for (const Record& record : *batch) {
      ASSERT_EQ(record.offset, expected);
      ASSERT_EQ(record.value, absl::StrCat(expected));
      ++expected;
    }
    EXPECT_EQ((*subscription)->position(), expected);
  }
  EXPECT_EQ(expected, 1000);
  // At the end a poll waits for its timeout and returns nothing.
  auto nothing = (*subscription)->Poll(64, absl::Milliseconds(100));
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_TRUE(nothing->empty());
}

TEST(KafkaLogTest, ConcurrentAppendsToOnePartitionGetDisjointContiguousRanges) {
  auto broker = StartBroker(1, {{"busy", 1}});
  ASSERT_NE(broker, nullptr);
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);
  constexpr int kThreads = 8;
  constexpr int kAppends = 40;
  std::vector<std::vector<std::pair<AppendResult, std::string>>> acks(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int a = 0; a < kAppends; ++a) {
        std::vector<Record> batch;
        for (int r = 0; r <= a % 5; ++r) {
          batch.push_back(MakeRecord("k", absl::StrCat("t", t, "a", a, "r", r)));
        }
        auto result = log->Append("busy", 0, std::move(batch));
        ASSERT_TRUE(result.ok()) << result.status();
        acks[t].push_back({*result, absl::StrCat("t", t, "a", a)});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  const std::vector<Record> records = ReadAll(*log, "busy", 0);
  std::set<int64_t> offsets;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(acks[t].size(), static_cast<size_t>(kAppends));
    for (const auto& [result, name] : acks[t]) {
      for (int64_t r = 0; r < result.count; ++r) {
        const int64_t offset = result.first_offset + r;
        EXPECT_TRUE(offsets.insert(offset).second) << "offset given twice: " << offset;
        ASSERT_LT(offset, static_cast<int64_t>(records.size()));
        EXPECT_EQ(records[offset].value, absl::StrCat(name, "r", r));
      }
    }
  }
  EXPECT_EQ(offsets.size(), records.size());
  EXPECT_EQ(records.size(), static_cast<size_t>(kThreads * (8 * 15)));  // 1+2+3+4+5 per 5
}

struct MurmurDelivery {
  int32_t partition = -1;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__FAIL;
};

void OnMurmurDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  auto* delivery = static_cast<MurmurDelivery*>(message->_private);
  delivery->partition = message->partition;
  delivery->err = message->err;
}

TEST(KafkaLogTest, KafkaPartitionerPutsKeysWherePartitionForKeyPredicts) {
  auto broker = StartBroker(1, AllJobledgerTopics());
  ASSERT_NE(broker, nullptr);
  // A plain librdkafka producer with Kafka's Java-compatible partitioner, choosing partitions
  // itself: another Kafka client in another language must agree with jobledger.
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  ASSERT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", broker->bootstrap_servers().c_str(), error,
                              sizeof(error)),
            RD_KAFKA_CONF_OK);
  ASSERT_EQ(rd_kafka_conf_set(conf, "partitioner", "murmur2", error, sizeof(error)),
            RD_KAFKA_CONF_OK)
      << error;
  rd_kafka_conf_set_dr_msg_cb(conf, &OnMurmurDelivery);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  ASSERT_NE(producer, nullptr) << error;

  std::vector<std::string> keys;
  std::mt19937 random(42);
  for (int i = 0; i < 500; ++i) keys.push_back(absl::StrCat("job-", i));
  for (int i = 0; i < 500; ++i) {
    std::string key(1 + random() % 40, '\0');
    for (char& c : key) c = static_cast<char>(random() & 0xff);
    keys.push_back(key);
  }
  std::vector<MurmurDelivery> deliveries(keys.size());
  std::string value = "v";
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(std::string(kJobTopic).c_str()),
                                RD_KAFKA_V_KEY(keys[i].data(), keys[i].size()),
                                RD_KAFKA_V_VALUE(value.data(), value.size()),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_OPAQUE(&deliveries[i]), RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  EXPECT_EQ(rd_kafka_flush(producer, 30'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(producer);

  std::set<int32_t> used;
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(deliveries[i].err, RD_KAFKA_RESP_ERR_NO_ERROR) << i;
    EXPECT_EQ(deliveries[i].partition, PartitionForKey(keys[i], 6)) << "key #" << i;
    used.insert(deliveries[i].partition);
  }
  EXPECT_EQ(used.size(), 6u);  // the keys spread over every partition
}

TEST(KafkaLogTest, BrokerDownIsUnavailableNamingTheBrokerAndAppendsResumeAfterwards) {
  auto broker = StartBroker(1, {{"outage", 1}});
  ASSERT_NE(broker, nullptr);
  KafkaLogOptions options = Options("outage");
  options.delivery_timeout = absl::Milliseconds(1500);
  options.request_timeout = absl::Seconds(2);
  auto log = Connect(*broker, options);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Append("outage", 0, {MakeRecord("k", "before")}).ok());

  ASSERT_TRUE(broker->SetAllBrokersDown().ok());
  auto failed = log->Append("outage", 0, {MakeRecord("k", "during-1"), MakeRecord("k", "2")});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(failed.status().message(), HasSubstr(broker->bootstrap_servers()));
  auto watermark = log->HighWatermark("outage", 0);
  EXPECT_EQ(watermark.status().code(), absl::StatusCode::kUnavailable) << watermark.status();
  EXPECT_THAT(watermark.status().message(), HasSubstr(broker->bootstrap_servers()));

  ASSERT_TRUE(broker->SetAllBrokersUp().ok());
  absl::StatusOr<AppendResult> resumed = absl::UnavailableError("not tried");
  EXPECT_TRUE(WaitUntil(
      [&] {
        resumed = log->Append("outage", 0, {MakeRecord("k", "after")});
        return resumed.ok();
      },
      absl::Seconds(30)))
      << resumed.status();
  ASSERT_TRUE(resumed.ok());
  auto read = log->Read("outage", 0, resumed->first_offset, 10);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(Values(*read), ElementsAre("after"));
  auto start = log->Read("outage", 0, 0, 1);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_THAT(Values(*start), ElementsAre("before"));
}

TEST(KafkaLogTest, AnotherProducerWritingInsideABatchIsReportedAsFailedPrecondition) {
  auto broker = StartBroker(1, {{"shared", 1}});
  ASSERT_NE(broker, nullptr);
  // The first client sends one record per request, one request at a time, and its first
  // request's response is held back for two seconds: its batch is spread over time.
  auto slow = Connect(*broker, Options("slow", {{"batch.num.messages", "1"},
                                                {"max.in.flight.requests.per.connection", "1"},
                                                {"linger.ms", "0"}}));
  auto other = Connect(*broker, Options("other"));
  ASSERT_NE(slow, nullptr);
  ASSERT_NE(other, nullptr);
  ASSERT_EQ(rd_kafka_mock_broker_push_request_error_rtts(broker->mock_cluster(), 1, kProduceApiKey,
                                                         1, RD_KAFKA_RESP_ERR_NO_ERROR, 2000),
            RD_KAFKA_RESP_ERR_NO_ERROR);

  absl::StatusOr<AppendResult> slow_result;
  std::thread slow_append([&] {
    slow_result = slow->Append(
        "shared", 0, {MakeRecord("a", "a0"), MakeRecord("a", "a1"), MakeRecord("a", "a2")});
  });
  // Once a0 is in the log (its ack is still held back), a second producer writes.
  EXPECT_TRUE(WaitUntil([&] {
    auto high = other->HighWatermark("shared", 0);
    return high.ok() && *high >= 1;
  }));
  auto other_result = other->Append("shared", 0, {MakeRecord("b", "b0")});
  slow_append.join();

  ASSERT_TRUE(other_result.ok()) << other_result.status();
  EXPECT_EQ(other_result->first_offset, 1);
  EXPECT_EQ(slow_result.status().code(), absl::StatusCode::kFailedPrecondition)
      << slow_result.status();
  EXPECT_THAT(slow_result.status().message(), HasSubstr("one writer per partition"));
  EXPECT_THAT(Values(ReadAll(*other, "shared", 0)), ElementsAre("a0", "b0", "a1", "a2"));
}

TEST(KafkaLogTest, FatalProducerErrorFailsTheAppendAndTheNextAppendUsesANewProducer) {
  auto broker = StartBroker(1, {{"fatal", 1}});
  ASSERT_NE(broker, nullptr);
  // With the gap-less guarantee a permanently failed produce request is fatal for the producer.
  auto log = Connect(*broker, Options("fatal", {{"enable.gapless.guarantee", "true"}}));
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Append("fatal", 0, {MakeRecord("k", "first")}).ok());

  rd_kafka_mock_push_request_errors(broker->mock_cluster(), kProduceApiKey, 1,
                                    RD_KAFKA_RESP_ERR_INVALID_MSG);
  auto failed = log->Append("fatal", 0, {MakeRecord("k", "lost")});
  EXPECT_FALSE(failed.ok());

  auto next = log->Append("fatal", 0, {MakeRecord("k", "second")});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->first_offset, 1);
  EXPECT_THAT(Values(ReadAll(*log, "fatal", 0)), ElementsAre("first", "second"));
}

TEST(KafkaLogTest, ReadingBelowTheLogStartIsOutOfRange) {
  auto broker = StartBroker(1, {{"capped", 1}});
  ASSERT_NE(broker, nullptr);
  auto log = Connect(*broker);
  ASSERT_NE(log, nullptr);
  // The dev broker keeps about 5 MiB per partition: seven ~900 kB incompressible records push
  // the first ones out.
  std::mt19937 random(7);
  for (int i = 0; i < 7; ++i) {
    std::string value(900'000, '\0');
    for (char& c : value) c = static_cast<char>(random() & 0xff);
    ASSERT_TRUE(log->Append("capped", 0, {MakeRecord("k", std::move(value))}).ok());
  }
  auto read = log->Read("capped", 0, 0, 10);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kOutOfRange) << read.status();
  EXPECT_EQ(log->Subscribe("capped", 0, 0).status().code(), absl::StatusCode::kOutOfRange);
  auto tail = log->Read("capped", 0, 6, 10);
  ASSERT_TRUE(tail.ok()) << tail.status();
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ(tail->front().offset, 6);
}

TEST(KafkaLogTest, RefusesBadOptions) {
  EXPECT_EQ(KafkaLog::Create({}).status().code(), absl::StatusCode::kInvalidArgument);
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"enable.idempotence", "false"},
           {"acks", "1"},
           {"enable.auto.commit", "true"},
           {"transactional.id", "x"},
           {"no.such.property", "1"},
       }) {
    KafkaLogOptions options = Options("bad", {{name, value}});
    options.bootstrap_servers = "127.0.0.1:1";
    auto log = KafkaLog::Create(options);
    EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(log.status().message(), HasSubstr(name));
  }
  KafkaLogOptions no_timeout = Options("bad");
  no_timeout.bootstrap_servers = "127.0.0.1:1";
  no_timeout.delivery_timeout = absl::ZeroDuration();
  EXPECT_EQ(KafkaLog::Create(no_timeout).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jobledger::eventlog
