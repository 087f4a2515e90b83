// ReadCache over an in-memory state: entries are served while their change counters hold, read
// again once they move, never across stores, and kept within the byte budget.
#include "read_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobledger/common/proto_time.h"
#include "jobledger/projection/table.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using ::testing::ElementsAre;

// A projection's state in a sorted map; writes are visible at once, as a commit makes them.
class MemoryState final : public projection::StateWriter {
 public:
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) const override {
    auto found = rows_.find(std::string(key));
    if (found == rows_.end()) return std::nullopt;
    return found->second;
  }
  std::unique_ptr<projection::StateIterator> NewIterator(absl::string_view,
                                                         absl::string_view upper) const override {
    return std::make_unique<Iterator>(rows_, std::string(upper));
  }
  void Put(absl::string_view key, absl::string_view value) override {
    rows_[std::string(key)] = std::string(value);
  }
  void Delete(absl::string_view key) override { rows_.erase(std::string(key)); }

 private:
  class Iterator final : public projection::StateIterator {
   public:
    Iterator(const std::map<std::string, std::string>& rows, std::string upper)
        : rows_(rows), upper_(std::move(upper)), at_(rows.end()) {}
    void Seek(absl::string_view key) override { at_ = rows_.lower_bound(std::string(key)); }
    bool Valid() const override {
      return at_ != rows_.end() && (upper_.empty() || at_->first < upper_);
    }
    void Next() override { ++at_; }
    absl::string_view key() const override { return at_->first; }
    absl::string_view value() const override { return at_->second; }
    absl::Status status() const override { return absl::OkStatus(); }

   private:
    const std::map<std::string, std::string>& rows_;
    const std::string upper_;
    std::map<std::string, std::string>::const_iterator at_;
  };

  std::map<std::string, std::string> rows_;
};

constexpr char kTenant[] = "acme";
constexpr int64_t kDay = 22000;  // a UTC day number

// Writes a technician row and bumps the tenant's counter, as the projection does.
void PutTechnician(MemoryState& state, const std::string& id, const std::string& name,
                   bool active = true) {
  v1::TechnicianRow row;
  row.set_tenant(kTenant);
  row.mutable_technician()->set_technician_id(id);
  row.mutable_technician()->set_name(name);
  row.mutable_technician()->set_active(active);
  ASSERT_TRUE(TechnicianTable().Put(state, row).ok());
  ASSERT_TRUE(BumpVersion(state, TechniciansVersionKey(kTenant)).ok());
}

// Books `technician` for [hour, hour + 1) of the day, as the projection does.
void Book(MemoryState& state, const std::string& technician, int64_t day, int hour,
          const std::string& appointment_id) {
  const std::string key = CalendarDayKey(kTenant, technician, day);
  v1::CalendarDay calendar;
  if (auto bytes = state.Get(key); bytes.ok() && bytes->has_value()) {
    ASSERT_TRUE(calendar.ParseFromString(**bytes));
  }
  v1::Busy& busy = *calendar.add_busy();
  busy.set_appointment_id(appointment_id);
  busy.set_job_id("job-" + appointment_id);
  const absl::Time start = absl::FromUnixSeconds(day * 86400 + hour * 3600);
  *busy.mutable_start() = ProtoFromTime(start);
  *busy.mutable_end() = ProtoFromTime(start + absl::Hours(1));
  state.Put(key, projection::DeterministicBytes(calendar));
  ASSERT_TRUE(BumpVersion(state, CalendarDayVersionKey(kTenant, day)).ok());
}

std::vector<std::string> IdsOf(const std::vector<v1::Technician>& technicians) {
  std::vector<std::string> ids;
  for (const v1::Technician& technician : technicians) ids.push_back(technician.technician_id());
  return ids;
}

class ReadCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<MemoryState> state_ = std::make_shared<MemoryState>();
  ReadCache cache_;
};

TEST_F(ReadCacheTest, ListsActiveTechniciansByLowerCaseNameThenId) {
  PutTechnician(*state_, "t3", "bob");
  PutTechnician(*state_, "t2", "Bob");
  PutTechnician(*state_, "t1", "Cat");
  PutTechnician(*state_, "t4", "Ann", /*active=*/false);
  auto technicians = cache_.ActiveTechnicians(state_, kTenant);
  ASSERT_TRUE(technicians.ok()) << technicians.status();
  EXPECT_THAT(IdsOf(**technicians), ElementsAre("t2", "t3", "t1"));
}

TEST_F(ReadCacheTest, ServesParsedTechniciansUntilTheirCounterMoves) {
  PutTechnician(*state_, "t1", "Ann");
  auto first = cache_.ActiveTechnicians(state_, kTenant);
  auto second = cache_.ActiveTechnicians(state_, kTenant);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());  // not read again
  EXPECT_EQ(cache_.stats().hits, 1);
  EXPECT_EQ(cache_.stats().misses, 1);

  // Deactivated: the very next read has it.
  PutTechnician(*state_, "t1", "Ann", /*active=*/false);
  auto third = cache_.ActiveTechnicians(state_, kTenant);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE((*third)->empty());
  EXPECT_EQ(cache_.stats().misses, 2);
  // What an earlier query holds stays as it was.
  EXPECT_THAT(IdsOf(**first), ElementsAre("t1"));
}

TEST_F(ReadCacheTest, ARowChangedWithoutItsCounterIsNotSeen) {
  // The counter is the whole contract: this is what the projection must never do.
  PutTechnician(*state_, "t1", "Ann");
  ASSERT_TRUE(cache_.ActiveTechnicians(state_, kTenant).ok());
  v1::TechnicianRow row;
  row.set_tenant(kTenant);
  row.mutable_technician()->set_technician_id("t2");
  row.mutable_technician()->set_active(true);
  ASSERT_TRUE(TechnicianTable().Put(*state_, row).ok());
  auto technicians = cache_.ActiveTechnicians(state_, kTenant);
  ASSERT_TRUE(technicians.ok());
  EXPECT_THAT(IdsOf(**technicians), ElementsAre("t1"));
}

TEST_F(ReadCacheTest, ACalendarDayIsReadAgainOnlyWhenItsOwnCounterMoves) {
  Book(*state_, "t1", kDay, 9, "a1");
  Book(*state_, "t2", kDay, 10, "a2");
  Book(*state_, "t1", kDay + 1, 9, "a3");
  auto day = cache_.CalendarDay(state_, kTenant, kDay);
  ASSERT_TRUE(day.ok()) << day.status();
  ASSERT_EQ((*day)->size(), 2u);
  ASSERT_EQ((*day)->at("t1").size(), 1u);
  EXPECT_EQ((*day)->at("t1")[0].appointment_id, "a1");
  EXPECT_EQ((*day)->at("t1")[0].job_id, "job-a1");
  EXPECT_EQ((*day)->at("t1")[0].range.start, absl::FromUnixSeconds(kDay * 86400 + 9 * 3600));
  ASSERT_TRUE(cache_.CalendarDay(state_, kTenant, kDay + 1).ok());

  Book(*state_, "t1", kDay, 14, "a4");  // another booking of the first day
  auto again = cache_.CalendarDay(state_, kTenant, kDay);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ((*again)->at("t1").size(), 2u);
  EXPECT_EQ((*again)->at("t1")[1].appointment_id, "a4");
  auto next = cache_.CalendarDay(state_, kTenant, kDay + 1);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(cache_.stats().misses, 3);  // both days once, the first day again
  EXPECT_EQ(cache_.stats().hits, 1);    // the second day, untouched
}

TEST_F(ReadCacheTest, AnotherStoreNeverGetsAnotherStoresEntries) {
  PutTechnician(*state_, "t1", "Ann");
  ASSERT_TRUE(cache_.ActiveTechnicians(state_, kTenant).ok());
  // A rebuilt store with the same counter value but other rows.
  auto rebuilt = std::make_shared<MemoryState>();
  PutTechnician(*rebuilt, "t2", "Bob");
  auto technicians = cache_.ActiveTechnicians(rebuilt, kTenant);
  ASSERT_TRUE(technicians.ok());
  EXPECT_THAT(IdsOf(**technicians), ElementsAre("t2"));
  EXPECT_EQ(cache_.stats().hits, 0);
}

TEST_F(ReadCacheTest, TenantsAreApart) {
  PutTechnician(*state_, "t1", "Ann");
  ASSERT_TRUE(cache_.ActiveTechnicians(state_, kTenant).ok());
  auto other = cache_.ActiveTechnicians(state_, "globex");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE((*other)->empty());
}

TEST_F(ReadCacheTest, KeepsWithinItsBudgetDroppingTheLeastRecentlyUsed) {
  for (int day = 0; day < 3; ++day) {
    for (int t = 0; t < 20; ++t) {
      Book(*state_, "technician-with-a-long-id-" + std::to_string(t), kDay + day, 9,
           "appointment-with-a-long-id-" + std::to_string(day * 100 + t));
    }
  }
  ReadCache one_day;
  ASSERT_TRUE(one_day.CalendarDay(state_, kTenant, kDay).ok());
  const size_t day_bytes = one_day.stats().bytes;
  ASSERT_GT(day_bytes, 20 * sizeof(Booking));

  ReadCache cache(day_bytes * 2 + day_bytes / 2);  // room for two days
  ASSERT_TRUE(cache.CalendarDay(state_, kTenant, kDay).ok());
  ASSERT_TRUE(cache.CalendarDay(state_, kTenant, kDay + 1).ok());
  ASSERT_TRUE(cache.CalendarDay(state_, kTenant, kDay).ok());  // now the most recent
  ASSERT_TRUE(cache.CalendarDay(state_, kTenant, kDay + 2).ok());
  EXPECT_EQ(cache.stats().entries, 2u);
  EXPECT_LE(cache.stats().bytes, day_bytes * 2 + day_bytes / 2);
  ASSERT_TRUE(cache.CalendarDay(state_, kTenant, kDay).ok());  // kept
  EXPECT_EQ(cache.stats().hits, 2);
  ASSERT_TRUE(cache.CalendarDay(state_, kTenant, kDay + 1).ok());  // dropped: read again
  EXPECT_EQ(cache.stats().hits, 2);

  // Too large to keep at all: served, not kept.
  ReadCache tiny(day_bytes / 2);
  auto day = tiny.CalendarDay(state_, kTenant, kDay);
  ASSERT_TRUE(day.ok());
  EXPECT_EQ((*day)->size(), 20u);
  EXPECT_EQ(tiny.stats().entries, 0u);
}

}  // namespace
}  // namespace jobledger::scheduling
