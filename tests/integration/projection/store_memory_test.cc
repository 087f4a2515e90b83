// A projection store's memory stays in the block cache it is given: index and filter blocks,
// table readers and memtables are charged to it, so the bound cannot silently regress.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jobledger/projection/store.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::projection {
namespace {

constexpr size_t kCacheBytes = 8 << 20;

std::unique_ptr<ProjectionStore> OpenStore(const std::string& path,
                                           std::shared_ptr<rocksdb::Cache> cache) {
  StoreOptions options;
  options.path = path;
  options.block_cache = std::move(cache);
  auto store = ProjectionStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

std::string Key(int i) { return absl::StrCat("job/", 1000000 + i); }

// `rows` rows of about 100 bytes in commits of 10,000.
void Fill(ProjectionStore& store, int rows) {
  for (int first = 0; first < rows; first += 10000) {
    auto transaction = store.Begin();
    for (int i = first; i < std::min(rows, first + 10000); ++i) {
      transaction->Put(Key(i), std::string(100, static_cast<char>('a' + i % 26)));
    }
    ASSERT_TRUE(store.Commit(*transaction).ok());
  }
}

TEST(StoreMemoryTest, IndexAndFilterBlocksAreChargedToTheGivenCache) {
  testing::TempDir dir;
  const auto cache = NewBlockCache(kCacheBytes);
  auto store = OpenStore(dir.Sub("store"), cache);
  ASSERT_NE(store, nullptr);
  store->BeginBulkLoad();
  Fill(*store, 200000);
  ASSERT_TRUE(store->EndBulkLoad().ok());  // flushed: every row is in a table file
  // A missing key needs only the filter: its partitions are read into the cache, not the heap.
  const size_t flushed = cache->GetUsage();
  for (int i = 0; i < 200000; i += 997) ASSERT_FALSE(store->Get(Key(i) + "x")->has_value());
  const size_t filters_read = cache->GetUsage();
  // And present keys the index partitions and data blocks.
  for (int i = 0; i < 200000; i += 997) ASSERT_TRUE(store->Get(Key(i))->has_value());

  const auto memory = store->Memory();
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_EQ(memory->block_cache_capacity, kCacheBytes);
  // (Background compactions may load and drop blocks between two reads of the usage.)
  EXPECT_LE(memory->block_cache_usage, kCacheBytes);
  EXPECT_GT(filters_read, flushed);
  EXPECT_GT(memory->block_cache_usage, filters_read);
  // With RocksDB's defaults (each file's whole index and filter on the heap) the readers held
  // 390 KiB here; now they hold only their bookkeeping, 10 to 20 KiB per file (the small cache
  // makes the memtables flush a few times), and that is charged to the cache too.
  EXPECT_LT(memory->table_readers, 128u << 10);
}

TEST(StoreMemoryTest, MemtablesAreChargedToTheCache) {
  testing::TempDir dir;
  const auto cache = NewBlockCache(kCacheBytes);
  auto store = OpenStore(dir.Sub("store"), cache);
  ASSERT_NE(store, nullptr);
  const size_t before = cache->GetUsage();
  Fill(*store, 20000);  // about 2.5 MiB: stays in the memtable

  const auto memory = store->Memory();
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_GT(memory->memtables, 2u << 20);
  // Reserved in the cache in steps of 256 KiB as the memtables grow.
  EXPECT_GE(cache->GetUsage() - before + (256u << 10), memory->memtables);
}

TEST(StoreMemoryTest, MemtablesOfStoresSharingACacheAreBoundedTogether) {
  testing::TempDir dir;
  const auto cache = NewBlockCache(kCacheBytes);
  auto first = OpenStore(dir.Sub("first"), cache);
  auto second = OpenStore(dir.Sub("second"), cache);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  // 25 MiB each, far beyond half the cache: the shared write buffer manager flushes.
  Fill(*first, 200000);
  Fill(*second, 200000);

  const size_t memtables = first->Memory()->memtables + second->Memory()->memtables;
  // Without the shared manager each store would keep 9 MiB or more (its 16 MiB write buffer
  // flushed once); with it they flush at half the cache together, give or take the memtables a
  // flush is still writing.
  EXPECT_LT(memtables, kCacheBytes + (4u << 20));
  EXPECT_GT(cache->GetUsage(), 0u);
}

TEST(StoreMemoryTest, StoresWithoutACacheShareTheProcessDefault) {
  testing::TempDir dir;
  auto first = OpenStore(dir.Sub("first"), nullptr);
  auto second = OpenStore(dir.Sub("second"), nullptr);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(DefaultBlockCache(), DefaultBlockCache());
  EXPECT_EQ(first->Memory()->block_cache_capacity, kDefaultBlockCacheBytes);
  Fill(*first, 20000);
  // One cache: the second store sees the first one's memtables charged to it.
  EXPECT_EQ(second->Memory()->block_cache_usage, DefaultBlockCache()->GetUsage());
  EXPECT_GT(second->Memory()->block_cache_usage, 2u << 20);
}

}  // namespace
}  // namespace jobledger::projection
