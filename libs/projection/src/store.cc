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
#include "jobledger/common/sha256.h"
#include "jobledger/common/status.h"
#include "jobledger/projection/key_codec.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

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

absl::StatusOr<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(
    const StoreOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.keep_log_file_num = 3;
  // Rows, offsets and dead letters flush together: without a WAL (bulk loading) the last flush
  // must be one consistent checkpoint.
  db_options.atomic_flush = true;
  rocksdb::BlockBasedTableOptions table;
  if (options.block_cache != nullptr) table.block_cache = options.block_cache;
  // Most point reads look up a row that may not exist yet (a new job): a Bloom filter answers
  // those without reading data blocks.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(db_options)},
      {kMetaFamily, rocksdb::ColumnFamilyOptions(db_options)},
      {kDeadLettersFamily, rocksdb::ColumnFamilyOptions(db_options)},
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

absl::Status ProjectionStore::EndBulkLoad() {
  if (!bulk_load_) return absl::OkStatus();
  rocksdb::FlushOptions options;
  options.wait = true;
  JL_RETURN_IF_ERROR(FromRocksDb(db_->Flush(options, {rows_, meta_, dead_letters_}),
                                 absl::StrCat("flush projection ", path_)));
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

}  // namespace jobledger::projection
