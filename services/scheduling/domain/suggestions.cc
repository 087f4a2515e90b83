// Dispatcher aids: free slots across technicians and technicians ranked for a visit.
#include "domain/suggestions.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "google/protobuf/util/time_util.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::scheduling {
namespace {

// A full working day; a day booked this long or longer counts as fully loaded.
constexpr double kFullDayMinutes = 480;

bool Usable(const Candidate& candidate) {
  return candidate.technician != nullptr && candidate.technician->active();
}

// A free stretch before it becomes a proto, so sorting moves no strings.
struct Slot {
  TimeRange range;
  const std::string* technician_id;
};

// Minutes of the candidate's bookings that fall on `day` (overlapping bookings each count).
int64_t BookedMinutes(const std::vector<Booking>& bookings, TimeRange day) {
  absl::Duration booked;
  for (const Booking& booking : bookings) {
    const absl::Time start = std::max(booking.range.start, day.start);
    const absl::Time end = std::min(booking.range.end, day.end);
    if (start < end) booked += end - start;
  }
  return absl::ToInt64Minutes(booked);
}

// The skills part of a suggestion: which required skills are missing, and the levels of the
// ones held. Returns the share of required skills held (1 when none are required).
double ScoreSkills(const v1::Technician& technician, const std::set<std::string>& required,
                   v1::TechnicianSuggestion* suggestion) {
  int held = 0;
  for (const std::string& name : required) {
    const auto skill = std::find_if(
        technician.skills().begin(), technician.skills().end(),
        [&](const v1::Skill& candidate_skill) { return candidate_skill.name() == name; });
    if (skill == technician.skills().end()) {
      suggestion->add_missing_skills(name);
      continue;
    }
    ++held;
    suggestion->set_skill_level_sum(suggestion->skill_level_sum() + skill->level());
  }
  return required.empty() ? 1.0 : static_cast<double>(held) / static_cast<double>(required.size());
}

v1::TechnicianSuggestion Suggest(const Candidate& candidate, const std::set<std::string>& required,
                                 TimeRange want, TimeRange want_day, absl::TimeZone zone) {
  const v1::Technician& technician = *candidate.technician;
  v1::TechnicianSuggestion suggestion;
  suggestion.set_technician_id(technician.technician_id());
  suggestion.set_name(technician.name());
  const double skills = ScoreSkills(technician, required, &suggestion);
  const std::vector<Conflict> conflicts =
      ConflictsFor(technician, candidate.bookings, want, "", zone);
  suggestion.set_available(conflicts.empty());
  if (!conflicts.empty()) suggestion.set_conflict(conflicts.front().message);
  suggestion.set_booked_minutes(BookedMinutes(candidate.bookings, want_day));
  suggestion.set_in_home_zone(candidate.in_home_zone);
  const double lightness =
      std::max(0.0, 1.0 - static_cast<double>(suggestion.booked_minutes()) / kFullDayMinutes);
  suggestion.set_score(0.5 * skills + 0.3 * (suggestion.available() ? 1.0 : 0.0) + 0.1 * lightness +
                       0.1 * (candidate.in_home_zone ? 1.0 : 0.0));
  return suggestion;
}

bool BetterSuggestion(const v1::TechnicianSuggestion& a, const v1::TechnicianSuggestion& b) {
  if (a.score() != b.score()) return a.score() > b.score();
  if (a.skill_level_sum() != b.skill_level_sum()) return a.skill_level_sum() > b.skill_level_sum();
  return std::tie(a.name(), a.technician_id()) < std::tie(b.name(), b.technician_id());
}

}  // namespace

std::vector<v1::FreeSlot> FindFreeSlots(
    const std::vector<Candidate>& candidates,
    const google::protobuf::RepeatedPtrField<std::string>& required_skills, TimeRange range,
    absl::Duration duration, int max_slots, absl::TimeZone zone) {
  if (max_slots <= 0) return {};
  std::vector<Slot> slots;
  for (const Candidate& candidate : candidates) {
    if (!Usable(candidate) || !HasSkills(*candidate.technician, required_skills)) continue;
    for (const TimeRange& free :
         FreeRanges(*candidate.technician, candidate.bookings, range, duration, zone)) {
      slots.push_back({free, &candidate.technician->technician_id()});
    }
  }
  const size_t kept = std::min(slots.size(), static_cast<size_t>(max_slots));
  std::partial_sort(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(kept), slots.end(),
                    [](const Slot& a, const Slot& b) {
                      return std::tie(a.range.start, *a.technician_id, a.range.end) <
                             std::tie(b.range.start, *b.technician_id, b.range.end);
                    });
  std::vector<v1::FreeSlot> result(kept);
  for (size_t i = 0; i < kept; ++i) {
    result[i].set_technician_id(*slots[i].technician_id);
    *result[i].mutable_start() = ProtoFromTime(slots[i].range.start);
    *result[i].mutable_end() = ProtoFromTime(slots[i].range.end);
  }
  return result;
}

std::vector<v1::TechnicianSuggestion> RankTechnicians(
    const std::vector<Candidate>& candidates,
    const google::protobuf::RepeatedPtrField<std::string>& required_skills, TimeRange want,
    int max_results, absl::TimeZone zone) {
  if (max_results <= 0) return {};
  // Sorted and unique, so a skill named twice counts once and missing_skills come out sorted.
  const std::set<std::string> required(required_skills.begin(), required_skills.end());
  const TimeRange want_day = LocalDayRange(LocalDay(want.start, zone), zone);
  std::vector<v1::TechnicianSuggestion> suggestions;
  for (const Candidate& candidate : candidates) {
    if (Usable(candidate))
      suggestions.push_back(Suggest(candidate, required, want, want_day, zone));
  }
  std::sort(suggestions.begin(), suggestions.end(), BetterSuggestion);
  if (suggestions.size() > static_cast<size_t>(max_results)) suggestions.resize(max_results);
  return suggestions;
}

}  // namespace jobledger::scheduling
