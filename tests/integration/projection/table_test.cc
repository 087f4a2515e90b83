// Typed tables on a real RocksDB store: rows, secondary indexes, atomic commits, pagination.
#include "jobledger/projection/table.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/projection/store.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::projection {
namespace {

// Actor is a convenient small message to use as a row: user_id = key, role = status.
using Row = events::v1::Actor;

Row MakeRow(const std::string& id, const std::string& status, const std::string& name = "") {
  Row row;
  row.set_user_id(id);
  row.set_role(status);
  row.set_name(name);
  return row;
}

Table<Row> MakeTable() {
  return Table<Row>("people",
                    [](const Row& row) { return KeyBuilder().String(row.user_id()).key(); },
                    {{"by_status",
                      [](const Row& row) {
                        return std::vector<std::string>{KeyBuilder().String(row.role()).key()};
                      }},
                     {"by_name", [](const Row& row) {
                        if (row.name().empty()) return std::vector<std::string>{};
                        return std::vector<std::string>{KeyBuilder().String(row.name()).key()};
                      }}});
}

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.path = dir_.Sub("store");
    auto store = ProjectionStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void PutAll(const std::vector<Row>& rows) {
    auto transaction = store_->Begin();
    for (const Row& row : rows) ASSERT_TRUE(table_.Put(*transaction, row).ok());
    ASSERT_TRUE(store_->Commit(*transaction).ok());
  }

  std::vector<std::string> Ids(const std::vector<Row>& rows) {
    std::vector<std::string> ids;
    for (const Row& row : rows) ids.push_back(row.user_id());
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<ProjectionStore> store_;
  Table<Row> table_ = MakeTable();
};

TEST_F(TableTest, WritesAreInvisibleUntilCommittedAndVisibleInTheirBatch) {
  auto transaction = store_->Begin();
  ASSERT_TRUE(table_.Put(*transaction, MakeRow("a", "open")).ok());
  EXPECT_TRUE(table_.Get(*transaction, KeyBuilder().String("a").key())->has_value());
  EXPECT_FALSE(table_.Get(*store_, KeyBuilder().String("a").key())->has_value());
  ASSERT_TRUE(store_->Commit(*transaction).ok());
  auto row = table_.Get(*store_, KeyBuilder().String("a").key());
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->role(), "open");
}

TEST_F(TableTest, IndexesFollowUpdatesAndDeletes) {
  PutAll({MakeRow("a", "open"), MakeRow("b", "open"), MakeRow("c", "done", "Cy")});
  PutAll({MakeRow("a", "done")});  // moves between index entries
  auto open = table_.ScanIndex(*store_, "by_status", KeyBuilder().String("open").key(), {});
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(Ids(open->rows), (std::vector<std::string>{"b"}));
  auto done = table_.ScanIndex(*store_, "by_status", KeyBuilder().String("done").key(), {});
  EXPECT_EQ(Ids(done->rows), (std::vector<std::string>{"a", "c"}));

  auto transaction = store_->Begin();
  ASSERT_TRUE(table_.Delete(*transaction, KeyBuilder().String("c").key()).ok());
  ASSERT_TRUE(store_->Commit(*transaction).ok());
  done = table_.ScanIndex(*store_, "by_status", KeyBuilder().String("done").key(), {});
  EXPECT_EQ(Ids(done->rows), (std::vector<std::string>{"a"}));
  auto named = table_.ScanIndex(*store_, "by_name", "", {});
  EXPECT_TRUE(named->rows.empty());  // the deleted row's entry went with it
  EXPECT_EQ(table_.ScanIndex(*store_, "no_such_index", "", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TableTest, CoveringIndexEntriesHoldTheRowAndFollowEveryChange) {
  Table<Row> covering(
      "people_copies", [](const Row& row) { return KeyBuilder().String(row.user_id()).key(); },
      {{"by_status",
        [](const Row& row) {
          return std::vector<std::string>{KeyBuilder().String(row.role()).key()};
        }}},
      Table<Row>::IndexEntries::kRowCopy);
  auto put = [&](const Row& row) {
    auto transaction = store_->Begin();
    ASSERT_TRUE(covering.Put(*transaction, row).ok());
    ASSERT_TRUE(store_->Commit(*transaction).ok());
  };
  auto open_names = [&] {
    auto page = covering.ScanIndex(*store_, "by_status", KeyBuilder().String("open").key(), {});
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> names;
    for (const Row& row : page->rows) names.push_back(row.user_id() + ":" + row.name());
    return names;
  };
  put(MakeRow("a", "open", "Ann"));
  put(MakeRow("b", "open", "Bo"));
  // A change that keeps the entry's key still rewrites the copy it holds.
  put(MakeRow("a", "open", "Anne"));
  EXPECT_EQ(open_names(), (std::vector<std::string>{"a:Anne", "b:Bo"}));
  put(MakeRow("b", "done", "Bo"));
  EXPECT_EQ(open_names(), (std::vector<std::string>{"a:Anne"}));

  // The copy is read from the entry alone: the row's own record is not consulted.
  auto transaction = store_->Begin();
  transaction->Delete(KeyBuilder().String("t").String("people_copies").String("a").key());
  ASSERT_TRUE(store_->Commit(*transaction).ok());
  EXPECT_EQ(open_names(), (std::vector<std::string>{"a:Anne"}));

  put(MakeRow("c", "open", "Cy"));
  EXPECT_EQ(open_names(), (std::vector<std::string>{"a:Anne", "c:Cy"}));
  transaction = store_->Begin();
  ASSERT_TRUE(covering.Delete(*transaction, KeyBuilder().String("c").key()).ok());
  ASSERT_TRUE(store_->Commit(*transaction).ok());
  EXPECT_EQ(open_names(), (std::vector<std::string>{"a:Anne"}));
}

TEST_F(TableTest, PagesCoverEveryRowOnceAndCursorsSurviveConcurrentWrites) {
  std::vector<Row> rows;
  for (int i = 0; i < 95; ++i) rows.push_back(MakeRow(absl::StrCat("id", 1000 + i), "open"));
  PutAll(rows);

  std::vector<std::string> seen;
  PageRequest request;
  request.limit = 10;
  int pages = 0;
  while (true) {
    auto page = table_.ScanIndex(*store_, "by_status", KeyBuilder().String("open").key(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->rows.size(), 10u);
    for (const Row& row : page->rows) seen.push_back(row.user_id());
    if (++pages == 3) {
      // Meanwhile: rows before the cursor change, one after it leaves, new ones arrive.
      PutAll({MakeRow("id1000", "done"), MakeRow("id1001", "open", "renamed"),
              MakeRow("id1090", "done"), MakeRow("id2000", "open")});
    }
    if (page->next_cursor.empty()) break;
    request.cursor = page->next_cursor;
  }
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a row was returned twice";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  for (int i = 0; i < 95; ++i) {
    if (i == 90) continue;                                           // checked below
    EXPECT_EQ(unique.count(absl::StrCat("id", 1000 + i)), 1u) << i;  // unchanged: seen once
  }
  EXPECT_EQ(unique.count("id1090"), 0u);  // left "open" before its page was read
  EXPECT_EQ(unique.count("id2000"), 1u);  // arrived after the cursor position
}

TEST_F(TableTest, BadCursorsAreRefused) {
  PageRequest request;
  request.cursor = "not base64!";
  EXPECT_EQ(table_.Scan(*store_, "", request).status().code(), absl::StatusCode::kInvalidArgument);
  request.cursor = "AAAA";  // decodes, but to a key outside the scan
  EXPECT_EQ(table_.Scan(*store_, "", request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(TableTest, OffsetsAndRowsCommitTogether) {
  auto transaction = store_->Begin();
  ASSERT_TRUE(table_.Put(*transaction, MakeRow("a", "open")).ok());
  transaction->SetOffset({"t", 3}, 42);
  // Nothing is visible before the commit...
  EXPECT_TRUE(store_->CommittedOffsets()->empty());
  ASSERT_TRUE(store_->Commit(*transaction).ok());
  // ...and both are after it.
  EXPECT_EQ(store_->CommittedOffsets()->at({"t", 3}), 42);
  EXPECT_TRUE(table_.Get(*store_, KeyBuilder().String("a").key())->has_value());
}

TEST_F(TableTest, SavePointsUndoOneEventsWrites) {
  auto transaction = store_->Begin();
  ASSERT_TRUE(table_.Put(*transaction, MakeRow("a", "open")).ok());
  transaction->SetSavePoint();
  ASSERT_TRUE(table_.Put(*transaction, MakeRow("b", "open")).ok());
  transaction->RollbackToSavePoint();
  ASSERT_TRUE(store_->Commit(*transaction).ok());
  EXPECT_TRUE(table_.Get(*store_, KeyBuilder().String("a").key())->has_value());
  EXPECT_FALSE(table_.Get(*store_, KeyBuilder().String("b").key())->has_value());
  auto open = table_.ScanIndex(*store_, "by_status", KeyBuilder().String("open").key(), {});
  EXPECT_EQ(Ids(open->rows), (std::vector<std::string>{"a"}));
}

TEST_F(TableTest, ChecksumsAreEqualExactlyForEqualStates) {
  StoreOptions other_options;
  other_options.path = dir_.Sub("other");
  auto other = std::move(*ProjectionStore::Open(other_options));
  PutAll({MakeRow("a", "open"), MakeRow("b", "done")});
  auto transaction = other->Begin();  // same rows, written in another order and batch split
  ASSERT_TRUE(table_.Put(*transaction, MakeRow("b", "done")).ok());
  ASSERT_TRUE(other->Commit(*transaction).ok());
  transaction = other->Begin();
  ASSERT_TRUE(table_.Put(*transaction, MakeRow("a", "open")).ok());
  ASSERT_TRUE(other->Commit(*transaction).ok());
  EXPECT_EQ(*store_->Checksum(), *other->Checksum());

  PutAll({MakeRow("a", "open", "x")});
  EXPECT_NE(*store_->Checksum(), *other->Checksum());
}

}  // namespace
}  // namespace jobledger::projection
