// A typed table of protobuf rows in a projection, with secondary indexes kept in the same batch
// and paginated scans whose cursors stay valid while rows change.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/projection/state.h"

namespace jobledger::projection {

struct PageRequest {
  std::string cursor;  // from the previous page's next_cursor; empty for the first page
  size_t limit = 50;
};

template <typename Row>
struct Page {
  std::vector<Row> rows;
  std::string next_cursor;  // empty when there are no more rows
};

// Serializes into `bytes` (replacing its contents, reusing its storage) with a stable field
// order, so equal rows are equal bytes in every run.
template <typename Message>
void SerializeDeterministically(const Message& message, std::string& bytes) {
  bytes.resize(message.ByteSizeLong());
  google::protobuf::io::ArrayOutputStream stream(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedOutputStream output(&stream);
  output.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&output);
}

template <typename Message>
std::string DeterministicBytes(const Message& message) {
  std::string bytes;
  SerializeDeterministically(message, bytes);
  return bytes;
}

namespace internal_table {
// Scans [prefix, PrefixEnd(prefix)) after the cursor and calls `visit(key, value)` for up to
// `limit` entries; returns the cursor of the next page.
absl::StatusOr<std::string> ScanKeys(
    const StateReader& reader, absl::string_view prefix, const PageRequest& request,
    const std::function<absl::Status(absl::string_view, absl::string_view)>& visit);
}  // namespace internal_table

template <typename Row>
class Table {
 public:
  struct Index {
    std::string name;
    // The row's entries in this index, each encoded with KeyBuilder; none leaves it out.
    std::function<std::vector<std::string>(const Row&)> keys;
  };

  // What an index entry holds: the row's primary key (a scan then reads each row by a point
  // lookup), or a copy of the row (a covering index: a scan reads its range and nothing else;
  // for small rows listed and exported far more often than they change, at the price of one
  // copy per entry and every entry rewritten when the row changes).
  enum class IndexEntries { kPrimaryKey, kRowCopy };

  // `primary_key` encodes a row's unique key with KeyBuilder (e.g. tenant, then job id).
  Table(std::string name, std::function<std::string(const Row&)> primary_key,
        std::vector<Index> indexes = {}, IndexEntries entries = IndexEntries::kPrimaryKey)
      : name_(std::move(name)),
        primary_key_(std::move(primary_key)),
        indexes_(std::move(indexes)),
        entries_(entries),
        row_prefix_(KeyBuilder().String("t").String(name_).key()) {
    for (const Index& index : indexes_) {
      index_prefixes_.push_back(KeyBuilder().String("i").String(name_).String(index.name).key());
    }
  }

  const std::string& name() const { return name_; }

  absl::StatusOr<std::optional<Row>> Get(const StateReader& reader,
                                         absl::string_view primary_key) const {
    auto bytes = reader.Get(RowKey(primary_key));
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) return std::optional<Row>();
    return Parse(**bytes);
  }

  // Inserts or replaces the row, moving its index entries along with it.
  absl::Status Put(StateWriter& writer, const Row& row) const {
    auto previous = Get(writer, primary_key_(row));
    if (!previous.ok()) return previous.status();
    return Put(writer, row, *previous);
  }

  // The same, for a caller that has just read the row's current state through `writer` (as an
  // update does), which saves a second read.
  absl::Status Put(StateWriter& writer, const Row& row, const std::optional<Row>& previous) const {
    const std::string primary_key = primary_key_(row);
    // Keys and the row's bytes are built in buffers reused from call to call: a rebuild puts
    // millions of rows, and the writer copies what it keeps.
    thread_local std::string key;
    thread_local std::string bytes;
    SerializeDeterministically(row, bytes);
    const bool copies = entries_ == IndexEntries::kRowCopy;
    const absl::string_view entry_value = copies ? absl::string_view(bytes) : primary_key;
    for (size_t i = 0; i < indexes_.size(); ++i) {
      const Index& index = indexes_[i];
      std::vector<std::string> old_keys;
      if (previous.has_value()) old_keys = index.keys(*previous);
      std::vector<std::string> new_keys = index.keys(row);
      // The usual case: this index is not affected (a covering index's copies are, though).
      if (old_keys == new_keys && !copies) continue;
      for (const std::string& entry : old_keys) {
        if (std::find(new_keys.begin(), new_keys.end(), entry) == new_keys.end()) {
          writer.Delete(IndexKey(i, entry, primary_key, key));
        }
      }
      for (const std::string& entry : new_keys) {
        if (std::find(old_keys.begin(), old_keys.end(), entry) == old_keys.end()) {
          // Not among the previous row's entries, so not in the index (which only this table
          // writes): an insert, which the batch may drop again if a later change removes it.
          writer.Insert(IndexKey(i, entry, primary_key, key), entry_value);
        } else if (copies) {
          writer.Put(IndexKey(i, entry, primary_key, key), entry_value);
        }
      }
    }
    key.assign(row_prefix_).append(primary_key);
    writer.Put(key, bytes);
    return absl::OkStatus();
  }

  absl::Status Delete(StateWriter& writer, absl::string_view primary_key) const {
    auto old_row = Get(writer, primary_key);
    if (!old_row.ok()) return old_row.status();
    if (!old_row->has_value()) return absl::OkStatus();
    std::string key;
    for (size_t i = 0; i < indexes_.size(); ++i) {
      for (const std::string& entry : indexes_[i].keys(**old_row)) {
        writer.Delete(IndexKey(i, entry, primary_key, key));
      }
    }
    writer.Delete(RowKey(primary_key));
    return absl::OkStatus();
  }

  // Rows whose primary key starts with `prefix`, in key order.
  absl::StatusOr<Page<Row>> Scan(const StateReader& reader, absl::string_view prefix,
                                 const PageRequest& request) const {
    Page<Row> page;
    auto next =
        internal_table::ScanKeys(reader, absl::StrCat(row_prefix_, prefix), request,
                                 [&](absl::string_view, absl::string_view value) -> absl::Status {
                                   auto row = Parse(value);
                                   if (!row.ok()) return row.status();
                                   page.rows.push_back(std::move(*row));
                                   return absl::OkStatus();
                                 });
    if (!next.ok()) return next.status();
    page.next_cursor = std::move(*next);
    return page;
  }

  // Rows whose entry in index `index_name` starts with `prefix`, in index order.
  absl::StatusOr<Page<Row>> ScanIndex(const StateReader& reader, absl::string_view index_name,
                                      absl::string_view prefix, const PageRequest& request) const {
    Page<Row> page;
    auto next = VisitIndex(reader, index_name, prefix, request, [&](const Row& row) {
      page.rows.push_back(row);
      return absl::OkStatus();
    });
    if (!next.ok()) return next.status();
    page.next_cursor = std::move(*next);
    return page;
  }

  // The same rows handed to `visit` one at a time, each parsed into one reused message (no page
  // of rows to allocate): for scans that read many rows and keep none, as a CSV export does.
  // Returns the cursor of the next page.
  absl::StatusOr<std::string> VisitIndex(
      const StateReader& reader, absl::string_view index_name, absl::string_view prefix,
      const PageRequest& request, const std::function<absl::Status(const Row&)>& visit) const {
    const Index* index = FindIndex(index_name);
    if (index == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", name_, " has no index ", index_name));
    }
    Row row;
    return internal_table::ScanKeys(
        reader, absl::StrCat(IndexPrefix(*index), prefix), request,
        [&](absl::string_view, absl::string_view value) -> absl::Status {
          if (entries_ == IndexEntries::kRowCopy) {
            if (absl::Status s = ParseInto(value, row); !s.ok()) return s;
            return visit(row);
          }
          auto bytes = reader.Get(RowKey(value));
          if (!bytes.ok()) return bytes.status();
          if (!bytes->has_value()) {
            return absl::DataLossError(
                absl::StrCat("index ", index_name, " of ", name_, " points at a missing row"));
          }
          if (absl::Status s = ParseInto(**bytes, row); !s.ok()) return s;
          return visit(row);
        });
  }

 private:
  std::string RowKey(absl::string_view primary_key) const {
    return absl::StrCat(row_prefix_, primary_key);
  }
  const std::string& IndexPrefix(const Index& index) const {
    return index_prefixes_[static_cast<size_t>(&index - indexes_.data())];
  }
  // The key of entry `entry` of index number `index` for the row `primary_key`, built in `out`.
  absl::string_view IndexKey(size_t index, absl::string_view entry, absl::string_view primary_key,
                             std::string& out) const {
    out.assign(index_prefixes_[index]).append(entry.data(), entry.size());
    out.append(primary_key.data(), primary_key.size());
    return out;
  }
  const Index* FindIndex(absl::string_view name) const {
    for (const Index& index : indexes_) {
      if (index.name == name) return &index;
    }
    return nullptr;
  }
  absl::StatusOr<Row> Parse(absl::string_view bytes) const {
    Row row;
    if (absl::Status s = ParseInto(bytes, row); !s.ok()) return s;
    return row;
  }
  // Parses into `row`, reusing the memory its fields already hold.
  absl::Status ParseInto(absl::string_view bytes, Row& row) const {
    if (!row.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return absl::DataLossError(absl::StrCat("a row of table ", name_, " is corrupt"));
    }
    return absl::OkStatus();
  }

  std::string name_;
  std::function<std::string(const Row&)> primary_key_;
  std::vector<Index> indexes_;
  IndexEntries entries_;
  std::string row_prefix_;
  std::vector<std::string> index_prefixes_;  // per index, in indexes_' order
};

}  // namespace jobledger::projection
