// The scheduling queries' cache of parsed read-model rows: each tenant's active technicians and
// its calendar days, so that a free-slot search parses nothing the store has not changed since.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/calendar.h"
#include "jobledger/projection/state.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::scheduling {

// Bookings of one UTC day by technician id, each technician's as their calendar row lists them
// (by start, then appointment id), with appointment and job ids.
using DayBookings = absl::flat_hash_map<std::string, std::vector<Booking>>;

struct ReadCacheStats {
  int64_t hits = 0;
  int64_t misses = 0;  // entries read and parsed from the store
  size_t bytes = 0;    // estimated size of what is held
  size_t entries = 0;
};

// An entry is the parse of rows of one store, labelled with the change counter that covers them
// (TechniciansVersionKey, CalendarDayVersionKey), read before the rows. It is served only while
// the store is the same and its counter still has that value, so it is what the store holds now:
// a query that has waited for min_position and then asks the cache reads its writes. Concurrent
// misses of one entry each read the store; the entry kept is the one of the higher counter.
//
// Memory: entries are dropped least recently used first once their estimated size passes
// max_bytes; one larger than max_bytes is served but not kept. Measured on the bench's seed (500
// technicians, about 2,400 bookings a day): a tenant's technicians take 0.4 MB and one day of
// its calendars 0.47 MB, so the default 32 MiB holds about 65 such days (the seed's 49 working
// days all fit).
class ReadCache {
 public:
  static constexpr size_t kDefaultMaxBytes = 32 << 20;

  explicit ReadCache(size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}
  ReadCache(const ReadCache&) = delete;
  ReadCache& operator=(const ReadCache&) = delete;

  // The tenant's active technicians by lower-case name, then id (the "name" index's order).
  absl::StatusOr<std::shared_ptr<const std::vector<v1::Technician>>> ActiveTechnicians(
      const std::shared_ptr<const projection::StateReader>& store, const std::string& tenant)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Every technician's bookings of a UTC day (one range scan on a miss).
  absl::StatusOr<std::shared_ptr<const DayBookings>> CalendarDay(
      const std::shared_ptr<const projection::StateReader>& store, const std::string& tenant,
      int64_t utc_day) ABSL_LOCKS_EXCLUDED(mu_);

  ReadCacheStats stats() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  using Technicians = std::vector<v1::Technician>;
  using Value =
      std::variant<std::shared_ptr<const Technicians>, std::shared_ptr<const DayBookings>>;
  enum class Kind { kTechnicians, kCalendarDay };
  using Key = std::tuple<std::string, Kind, int64_t>;  // tenant, kind, UTC day (or 0)

  struct Entry {
    std::weak_ptr<const projection::StateReader> store;  // compared by owner, never locked
    int64_t version = 0;
    Value value;
    size_t bytes = 0;
    std::list<Key>::iterator recency;
  };

  // The entry's value when it is current; otherwise `load` reads it, and it is kept.
  template <typename T, typename Load>
  absl::StatusOr<std::shared_ptr<const T>> Lookup(
      const std::shared_ptr<const projection::StateReader>& store, Key key,
      absl::string_view version_key, Load load) ABSL_LOCKS_EXCLUDED(mu_);
  void Keep(const std::shared_ptr<const projection::StateReader>& store, Key key, int64_t version,
            Value value, size_t bytes) ABSL_LOCKS_EXCLUDED(mu_);

  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Key, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::list<Key> recency_ ABSL_GUARDED_BY(mu_);  // most recently used first
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobledger::scheduling
