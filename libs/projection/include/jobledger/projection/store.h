// One projection's RocksDB store: its rows, the offsets they were built up to and its dead
// letters, always written together in one atomic batch (the exact checkpoint).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "jobledger/projection/state.h"
#include "jobledger/projection/v1/projection.pb.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"

namespace jobledger::projection {

using TopicPartition = std::pair<std::string, int32_t>;

// What a store holds in memory, apart from an open Transaction, is charged to one LRU block cache
// that all stores of a process share: data blocks, index and filter blocks (partitioned, cached at
// high priority; L0's and the top levels pinned), table readers, and the memtables (through one
// WriteBufferManager per cache, which flushes once they pass half of it). So the stores of a
// process hold about the cache's capacity, whatever the number and size of their files; the
// cache is not strict, so pinned blocks and memtables may overshoot it briefly while a flush runs.
inline constexpr size_t kDefaultBlockCacheBytes = 64 << 20;

// A cache for projection stores: LRU over `capacity` bytes, half of it reserved for index and
// filter blocks so that scans of data blocks do not evict them.
std::shared_ptr<rocksdb::Cache> NewBlockCache(size_t capacity);
// The cache of stores opened without one: one per process, kDefaultBlockCacheBytes.
std::shared_ptr<rocksdb::Cache> DefaultBlockCache();

struct StoreOptions {
  std::string path;
  // The memory budget of this store and every other store given the same cache (nullptr:
  // DefaultBlockCache()). Memtables are charged to it too: 16 MiB each, two per column family.
  std::shared_ptr<rocksdb::Cache> block_cache;
  // Open without taking the write lock, as of now, for inspection while a service runs.
  bool read_only = false;
};

// A store's share of memory, from RocksDB's own accounting.
struct StoreMemory {
  size_t block_cache_capacity = 0;
  // Everything charged to the (shared) cache: blocks, pinned blocks, memtables of all its stores.
  size_t block_cache_usage = 0;
  // Index and filter blocks in the cache, of all stores sharing it (refreshed at most every 10 s).
  size_t index_and_filter_blocks = 0;
  // This store's memtables (also charged to the cache).
  size_t memtables = 0;
  // This store's table readers outside the cache.
  size_t table_readers = 0;
};

class ProjectionStore;

// The writes of one batch of applied events, with the offsets they advance, committed at once.
// Writes are coalesced in memory: a key written many times in the batch (a job changing status
// five times) reaches RocksDB once, with its final value. Reads see the batch's own writes.
// Do not write while iterating.
class Transaction final : public StateWriter {
 public:
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) const override;
  std::unique_ptr<StateIterator> NewIterator(absl::string_view lower,
                                             absl::string_view upper) const override;
  void Put(absl::string_view key, absl::string_view value) override;
  void Delete(absl::string_view key) override;
  void Insert(absl::string_view key, absl::string_view value) override;

  // `next_offset` is the first record of the partition not yet applied.
  void SetOffset(const TopicPartition& partition, int64_t next_offset);
  void AddDeadLetter(const v1::DeadLetter& dead_letter);
  // Marks where RollbackToSavePoint returns to: one event's writes are undone when its handler
  // fails part-way. One level; setting it again moves it.
  void SetSavePoint();
  void RollbackToSavePoint();

  // Bytes of keys and values held for the commit (each version of a value rewritten in the
  // batch counts): what bounds a batch's memory.
  size_t ApproximateBytes() const { return arena_.used(); }

 private:
  friend class ProjectionStore;

  // Keys and values live in a few large blocks instead of a string each: a batch holds hundreds
  // of thousands, and allocating and freeing them one by one was a fifth of a rebuild's time.
  class Arena {
   public:
    absl::string_view Copy(absl::string_view bytes);
    size_t used() const { return used_; }

   private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* next_ = nullptr;
    size_t left_ = 0;
    size_t used_ = 0;
  };
  struct Value {
    absl::string_view bytes;  // in arena_
    bool deleted = false;
    // Absent from the committed state (written by Insert): deleting it needs no tombstone.
    bool fresh = false;
  };
  // A hash map, not a tree: most work is point reads and writes, and the one sort a commit needs
  // (see Sorted) is cheaper than keeping a tree ordered on every write.
  using Writes = absl::flat_hash_map<absl::string_view, Value>;  // keys in arena_
  struct SortedEntry {
    absl::string_view key;
    Value value;
  };

  explicit Transaction(const ProjectionStore& store) : store_(store) {}
  // Writes `value` for `key` (a deletion when value.deleted; `fresh` when inserted).
  void Record(absl::string_view key, Value value);
  // The writes in key order; valid until the next write.
  const std::vector<SortedEntry>& Sorted() const;

  // A key's state before a change made after the save point.
  struct Undo {
    absl::string_view key;
    bool was_written = false;
    Value previous;
  };

  const ProjectionStore& store_;
  Arena arena_;
  Writes writes_;
  mutable std::vector<SortedEntry> sorted_;
  mutable bool sorted_valid_ = false;
  std::map<TopicPartition, int64_t> offsets_;
  std::vector<v1::DeadLetter> dead_letters_;
  bool save_point_set_ = false;
  std::vector<Undo> undo_;
};

class ProjectionStore final : public StateReader {
 public:
  static absl::StatusOr<std::unique_ptr<ProjectionStore>> Open(const StoreOptions& options);
  ~ProjectionStore() override;

  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) const override;
  std::unique_ptr<StateIterator> NewIterator(absl::string_view lower,
                                             absl::string_view upper) const override;

  std::unique_ptr<Transaction> Begin() const;
  // Rows, offsets and dead letters of the transaction land together or not at all.
  absl::Status Commit(Transaction& transaction);

  // Bulk loading, for a rebuild into a fresh store that nobody reads as the truth yet: commits
  // skip the write-ahead log, so what survives a crash is the last flush, which holds rows and
  // offsets of the same commits (the column families are flushed atomically). A crash therefore
  // still resumes from a consistent checkpoint, only an older one (or the runtime starts the
  // rebuild over). EndBulkLoad flushes everything before later, logged commits can depend on it.
  void BeginBulkLoad();
  absl::Status EndBulkLoad();

  // The next offset to apply per topic partition (absent: start at 0).
  absl::StatusOr<std::map<TopicPartition, int64_t>> CommittedOffsets() const;
  absl::StatusOr<std::vector<v1::DeadLetter>> DeadLetters(size_t limit) const;
  // SHA-256 (hex) over every row and dead letter in key order: equal states, equal checksums.
  absl::StatusOr<std::string> Checksum() const;
  absl::StatusOr<StoreMemory> Memory() const;

  const std::string& path() const { return path_; }
  // Deletes the store's directory when it is closed (a store that was replaced or abandoned).
  void RemoveWhenClosed() { remove_when_closed_ = true; }
  // Flushes and closes; idempotent. Further use is an error.
  absl::Status Close();

 private:
  friend class Transaction;
  ProjectionStore(std::string path, std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> handles);

  const std::string path_;
  std::atomic<bool> remove_when_closed_{false};
  std::atomic<bool> bulk_load_{false};
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* rows_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* dead_letters_ = nullptr;
};

}  // namespace jobledger::projection
