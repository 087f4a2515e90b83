// Dispatcher aids: free slots across technicians and technicians ranked for a visit.
#include "domain/suggestions.h"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int kMonday = 1;
constexpr int kTuesday = 2;

absl::TimeZone NewYork() { return LoadTenantTimeZone("America/New_York").value(); }

// A 2026 wall-clock minute.
absl::CivilMinute Minute(int month, int day, int hour, int minute) {
  return absl::CivilMinute(2026, month, day, hour, minute);
}

absl::Time Local(absl::CivilMinute minute) {
  return AtLocalTime(absl::CivilSecond(minute), NewYork());
}
// Monday 2026-03-09 and the days around it at hh:mm, New York.
absl::CivilMinute Sun(int hour, int minute = 0) { return Minute(3, 8, hour, minute); }
absl::CivilMinute Mon(int hour, int minute = 0) { return Minute(3, 9, hour, minute); }
absl::CivilMinute Tue(int hour, int minute = 0) { return Minute(3, 10, hour, minute); }
absl::CivilMinute Wed(int hour, int minute = 0) { return Minute(3, 11, hour, minute); }
TimeRange LocalRange(absl::CivilMinute start, absl::CivilMinute end) {
  return {Local(start), Local(end)};
}

v1::Technician Technician(const std::string& id, const std::string& name,
                          std::initializer_list<std::pair<const char*, int>> skills = {}) {
  v1::Technician technician;
  technician.set_technician_id(id);
  technician.set_name(name);
  technician.set_active(true);
  for (int weekday : {kMonday, kTuesday}) {
    v1::ShiftPeriod* shift = technician.add_shifts();
    shift->set_weekday(weekday);
    shift->set_start_minute(8 * 60);
    shift->set_end_minute(17 * 60);
  }
  for (const auto& [skill_name, level] : skills) {
    v1::Skill* skill = technician.add_skills();
    skill->set_name(skill_name);
    skill->set_level(level);
  }
  return technician;
}

Booking Book(const std::string& appointment_id, TimeRange range) {
  return {appointment_id, "j-" + appointment_id, range};
}

google::protobuf::RepeatedPtrField<std::string> Skills(std::initializer_list<const char*> names) {
  google::protobuf::RepeatedPtrField<std::string> field;
  for (const char* name : names) field.Add(name);
  return field;
}

// "t1 2026-03-09 08:00 → 17:00" in New York time.
std::vector<std::string> Shown(const std::vector<v1::FreeSlot>& slots) {
  std::vector<std::string> shown;
  for (const v1::FreeSlot& slot : slots) {
    shown.push_back(
        absl::StrCat(slot.technician_id(), " ",
                     absl::FormatTime("%Y-%m-%d %H:%M", TimeFromProto(slot.start()), NewYork()),
                     " → ", absl::FormatTime("%H:%M", TimeFromProto(slot.end()), NewYork())));
  }
  return shown;
}

std::vector<std::string> Ids(const std::vector<v1::TechnicianSuggestion>& suggestions) {
  std::vector<std::string> ids;
  for (const v1::TechnicianSuggestion& suggestion : suggestions) {
    ids.push_back(suggestion.technician_id());
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// FindFreeSlots

std::vector<v1::FreeSlot> Slots(const std::vector<Candidate>& candidates,
                                std::initializer_list<const char*> skills, absl::Duration duration,
                                int max_slots = 50) {
  return FindFreeSlots(candidates, Skills(skills), LocalRange(Mon(0), Wed(0)), duration, max_slots,
                       NewYork());
}

TEST(FindFreeSlots, EarliestFirstThenTechnicianId) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const v1::Technician t2 = Technician("t2", "Adam");
  const std::vector<Candidate> candidates = {
      {&t2, {Book("a1", LocalRange(Tue(8), Tue(9)))}},
      {&t1, {Book("a2", LocalRange(Mon(12), Mon(13)))}},
  };
  EXPECT_THAT(Shown(Slots(candidates, {}, absl::Hours(1))),
              ElementsAre("t1 2026-03-09 08:00 → 12:00", "t2 2026-03-09 08:00 → 17:00",
                          "t1 2026-03-09 13:00 → 17:00", "t1 2026-03-10 08:00 → 17:00",
                          "t2 2026-03-10 09:00 → 17:00"));
}

TEST(FindFreeSlots, OnlyStretchesTheDurationFitsIn) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const std::vector<Candidate> candidates = {
      {&t1,
       {Book("a1", LocalRange(Mon(9), Mon(12))), Book("a2", LocalRange(Mon(13, 30), Tue(16)))}},
  };
  EXPECT_THAT(Shown(Slots(candidates, {}, absl::Minutes(90))),
              ElementsAre("t1 2026-03-09 12:00 → 13:30"));
}

TEST(FindFreeSlots, SkipsInactiveTechniciansAndThoseMissingASkill) {
  v1::Technician inactive = Technician("t1", "Zoe", {{"hvac", 3}});
  inactive.set_active(false);
  const v1::Technician unskilled = Technician("t2", "Adam", {{"plumbing", 5}});
  const v1::Technician skilled = Technician("t3", "Bea", {{"hvac", 1}, {"plumbing", 2}});
  const std::vector<Candidate> candidates = {{&inactive, {}}, {&unskilled, {}}, {&skilled, {}}};
  EXPECT_THAT(Shown(Slots(candidates, {"hvac"}, absl::Hours(1))),
              ElementsAre("t3 2026-03-09 08:00 → 17:00", "t3 2026-03-10 08:00 → 17:00"));
  EXPECT_THAT(Shown(Slots(candidates, {"hvac", "electrical"}, absl::Hours(1))), IsEmpty());
}

TEST(FindFreeSlots, AtMostMaxSlotsKeepingTheEarliest) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const v1::Technician t2 = Technician("t2", "Adam");
  const std::vector<Candidate> candidates = {{&t1, {}}, {&t2, {}}};
  EXPECT_THAT(Shown(Slots(candidates, {}, absl::Hours(1), 3)),
              ElementsAre("t1 2026-03-09 08:00 → 17:00", "t2 2026-03-09 08:00 → 17:00",
                          "t1 2026-03-10 08:00 → 17:00"));
  EXPECT_THAT(Slots(candidates, {}, absl::Hours(1), 0), IsEmpty());
}

TEST(FindFreeSlots, SlotHoldsTheFreeIntervalAsTimestamps) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const std::vector<v1::FreeSlot> slots = FindFreeSlots(
      {{&t1, {}}}, Skills({}), LocalRange(Mon(10), Mon(12)), absl::Hours(1), 10, NewYork());
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].technician_id(), "t1");
  EXPECT_EQ(slots[0].start().seconds(), absl::ToUnixSeconds(Local(Mon(10))));
  EXPECT_EQ(slots[0].end().seconds(), absl::ToUnixSeconds(Local(Mon(12))));
}

// ---------------------------------------------------------------------------------------------
// RankTechnicians

std::vector<v1::TechnicianSuggestion> Rank(const std::vector<Candidate>& candidates,
                                           std::initializer_list<const char*> skills,
                                           TimeRange want, int max_results = 10) {
  return RankTechnicians(candidates, Skills(skills), want, max_results, NewYork());
}

TEST(RankTechnicians, ScoreAddsSkillsAvailabilityLoadAndHomeZone) {
  const v1::Technician t1 = Technician("t1", "Zoe", {{"hvac", 3}, {"plumbing", 2}});
  const std::vector<Candidate> candidates = {
      {&t1, {Book("a1", LocalRange(Mon(8), Mon(10)))}, /*in_home_zone=*/true}};
  const std::vector<v1::TechnicianSuggestion> ranked =
      Rank(candidates, {"hvac", "plumbing"}, LocalRange(Mon(13), Mon(15)));
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].technician_id(), "t1");
  EXPECT_EQ(ranked[0].name(), "Zoe");
  EXPECT_TRUE(ranked[0].available());
  EXPECT_EQ(ranked[0].conflict(), "");
  EXPECT_THAT(ranked[0].missing_skills(), IsEmpty());
  EXPECT_EQ(ranked[0].skill_level_sum(), 5);
  EXPECT_EQ(ranked[0].booked_minutes(), 120);
  EXPECT_TRUE(ranked[0].in_home_zone());
  EXPECT_DOUBLE_EQ(ranked[0].score(), 0.5 + 0.3 + 0.1 * (1 - 120.0 / 480) + 0.1);
}

TEST(RankTechnicians, MissingSkillsAreListedAndScoreLower) {
  const v1::Technician partial = Technician("t1", "Adam", {{"hvac", 5}});
  const v1::Technician full = Technician("t2", "Zoe", {{"electrical", 1}, {"hvac", 1}});
  const std::vector<Candidate> candidates = {{&partial, {}}, {&full, {}}};
  const std::vector<v1::TechnicianSuggestion> ranked =
      Rank(candidates, {"hvac", "electrical", "hvac"}, LocalRange(Mon(9), Mon(10)));
  EXPECT_THAT(Ids(ranked), ElementsAre("t2", "t1"));
  EXPECT_THAT(ranked[1].missing_skills(), ElementsAre("electrical"));
  EXPECT_EQ(ranked[1].skill_level_sum(), 5);
  EXPECT_DOUBLE_EQ(ranked[1].score(), 0.5 * 0.5 + 0.3 + 0.1);
  EXPECT_EQ(ranked[0].skill_level_sum(), 2);
  EXPECT_DOUBLE_EQ(ranked[0].score(), 0.5 + 0.3 + 0.1);
}

TEST(RankTechnicians, NoRequiredSkillsIsAFullMatch) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const std::vector<v1::TechnicianSuggestion> ranked =
      Rank({{&t1, {}}}, {}, LocalRange(Mon(9), Mon(10)));
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_DOUBLE_EQ(ranked[0].score(), 0.9);
}

TEST(RankTechnicians, UnavailableCarriesTheFirstConflictAndRanksLower) {
  const v1::Technician busy = Technician("t1", "Adam");
  const v1::Technician free = Technician("t2", "Zoe");
  const std::vector<Candidate> candidates = {
      {&busy,
       {Book("a2", LocalRange(Mon(16), Mon(17))), {"a7", "j3", LocalRange(Mon(9), Mon(11))}}},
      {&free, {}}};
  const std::vector<v1::TechnicianSuggestion> ranked =
      Rank(candidates, {}, LocalRange(Mon(10), Mon(18)));
  EXPECT_THAT(Ids(ranked), ElementsAre("t2", "t1"));
  EXPECT_FALSE(ranked[1].available());
  EXPECT_EQ(ranked[1].conflict(),
            "technician t1 is booked 2026-03-09 09:00–11:00 for appointment a7 (job j3)");
  EXPECT_EQ(ranked[1].booked_minutes(), 180);
  // The free one is still off shift after 17:00.
  EXPECT_FALSE(ranked[0].available());
  EXPECT_EQ(ranked[0].conflict(), "technician t2 is off shift 2026-03-09 17:00–18:00");
}

TEST(RankTechnicians, BookedMinutesCountOnlyWantsLocalDay) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const std::vector<Candidate> candidates = {
      {&t1,
       {Book("a1", LocalRange(Sun(23), Mon(1))),  // 60 minutes fall on Monday
        Book("a2", LocalRange(Mon(9), Mon(10))), Book("a3", LocalRange(Mon(23), Tue(2))),
        Book("a4", LocalRange(Tue(9), Tue(12)))}}};
  // 20:00 in New York is already Tuesday in UTC; the local day counts.
  const std::vector<v1::TechnicianSuggestion> ranked =
      Rank(candidates, {}, LocalRange(Mon(20), Mon(21)));
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].booked_minutes(), 60 + 60 + 60);
}

TEST(RankTechnicians, LoadPastAFullDayScoresZero) {
  const v1::Technician t1 = Technician("t1", "Zoe");
  const std::vector<Candidate> candidates = {{&t1, {Book("a1", LocalRange(Mon(0), Mon(10)))}}};
  const std::vector<v1::TechnicianSuggestion> ranked =
      Rank(candidates, {}, LocalRange(Mon(12), Mon(13)));
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].booked_minutes(), 600);
  EXPECT_DOUBLE_EQ(ranked[0].score(), 0.5 + 0.3);
}

TEST(RankTechnicians, HomeZoneBreaksAnOtherwiseEvenMatch) {
  const v1::Technician away = Technician("t1", "Adam");
  const v1::Technician home = Technician("t2", "Zoe");
  const std::vector<Candidate> candidates = {{&away, {}, false}, {&home, {}, true}};
  EXPECT_THAT(Ids(Rank(candidates, {}, LocalRange(Mon(9), Mon(10)))), ElementsAre("t2", "t1"));
}

TEST(RankTechnicians, TiesGoToSkillLevelsThenNameThenId) {
  const v1::Technician expert = Technician("t9", "Zed", {{"hvac", 5}});
  const v1::Technician b2 = Technician("t2", "Bea", {{"hvac", 2}});
  const v1::Technician b1 = Technician("t1", "Bea", {{"hvac", 2}});
  const v1::Technician adam = Technician("t3", "Adam", {{"hvac", 2}});
  const std::vector<Candidate> candidates = {{&b2, {}}, {&b1, {}}, {&adam, {}}, {&expert, {}}};
  EXPECT_THAT(Ids(Rank(candidates, {"hvac"}, LocalRange(Mon(9), Mon(10)))),
              ElementsAre("t9", "t3", "t1", "t2"));
}

TEST(RankTechnicians, SkipsInactiveAndKeepsAtMostMaxResults) {
  v1::Technician inactive = Technician("t0", "Al");
  inactive.set_active(false);
  const v1::Technician t1 = Technician("t1", "Bea");
  const v1::Technician t2 = Technician("t2", "Cy");
  const v1::Technician t3 = Technician("t3", "Di");
  const std::vector<Candidate> candidates = {{&t3, {}}, {&inactive, {}}, {&t2, {}}, {&t1, {}}};
  EXPECT_THAT(Ids(Rank(candidates, {}, LocalRange(Mon(9), Mon(10)), 2)), ElementsAre("t1", "t2"));
  EXPECT_THAT(Ids(Rank(candidates, {}, LocalRange(Mon(9), Mon(10)))),
              ElementsAre("t1", "t2", "t3"));
}

}  // namespace
}  // namespace jobledger::scheduling
