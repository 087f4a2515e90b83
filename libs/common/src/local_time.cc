// Tenant-local dates and times.
#include "jobledger/common/local_time.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger {
namespace {

absl::StatusOr<absl::CivilDay> ExactDay(int64_t year, int month, int day,
                                        absl::string_view shown_as) {
  const absl::CivilDay civil(year, month, day);
  // CivilDay normalises out-of-range fields (Feb 30 → Mar 2); a date that moved was impossible.
  if (civil.year() != year || civil.month() != month || civil.day() != day) {
    return absl::InvalidArgumentError(absl::StrCat("date ", shown_as, " does not exist"));
  }
  return civil;
}

}  // namespace

absl::StatusOr<absl::TimeZone> LoadTenantTimeZone(absl::string_view name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time zone \"", name, "\" is not a known IANA zone"));
  }
  return zone;
}

absl::CivilDay LocalDay(absl::Time t, absl::TimeZone zone) { return absl::ToCivilDay(t, zone); }

absl::Time AtLocalTime(absl::CivilSecond local, absl::TimeZone zone) {
  // `pre` applies the offset in force before any transition: a skipped 02:30 becomes 03:30 in
  // the new offset (the same distance from midnight) and a repeated time its first occurrence.
  return zone.At(local).pre;
}

TimeRange LocalDayRange(absl::CivilDay day, absl::TimeZone zone) {
  return {AtLocalTime(absl::CivilSecond(day), zone), AtLocalTime(absl::CivilSecond(day + 1), zone)};
}

absl::StatusOr<absl::CivilDay> ParseLocalDate(absl::string_view text) {
  const auto bad_form = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("date \"", text, "\" is not in YYYY-MM-DD form"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad_form();
  int fields[3] = {0, 0, 0};
  int field = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) {
      ++field;
      continue;
    }
    if (text[i] < '0' || text[i] > '9') return bad_form();
    fields[field] = fields[field] * 10 + (text[i] - '0');
  }
  return ExactDay(fields[0], fields[1], fields[2], text);
}

std::string FormatLocalDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<absl::CivilDay> LocalDateFromProto(const common::v1::LocalDate& proto) {
  return ExactDay(proto.year(), proto.month(), proto.day(),
                  absl::StrFormat("%04d-%02d-%02d", proto.year(), proto.month(), proto.day()));
}

void LocalDateToProto(absl::CivilDay day, common::v1::LocalDate* proto) {
  proto->set_year(static_cast<int32_t>(day.year()));
  proto->set_month(day.month());
  proto->set_day(day.day());
}

}  // namespace jobledger
