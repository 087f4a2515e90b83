// Tenant-local calendar dates and wall-clock times, resolved through IANA time zones (absl).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace jobledger {

namespace common::v1 {
class LocalDate;
}  // namespace common::v1

// A half-open interval of absolute time [start, end).
struct TimeRange {
  absl::Time start;
  absl::Time end;
  absl::Duration length() const { return end - start; }
  bool Contains(absl::Time t) const { return t >= start && t < end; }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// Loads an IANA zone such as "America/Chicago"; INVALID_ARGUMENT naming it when unknown.
absl::StatusOr<absl::TimeZone> LoadTenantTimeZone(absl::string_view name);

// The tenant's calendar day that contains `t`.
absl::CivilDay LocalDay(absl::Time t, absl::TimeZone zone);

// The instant a local wall-clock time happens. A time skipped by a DST jump (02:30 on a spring
// forward night) moves forward by the jump (to 03:30); a repeated one (01:30 in autumn)
// resolves to its first occurrence.
absl::Time AtLocalTime(absl::CivilSecond local, absl::TimeZone zone);

// The absolute span of a local day: 24 hours usually, 23 or 25 on DST change days.
TimeRange LocalDayRange(absl::CivilDay day, absl::TimeZone zone);

// "2026-11-21" ⇄ CivilDay. Parsing refuses impossible dates such as 2026-02-30.
absl::StatusOr<absl::CivilDay> ParseLocalDate(absl::string_view text);
std::string FormatLocalDate(absl::CivilDay day);

absl::StatusOr<absl::CivilDay> LocalDateFromProto(const common::v1::LocalDate& proto);
void LocalDateToProto(absl::CivilDay day, common::v1::LocalDate* proto);

}  // namespace jobledger
