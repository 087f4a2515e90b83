// Parsed technicians and calendar days, served while their change counters hold.
#include "read_cache.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/key_codec.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using projection::StateReader;

constexpr size_t kScanBatch = 500;  // technician rows per page

bool SameStore(const std::weak_ptr<const StateReader>& a,
               const std::shared_ptr<const StateReader>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

// What a string holds outside itself (nothing while it fits the small-string buffer).
size_t HeapBytes(const std::string& s) {
  return s.capacity() >= sizeof(std::string) ? s.capacity() + 1 : 0;
}

absl::StatusOr<std::vector<v1::Technician>> ReadActiveTechnicians(const StateReader& state,
                                                                  const std::string& tenant,
                                                                  size_t& bytes) {
  std::vector<v1::TechnicianRow> rows;
  projection::PageRequest request;
  request.limit = kScanBatch;
  do {
    auto page = TechnicianTable().Scan(state, TenantPrefix(tenant), request);
    if (!page.ok()) return page.status();
    std::move(page->rows.begin(), page->rows.end(), std::back_inserter(rows));
    request.cursor = std::move(page->next_cursor);
  } while (!request.cursor.empty());
  // One scan of the rows, sorted here: the "name" index would read each row by key, five times
  // slower.
  std::vector<std::pair<std::string, v1::Technician*>> order;
  for (v1::TechnicianRow& row : rows) {
    if (row.technician().active()) {
      order.emplace_back(absl::AsciiStrToLower(row.technician().name()), row.mutable_technician());
    }
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second->technician_id()) <
           std::tie(b.first, b.second->technician_id());
  });
  std::vector<v1::Technician> technicians;
  technicians.reserve(order.size());
  bytes = sizeof(technicians);
  for (auto& [name, technician] : order) {
    technicians.push_back(std::move(*technician));
    bytes += technicians.back().SpaceUsedLong();
  }
  return technicians;
}

absl::StatusOr<DayBookings> ReadCalendarDay(const StateReader& state, const std::string& tenant,
                                            int64_t utc_day, size_t& bytes) {
  DayBookings bookings;
  v1::CalendarDay day;  // reused: its fields keep their memory
  const std::string prefix = CalendarDayPrefix(tenant, utc_day);
  auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    projection::KeyReader key(it->key().substr(prefix.size()));
    auto technician = key.String();
    if (!technician.ok()) return absl::DataLossError("a calendar key does not parse");
    if (!day.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("a calendar day of technician ", *technician, " does not parse"));
    }
    std::vector<Booking>& out = bookings[*technician];
    out.reserve(out.size() + static_cast<size_t>(day.busy_size()));
    for (const v1::Busy& busy : day.busy()) {
      out.push_back({busy.appointment_id(), busy.job_id(),
                     TimeRange{TimeFromProto(busy.start()), TimeFromProto(busy.end())}});
    }
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  bytes = sizeof(bookings) + bookings.capacity() * (sizeof(DayBookings::value_type) + 1);
  for (const auto& [technician, list] : bookings) {
    bytes += HeapBytes(technician) + list.capacity() * sizeof(Booking);
    for (const Booking& booking : list) {
      bytes += HeapBytes(booking.appointment_id) + HeapBytes(booking.job_id);
    }
  }
  return bookings;
}

}  // namespace

template <typename T, typename Load>
absl::StatusOr<std::shared_ptr<const T>> ReadCache::Lookup(
    const std::shared_ptr<const StateReader>& store, Key key, absl::string_view version_key,
    Load load) {
  // Read before the rows: rows changed after this read carry a higher counter, so they are
  // never served under this one.
  auto version = ReadVersion(*store, version_key);
  if (!version.ok()) return version.status();
  {
    absl::MutexLock lock(&mu_);
    auto found = entries_.find(key);
    if (found != entries_.end() && SameStore(found->second.store, store) &&
        found->second.version == *version) {
      ++hits_;
      recency_.splice(recency_.begin(), recency_, found->second.recency);
      return std::get<std::shared_ptr<const T>>(found->second.value);
    }
    ++misses_;
  }
  size_t bytes = 0;
  auto loaded = load(bytes);
  if (!loaded.ok()) return loaded.status();
  auto value = std::make_shared<const T>(*std::move(loaded));
  Keep(store, std::move(key), *version, value, bytes);
  return value;
}

void ReadCache::Keep(const std::shared_ptr<const StateReader>& store, Key key, int64_t version,
                     Value value, size_t bytes) {
  if (bytes > max_bytes_) return;
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  if (!inserted) {
    if (SameStore(entry.store, store) && entry.version >= version) return;  // as new or newer
    bytes_ -= entry.bytes;
    recency_.erase(entry.recency);
  }
  entry.store = store;
  entry.version = version;
  entry.value = std::move(value);
  entry.bytes = bytes;
  recency_.push_front(std::move(key));
  entry.recency = recency_.begin();
  bytes_ += bytes;
  while (bytes_ > max_bytes_) {
    auto oldest = entries_.find(recency_.back());
    bytes_ -= oldest->second.bytes;
    entries_.erase(oldest);
    recency_.pop_back();
  }
}

absl::StatusOr<std::shared_ptr<const std::vector<v1::Technician>>> ReadCache::ActiveTechnicians(
    const std::shared_ptr<const StateReader>& store, const std::string& tenant) {
  return Lookup<Technicians>(
      store, Key(tenant, Kind::kTechnicians, 0), TechniciansVersionKey(tenant),
      [&](size_t& bytes) { return ReadActiveTechnicians(*store, tenant, bytes); });
}

absl::StatusOr<std::shared_ptr<const DayBookings>> ReadCache::CalendarDay(
    const std::shared_ptr<const StateReader>& store, const std::string& tenant, int64_t utc_day) {
  return Lookup<DayBookings>(
      store, Key(tenant, Kind::kCalendarDay, utc_day), CalendarDayVersionKey(tenant, utc_day),
      [&](size_t& bytes) { return ReadCalendarDay(*store, tenant, utc_day, bytes); });
}

ReadCacheStats ReadCache::stats() const {
  absl::MutexLock lock(&mu_);
  return {hits_, misses_, bytes_, entries_.size()};
}

}  // namespace jobledger::scheduling
