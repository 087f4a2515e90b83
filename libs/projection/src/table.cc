// Paginated prefix scans shared by every table.
#include "jobledger/projection/table.h"

namespace jobledger::projection::internal_table {

absl::StatusOr<std::string> ScanKeys(
    const StateReader& reader, absl::string_view prefix, const PageRequest& request,
    const std::function<absl::Status(absl::string_view, absl::string_view)>& visit) {
  std::string start(prefix);
  if (!request.cursor.empty()) {
    std::string after;
    if (!absl::WebSafeBase64Unescape(request.cursor, &after) || !absl::StartsWith(after, prefix)) {
      return absl::InvalidArgumentError("page cursor is not valid for this query");
    }
    start = std::move(after);
  }
  const std::string end = PrefixEnd(prefix);
  std::unique_ptr<StateIterator> it = reader.NewIterator(prefix, end);
  it->Seek(start);
  // A cursor names the last key already returned: continue strictly after it, so rows added or
  // removed elsewhere never make a page repeat or skip what is unchanged.
  if (!request.cursor.empty() && it->Valid() && it->key() == start) it->Next();
  size_t taken = 0;
  std::string last;
  for (; it->Valid(); it->Next()) {
    if (taken == request.limit) return absl::WebSafeBase64Escape(last);
    if (absl::Status visited = visit(it->key(), it->value()); !visited.ok()) return visited;
    last.assign(it->key().data(), it->key().size());
    ++taken;
  }
  if (absl::Status status = it->status(); !status.ok()) return status;
  return std::string();
}

}  // namespace jobledger::projection::internal_table
