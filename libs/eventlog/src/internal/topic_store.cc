// The embedded log's per-topic store: group-committed synced appends and follower catch-up.
#include "internal/topic_store.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "internal/record_codec.h"
#include "jobledger/common/status.h"
#include "rocksdb/listener.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace jobledger::eventlog::internal {
namespace {

absl::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }
rocksdb::Slice Slice(absl::string_view view) { return {view.data(), view.size()}; }

// How often a writer whose store could not be reopened tries again while nothing is appended.
constexpr absl::Duration kReopenRetry = absl::Seconds(1);
// A follower pulls at least this often even when the owner's change counter has not moved (a
// counter file replaced under it would never move again).
constexpr absl::Duration kUnchangedPull = absl::Seconds(1);

// RocksDB's info LOG would be a file in the topic's directory, and on a full disk a write to it
// after a failed one aborts the process (Debian's RocksDB is built with assertions). Its warnings
// and errors go to stderr instead, beside librdkafka's.
class StderrLogger final : public rocksdb::Logger {
 public:
  explicit StderrLogger(std::string topic)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), topic_(std::move(topic)) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    std::vsnprintf(line, sizeof(line), format, ap);
    std::fprintf(stderr, "rocksdb, topic %s: %s\n", topic_.c_str(), line);
  }

 private:
  const std::string topic_;
};

rocksdb::Options BaseOptions(const std::string& topic) {
  rocksdb::Options options;
  options.info_log = std::make_shared<StderrLogger>(topic);
  // Replay the write-ahead log up to the last complete write and drop a torn tail.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.keep_log_file_num = 3;
  options.max_open_files = -1;  // required by secondary instances; harmless for the owner
  return options;
}

// The owner's flushes and compactions change the files a follower reads: they are counted too.
class ChangeCounting final : public rocksdb::EventListener {
 public:
  explicit ChangeCounting(std::shared_ptr<CommitCounter> changes) : changes_(std::move(changes)) {}
  void OnFlushCompleted(rocksdb::DB*, const rocksdb::FlushJobInfo&) override {
    changes_->Increment();
  }
  void OnCompactionCompleted(rocksdb::DB*, const rocksdb::CompactionJobInfo&) override {
    changes_->Increment();
  }

 private:
  const std::shared_ptr<CommitCounter> changes_;
};

rocksdb::Options OwnerOptions(const std::string& topic,
                              const std::shared_ptr<CommitCounter>& changes) {
  rocksdb::Options options = BaseOptions(topic);
  options.create_if_missing = true;
  if (changes != nullptr) options.listeners.push_back(std::make_shared<ChangeCounting>(changes));
  return options;
}

// The owner's change counter; none (and a stale one removed, so that followers do not trust it)
// when it cannot be made, e.g. on a full disk: followers then pull every follow interval.
std::shared_ptr<CommitCounter> OwnerChangeCounter(const std::string& path,
                                                  absl::string_view topic) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  absl::StatusOr<std::unique_ptr<CommitCounter>> changes = CommitCounter::OpenForOwner(path);
  if (changes.ok()) return std::move(*changes);
  std::fprintf(stderr, "topic %.*s: followers will look for changes every interval: %s\n",
               static_cast<int>(topic.size()), topic.data(), changes.status().ToString().c_str());
  std::filesystem::remove(std::filesystem::path(path) / CommitCounter::kFileName, error);
  return nullptr;
}

// A follower's private directory (the secondary instance's): jobledger-follower-<pid>-XXXXXX.
constexpr char kFollowerDirPrefix[] = "jobledger-follower-";

// A process killed with SIGKILL leaves its followers' directories behind: those of processes that
// are gone are removed when another follower opens.
void RemoveDeadFollowerDirs(const std::filesystem::path& temp) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(temp, error)) {
    const std::string name = entry.path().filename().string();
    if (!absl::StartsWith(name, kFollowerDirPrefix)) continue;
    const std::string rest = name.substr(sizeof(kFollowerDirPrefix) - 1);
    pid_t pid = 0;
    if (!absl::SimpleAtoi(rest.substr(0, rest.find('-')), &pid) || pid <= 0) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // running (or not ours to ask)
    std::filesystem::remove_all(entry.path(), error);
  }
}

rocksdb::Options FollowerOptions(const std::string& topic) {
  rocksdb::Options options = BaseOptions(topic);
  options.max_file_opening_threads = 1;  // TryCatchUpWithPrimary spawns max-1 threads per call
  return options;
}

absl::Status OpenError(const rocksdb::Status& status, absl::string_view topic,
                       absl::string_view path) {
  if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
    return absl::FailedPreconditionError(
        absl::StrCat("topic ", topic, " at ", path,
                     " is already written by another process: ", status.ToString()));
  }
  return FromRocksDb(status, absl::StrCat("open topic ", topic, " at ", path));
}

// The next offset after the last stored record of `partition`, as `db` sees it.
absl::StatusOr<int64_t> StoredEndOf(rocksdb::DB& db, absl::string_view topic, int32_t partition) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(PartitionEnd(partition));
  if (it->Valid()) {
    const int64_t offset = OffsetOfKey(View(it->key()), partition);
    if (offset >= 0) return offset + 1;
  }
  JL_RETURN_IF_ERROR(FromRocksDb(it->status(), absl::StrCat("scan topic ", topic)));
  return 0;
}

// StoredEndOf for each of the topic's partitions: the high watermarks of an opened store.
absl::StatusOr<std::vector<int64_t>> StoredEndsOf(rocksdb::DB& db, absl::string_view topic,
                                                  int32_t partitions) {
  std::vector<int64_t> ends(partitions);
  for (int32_t partition = 0; partition < partitions; ++partition) {
    JL_ASSIGN_OR_RETURN(ends[partition], StoredEndOf(db, topic, partition));
  }
  return ends;
}

absl::Status NotOpen(absl::string_view topic) {
  return absl::UnavailableError(
      absl::StrCat("topic ", topic, " is closed after a failed write until it can be reopened"));
}

absl::StatusOr<int32_t> ReadPartitionCount(rocksdb::DB& db, absl::string_view topic) {
  std::string value;
  const rocksdb::Status status = db.Get(rocksdb::ReadOptions(), Slice(kPartitionCountKey), &value);
  if (status.IsNotFound()) return 0;
  JL_RETURN_IF_ERROR(FromRocksDb(status, absl::StrCat("read partition count of ", topic)));
  int32_t partitions = 0;
  if (!absl::SimpleAtoi(value, &partitions) || partitions <= 0) {
    return absl::DataLossError(
        absl::StrCat("topic ", topic, " has a corrupt partition count \"", value, "\""));
  }
  return partitions;
}

}  // namespace

absl::StatusOr<std::shared_ptr<TopicStore>> TopicStore::OpenOwned(
    const std::string& path, const TopicSpec& spec, size_t max_record_bytes,
    std::shared_ptr<Activity> activity) {
  if (spec.partitions <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic ", spec.name, " needs a positive partition count"));
  }
  std::shared_ptr<CommitCounter> changes = OwnerChangeCounter(path, spec.name);
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(OwnerOptions(spec.name, changes), path, &raw);
  if (!opened.ok()) return OpenError(opened, spec.name, path);
  std::unique_ptr<rocksdb::DB> db(raw);

  JL_ASSIGN_OR_RETURN(const int32_t stored_partitions, ReadPartitionCount(*db, spec.name));
  if (stored_partitions == 0) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    JL_RETURN_IF_ERROR(FromRocksDb(
        db->Put(sync, Slice(kPartitionCountKey), absl::StrCat(spec.partitions)), "create topic"));
  } else if (stored_partitions != spec.partitions) {
    return absl::FailedPreconditionError(absl::StrCat(
        "topic ", spec.name, " has ", stored_partitions, " partitions, not ", spec.partitions));
  }
  JL_ASSIGN_OR_RETURN(std::vector<int64_t> ends, StoredEndsOf(*db, spec.name, spec.partitions));
  std::shared_ptr<TopicStore> store(new TopicStore(spec.name, path, spec.partitions, std::move(db),
                                                   /*owned=*/true, absl::ZeroDuration(),
                                                   max_record_bytes, /*follower_dir=*/"",
                                                   std::move(activity), std::move(changes)));
  absl::MutexLock lock(&store->mu_);
  store->high_watermarks_ = std::move(ends);
  return store;
}

absl::StatusOr<std::shared_ptr<TopicStore>> TopicStore::OpenFollower(
    const std::string& path, const std::string& name, absl::Duration follow_interval) {
  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::path(path) / "CURRENT", error)) {
    return absl::UnavailableError(absl::StrCat("topic ", name, " has no log at ", path,
                                               " yet: its owning service has not created it"));
  }
  const std::filesystem::path temp = std::filesystem::temp_directory_path(error);
  RemoveDeadFollowerDirs(temp);
  std::string follower_dir =
      (temp / absl::StrCat(kFollowerDirPrefix, ::getpid(), "-XXXXXX")).string();
  if (mkdtemp(follower_dir.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a follower directory for ", name));
  }
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status opened =
      rocksdb::DB::OpenAsSecondary(FollowerOptions(name), path, follower_dir, &raw);
  if (!opened.ok()) {
    std::filesystem::remove_all(follower_dir, error);
    return OpenError(opened, name, path);
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  auto partitions = ReadPartitionCount(*db, name);
  if (partitions.ok() && *partitions == 0) {
    partitions = absl::UnavailableError(absl::StrCat("topic ", name, " is still being created"));
  }
  if (!partitions.ok()) {
    db.reset();
    std::filesystem::remove_all(follower_dir, error);
    return partitions.status();
  }
  return std::shared_ptr<TopicStore>(new TopicStore(name, path, *partitions, std::move(db),
                                                    /*owned=*/false, follow_interval,
                                                    /*max_record_bytes=*/0, follower_dir,
                                                    /*activity=*/nullptr, /*changes=*/nullptr));
}

TopicStore::TopicStore(std::string name, std::string path, int32_t partitions,
                       std::unique_ptr<rocksdb::DB> db, bool owned, absl::Duration follow_interval,
                       size_t max_record_bytes, std::string follower_dir,
                       std::shared_ptr<Activity> activity, std::shared_ptr<CommitCounter> changes)
    : name_(std::move(name)),
      path_(std::move(path)),
      partitions_(partitions),
      db_(std::move(db)),
      owned_(owned),
      follow_interval_(follow_interval),
      max_record_bytes_(max_record_bytes),
      follower_dir_(std::move(follower_dir)),
      activity_(std::move(activity)),
      changes_(std::move(changes)),
      high_watermarks_(partitions, 0),
      nothing_at_(partitions) {
  if (owned_) writer_ = std::thread([this] { WriterLoop(); });
}

TopicStore::~TopicStore() {
  if (writer_.joinable()) {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    writer_.join();  // commits what is still queued first
  }
  absl::MutexLock db_lock(&db_mu_);
  if (owned_ && db_ != nullptr) {
    // Every acknowledged append is already in the synced WAL; closing only tidies up.
    db_->Close().PermitUncheckedError();
  }
  if (!follower_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(follower_dir_, ignored);
  }
}

absl::Status TopicStore::CheckPartition(int32_t partition) const {
  if (partition >= 0 && partition < partitions_) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("partition ", partition, " does not exist: topic ",
                                                 name_, " has ", partitions_, " partitions"));
}

absl::StatusOr<AppendResult> TopicStore::Append(int32_t partition, std::vector<Record> records) {
  absl::StatusOr<AppendResult> result;
  absl::Notification committed;
  AppendAsync(partition, std::move(records), [&](absl::StatusOr<AppendResult> outcome) {
    result = std::move(outcome);
    committed.Notify();
  });
  committed.WaitForNotification();
  return result;
}

void TopicStore::AppendAsync(int32_t partition, std::vector<Record> records,
                             EventLog::AppendCallback done) {
  if (!owned_) {
    done(absl::FailedPreconditionError(
        absl::StrCat("topic ", name_, " is written by another process; this one only reads it")));
    return;
  }
  if (absl::Status valid = CheckPartition(partition); !valid.ok()) return done(valid);
  if (records.empty()) return done(absl::InvalidArgumentError("append needs at least one record"));

  PendingAppend pending{partition, {}, std::move(done)};
  pending.values.reserve(records.size());
  const absl::Time now = absl::Now();
  for (size_t i = 0; i < records.size(); ++i) {
    pending.values.push_back(EncodeStoredRecord(records[i], now));
    if (pending.values.back().size() > max_record_bytes_) {
      return pending.done(absl::InvalidArgumentError(
          absl::StrCat("record ", i, " is ", pending.values.back().size(), " bytes; the limit is ",
                       max_record_bytes_)));
    }
  }
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      return;
    }
  }
  pending.done(absl::UnavailableError(absl::StrCat("topic ", name_, " is closing")));
}

void TopicStore::WriterLoop() {
  const auto work_or_stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  };
  while (true) {
    std::vector<PendingAppend> group;
    bool reopen = false;
    {
      absl::MutexLock lock(&mu_);
      if (reopen_needed_) {
        mu_.AwaitWithTimeout(absl::Condition(&work_or_stop), kReopenRetry);
      } else {
        mu_.Await(absl::Condition(&work_or_stop));
      }
      if (queue_.empty() && stopping_) return;  // every queued append is committed
      reopen = reopen_needed_;
      group.swap(queue_);
    }
    if (reopen) (void)Reopen();  // a failure is logged; the appends then fail with it
    if (!group.empty()) CommitGroup(std::move(group));
  }
}

void TopicStore::CommitGroup(std::vector<PendingAppend> group) {
  std::vector<int64_t> next;
  {
    absl::MutexLock lock(&mu_);
    next = high_watermarks_;
  }
  std::vector<AppendResult> results;
  results.reserve(group.size());
  rocksdb::WriteBatch batch;
  for (const PendingAppend& pending : group) {
    results.push_back({next[pending.partition], static_cast<int64_t>(pending.values.size())});
    for (const std::string& value : pending.values) {
      batch.Put(RecordKey(pending.partition, next[pending.partition]++), value);
    }
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  absl::Status written;
  bool was_open = false;
  {
    absl::ReaderMutexLock db_lock(&db_mu_);
    was_open = db_ != nullptr;
    written = was_open
                  ? FromRocksDb(db_->Write(sync, &batch), absl::StrCat("append to topic ", name_))
                  : NotOpen(name_);
  }
  if (!written.ok() && was_open) (void)Reopen();
  if (written.ok()) {
    if (changes_ != nullptr) changes_->Increment();
    absl::MutexLock lock(&mu_);
    high_watermarks_ = std::move(next);
    committed_.SignalAll();
  }
  if (written.ok() && activity_ != nullptr) activity_->Signal();
  for (size_t i = 0; i < group.size(); ++i) {
    if (written.ok()) {
      group[i].done(results[i]);
    } else {
      group[i].done(written);
    }
  }
}

absl::Status TopicStore::CatchUp(bool force) {
  if (owned_) return absl::OkStatus();
  absl::MutexLock lock(&catch_up_mu_);
  const absl::Time now = absl::Now();
  if (!force && now - last_catch_up_ < follow_interval_) return absl::OkStatus();
  last_catch_up_ = now;
  if (owner_changes_ == nullptr && now - last_counter_attempt_ >= kUnchangedPull) {
    last_counter_attempt_ = now;
    if (auto changes = CommitCounter::OpenForFollower(path_); changes.ok()) {
      owner_changes_ = *std::move(changes);
    }
  }
  if (owner_changes_ != nullptr) {
    // Read before pulling: a change counted after this is seen by the next check.
    const uint64_t changes = owner_changes_->Load();
    if (changes == pulled_changes_ && now - last_pull_ < kUnchangedPull) return absl::OkStatus();
    pulled_changes_ = changes;
  }
  last_pull_ = now;
  absl::ReaderMutexLock db_lock(&db_mu_);  // a follower's database is never reopened
  const absl::Status pulled =
      FromRocksDb(db_->TryCatchUpWithPrimary(), absl::StrCat("follow topic ", name_));
  ++pulls_done_;  // after the pull: a reader that sees this count sees what it brought
  if (!pulled.ok()) pulled_changes_ = UINT64_MAX;  // the next look pulls again
  return pulled;
}

absl::StatusOr<int64_t> TopicStore::StoredEnd(int32_t partition) {
  absl::ReaderMutexLock db_lock(&db_mu_);
  if (db_ == nullptr) return NotOpen(name_);
  return StoredEndOf(*db_, name_, partition);
}

absl::Status TopicStore::Reopen() {
  absl::Status reopened = [&]() -> absl::Status {
    absl::MutexLock db_lock(&db_mu_);  // waits for the reads under way
    if (db_ != nullptr) {
      db_->Close().PermitUncheckedError();  // may fail as the write did: the WAL holds the rest
      db_.reset();
    }
    rocksdb::DB* raw = nullptr;
    JL_RETURN_IF_ERROR(FromRocksDb(rocksdb::DB::Open(OwnerOptions(name_, changes_), path_, &raw),
                                   absl::StrCat("reopen topic ", name_)));
    db_.reset(raw);
    JL_ASSIGN_OR_RETURN(std::vector<int64_t> ends, StoredEndsOf(*db_, name_, partitions_));
    // A failed write can be durable after all (its sync failed, not its write): its records are
    // then part of the topic, like those of any append whose answer was lost.
    absl::MutexLock lock(&mu_);
    high_watermarks_ = std::move(ends);
    committed_.SignalAll();
    return absl::OkStatus();
  }();
  {
    absl::MutexLock lock(&mu_);
    reopen_needed_ = !reopened.ok();
  }
  if (reopened.ok()) {
    if (changes_ != nullptr) changes_->Increment();
    if (activity_ != nullptr) activity_->Signal();
    std::fprintf(stderr, "topic %s: reopened after a failed write\n", name_.c_str());
  } else {
    std::fprintf(stderr, "topic %s: %s; trying again\n", name_.c_str(),
                 reopened.ToString().c_str());
  }
  return reopened;
}

absl::StatusOr<int64_t> TopicStore::HighWatermark(int32_t partition) {
  JL_RETURN_IF_ERROR(CheckPartition(partition));
  if (owned_) {
    absl::MutexLock lock(&mu_);
    return high_watermarks_[partition];
  }
  JL_RETURN_IF_ERROR(CatchUp(/*force=*/true));
  return StoredEnd(partition);
}

absl::StatusOr<std::vector<Record>> TopicStore::Read(int32_t partition, int64_t from_offset,
                                                     size_t max_records) {
  std::vector<Record> records;
  size_t used = 0;
  JL_RETURN_IF_ERROR(ReadInto(partition, from_offset, max_records, records, used));
  return records;
}

absl::Status TopicStore::ReadInto(int32_t partition, int64_t from_offset, size_t max_records,
                                  std::vector<Record>& records, size_t& used) {
  JL_RETURN_IF_ERROR(CheckPartition(partition));
  if (from_offset < 0) {
    return absl::InvalidArgumentError(absl::StrCat("offset ", from_offset, " is negative"));
  }
  if (max_records == 0) return absl::OkStatus();

  int64_t end = INT64_MAX;
  uint64_t pulls_done = 0;
  if (owned_) {
    absl::MutexLock lock(&mu_);
    end = high_watermarks_[partition];  // never show a record before its append is durable
  } else {
    JL_RETURN_IF_ERROR(CatchUp(/*force=*/false));
    absl::MutexLock lock(&catch_up_mu_);
    pulls_done = pulls_done_;
    const NothingAt& nothing = nothing_at_[partition];
    if (nothing.pulls_done == pulls_done && nothing.offset == from_offset) return absl::OkStatus();
  }
  if (from_offset >= end) return absl::OkStatus();
  const size_t used_before = used;
  const int64_t limit = std::min<int64_t>(end, from_offset + static_cast<int64_t>(max_records));
  const std::string upper =
      limit == INT64_MAX ? PartitionEnd(partition) : RecordKey(partition, limit);
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  read_options.fill_cache = false;  // a scan would only evict the working set
  {
    absl::ReaderMutexLock db_lock(&db_mu_);
    if (db_ == nullptr) return NotOpen(name_);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
    if (records.size() == used) records.reserve(used + std::min<size_t>(max_records, 4096));
    int64_t expected = from_offset;
    for (it->Seek(RecordKey(partition, from_offset)); it->Valid(); it->Next()) {
      const int64_t offset = OffsetOfKey(View(it->key()), partition);
      if (offset != expected) {
        return absl::DataLossError(absl::StrCat("topic ", name_, " partition ", partition,
                                                " has a gap: expected offset ", expected,
                                                ", found ", offset));
      }
      if (used == records.size()) records.emplace_back();
      Record& record = records[used];
      JL_RETURN_IF_ERROR(DecodeStoredRecordInto(View(it->value()), offset, record));
      record.topic.assign(name_);
      record.partition = partition;
      ++used;
      ++expected;
    }
    JL_RETURN_IF_ERROR(FromRocksDb(it->status(), absl::StrCat("read topic ", name_)));
  }
  if (!owned_ && used == used_before) {
    absl::MutexLock lock(&catch_up_mu_);
    nothing_at_[partition] = {.pulls_done = pulls_done, .offset = from_offset};
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> TopicStore::WaitBeyond(int32_t partition, int64_t offset,
                                               absl::Time deadline) {
  JL_RETURN_IF_ERROR(CheckPartition(partition));
  if (owned_) {
    absl::MutexLock lock(&mu_);
    while (high_watermarks_[partition] <= offset) {
      if (committed_.WaitWithDeadline(&mu_, deadline)) break;  // timed out
    }
    return high_watermarks_[partition];
  }
  // Another process writes: look again every follow interval until the deadline.
  while (true) {
    JL_ASSIGN_OR_RETURN(const int64_t high_watermark, HighWatermark(partition));
    const absl::Time now = absl::Now();
    if (high_watermark > offset || now >= deadline) return high_watermark;
    absl::SleepFor(std::min(follow_interval_, deadline - now));
  }
}

}  // namespace jobledger::eventlog::internal
