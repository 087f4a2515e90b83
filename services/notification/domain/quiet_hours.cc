// Tenant quiet hours over local wall-clock time, DST transitions included (see quiet_hours.h).
#include "domain/quiet_hours.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace jobledger::notification {
namespace {

absl::Status CheckMinuteOfDay(absl::string_view field, int minute) {
  if (minute < 0 || minute >= kMinutesPerDay) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be in [0, ", kMinutesPerDay, "), got ", minute));
  }
  return absl::OkStatus();
}

int MinuteOfDay(absl::CivilMinute local) { return local.hour() * 60 + local.minute(); }

// The first instant after `after` whose local time is `local`, where `local` is known to be no
// earlier than the local time of `after`.
absl::Time FirstInstantAfter(absl::CivilMinute local, absl::Time after, absl::TimeZone zone) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  switch (info.kind) {
    case absl::TimeZone::TimeInfo::SKIPPED:
      return info.trans;
    case absl::TimeZone::TimeInfo::REPEATED:
      // Between the two occurrences the earlier one has already passed.
      return info.pre > after ? info.pre : info.post;
    case absl::TimeZone::TimeInfo::UNIQUE:
      break;
  }
  return info.pre;
}

}  // namespace

absl::Status ValidateQuietWindow(const QuietWindow& window) {
  if (absl::Status status = CheckMinuteOfDay("quiet_hours.start_minute", window.start_minute);
      !status.ok()) {
    return status;
  }
  return CheckMinuteOfDay("quiet_hours.end_minute", window.end_minute);
}

bool InQuietHours(absl::Time at, const QuietWindow& window, absl::TimeZone zone) {
  const int minute = MinuteOfDay(absl::ToCivilMinute(at, zone));
  if (window.start_minute <= window.end_minute) {
    return minute >= window.start_minute && minute < window.end_minute;
  }
  return minute >= window.start_minute || minute < window.end_minute;
}

absl::Time ReleaseTime(absl::Time due, const QuietWindow& window, absl::TimeZone zone) {
  if (!InQuietHours(due, window, zone)) return due;
  const absl::CivilMinute local_due = absl::ToCivilMinute(due, zone);
  absl::CivilMinute end = absl::CivilMinute(absl::CivilDay(local_due)) + window.end_minute;
  // Inside quiet hours the local minute is never end_minute itself, so "not after" means tomorrow.
  if (end <= local_due) end += kMinutesPerDay;
  return FirstInstantAfter(end, due, zone);
}

}  // namespace jobledger::notification
