// A child process for the embedded log's multi-process tests.
//   log_child append DIR TOPIC   appends batches from 4 threads forever, printing each ack as
//                                "ack PARTITION FIRST COUNT BATCH" once it is durable
//   log_child follow DIR TOPIC PARTITION COUNT
//                                follows another process's topic, printing "got OFFSET VALUE"
//                                for each record until COUNT arrived
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "jobledger/eventlog/embedded_log.h"

namespace jobledger::eventlog {
namespace {

constexpr int32_t kPartitions = 2;

int Append(const std::string& dir, const std::string& topic) {
  EmbeddedLogOptions options;
  options.directory = dir;
  options.owned_topics = {{topic, kPartitions}};
  auto log = EmbeddedLog::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "open: %s\n", log.status().ToString().c_str());
    return 2;
  }
  absl::Mutex print_mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 random(std::random_device{}() + t);
      while (true) {
        const int32_t partition = static_cast<int32_t>(random() % kPartitions);
        const int count = 1 + static_cast<int>(random() % 5);
        const uint64_t batch = random();
        std::vector<Record> records;
        for (int i = 0; i < count; ++i) {
          Record record;
          record.key = absl::StrCat("k", batch);
          record.value =
              absl::StrCat("b=", batch, ";i=", i, ";n=", count, ";", std::string(200, 'p'));
          records.push_back(std::move(record));
        }
        auto result = (*log)->Append(topic, partition, std::move(records));
        if (!result.ok()) {
          std::fprintf(stderr, "append: %s\n", result.status().ToString().c_str());
          std::exit(3);
        }
        absl::MutexLock lock(&print_mu);
        std::printf("ack %d %ld %ld %lu\n", partition, static_cast<long>(result->first_offset),
                    static_cast<long>(result->count), static_cast<unsigned long>(batch));
        std::fflush(stdout);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return 0;
}

int Follow(const std::string& dir, const std::string& topic, int32_t partition, int64_t count) {
  EmbeddedLogOptions options;
  options.directory = dir;
  auto log = EmbeddedLog::Open(options);
  if (!log.ok()) return 2;
  std::unique_ptr<Subscription> subscription;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (subscription == nullptr) {  // the owner may not have created the topic yet
    auto subscribed = (*log)->Subscribe(topic, partition, 0);
    if (subscribed.ok()) {
      subscription = std::move(*subscribed);
    } else if (absl::Now() > deadline) {
      std::fprintf(stderr, "subscribe: %s\n", subscribed.status().ToString().c_str());
      return 3;
    } else {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
  std::printf("subscribed\n");
  std::fflush(stdout);
  int64_t received = 0;
  while (received < count) {
    auto records = subscription->Poll(100, absl::Seconds(1));
    if (!records.ok()) return 4;
    for (const Record& record : *records) {
      std::printf("got %ld %s\n", static_cast<long>(record.offset), record.value.c_str());
      ++received;
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace jobledger::eventlog

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "append") {
    return jobledger::eventlog::Append(args[1], args[2]);
  }
  int32_t partition = 0;
  int64_t count = 0;
  if (args.size() == 5 && args[0] == "follow" && absl::SimpleAtoi(args[3], &partition) &&
      absl::SimpleAtoi(args[4], &count)) {
    return jobledger::eventlog::Follow(args[1], args[2], partition, count);
  }
  std::fprintf(stderr, "usage: log_child append DIR TOPIC | follow DIR TOPIC PARTITION COUNT\n");
  return 1;
}
