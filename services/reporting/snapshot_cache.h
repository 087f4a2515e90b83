// The few most recently used board snapshots, by instant: a client paging through a past board or
// asking its counts after its list finds the snapshot already built.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace jobledger::reporting {

// Least recently used first out. Not thread-safe: the owner locks.
template <typename Snapshot>
class SnapshotCache {
 public:
  explicit SnapshotCache(size_t capacity) : capacity_(capacity) {}

  // The snapshot at `at`, now the most recently used; nullopt when none is kept.
  std::optional<Snapshot> Find(absl::Time at) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != at) continue;
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
    return std::nullopt;
  }

  // Keeps `snapshot` as the most recently used, replacing one at the same instant and dropping
  // the least recently used beyond the capacity (capacity 0: keeps nothing). Returns what it
  // dropped, for the owner to release outside its lock (closing a store takes a while).
  std::vector<Snapshot> Put(absl::Time at, Snapshot snapshot) {
    std::vector<Snapshot> dropped;
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != at) continue;
      dropped.push_back(std::move(it->second));
      entries_.erase(it);
      break;
    }
    entries_.emplace_front(at, std::move(snapshot));
    while (entries_.size() > capacity_) {
      dropped.push_back(std::move(entries_.back().second));
      entries_.pop_back();
    }
    return dropped;
  }

  size_t size() const { return entries_.size(); }

 private:
  size_t capacity_;
  std::list<std::pair<absl::Time, Snapshot>> entries_;  // most recently used first
};

}  // namespace jobledger::reporting
