// The projection store on RocksDB: rows, offsets and dead letters in three column families.
#include "jobledger/projection/store.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/common/sha256.h"
#include "jobledger/common/status.h"
#include "jobledger/projection/key_codec.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/write_buffer_manager.h"

namespace jobledger::projection {
namespace {

constexpr char kMetaFamily[] = "meta";
constexpr char kDeadLettersFamily[] = "dead_letters";

rocksdb::Slice ToSlice(absl::string_view view) { return {view.data(), view.size()}; }
absl::string_view ToView(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

std::string OffsetKey(const TopicPartition& partition) {
  return KeyBuilder().String("offset").String(partition.first).Int64(partition.second).key();
}

std::string DeadLetterKey(const v1::DeadLetter& dead_letter) {
  return KeyBuilder()
      .String(dead_letter.topic())
      .Int64(dead_letter.partition())
      .Int64(dead_letter.offset())
      .key();
}

// A memtable's size (two per column family at most, and all of them bounded by the cache).
constexpr size_t kWriteBufferBytes = 16 << 20;
constexpr int kServingLevel0Trigger = 4;

// One WriteBufferManager per cache, so that the memtables of all stores sharing a cache are
// bounded together (flushing once they pass half the cache) and charged to it. A manager holds
// its cache, so a live entry's cache is alive and its address cannot be reused.
std::shared_ptr<rocksdb::WriteBufferManager> WriteBuffersFor(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* const managers =
      new std::vector<std::pair<const rocksdb::Cache*, std::weak_ptr<rocksdb::WriteBufferManager>>>;
  absl::MutexLock lock(&mu);
  std::erase_if(*managers, [](const auto& entry) { return entry.second.expired(); });
  for (const auto& [key, weak] : *managers) {
    if (key == cache.get()) {
      if (auto manager = weak.lock(); manager != nullptr) return manager;
    }
  }
  auto manager = std::make_shared<rocksdb::WriteBufferManager>(cache->GetCapacity() / 2, cache);
  managers->emplace_back(cache.get(), manager);
  return manager;
}

// A RocksDB iterator over committed state, held below `upper`.
class BoundedIterator final : public StateIterator {
 public:
  BoundedIterator(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, absl::string_view upper)
      : upper_(upper), upper_slice_(upper_) {
    rocksdb::ReadOptions options;
    if (!upper_.empty()) options.iterate_upper_bound = &upper_slice_;
    it_.reset(db.NewIterator(options, family));
  }

  void Seek(absl::string_view key) override { it_->Seek(ToSlice(key)); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  absl::string_view key() const override { return ToView(it_->key()); }
  absl::string_view value() const override { return ToView(it_->value()); }
  absl::Status status() const override { return FromRocksDb(it_->status(), "scan projection"); }

 private:
  const std::string upper_;
  const rocksdb::Slice upper_slice_;       // ReadOptions points here: outlives it_
  std::unique_ptr<rocksdb::Iterator> it_;  // declared last, destroyed first
};

// Bytewise order, as RocksDB's default comparator, eight bytes at a time: a batch's keys share
// long prefixes, and sorting them was a tenth of a rebuild.
bool KeyLess(absl::string_view a, absl::string_view b) {
  static_assert(std::endian::native == std::endian::little);
  const size_t common = std::min(a.size(), b.size());
  size_t i = 0;
  for (; i + 8 <= common; i += 8) {
    uint64_t x = 0;
    uint64_t y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y);
  }
  for (; i < common; ++i) {
    if (a[i] != b[i]) return static_cast<uint8_t>(a[i]) < static_cast<uint8_t>(b[i]);
  }
  return a.size() < b.size();
}

// Committed state with a transaction's coalesced writes (sorted entries, each a key and a value
// with a deleted flag) laid over it: a written key shows its new value, a deleted one is hidden.
template <typename Entry>
class MergedIterator final : public StateIterator {
 public:
  using SortedWrites = std::vector<Entry>;

  MergedIterator(std::unique_ptr<StateIterator> committed, const SortedWrites& writes,
                 absl::string_view upper)
      : committed_(std::move(committed)),
        writes_(writes),
        write_(writes.end()),
        write_end_(upper.empty() ? writes.end() : LowerBound(writes, upper)) {}

  void Seek(absl::string_view key) override {
    committed_->Seek(key);
    write_ = std::min(LowerBound(writes_, key), write_end_);
    Settle();
  }
  bool Valid() const override { return from_write_ || committed_->Valid(); }
  void Next() override {
    if (from_write_) {
      if (committed_->Valid() && committed_->key() == write_->key) committed_->Next();
      ++write_;
    } else {
      committed_->Next();
    }
    Settle();
  }
  absl::string_view key() const override { return from_write_ ? write_->key : committed_->key(); }
  absl::string_view value() const override {
    return from_write_ ? write_->value.bytes : committed_->value();
  }
  absl::Status status() const override { return committed_->status(); }

 private:
  // Points at the smaller of the two cursors, skipping keys the transaction deleted.
  void Settle() {
    while (true) {
      const bool have_write = write_ != write_end_;
      if (have_write && (!committed_->Valid() || !KeyLess(committed_->key(), write_->key))) {
        if (!write_->value.deleted) {
          from_write_ = true;
          return;
        }
        if (committed_->Valid() && committed_->key() == write_->key) committed_->Next();
        ++write_;  // deleted in this transaction
        continue;
      }
      from_write_ = false;
      return;
    }
  }

  // The first write whose key is not below `key`.
  static typename SortedWrites::const_iterator LowerBound(const SortedWrites& writes,
                                                          absl::string_view key) {
    return std::lower_bound(
        writes.begin(), writes.end(), key,
        [](const Entry& entry, absl::string_view bound) { return KeyLess(entry.key, bound); });
  }

  std::unique_ptr<StateIterator> committed_;
  const SortedWrites& writes_;
  typename SortedWrites::const_iterator write_;
  const typename SortedWrites::const_iterator write_end_;
  bool from_write_ = false;
};

absl::StatusOr<std::optional<std::string>> Found(const rocksdb::Status& status, std::string value) {
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return FromRocksDb(status, "read projection");
  return std::optional<std::string>(std::move(value));
}

}  // namespace

absl::string_view Transaction::Arena::Copy(absl::string_view bytes) {
  if (bytes.size() > left_) {
    constexpr size_t kBlockSize = 1 << 20;
    const size_t size = std::max(kBlockSize, bytes.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    next_ = blocks_.back().get();
    left_ = size;
  }
  char* copy = next_;
  if (!bytes.empty()) std::memcpy(copy, bytes.data(), bytes.size());
  next_ += bytes.size();
  left_ -= bytes.size();
  used_ += bytes.size();
  return {copy, bytes.size()};
}

absl::StatusOr<std::optional<std::string>> Transaction::Get(absl::string_view key) const {
  if (const auto it = writes_.find(key); it != writes_.end()) {
    if (it->second.deleted) return std::optional<std::string>();
    return std::optional<std::string>(std::string(it->second.bytes));
  }
  return store_.Get(key);
}

std::unique_ptr<StateIterator> Transaction::NewIterator(absl::string_view lower,
                                                        absl::string_view upper) const {
  return std::make_unique<MergedIterator<SortedEntry>>(store_.NewIterator(lower, upper), Sorted(),
                                                       upper);
}

const std::vector<Transaction::SortedEntry>& Transaction::Sorted() const {
  if (!sorted_valid_) {
    sorted_.clear();
    sorted_.reserve(writes_.size());
    for (const auto& [key, value] : writes_) sorted_.push_back({key, value});
    std::sort(sorted_.begin(), sorted_.end(),
              [](const SortedEntry& a, const SortedEntry& b) { return KeyLess(a.key, b.key); });
    sorted_valid_ = true;
  }
  return sorted_;
}

void Transaction::Record(absl::string_view key, Value value) {
  bool added = false;  // one hash and probe, and the key copied only when it is new
  const auto it = writes_.lazy_emplace(key, [&](const Writes::constructor& construct) {
    added = true;
    construct(arena_.Copy(key), Value{});
  });
  if (!added) {
    // An entry is fresh only if the key had none before: a key this batch deleted may still be
    // in the committed state, whatever the caller believes.
    value.fresh = it->second.fresh;
  }
  // Sorted() copies values: any write makes it stale.
  sorted_valid_ = false;
  if (save_point_set_) undo_.push_back(Undo{it->first, !added, it->second});
  if (value.deleted && value.fresh) {
    writes_.erase(it);  // inserted and deleted within the batch: the store never sees it
  } else {
    it->second = value;
  }
}

void Transaction::Put(absl::string_view key, absl::string_view value) {
  Record(key, Value{arena_.Copy(value), false, false});
}

void Transaction::Insert(absl::string_view key, absl::string_view value) {
  Record(key, Value{arena_.Copy(value), false, true});
}

void Transaction::Delete(absl::string_view key) { Record(key, Value{{}, true, false}); }

void Transaction::SetOffset(const TopicPartition& partition, int64_t next_offset) {
  offsets_[partition] = next_offset;
}

void Transaction::AddDeadLetter(const v1::DeadLetter& dead_letter) {
  dead_letters_.push_back(dead_letter);
}

void Transaction::SetSavePoint() {
  save_point_set_ = true;
  undo_.clear();
}

void Transaction::RollbackToSavePoint() {
  for (auto undo = undo_.rbegin(); undo != undo_.rend(); ++undo) {
    if (undo->was_written) {
      writes_.insert_or_assign(undo->key, undo->previous);  // the key stays in the arena
    } else {
      writes_.erase(undo->key);
    }
    sorted_valid_ = false;
  }
  undo_.clear();
}

std::shared_ptr<rocksdb::Cache> NewBlockCache(size_t capacity) {
  rocksdb::LRUCacheOptions options;
  options.capacity = capacity;
  // Not strict: a read that needs a block when pinned blocks fill the cache still succeeds.
  options.strict_capacity_limit = false;
  options.high_pri_pool_ratio = 0.5;
  return rocksdb::NewLRUCache(options);
}

std::shared_ptr<rocksdb::Cache> DefaultBlockCache() {
  static const auto* const cache =
      new std::shared_ptr<rocksdb::Cache>(NewBlockCache(kDefaultBlockCacheBytes));
  return *cache;
}

absl::StatusOr<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(
    const StoreOptions& options) {
  std::shared_ptr<rocksdb::Cache> cache =
      options.block_cache != nullptr ? options.block_cache : DefaultBlockCache();
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.keep_log_file_num = 3;
  // Rows, offsets and dead letters flush together: without a WAL (bulk loading) the last flush
  // must be one consistent checkpoint.
  db_options.atomic_flush = true;
  db_options.write_buffer_manager = WriteBuffersFor(cache);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Index and filter blocks live in the cache instead of on the heap for as long as their table
  // is open (which is forever: max_open_files is unlimited), at high priority. Partitioned, so a
  // lookup loads a 4 KiB partition, not a whole file's index or filter; only the top levels and
  // L0's blocks (read by every lookup) stay pinned.
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.pin_top_level_index_and_filter = true;
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.optimize_filters_for_memory = true;
  // Table readers' own memory and filter building during flushes are charged to the cache too.
  for (const rocksdb::CacheEntryRole role : {rocksdb::CacheEntryRole::kBlockBasedTableReader,
                                             rocksdb::CacheEntryRole::kFilterConstruction}) {
    table.cache_usage_options.options_overrides[role].charged =
        rocksdb::CacheEntryRoleOptions::Decision::kEnabled;
  }
  // Most point reads look up a row that may not exist yet (a new job): a Bloom filter answers
  // those without reading data blocks.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Small memtables: they are charged to the cache, and a rebuild commits sorted batches of at
  // most 16 MiB anyway (see RunnerOptions::rebuild_batch_bytes).
  rocksdb::ColumnFamilyOptions family(db_options);
  family.write_buffer_size = kWriteBufferBytes;
  family.max_write_buffer_number = 2;
  // Levels shaped for the small memtables: an L0 -> L1 compaction merges 4 flushed tables (8
  // while bulk loading, see BeginBulkLoad) into an L1 of up to 8. With RocksDB's defaults (4
  // tables into 256 MiB) every compaction rewrote all of L1 for a few MiB of new data, and
  // catching up 1M jobs spent twice as long compacting. More L0 tables than 4 cost scans dearly:
  // every L0 table overlaps every range, so a scan merges them all and steps over the older
  // versions of each row in each (a 7-day calendar search over 7 L0 tables took 13 ms of CPU).
  family.level0_file_num_compaction_trigger = kServingLevel0Trigger;
  family.max_bytes_for_level_base = 8 * kWriteBufferBytes;
  family.target_file_size_base = 2 * kWriteBufferBytes;
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, family},
      {kMetaFamily, family},
      {kDeadLettersFamily, family},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status opened =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, families, &handles, &raw)
          : rocksdb::DB::Open(db_options, options.path, families, &handles, &raw);
  JL_RETURN_IF_ERROR(FromRocksDb(opened, absl::StrCat("open projection store ", options.path)));
  return std::unique_ptr<ProjectionStore>(
      new ProjectionStore(options.path, std::unique_ptr<rocksdb::DB>(raw), std::move(handles)));
}

ProjectionStore::ProjectionStore(std::string path, std::unique_ptr<rocksdb::DB> db,
                                 std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : path_(std::move(path)),
      db_(std::move(db)),
      rows_(handles[0]),
      meta_(handles[1]),
      dead_letters_(handles[2]) {}

ProjectionStore::~ProjectionStore() { Close().IgnoreError(); }

absl::Status ProjectionStore::Close() {
  if (db_ == nullptr) return absl::OkStatus();
  for (rocksdb::ColumnFamilyHandle* handle : {rows_, meta_, dead_letters_}) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  const absl::Status closed = FromRocksDb(db_->Close(), absl::StrCat("close ", path_));
  db_.reset();
  if (remove_when_closed_) {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    if (error) return absl::UnavailableError(absl::StrCat("remove ", path_, ": ", error.message()));
  }
  return closed;
}

absl::StatusOr<std::optional<std::string>> ProjectionStore::Get(absl::string_view key) const {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), rows_, ToSlice(key), &value);
  return Found(status, std::move(value));
}

std::unique_ptr<StateIterator> ProjectionStore::NewIterator(absl::string_view /*lower*/,
                                                            absl::string_view upper) const {
  return std::make_unique<BoundedIterator>(*db_, rows_, upper);
}

std::unique_ptr<Transaction> ProjectionStore::Begin() const {
  return std::unique_ptr<Transaction>(new Transaction(*this));
}

absl::Status ProjectionStore::Commit(Transaction& transaction) {
  // Room for the keys and values plus RocksDB's few bytes of framing per entry: one allocation.
  size_t bytes = 64;
  for (const auto& [key, value] : transaction.writes_)
    bytes += key.size() + value.bytes.size() + 16;
  rocksdb::WriteBatch batch(bytes);
  // In key order: consecutive memtable inserts then land next to each other, which RocksDB's
  // skip list finds from the previous insert's position instead of searching from the top.
  for (const auto& [key, value] : transaction.Sorted()) {
    if (value.deleted) {
      batch.Delete(rows_, ToSlice(key)).PermitUncheckedError();
    } else {
      batch.Put(rows_, ToSlice(key), ToSlice(value.bytes)).PermitUncheckedError();
    }
  }
  for (const auto& [partition, next_offset] : transaction.offsets_) {
    batch.Put(meta_, OffsetKey(partition), absl::StrCat(next_offset)).PermitUncheckedError();
  }
  for (const v1::DeadLetter& dead_letter : transaction.dead_letters_) {
    batch.Put(dead_letters_, DeadLetterKey(dead_letter), dead_letter.SerializeAsString())
        .PermitUncheckedError();
  }
  // Not synced: the WAL survives a process crash, and after a machine crash the rows and the
  // offsets are lost together, so applying resumes exactly where the state is. While bulk
  // loading there is no WAL at all (see BeginBulkLoad).
  rocksdb::WriteOptions options;
  options.disableWAL = bulk_load_;
  return FromRocksDb(db_->Write(options, &batch), absl::StrCat("commit projection ", path_));
}

void ProjectionStore::BeginBulkLoad() {
  bulk_load_ = true;
  // Fewer, larger compactions while nothing reads the store.
  (void)db_->SetOptions(rows_, {{"level0_file_num_compaction_trigger", "8"}});
}

absl::Status ProjectionStore::EndBulkLoad() {
  if (!bulk_load_) return absl::OkStatus();
  rocksdb::FlushOptions options;
  options.wait = true;
  JL_RETURN_IF_ERROR(FromRocksDb(db_->Flush(options, {rows_, meta_, dead_letters_}),
                                 absl::StrCat("flush projection ", path_)));
  JL_RETURN_IF_ERROR(FromRocksDb(db_->SetOptions(rows_, {{"level0_file_num_compaction_trigger",
                                                          std::to_string(kServingLevel0Trigger)}}),
                                 absl::StrCat("options of projection ", path_)));
  bulk_load_ = false;
  return absl::OkStatus();
}

absl::StatusOr<std::map<TopicPartition, int64_t>> ProjectionStore::CommittedOffsets() const {
  std::map<TopicPartition, int64_t> offsets;
  const std::string prefix = KeyBuilder().String("offset").key();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), meta_));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    KeyReader reader(ToView(it->key()));
    reader.String().IgnoreError();  // "offset"
    auto topic = reader.String();
    auto partition = reader.Int64();
    int64_t offset = 0;
    if (!topic.ok() || !partition.ok() || !absl::SimpleAtoi(ToView(it->value()), &offset)) {
      return absl::DataLossError(absl::StrCat("corrupt offset entry in ", path_));
    }
    offsets[{*topic, static_cast<int32_t>(*partition)}] = offset;
  }
  JL_RETURN_IF_ERROR(FromRocksDb(it->status(), "read offsets"));
  return offsets;
}

absl::StatusOr<std::vector<v1::DeadLetter>> ProjectionStore::DeadLetters(size_t limit) const {
  std::vector<v1::DeadLetter> dead_letters;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), dead_letters_));
  for (it->SeekToFirst(); it->Valid() && dead_letters.size() < limit; it->Next()) {
    v1::DeadLetter& dead_letter = dead_letters.emplace_back();
    if (!dead_letter.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("corrupt dead letter in ", path_));
    }
  }
  JL_RETURN_IF_ERROR(FromRocksDb(it->status(), "read dead letters"));
  return dead_letters;
}

absl::StatusOr<std::string> ProjectionStore::Checksum() const {
  Sha256Hasher sha;
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  absl::Status status;
  for (rocksdb::ColumnFamilyHandle* family : {rows_, dead_letters_}) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      for (const rocksdb::Slice& part : {it->key(), it->value()}) {
        const uint64_t size = part.size();
        // Lengths keep ("ab", "c") apart from ("a", "bc").
        sha.Update(absl::string_view(reinterpret_cast<const char*>(&size), sizeof(size)));
        sha.Update(ToView(part));
      }
    }
    status.Update(FromRocksDb(it->status(), "checksum projection"));
    sha.Update("|");
  }
  db_->ReleaseSnapshot(snapshot);
  JL_RETURN_IF_ERROR(status);
  return absl::BytesToHexString(sha.Finish());
}

absl::StatusOr<StoreMemory> ProjectionStore::Memory() const {
  StoreMemory memory;
  uint64_t value = 0;
  const auto property = [&](const std::string& name, rocksdb::ColumnFamilyHandle* family,
                            size_t& into) {
    if (!db_->GetIntProperty(family, name, &value)) {
      return absl::InternalError(absl::StrCat("RocksDB property ", name, " missing in ", path_));
    }
    into += static_cast<size_t>(value);
    return absl::OkStatus();
  };
  JL_RETURN_IF_ERROR(
      property(rocksdb::DB::Properties::kBlockCacheCapacity, rows_, memory.block_cache_capacity));
  JL_RETURN_IF_ERROR(
      property(rocksdb::DB::Properties::kBlockCacheUsage, rows_, memory.block_cache_usage));
  for (rocksdb::ColumnFamilyHandle* family : {rows_, meta_, dead_letters_}) {
    JL_RETURN_IF_ERROR(
        property(rocksdb::DB::Properties::kCurSizeAllMemTables, family, memory.memtables));
    JL_RETURN_IF_ERROR(
        property(rocksdb::DB::Properties::kEstimateTableReadersMem, family, memory.table_readers));
  }
  std::map<std::string, std::string> stats;
  if (db_->GetMapProperty(rows_, rocksdb::DB::Properties::kBlockCacheEntryStats, &stats)) {
    for (const rocksdb::CacheEntryRole role :
         {rocksdb::CacheEntryRole::kIndexBlock, rocksdb::CacheEntryRole::kFilterBlock,
          rocksdb::CacheEntryRole::kFilterMetaBlock}) {
      const auto it = stats.find(rocksdb::BlockCacheEntryStatsMapKeys::UsedBytes(role));
      uint64_t bytes = 0;
      if (it != stats.end() && absl::SimpleAtoi(it->second, &bytes)) {
        memory.index_and_filter_blocks += static_cast<size_t>(bytes);
      }
    }
  }
  return memory;
}

}  // namespace jobledger::projection
