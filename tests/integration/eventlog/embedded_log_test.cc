// What only the embedded log does: reopen, ownership, crash safety, readers in other processes.
#include "jobledger/eventlog/embedded_log.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/small_filesystem.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"

namespace jobledger::eventlog {
namespace {

using testing::ChildProcess;
using testing::SmallFilesystem;
using testing::TempDir;

constexpr char kTopic[] = "crash.events";

absl::StatusOr<std::unique_ptr<EmbeddedLog>> OpenOwner(const std::string& dir, int32_t partitions) {
  EmbeddedLogOptions options;
  options.directory = dir;
  options.owned_topics = {{kTopic, partitions}};
  return EmbeddedLog::Open(options);
}

absl::StatusOr<std::unique_ptr<EmbeddedLog>> OpenReader(const std::string& dir) {
  EmbeddedLogOptions options;
  options.directory = dir;
  return EmbeddedLog::Open(options);
}

std::vector<Record> OneRecord(const std::string& value) {
  Record record;
  record.key = "k";
  record.value = value;
  return {record};
}

// A full disk: appends are refused, never acknowledged without being durable, and once there is
// space the same log (no restart) accepts them again after every record it acknowledged.
TEST(EmbeddedLog, AFullDiskRefusesAppendsAndTheSameLogAppendsAgainOnceThereIsSpace) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<SmallFilesystem>> disk =
      SmallFilesystem::Mount(dir.path() + "/" + kTopic, 8);
  if (!disk.ok()) GTEST_SKIP() << "needs root with CAP_SYS_ADMIN: " << disk.status();
  auto log = OpenOwner(dir.path(), 1);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->Append(kTopic, 0, OneRecord("before")).ok());

  ASSERT_TRUE((*disk)->Fill().ok());
  int acknowledged = 1;
  absl::Status refused;
  for (int i = 0; i < 1000 && refused.ok(); ++i) {
    auto appended = (*log)->Append(kTopic, 0, OneRecord(std::string(100'000, 'x')));
    if (appended.ok()) {
      ++acknowledged;
    } else {
      refused = appended.status();
    }
  }
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  // The store reopened after the refusal and freed what its old write-ahead log held: filled
  // again, the disk refuses the next append too.
  ASSERT_TRUE((*disk)->Fill().ok());
  const absl::Status again =
      (*log)->Append(kTopic, 0, OneRecord(std::string(100'000, 'y'))).status();
  EXPECT_TRUE(absl::IsResourceExhausted(again) || absl::IsUnavailable(again)) << again;

  (*disk)->Free();
  absl::StatusOr<AppendResult> after;
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        after = (*log)->Append(kTopic, 0, OneRecord("after"));
        return after.ok();
      },
      absl::Seconds(30)))
      << after.status();
  auto records = (*log)->Read(kTopic, 0, 0, 10'000);
  ASSERT_TRUE(records.ok()) << records.status();
  // Every acknowledged record, then possibly refused ones that were durable after all, then the
  // new one.
  ASSERT_GE(records->size(), static_cast<size_t>(acknowledged + 1));
  EXPECT_EQ(records->front().value, "before");
  for (int i = 1; i < acknowledged; ++i) EXPECT_EQ((*records)[i].value.size(), 100'000u);
  EXPECT_EQ(records->back().value, "after");
  EXPECT_EQ(records->back().offset, static_cast<int64_t>(records->size()) - 1);
}

TEST(EmbeddedLog, ReopenKeepsRecordsAndContinuesOffsets) {
  TempDir dir;
  {
    auto log = OpenOwner(dir.path(), 2);
    ASSERT_TRUE(log.ok()) << log.status();
    ASSERT_TRUE((*log)->Append(kTopic, 1, OneRecord("a")).ok());
    ASSERT_TRUE((*log)->Append(kTopic, 1, OneRecord("b")).ok());
  }
  auto log = OpenOwner(dir.path(), 2);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(*(*log)->HighWatermark(kTopic, 1), 2);
  auto next = (*log)->Append(kTopic, 1, OneRecord("c"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->first_offset, 2);
  auto records = (*log)->Read(kTopic, 1, 0, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].value, "a");
  EXPECT_EQ((*records)[2].value, "c");
}

TEST(EmbeddedLog, ClosingCommitsEveryQueuedAppendFirst) {
  TempDir dir;
  constexpr int kCount = 500;
  std::atomic<int> acknowledged{0};
  {
    auto log = OpenOwner(dir.path(), 2);
    ASSERT_TRUE(log.ok());
    for (int i = 0; i < kCount; ++i) {
      (*log)->AppendAsync(kTopic, 0, OneRecord(absl::StrCat("q", i)),
                          [&](absl::StatusOr<AppendResult> result) {
                            if (result.ok()) ++acknowledged;
                          });
    }
  }  // closed at once, with appends still queued
  EXPECT_EQ(acknowledged.load(), kCount);
  auto log = OpenOwner(dir.path(), 2);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(*(*log)->HighWatermark(kTopic, 0), kCount);
}

TEST(EmbeddedLog, OneWriterPerTopic) {
  TempDir dir;
  auto owner = OpenOwner(dir.path(), 2);
  ASSERT_TRUE(owner.ok());
  auto second = OpenOwner(dir.path(), 2);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition) << second.status();

  auto reader = OpenReader(dir.path());
  ASSERT_TRUE(reader.ok());
  const auto refused = (*reader)->Append(kTopic, 0, OneRecord("x"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
}

TEST(EmbeddedLog, PartitionCountCannotChange) {
  TempDir dir;
  ASSERT_TRUE(OpenOwner(dir.path(), 2).ok());
  const auto reopened = OpenOwner(dir.path(), 3);
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(reopened.status().message().find("2 partitions"), std::string::npos);
}

TEST(EmbeddedLog, UnknownTopicsAndBadNames) {
  TempDir dir;
  auto reader = OpenReader(dir.path());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->HighWatermark("not.created", 0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*reader)->HighWatermark("../escape", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EmbeddedLogOptions options;
  options.directory = dir.path();
  options.owned_topics = {{"bad/name", 1}};
  EXPECT_EQ(EmbeddedLog::Open(options).status().code(), absl::StatusCode::kInvalidArgument);
}

struct Ack {
  int32_t partition;
  int64_t first;
  int64_t count;
  std::string batch;
};

// Parses "ack P FIRST COUNT BATCH".
bool ParseAck(const std::string& line, Ack& ack) {
  const std::vector<std::string> parts = absl::StrSplit(line, ' ');
  return parts.size() == 5 && parts[0] == "ack" && absl::SimpleAtoi(parts[1], &ack.partition) &&
         absl::SimpleAtoi(parts[2], &ack.first) && absl::SimpleAtoi(parts[3], &ack.count) &&
         (ack.batch = parts[4], true);
}

// "b=BATCH;i=I;n=N;…" → its fields.
struct Written {
  std::string batch;
  int index = 0;
  int count = 0;
};
bool ParseValue(const std::string& value, Written& written) {
  const std::vector<std::string> fields = absl::StrSplit(value, ';');
  return fields.size() == 4 && absl::StartsWith(fields[0], "b=") &&
         (written.batch = fields[0].substr(2), true) &&
         absl::SimpleAtoi(absl::StripPrefix(fields[1], "i="), &written.index) &&
         absl::SimpleAtoi(absl::StripPrefix(fields[2], "n="), &written.count);
}

TEST(EmbeddedLogCrash, EveryAcknowledgedAppendSurvivesSigkillAndNoneIsHalfVisible) {
  TempDir dir;
  std::mt19937 random(20261121);
  std::vector<Ack> acknowledged;
  constexpr int kRounds = 25;
  for (int round = 0; round < kRounds; ++round) {
    auto child = ChildProcess::Spawn({JL_LOG_CHILD_PATH, "append", dir.path(), kTopic});
    ASSERT_TRUE(child.ok()) << child.status();
    // Let it acknowledge a random number of appends, then kill it mid-stream.
    const int acks_before_kill = 1 + static_cast<int>(random() % 300);
    int seen = 0;
    while (seen < acks_before_kill) {
      const auto line = (*child)->ReadLine(absl::Seconds(30));
      ASSERT_TRUE(line.has_value()) << "child stopped acknowledging in round " << round;
      Ack ack;
      ASSERT_TRUE(ParseAck(*line, ack)) << *line;
      acknowledged.push_back(ack);
      ++seen;
    }
    (*child)->Signal(SIGKILL);
    EXPECT_EQ((*child)->Wait(), 128 + SIGKILL);
    while (const auto line = (*child)->ReadLine(absl::Seconds(5))) {  // acks printed before death
      Ack ack;
      if (ParseAck(*line, ack)) acknowledged.push_back(ack);
    }
  }

  auto log = OpenOwner(dir.path(), 2);
  ASSERT_TRUE(log.ok()) << log.status();
  std::map<std::pair<int32_t, int64_t>, Written> stored;
  std::map<std::string, int> records_per_batch;
  std::map<std::string, int> expected_per_batch;
  for (int32_t partition = 0; partition < 2; ++partition) {
    const int64_t end = *(*log)->HighWatermark(kTopic, partition);
    for (int64_t offset = 0; offset < end;) {
      auto records = (*log)->Read(kTopic, partition, offset, 1000);
      ASSERT_TRUE(records.ok()) << records.status();  // also proves there is no gap
      ASSERT_FALSE(records->empty());
      for (const Record& record : *records) {
        Written written;
        ASSERT_TRUE(ParseValue(record.value, written)) << "corrupt record at " << record.offset;
        stored[{partition, record.offset}] = written;
        ++records_per_batch[written.batch];
        expected_per_batch[written.batch] = written.count;
      }
      offset += static_cast<int64_t>(records->size());
    }
  }
  // Every acknowledged append is there, at the offsets its ack gave, whole.
  for (const Ack& ack : acknowledged) {
    for (int64_t i = 0; i < ack.count; ++i) {
      const auto it = stored.find({ack.partition, ack.first + i});
      ASSERT_NE(it, stored.end()) << "acknowledged record lost: batch " << ack.batch;
      EXPECT_EQ(it->second.batch, ack.batch);
      EXPECT_EQ(it->second.index, i);
    }
  }
  // Every append that is there at all is there completely.
  for (const auto& [batch, count] : records_per_batch) {
    EXPECT_EQ(count, expected_per_batch[batch]) << "batch " << batch << " is half visible";
  }
  EXPECT_GE(stored.size(), acknowledged.size());
}

TEST(EmbeddedLogFollower, AReaderInAnotherProcessSeesAppendsWithinMilliseconds) {
  TempDir dir;
  auto owner = OpenOwner(dir.path(), 2);
  ASSERT_TRUE(owner.ok());
  constexpr int kCount = 50;
  auto child = ChildProcess::Spawn(
      {JL_LOG_CHILD_PATH, "follow", dir.path(), kTopic, "1", absl::StrCat(kCount)});
  ASSERT_TRUE(child.ok());
  ASSERT_EQ((*child)->ReadLine(absl::Seconds(30)), "subscribed");

  // The follower pulls the owner's changes when the owner's change counter moves: if it did not
  // see the counter move, it would pull only every second.
  const absl::Time started = absl::Now();
  for (int i = 0; i < kCount; ++i) {
    const absl::Time appended = absl::Now();
    ASSERT_TRUE((*owner)->Append(kTopic, 1, OneRecord(absl::StrCat("r", i))).ok());
    const auto line = (*child)->ReadLine(absl::Seconds(10));
    ASSERT_TRUE(line.has_value()) << "follower saw nothing for record " << i;
    EXPECT_EQ(*line, absl::StrCat("got ", i, " r", i));
    // Generous bound for a loaded CI machine; typically a few milliseconds.
    EXPECT_LT(absl::Now() - appended, absl::Seconds(1));
  }
  EXPECT_LT(absl::Now() - started, absl::Seconds(10)) << "typically well under a second";
  EXPECT_EQ((*child)->Wait(), 0);
}

// A process killed with SIGKILL leaves its followers' private directories behind: the next
// follower to open removes those of processes that are gone, and nothing else.
TEST(EmbeddedLogFollower, DirectoriesOfProcessesThatAreGoneAreRemoved) {
  TempDir dir;
  TempDir temp;
  const char* tmpdir_before = std::getenv("TMPDIR");
  const std::string restore = tmpdir_before == nullptr ? "" : tmpdir_before;
  ASSERT_EQ(setenv("TMPDIR", temp.path().c_str(), 1), 0);

  const pid_t gone = fork();
  ASSERT_GE(gone, 0);
  if (gone == 0) _exit(0);
  ASSERT_EQ(waitpid(gone, nullptr, 0), gone);
  const std::filesystem::path base(temp.path());
  const auto follower_dir = [&](pid_t pid) {
    return base / absl::StrCat("jobledger-follower-", pid, "-abc123");
  };
  for (const std::filesystem::path& path :
       {follower_dir(gone), follower_dir(getpid()), follower_dir(1), base / "unrelated"}) {
    std::filesystem::create_directories(path / "sub");
  }

  auto owner = OpenOwner(dir.path(), 1);
  ASSERT_TRUE(owner.ok()) << owner.status();
  ASSERT_TRUE((*owner)->Append(kTopic, 0, OneRecord("r")).ok());
  auto reader = OpenReader(dir.path());
  ASSERT_TRUE(reader.ok()) << reader.status();
  const auto high_watermark = (*reader)->HighWatermark(kTopic, 0);  // opens the follower
  if (restore.empty()) {
    unsetenv("TMPDIR");
  } else {
    setenv("TMPDIR", restore.c_str(), 1);
  }
  ASSERT_TRUE(high_watermark.ok()) << high_watermark.status();
  EXPECT_EQ(*high_watermark, 1);

  EXPECT_FALSE(std::filesystem::exists(follower_dir(gone)));
  EXPECT_TRUE(std::filesystem::exists(follower_dir(getpid())));
  EXPECT_TRUE(std::filesystem::exists(follower_dir(1)));
  EXPECT_TRUE(std::filesystem::exists(base / "unrelated"));
  int own = 0;  // the reader's own, made after the clean-up
  for (const auto& entry : std::filesystem::directory_iterator(base)) {
    own += absl::StartsWith(entry.path().filename().string(),
                            absl::StrCat("jobledger-follower-", getpid(), "-")) &&
           entry.path() != follower_dir(getpid());
  }
  EXPECT_EQ(own, 1);
}

}  // namespace
}  // namespace jobledger::eventlog
