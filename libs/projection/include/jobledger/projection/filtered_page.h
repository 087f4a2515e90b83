// Pages of an index with a filter: for lists whose rows an index cannot select alone (a
// technician's own jobs, a text search).
#pragma once

#include <algorithm>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/projection/table.h"

namespace jobledger::projection {

// One page of the index `index` under `prefix` with the rows `keep` accepts. Each scan asks for
// no more than the page still lacks, so its cursor (the last entry looked at) never passes a
// match the page leaves out; after `max_examined` entries the page is returned as it is, with
// the cursor to go on.
template <typename Row, typename Keep>
absl::StatusOr<Page<Row>> FilteredPage(const Table<Row>& table, const StateReader& state,
                                       absl::string_view index, absl::string_view prefix,
                                       const std::string& page_token, int page_size,
                                       int max_examined, const Keep& keep) {
  const size_t wanted = static_cast<size_t>(page_size);
  const size_t most = static_cast<size_t>(std::max(max_examined, 1));
  Page<Row> result;
  PageRequest request{page_token};
  size_t examined = 0;
  while (true) {
    request.limit = std::min(wanted - result.rows.size(), most - examined);
    auto page = table.ScanIndex(state, index, prefix, request);
    if (!page.ok()) return page.status();
    examined += page->rows.size();
    for (Row& row : page->rows) {
      if (keep(row)) result.rows.push_back(std::move(row));
    }
    if (page->next_cursor.empty()) break;
    if (result.rows.size() == wanted || examined >= most) {
      result.next_cursor = std::move(page->next_cursor);
      break;
    }
    request.cursor = std::move(page->next_cursor);
  }
  return result;
}

}  // namespace jobledger::projection
