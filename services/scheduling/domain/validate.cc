// Request validation for the scheduling service.
#include "domain/validate.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/recurrence.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/common/local_time.h"

namespace jobledger::scheduling {
namespace {

template <typename Ids>
absl::Status ValidateUserIds(absl::string_view field, const Ids& ids) {
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    if (absl::Status s = ValidateUserId(Indexed(field, i), ids[i]); !s.ok()) return s;
    if (!seen.insert(ids[i]).second) return Invalid(Indexed(field, i), "listed twice");
  }
  if (ids.size() > 50) return Invalid(field, "at most 50");
  return absl::OkStatus();
}

template <typename Ids>
absl::Status ValidateIds(absl::string_view field, const Ids& ids) {
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    if (absl::Status s = ValidateId(Indexed(field, i), ids[i], true); !s.ok()) return s;
    if (!seen.insert(ids[i]).second) return Invalid(Indexed(field, i), "listed twice");
  }
  if (ids.size() > 20) return Invalid(field, "at most 20");
  return absl::OkStatus();
}

absl::Status ValidateDuration(absl::string_view field, int64_t minutes) {
  if (minutes < 0 || minutes > kMaxDurationMinutes) {
    return Invalid(field, absl::StrCat("between 0 and ", kMaxDurationMinutes, " minutes"));
  }
  return absl::OkStatus();
}

absl::Status ValidateContactFields(absl::string_view phone, absl::string_view email) {
  if (!phone.empty()) {
    const bool e164 = phone.size() >= 8 && phone.size() <= 16 && phone[0] == '+' &&
                      phone.find_first_not_of("0123456789", 1) == absl::string_view::npos;
    if (!e164) return Invalid("phone", "an E.164 number such as +15551234567");
  }
  if (!email.empty()) {
    const size_t at = email.find('@');
    if (at == absl::string_view::npos || at == 0 || at + 1 >= email.size() || email.size() > 254 ||
        email.find_first_of(" \t\r\n<>,;\"") != absl::string_view::npos) {
      return Invalid("email", "not an email address");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateReason(absl::string_view field, absl::string_view reason, bool required) {
  return ValidateText(field, reason, kMaxNameLength, required);
}

absl::Status ValidateBulkMeta(const common::v1::CommandMeta& meta) {
  if (absl::Status s = ValidateMeta(meta); !s.ok()) return s;
  if (meta.idempotency_key().size() > kMaxBulkIdempotencyKeyLength) {
    return Invalid("meta.idempotency_key",
                   absl::StrCat("at most ", kMaxBulkIdempotencyKeyLength,
                                " bytes for a bulk command (each appointment's command adds its "
                                "id to it)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateUserId(absl::string_view field, absl::string_view value) {
  if (value.empty()) return Invalid(field, "required");
  if (value.size() > 128) return Invalid(field, "at most 128 characters");
  for (char c : value) {
    if (c <= ' ' || c >= 0x7F) return Invalid(field, "printable ASCII without spaces");
  }
  return absl::OkStatus();
}

absl::Status ValidateSkills(absl::string_view field,
                            const google::protobuf::RepeatedPtrField<v1::Skill>& skills) {
  std::set<std::string> names;
  for (int i = 0; i < skills.size(); ++i) {
    const std::string name_field = Field(Indexed(field, i), "name");
    if (absl::Status s = ValidateText(name_field, skills[i].name(), 64, true); !s.ok()) return s;
    if (skills[i].level() < 1 || skills[i].level() > 5) {
      return Invalid(Field(Indexed(field, i), "level"), "between 1 and 5");
    }
    // Compared as NormalizeSkills stores them: " HVAC" and "hvac" are one skill.
    std::string normalized = absl::AsciiStrToLower(absl::StripAsciiWhitespace(skills[i].name()));
    if (!names.insert(std::move(normalized)).second) {
      return Invalid(name_field, "listed twice");
    }
  }
  if (skills.size() > 100) return Invalid(field, "at most 100");
  return absl::OkStatus();
}

absl::Status ValidateShifts(absl::string_view field,
                            const google::protobuf::RepeatedPtrField<v1::ShiftPeriod>& shifts) {
  if (shifts.size() > 70) return Invalid(field, "at most 70 periods");
  // Minutes of the week each period covers, to refuse overlaps (an overnight period wraps).
  std::vector<std::pair<int, int>> covered;
  for (int i = 0; i < shifts.size(); ++i) {
    const v1::ShiftPeriod& period = shifts[i];
    const std::string at = Indexed(field, i);
    if (period.weekday() < 1 || period.weekday() > 7) {
      return Invalid(Field(at, "weekday"), "1 (Monday) to 7 (Sunday)");
    }
    if (period.start_minute() < 0 || period.start_minute() > 1439) {
      return Invalid(Field(at, "start_minute"), "between 0 and 1439");
    }
    if (period.end_minute() < 0 || period.end_minute() > 1440) {
      return Invalid(Field(at, "end_minute"), "between 0 and 1440");
    }
    const int start = (period.weekday() - 1) * 1440 + period.start_minute();
    int length = period.end_minute() - period.start_minute();
    if (length <= 0) length += 1440;  // runs past midnight
    for (const auto& [other_start, other_length] : covered) {
      for (int shift : {-7 * 1440, 0, 7 * 1440}) {  // the week wraps around
        const int begin = other_start + shift;
        if (start < begin + other_length && begin < start + length) {
          return Invalid(at, "overlaps another period");
        }
      }
    }
    covered.emplace_back(start, length);
  }
  return absl::OkStatus();
}

absl::Status ValidateWindow(absl::string_view field, const v1::ArrivalWindow& window) {
  if (!window.has_start()) return Invalid(Field(field, "start"), "required");
  if (!window.has_end()) return Invalid(Field(field, "end"), "required");
  if (absl::Status s = ValidateTimestamp(Field(field, "start"), window.start()); !s.ok()) return s;
  if (absl::Status s = ValidateTimestamp(Field(field, "end"), window.end()); !s.ok()) return s;
  if (!(window.start() < window.end())) return Invalid(Field(field, "end"), "must be after start");
  if (window.end() - window.start() >
      google::protobuf::util::TimeUtil::SecondsToDuration(24 * 3600)) {
    return Invalid(Field(field, "end"), "at most 24 hours after start");
  }
  return absl::OkStatus();
}

absl::Status ValidateDayRange(absl::string_view first_field, const common::v1::LocalDate& first,
                              absl::string_view last_field, const common::v1::LocalDate& last,
                              int max_days) {
  auto first_day = LocalDateFromProto(first);
  if (!first_day.ok()) return Invalid(first_field, "not a valid date");
  auto last_day = LocalDateFromProto(last);
  if (!last_day.ok()) return Invalid(last_field, "not a valid date");
  if (*last_day < *first_day) return Invalid(last_field, "before the first day");
  if (*last_day - *first_day >= max_days) {
    return Invalid(last_field, absl::StrCat("at most ", max_days, " days from the first"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRegisterTechnician(const v1::RegisterTechnicianRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (!request.technician_id().empty()) {
    if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ValidateText("name", request.name(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateContactFields(request.phone(), request.email()); !s.ok()) return s;
  if (absl::Status s = ValidateSkills("skills", request.skills()); !s.ok()) return s;
  if (absl::Status s = ValidateId("home_zone_id", request.home_zone_id(), false); !s.ok()) {
    return s;
  }
  return ValidateShifts("shifts", request.shifts());
}

absl::Status ValidateUpdateTechnician(const v1::UpdateTechnicianRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) return s;
  if (request.update_fields().empty()) return Invalid("update_fields", "required");
  static const std::set<std::string> kFields = {"name", "phone", "email", "skills", "home_zone_id"};
  for (int i = 0; i < request.update_fields().size(); ++i) {
    if (!kFields.contains(request.update_fields(i))) {
      return Invalid(Indexed("update_fields", i),
                     "one of name, phone, email, skills, home_zone_id");
    }
  }
  if (absl::Status s = ValidateText("name", request.name(), kMaxNameLength, false); !s.ok()) {
    return s;
  }
  for (const std::string& field : request.update_fields()) {
    if (field == "name" && IsBlank(request.name())) return Invalid("name", "required");
  }
  if (absl::Status s = ValidateContactFields(request.phone(), request.email()); !s.ok()) return s;
  if (absl::Status s = ValidateSkills("skills", request.skills()); !s.ok()) return s;
  return ValidateId("home_zone_id", request.home_zone_id(), false);
}

absl::Status ValidateSetTechnicianActive(const v1::SetTechnicianActiveRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) return s;
  return ValidateReason("reason", request.reason(), !request.active());
}

absl::Status ValidateSetShifts(const v1::SetShiftsRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) return s;
  return ValidateShifts("shifts", request.shifts());
}

absl::Status ValidateAddTimeOff(const v1::AddTimeOffRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) return s;
  const bool interval = request.has_start() || request.has_end();
  const bool days = request.has_first_day() || request.has_last_day();
  if (interval == days) {
    return Invalid("start", "give either start and end, or first_day and last_day");
  }
  if (interval) {
    if (!request.has_start()) return Invalid("start", "required");
    if (!request.has_end()) return Invalid("end", "required");
    if (absl::Status s = ValidateTimestamp("start", request.start()); !s.ok()) return s;
    if (absl::Status s = ValidateTimestamp("end", request.end()); !s.ok()) return s;
    if (!(request.start() < request.end())) return Invalid("end", "must be after start");
  } else if (absl::Status s = ValidateDayRange("first_day", request.first_day(), "last_day",
                                               request.last_day(), 366);
             !s.ok()) {
    return s;
  }
  return ValidateReason("reason", request.reason(), false);
}

absl::Status ValidateRemoveTimeOff(const v1::RemoveTimeOffRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) return s;
  return ValidateId("time_off_id", request.time_off_id(), true);
}

absl::Status ValidateCreateCrew(const v1::CreateCrewRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateText("name", request.name(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  return ValidateUserIds("member_ids", request.member_ids());
}

absl::Status ValidateRenameCrew(const v1::RenameCrewRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("crew_id", request.crew_id(), true); !s.ok()) return s;
  return ValidateText("name", request.name(), kMaxNameLength, true);
}

absl::Status ValidateCrewMember(const v1::CrewMemberRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("crew_id", request.crew_id(), true); !s.ok()) return s;
  return ValidateUserId("technician_id", request.technician_id());
}

absl::Status ValidateSaveServiceZone(const v1::SaveServiceZoneRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("zone_id", request.zone_id(), false); !s.ok()) return s;
  if (absl::Status s = ValidateText("name", request.name(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (request.postal_codes().size() > 10'000) return Invalid("postal_codes", "at most 10000");
  for (int i = 0; i < request.postal_codes().size(); ++i) {
    if (absl::Status s =
            ValidateText(Indexed("postal_codes", i), request.postal_codes(i), 16, true);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRecordLocations(const v1::RecordLocationsRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (!request.technician_id().empty()) {
    if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) {
      return s;
    }
  }
  if (request.pings().empty()) return Invalid("pings", "required");
  if (request.pings().size() > kMaxPingsPerBatch) {
    return Invalid("pings", absl::StrCat("at most ", kMaxPingsPerBatch, " per batch"));
  }
  for (int i = 0; i < request.pings().size(); ++i) {
    const v1::LocationPing& ping = request.pings(i);
    const std::string at = Indexed("pings", i);
    if (!ping.has_recorded_at()) return Invalid(Field(at, "recorded_at"), "required");
    if (absl::Status s = ValidateTimestamp(Field(at, "recorded_at"), ping.recorded_at()); !s.ok()) {
      return s;
    }
    // Written so that NaN fails too.
    if (!(ping.latitude() >= -90 && ping.latitude() <= 90)) {
      return Invalid(Field(at, "latitude"), "between -90 and 90");
    }
    if (!(ping.longitude() >= -180 && ping.longitude() <= 180)) {
      return Invalid(Field(at, "longitude"), "between -180 and 180");
    }
    if (!(ping.accuracy_meters() >= 0 && ping.accuracy_meters() < 1e6)) {
      return Invalid(Field(at, "accuracy_meters"), "between 0 and 1000000");
    }
    if (!(ping.speed_mps() >= 0 && ping.speed_mps() < 1000)) {
      return Invalid(Field(at, "speed_mps"), "between 0 and 1000");
    }
    if (!(ping.heading_degrees() >= 0 && ping.heading_degrees() < 360)) {
      return Invalid(Field(at, "heading_degrees"), "at least 0 and below 360");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSchedule(const v1::ScheduleAppointmentRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateWindow("window", request.window()); !s.ok()) return s;
  if (absl::Status s = ValidateDuration("duration_minutes", request.duration_minutes()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateUserIds("technician_ids", request.technician_ids()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateIds("crew_ids", request.crew_ids()); !s.ok()) return s;
  return ValidateText("notes", request.notes(), kMaxTextLength, false);
}

absl::Status ValidateReschedule(const v1::RescheduleAppointmentRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("appointment_id", request.appointment_id(), true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateWindow("window", request.window()); !s.ok()) return s;
  if (absl::Status s = ValidateDuration("duration_minutes", request.duration_minutes()); !s.ok()) {
    return s;
  }
  return ValidateReason("reason", request.reason(), false);
}

absl::Status ValidateReassign(const v1::ReassignAppointmentRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("appointment_id", request.appointment_id(), true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateUserIds("technician_ids", request.technician_ids()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateIds("crew_ids", request.crew_ids()); !s.ok()) return s;
  return ValidateReason("reason", request.reason(), false);
}

absl::Status ValidateCancel(const v1::CancelAppointmentRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("appointment_id", request.appointment_id(), true); !s.ok()) {
    return s;
  }
  return ValidateReason("reason", request.reason(), true);
}

absl::Status ValidateChangeDispatchState(const v1::ChangeDispatchStateRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("appointment_id", request.appointment_id(), true); !s.ok()) {
    return s;
  }
  if (!request.technician_id().empty()) {
    if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) {
      return s;
    }
  }
  if (request.state() <= v1::DISPATCH_STATE_SCHEDULED ||
      !v1::DispatchState_IsValid(request.state())) {
    return Invalid("state", "one of en route, arrived, working, paused, departed, completed");
  }
  return absl::OkStatus();
}

absl::Status ValidateBulkReassign(const v1::BulkReassignRequest& request) {
  if (absl::Status s = ValidateBulkMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateUserId("from_technician_id", request.from_technician_id());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateUserId("to_technician_id", request.to_technician_id()); !s.ok()) {
    return s;
  }
  if (request.from_technician_id() == request.to_technician_id()) {
    return Invalid("to_technician_id", "must differ from from_technician_id");
  }
  if (absl::Status s = ValidateDayRange("first_day", request.first_day(), "last_day",
                                        request.last_day(), kMaxBoardDays);
      !s.ok()) {
    return s;
  }
  return ValidateReason("reason", request.reason(), false);
}

absl::Status ValidateBulkReschedule(const v1::BulkRescheduleRequest& request) {
  if (absl::Status s = ValidateBulkMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateDate("day", request.day(), true); !s.ok()) return s;
  if (request.days_forward() < 1 || request.days_forward() > 365) {
    return Invalid("days_forward", "between 1 and 365");
  }
  if (!request.technician_id().empty()) {
    if (absl::Status s = ValidateUserId("technician_id", request.technician_id()); !s.ok()) {
      return s;
    }
  }
  return ValidateReason("reason", request.reason(), false);
}

absl::Status ValidateCreateAgreement(const v1::CreateAgreementRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  const v1::Agreement& a = request.agreement();
  if (absl::Status s = ValidateId("agreement.customer_id", a.customer_id(), true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("agreement.property_id", a.property_id(), false); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("agreement.title", a.title(), kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateText("agreement.description", a.description(), kMaxTextLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("agreement.job_type", a.job_type(), 64, false); !s.ok()) {
    return s;
  }
  for (int i = 0; i < a.required_skills().size(); ++i) {
    if (absl::Status s =
            ValidateText(Indexed("agreement.required_skills", i), a.required_skills(i), 64, true);
        !s.ok()) {
      return s;
    }
  }
  if (a.estimated_minutes() < 0 || a.estimated_minutes() > 7 * 24 * 60) {
    return Invalid("agreement.estimated_minutes", "between 0 and 10080");
  }
  if (absl::Status s = ValidateRule(a.rule()); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("agreement.", s.message()));
  }
  if (absl::Status s = ValidateDate("agreement.start_date", a.start_date(), true); !s.ok()) {
    return s;
  }
  // Present means an end: an all-zero date is not "no end" but an invalid one.
  if (absl::Status s = ValidateDate("agreement.end_date", a.end_date(), a.has_end_date());
      !s.ok()) {
    return s;
  }
  if (a.has_end_date() && *LocalDateFromProto(a.end_date()) < *LocalDateFromProto(a.start_date())) {
    return Invalid("agreement.end_date", "before start_date");
  }
  if (a.window_start_minute() != 0 || a.window_end_minute() != 0) {
    if (a.window_start_minute() < 0 || a.window_start_minute() > 1439) {
      return Invalid("agreement.window_start_minute", "between 0 and 1439");
    }
    if (a.window_end_minute() <= a.window_start_minute() || a.window_end_minute() > 1440) {
      return Invalid("agreement.window_end_minute", "after window_start_minute, at most 1440");
    }
  }
  if (a.lead_days() < 1 || a.lead_days() > 366) {
    return Invalid("agreement.lead_days", "between 1 and 366");
  }
  if (!a.agreement_id().empty() || !a.visits().empty() || a.version() != 0) {
    return Invalid("agreement.agreement_id",
                   "assigned by the service; leave id, visits, version unset");
  }
  return absl::OkStatus();
}

absl::Status ValidateEndAgreement(const v1::EndAgreementRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("agreement_id", request.agreement_id(), true); !s.ok()) return s;
  return ValidateReason("reason", request.reason(), true);
}

}  // namespace jobledger::scheduling
