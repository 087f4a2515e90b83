// Reading the scheduling read model on the callers' behalf.
#include "scheduling_queries.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/evolve.h"
#include "domain/suggestions.h"
#include "domain/validate.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/server/read_your_writes.h"
#include "projections/job_facts.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using projection::KeyBuilder;
using projection::KeyReader;
using projection::PageRequest;
using projection::StateReader;
using server::Caller;
using Appointments = google::protobuf::RepeatedPtrField<v1::Appointment>;
using Strings = google::protobuf::RepeatedPtrField<std::string>;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr size_t kReadAllBatch = 500;  // rows per page when a query reads a whole index
constexpr int64_t kDefaultSlotMinutes = 60;

absl::Status NotFound(absl::string_view what, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
}

// The server's role table already keeps technicians out; this holds if it ever does not.
absl::Status OfficeOnly(const Caller& caller, absl::string_view what) {
  if (caller.sees_everything()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(what, " is for office roles"));
}

// A count field: 0 means `default_value`, otherwise 1..max.
absl::StatusOr<int> CountOf(absl::string_view field, int64_t value, int default_value, int max) {
  if (value == 0) return default_value;
  if (value < 1 || value > max) return Invalid(field, absl::StrCat("between 1 and ", max));
  return static_cast<int>(value);
}

absl::Status ValidateDuration(int64_t minutes) {
  if (minutes < 0 || minutes > kMaxDurationMinutes) {
    return Invalid("duration_minutes",
                   absl::StrCat("between 1 and ", kMaxDurationMinutes, " (0: the job's estimate)"));
  }
  return absl::OkStatus();
}

bool IsUnset(const common::v1::LocalDate& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

// The request's local day, or `otherwise` when it is unset.
absl::StatusOr<absl::CivilDay> DayOr(absl::string_view field, const common::v1::LocalDate& date,
                                     absl::CivilDay otherwise) {
  if (IsUnset(date)) return otherwise;
  auto day = LocalDateFromProto(date);
  if (!day.ok()) return Invalid(field, "not a valid date");
  return *day;
}

// [start of `first`, end of `last`) in the tenant's zone.
TimeRange LocalDays(absl::CivilDay first, absl::CivilDay last, absl::TimeZone zone) {
  return {LocalDayRange(first, zone).start, LocalDayRange(last, zone).end};
}

bool Overlaps(TimeRange a, TimeRange b) { return a.start < b.end && b.start < a.end; }

// Skills as technicians' profiles hold them (lower-case, trimmed); the job service keeps a job's
// as typed.
Strings NormalizedSkills(const Strings& skills) {
  std::vector<std::string> names;
  for (const std::string& skill : skills) {
    names.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(skill)));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return Strings(names.begin(), names.end());
}

// Every row under `prefix` of the index `index`, or of the table itself when `index` is empty.
template <typename Row>
absl::StatusOr<std::vector<Row>> ReadAll(const projection::Table<Row>& table,
                                         const StateReader& state, absl::string_view index,
                                         absl::string_view prefix) {
  std::vector<Row> rows;
  PageRequest request;
  request.limit = kReadAllBatch;
  do {
    auto page = index.empty() ? table.Scan(state, prefix, request)
                              : table.ScanIndex(state, index, prefix, request);
    if (!page.ok()) return page.status();
    std::move(page->rows.begin(), page->rows.end(), std::back_inserter(rows));
    request.cursor = std::move(page->next_cursor);
  } while (!request.cursor.empty());
  return rows;
}

absl::StatusOr<v1::Technician> ReadTechnician(const StateReader& state, const std::string& tenant,
                                              const std::string& technician_id) {
  auto row = TechnicianTable().Get(state, PrimaryKey(tenant, technician_id));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return NotFound("technician", technician_id);
  return std::move(*(*row)->mutable_technician());
}

// The technician id a technician-scoped request is about: the caller's own when empty. Others'
// are NOT_FOUND for a technician.
absl::StatusOr<std::string> TechnicianIdOf(const Caller& caller, const std::string& requested) {
  const std::string& id = requested.empty() ? caller.user_id : requested;
  if (absl::Status s = ValidateUserId("technician_id", id); !s.ok()) return s;
  if (!caller.sees_everything() && id != caller.user_id) return NotFound("technician", id);
  return id;
}

// Technicians' bookings from their calendar days.
class CalendarReader {
 public:
  // One technician's calendar: each of their days is a point read.
  CalendarReader(const StateReader& state, const std::string& tenant)
      : state_(&state), tenant_(tenant) {}
  // Many technicians' calendars: whole UTC days from the cache (one range scan per day it does
  // not hold). Without `ids`, bookings carry only their ranges (free time needs no more), which
  // spares two string copies per booking.
  CalendarReader(ReadCache& cache, std::shared_ptr<const StateReader> store,
                 const std::string& tenant, bool ids = true)
      : tenant_(tenant), cache_(&cache), store_(std::move(store)), ids_(ids) {}

  // A technician's bookings that overlap `range`, sorted by start then appointment id, each once.
  // Bookings carry their ranges: no appointment is read.
  absl::StatusOr<std::vector<Booking>> BookingsOf(const std::string& technician, TimeRange range) {
    const int64_t first = UtcDayOf(range.start);
    const int64_t last = UtcDayOf(range.end - absl::Nanoseconds(1));
    std::vector<Booking> bookings;
    if (cache_ != nullptr) {
      // The technician's lists of each day first, so that the result is allocated once.
      absl::InlinedVector<const std::vector<Booking>*, 16> lists;
      size_t count = 0;
      for (int64_t day = first; day <= last; ++day) {
        auto loaded = Day(day);
        if (!loaded.ok()) return loaded.status();
        auto it = (*loaded)->find(technician);
        if (it == (*loaded)->end()) continue;
        lists.push_back(&it->second);
        count += it->second.size();
      }
      bookings.reserve(count);
      for (const std::vector<Booking>* list : lists) {
        for (const Booking& booking : *list) {
          if (!Overlaps(booking.range, range)) continue;
          if (ids_) {
            bookings.push_back(booking);
          } else {  // (then bookings with equal ranges are one: the same for free time)
            bookings.push_back({{}, {}, booking.range});
          }
        }
      }
    } else {
      for (int64_t day = first; day <= last; ++day) {
        auto bytes = state_->Get(CalendarDayKey(tenant_, technician, day));
        if (!bytes.ok()) return bytes.status();
        if (!bytes->has_value()) continue;
        if (!day_.ParseFromString(**bytes)) {
          return absl::DataLossError(
              absl::StrCat("a calendar day of technician ", technician, " does not parse"));
        }
        for (const v1::Busy& busy : day_.busy()) {
          const TimeRange busy_range{TimeFromProto(busy.start()), TimeFromProto(busy.end())};
          if (Overlaps(busy_range, range)) {
            bookings.push_back({busy.appointment_id(), busy.job_id(), busy_range});
          }
        }
      }
    }
    // An appointment across midnight (UTC) is in both days' rows, with the same range.
    std::sort(bookings.begin(), bookings.end(), [](const Booking& a, const Booking& b) {
      return std::tie(a.range.start, a.appointment_id) < std::tie(b.range.start, b.appointment_id);
    });
    bookings.erase(std::unique(bookings.begin(), bookings.end(),
                               [](const Booking& a, const Booking& b) {
                                 return a.appointment_id == b.appointment_id && a.range == b.range;
                               }),
                   bookings.end());
    return bookings;
  }

 private:
  // Every technician's bookings of one UTC day, held for the rest of the query.
  absl::StatusOr<const DayBookings*> Day(int64_t day) {
    for (const auto& [number, bookings] : days_) {
      if (number == day) return bookings.get();
    }
    auto bookings = cache_->CalendarDay(store_, tenant_, day);
    if (!bookings.ok()) return bookings.status();
    days_.emplace_back(day, *std::move(bookings));
    return days_.back().second.get();
  }

  const StateReader* state_ = nullptr;
  const std::string& tenant_;
  ReadCache* cache_ = nullptr;
  std::shared_ptr<const StateReader> store_;
  const bool ids_ = true;
  std::vector<std::pair<int64_t, std::shared_ptr<const DayBookings>>> days_;  // a few days
  v1::CalendarDay day_;  // reused: its fields keep their memory
};

bool GoesOn(const v1::Appointment& appointment, const std::string& technician) {
  return std::binary_search(appointment.technician_ids().begin(),
                            appointment.technician_ids().end(), technician) ||
         std::binary_search(appointment.crew_member_ids().begin(),
                            appointment.crew_member_ids().end(), technician);
}

void SortAppointments(Appointments& appointments) {
  std::sort(appointments.begin(), appointments.end(),
            [](const v1::Appointment& a, const v1::Appointment& b) {
              return std::pair(TimeFromProto(a.window().start()), a.appointment_id()) <
                     std::pair(TimeFromProto(b.window().start()), b.appointment_id());
            });
}

// Whole appointments from their jobs' schedules, each schedule read at most once per query.
// Indexes and schedules are separate reads (no snapshot across them), so callers check that what
// an index entry promised still holds.
class AppointmentLookup {
 public:
  AppointmentLookup(const StateReader& state, const std::string& tenant)
      : state_(state), tenant_(tenant) {}

  absl::StatusOr<const v1::Appointment*> Find(const std::string& job_id,
                                              const std::string& appointment_id) {
    auto cached = schedules_.find(job_id);
    if (cached == schedules_.end()) {
      auto row = ScheduleTable().Get(state_, PrimaryKey(tenant_, job_id));
      if (!row.ok()) return row.status();
      cached = schedules_.emplace(job_id, row->value_or(v1::ScheduleRow()).schedule()).first;
    }
    const v1::Appointment* appointment = FindAppointment(cached->second, appointment_id);
    if (appointment == nullptr) {
      return absl::DataLossError(absl::StrCat(
          "appointment ", appointment_id, " is indexed but not in the schedule of job ", job_id));
    }
    return appointment;
  }

 private:
  const StateReader& state_;
  const std::string& tenant_;
  std::map<std::string, v1::JobSchedule> schedules_;  // node-based: pointers stay valid
};

// A technician's scheduled appointments whose occupied range overlaps `range`, sorted.
absl::Status AddAppointmentsOf(CalendarReader& calendars, const std::string& technician,
                               TimeRange range, AppointmentLookup& lookup, Appointments& out) {
  auto bookings = calendars.BookingsOf(technician, range);
  if (!bookings.ok()) return bookings.status();
  for (const Booking& booking : *bookings) {
    auto appointment = lookup.Find(booking.job_id, booking.appointment_id);
    if (!appointment.ok()) return appointment.status();
    const v1::Appointment& found = **appointment;
    if (found.status() == v1::APPOINTMENT_STATUS_SCHEDULED &&
        Overlaps(OccupiedRange(found), range) && GoesOn(found, technician)) {
      *out.Add() = found;
    }
  }
  SortAppointments(out);
  return absl::OkStatus();
}

// The scheduled appointments of local `day` with nobody assigned, by start.
absl::Status AddUnassigned(const StateReader& state, const std::string& tenant, absl::CivilDay day,
                           AppointmentLookup& lookup, Appointments& out) {
  const std::string prefix = UnassignedPrefix(tenant, day);
  std::vector<std::pair<std::string, std::string>> entries;  // appointment id, job id
  auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    KeyReader key(it->key().substr(prefix.size()));
    auto start = key.Time();
    auto appointment_id = key.String();
    if (!start.ok() || !appointment_id.ok()) {
      return absl::DataLossError("an unassigned list key does not parse");
    }
    entries.emplace_back(*std::move(appointment_id), std::string(it->value()));
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  for (const auto& [appointment_id, job_id] : entries) {
    auto appointment = lookup.Find(job_id, appointment_id);
    if (!appointment.ok()) return appointment.status();
    const v1::Appointment& found = **appointment;
    if (found.status() == v1::APPOINTMENT_STATUS_SCHEDULED && found.technician_ids().empty() &&
        found.crew_ids().empty() && found.crew_member_ids().empty()) {
      *out.Add() = found;
    }
  }
  return absl::OkStatus();
}

// Whether `postal_code` is in each zone, zones read at most once per query.
class ZoneLookup {
 public:
  ZoneLookup(const StateReader& state, const std::string& tenant, std::string postal_code)
      : state_(state),
        tenant_(tenant),
        postal_code_(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(postal_code))) {}

  absl::StatusOr<bool> Contains(const std::string& zone_id) {
    if (zone_id.empty() || postal_code_.empty()) return false;
    auto cached = contains_.find(zone_id);
    if (cached != contains_.end()) return cached->second;
    auto row = ZoneTable().Get(state_, PrimaryKey(tenant_, zone_id));
    if (!row.ok()) return row.status();
    bool in = false;
    if (row->has_value()) {
      const auto& codes = (*row)->zone().postal_codes();  // sorted, upper-case
      in = std::binary_search(codes.begin(), codes.end(), postal_code_);
    }
    contains_.emplace(zone_id, in);
    return in;
  }

 private:
  const StateReader& state_;
  const std::string& tenant_;
  const std::string postal_code_;
  std::map<std::string, bool> contains_;
};

// The visit length for a job: the request's, else the job's estimate, else `otherwise`.
absl::Duration VisitLength(int64_t requested_minutes, const v1::JobInfo& job,
                           absl::Duration otherwise) {
  if (requested_minutes > 0) return absl::Minutes(requested_minutes);
  if (job.estimated_minutes() > 0) {
    return absl::Minutes(std::min<int64_t>(job.estimated_minutes(), kMaxDurationMinutes));
  }
  return otherwise;
}

}  // namespace

absl::StatusOr<v1::JobInfo> SchedulingQueries::JobOf(const Caller& caller,
                                                     const std::string& job_id) const {
  return KnownJob(*options_.projection, *options_.log, options_.job_topic, caller.tenant, job_id,
                  std::min(caller.deadline, options_.clock->Now() + options_.max_wait));
}

absl::CivilDay SchedulingQueries::Today() const {
  return LocalDay(options_.clock->Now(), options_.zone);
}

absl::Status SchedulingQueries::WaitForPosition(const server::Caller& caller,
                                                const common::v1::LogPosition& position) const {
  return server::WaitForMinPosition(*options_.projection, caller, position, options_.clock->Now(),
                                    options_.max_wait, "the scheduling read model");
}

// ---- technicians, crews, zones

absl::StatusOr<v1::Technician> SchedulingQueries::GetTechnician(
    const Caller& caller, const v1::GetTechnicianRequest& request) const {
  auto id = TechnicianIdOf(caller, request.technician_id());
  if (!id.ok()) return id.status();
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  return ReadTechnician(*options_.projection->store(), caller.tenant, *id);
}

absl::StatusOr<v1::ListTechniciansResponse> SchedulingQueries::ListTechnicians(
    const Caller& caller, const v1::ListTechniciansRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "the technician list"); !s.ok()) return s;
  auto page_size = ValidatePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = ValidateText("skill", request.skill(), 64, false); !s.ok()) return s;
  if (absl::Status s = ValidateId("zone_id", request.zone_id(), false); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  // Both indexes list by lower-case name, then id.
  const std::string skill = absl::AsciiStrToLower(absl::StripAsciiWhitespace(request.skill()));
  const bool by_skill = !skill.empty();
  const std::string prefix = by_skill ? KeyBuilder().String(caller.tenant).String(skill).key()
                                      : TenantPrefix(caller.tenant);
  const auto store = options_.projection->store();
  v1::ListTechniciansResponse response;
  PageRequest page{request.page_token()};
  // Each scan asks for no more than the page still lacks, so its cursor (the last entry looked at)
  // never passes a match this page leaves out.
  while (true) {
    page.limit = static_cast<size_t>(*page_size - response.technicians_size());
    auto rows = TechnicianTable().ScanIndex(*store, by_skill ? "skill" : "name", prefix, page);
    if (absl::IsInvalidArgument(rows.status())) return Invalid("page_token", "not from this query");
    if (!rows.ok()) return rows.status();
    for (v1::TechnicianRow& row : rows->rows) {
      const v1::Technician& technician = row.technician();
      if (!request.include_inactive() && !technician.active()) continue;
      if (!request.zone_id().empty() && technician.home_zone_id() != request.zone_id()) continue;
      *response.add_technicians() = std::move(*row.mutable_technician());
    }
    if (rows->next_cursor.empty()) break;
    if (response.technicians_size() == *page_size) {
      response.set_next_page_token(rows->next_cursor);
      break;
    }
    page.cursor = std::move(rows->next_cursor);
  }
  return response;
}

absl::StatusOr<v1::Crew> SchedulingQueries::GetCrew(const Caller& caller,
                                                    const v1::GetCrewRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "crews"); !s.ok()) return s;
  if (absl::Status s = ValidateId("crew_id", request.crew_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto row =
      CrewTable().Get(*options_.projection->store(), PrimaryKey(caller.tenant, request.crew_id()));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return NotFound("crew", request.crew_id());
  return std::move(*(*row)->mutable_crew());
}

absl::StatusOr<v1::ListCrewsResponse> SchedulingQueries::ListCrews(
    const Caller& caller, const v1::ListCrewsRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "the crew list"); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto rows =
      ReadAll(CrewTable(), *options_.projection->store(), "name", TenantPrefix(caller.tenant));
  if (!rows.ok()) return rows.status();
  v1::ListCrewsResponse response;
  for (v1::CrewRow& row : *rows) *response.add_crews() = std::move(*row.mutable_crew());
  return response;
}

absl::StatusOr<v1::ListServiceZonesResponse> SchedulingQueries::ListServiceZones(
    const Caller& caller, const v1::ListServiceZonesRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "the zone list"); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto rows =
      ReadAll(ZoneTable(), *options_.projection->store(), "name", TenantPrefix(caller.tenant));
  if (!rows.ok()) return rows.status();
  v1::ListServiceZonesResponse response;
  for (v1::ZoneRow& row : *rows) *response.add_zones() = std::move(*row.mutable_zone());
  return response;
}

// ---- appointments and dispatch

absl::StatusOr<v1::JobSchedule> SchedulingQueries::GetJobSchedule(
    const Caller& caller, const v1::GetJobScheduleRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  auto row = ScheduleTable().Get(*store, PrimaryKey(caller.tenant, request.job_id()));
  if (!row.ok()) return row.status();
  if (!caller.sees_everything()) {
    // A technician sees the whole schedule of a job they go on (on any of its visits).
    const bool goes_on = row->has_value() && std::any_of((*row)->schedule().appointments().begin(),
                                                         (*row)->schedule().appointments().end(),
                                                         [&](const v1::Appointment& a) {
                                                           return GoesOn(a, caller.user_id);
                                                         });
    if (!goes_on) return NotFound("job", request.job_id());
  }
  if (row->has_value()) return std::move(*(*row)->mutable_schedule());
  // A known job without visits yet has an empty schedule.
  auto job = JobOf(caller, request.job_id());
  if (!job.ok()) return job.status();
  v1::JobSchedule empty;
  empty.set_job_id(request.job_id());
  return empty;
}

absl::StatusOr<v1::AppointmentsResponse> SchedulingQueries::ListUnassigned(
    const Caller& caller, const v1::ListUnassignedRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "the unassigned list"); !s.ok()) return s;
  auto day = DayOr("date", request.date(), Today());
  if (!day.ok()) return day.status();
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  AppointmentLookup lookup(*store, caller.tenant);
  v1::AppointmentsResponse response;
  if (absl::Status s =
          AddUnassigned(*store, caller.tenant, *day, lookup, *response.mutable_appointments());
      !s.ok()) {
    return s;
  }
  SortAppointments(*response.mutable_appointments());
  return response;
}

absl::StatusOr<v1::AppointmentsResponse> SchedulingQueries::GetTechnicianSchedule(
    const Caller& caller, const v1::GetTechnicianScheduleRequest& request) const {
  auto id = TechnicianIdOf(caller, request.technician_id());
  if (!id.ok()) return id.status();
  auto first = DayOr("first_day", request.first_day(), Today());
  if (!first.ok()) return first.status();
  auto days = CountOf("days", request.days(), 1, 7);
  if (!days.ok()) return days.status();
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  if (auto technician = ReadTechnician(*store, caller.tenant, *id); !technician.ok()) {
    return technician.status();
  }
  CalendarReader calendars(*store, caller.tenant);
  AppointmentLookup lookup(*store, caller.tenant);
  v1::AppointmentsResponse response;
  if (absl::Status s =
          AddAppointmentsOf(calendars, *id, LocalDays(*first, *first + (*days - 1), options_.zone),
                            lookup, *response.mutable_appointments());
      !s.ok()) {
    return s;
  }
  return response;
}

absl::StatusOr<v1::GetBoardResponse> SchedulingQueries::GetBoard(
    const Caller& caller, const v1::GetBoardRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "the board"); !s.ok()) return s;
  auto first = DayOr("first_day", request.first_day(), Today());
  if (!first.ok()) return first.status();
  auto last = DayOr("last_day", request.last_day(), *first);
  if (!last.ok()) return last.status();
  common::v1::LocalDate first_proto;
  common::v1::LocalDate last_proto;
  LocalDateToProto(*first, &first_proto);
  LocalDateToProto(*last, &last_proto);
  if (absl::Status s =
          ValidateDayRange("first_day", first_proto, "last_day", last_proto, kMaxBoardDays);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  const auto store = options_.projection->store();
  const TimeRange range = LocalDays(*first, *last, options_.zone);
  auto technicians = cache_->ActiveTechnicians(store, caller.tenant);
  if (!technicians.ok()) return technicians.status();
  CalendarReader calendars(*cache_, store, caller.tenant);
  AppointmentLookup lookup(*store, caller.tenant);
  v1::GetBoardResponse response;
  for (const v1::Technician& technician : **technicians) {
    v1::TechnicianAppointments& entry = *response.add_technicians();
    entry.set_technician_id(technician.technician_id());
    entry.set_name(technician.name());
    if (absl::Status s = AddAppointmentsOf(calendars, technician.technician_id(), range, lookup,
                                           *entry.mutable_appointments());
        !s.ok()) {
      return s;
    }
  }
  for (absl::CivilDay day = *first; day <= *last; ++day) {
    if (absl::Status s =
            AddUnassigned(*store, caller.tenant, day, lookup, *response.mutable_unassigned());
        !s.ok()) {
      return s;
    }
  }
  SortAppointments(*response.mutable_unassigned());
  return response;
}

absl::StatusOr<v1::FindFreeSlotsResponse> SchedulingQueries::FindFreeSlots(
    const Caller& caller, const v1::FindFreeSlotsRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "free slots"); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  auto first = DayOr("first_day", request.first_day(), Today());
  if (!first.ok()) return first.status();
  auto days = CountOf("days", request.days(), 7, 14);
  if (!days.ok()) return days.status();
  if (absl::Status s = ValidateDuration(request.duration_minutes()); !s.ok()) return s;
  auto max_slots = CountOf("max_slots", request.max_slots(), 50, 500);
  if (!max_slots.ok()) return max_slots.status();
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  const auto store = options_.projection->store();
  auto job = JobOf(caller, request.job_id());
  if (!job.ok()) return job.status();
  const Strings skills = NormalizedSkills(job->required_skills());
  const absl::Duration duration =
      VisitLength(request.duration_minutes(), *job, absl::Minutes(kDefaultSlotMinutes));
  const TimeRange range = LocalDays(*first, *first + (*days - 1), options_.zone);
  // Parsed once per change of their rows, not per search (ReadCache).
  auto technicians = cache_->ActiveTechnicians(store, caller.tenant);
  if (!technicians.ok()) return technicians.status();
  CalendarReader calendars(*cache_, store, caller.tenant, /*ids=*/false);
  std::vector<Candidate> candidates;
  for (const v1::Technician& technician : **technicians) {
    // Only those who could take the job.
    if (!HasSkills(technician, skills)) continue;
    auto bookings = calendars.BookingsOf(technician.technician_id(), range);
    if (!bookings.ok()) return bookings.status();
    candidates.push_back({&technician, *std::move(bookings), false});
  }
  v1::FindFreeSlotsResponse response;
  for (v1::FreeSlot& slot :
       scheduling::FindFreeSlots(candidates, skills, range, duration, *max_slots, options_.zone)) {
    *response.add_slots() = std::move(slot);
  }
  return response;
}

absl::StatusOr<v1::SuggestTechniciansResponse> SchedulingQueries::SuggestTechnicians(
    const Caller& caller, const v1::SuggestTechniciansRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "suggestions"); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (!request.has_window()) return Invalid("window", "required");
  if (absl::Status s = ValidateWindow("window", request.window()); !s.ok()) return s;
  if (absl::Status s = ValidateDuration(request.duration_minutes()); !s.ok()) return s;
  auto max_results = CountOf("max_results", request.max_results(), 10, 100);
  if (!max_results.ok()) return max_results.status();
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;

  const auto store = options_.projection->store();
  auto job = JobOf(caller, request.job_id());
  if (!job.ok()) return job.status();
  const absl::Time start = TimeFromProto(request.window().start());
  const absl::Time end = TimeFromProto(request.window().end());
  const TimeRange want = OccupiedRange(
      start, end,
      VisitLength(request.duration_minutes(), *job, absl::Ceil(end - start, absl::Minutes(1))));
  // Conflicts need the visit's bookings; the load needs its whole local day's.
  const TimeRange day = LocalDayRange(LocalDay(want.start, options_.zone), options_.zone);
  const TimeRange read{std::min(want.start, day.start), std::max(want.end, day.end)};
  auto technicians = cache_->ActiveTechnicians(store, caller.tenant);
  if (!technicians.ok()) return technicians.status();
  CalendarReader calendars(*cache_, store, caller.tenant);
  ZoneLookup zones(*store, caller.tenant, job->postal_code());
  std::vector<Candidate> candidates;
  candidates.reserve((*technicians)->size());
  for (const v1::Technician& technician : **technicians) {
    auto bookings = calendars.BookingsOf(technician.technician_id(), read);
    if (!bookings.ok()) return bookings.status();
    auto in_home_zone = zones.Contains(technician.home_zone_id());
    if (!in_home_zone.ok()) return in_home_zone.status();
    candidates.push_back({&technician, *std::move(bookings), *in_home_zone});
  }
  v1::SuggestTechniciansResponse response;
  for (v1::TechnicianSuggestion& suggestion :
       RankTechnicians(candidates, NormalizedSkills(job->required_skills()), want, *max_results,
                       options_.zone)) {
    *response.add_suggestions() = std::move(suggestion);
  }
  return response;
}

// ---- where technicians are

absl::StatusOr<v1::GetLiveMapResponse> SchedulingQueries::GetLiveMap(
    const Caller& caller, const v1::GetLiveMapRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "the live map"); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  auto technicians = cache_->ActiveTechnicians(store, caller.tenant);
  if (!technicians.ok()) return technicians.status();
  v1::GetLiveMapResponse response;
  for (const v1::Technician& technician : **technicians) {
    auto track = TrackTable().Get(*store, PrimaryKey(caller.tenant, technician.technician_id()));
    if (!track.ok()) return track.status();
    if (!track->has_value() || !(*track)->track().has_last_ping()) continue;
    auto clock =
        GetMessage<v1::ClockState>(*store, ClockKey(caller.tenant, technician.technician_id()));
    if (!clock.ok()) return clock.status();
    v1::TechnicianLocation& location = *response.add_technicians();
    location.set_technician_id(technician.technician_id());
    location.set_name(technician.name());
    *location.mutable_last_ping() = (*track)->track().last_ping();
    location.set_clocked_into_job_id(clock->job_id());
  }
  return response;
}

absl::StatusOr<v1::GetBreadcrumbsResponse> SchedulingQueries::GetBreadcrumbs(
    const Caller& caller, const v1::GetBreadcrumbsRequest& request) const {
  auto id = TechnicianIdOf(caller, request.technician_id());
  if (!id.ok()) return id.status();
  auto day = DayOr("date", request.date(), Today());
  if (!day.ok()) return day.status();
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  if (auto technician = ReadTechnician(*store, caller.tenant, *id); !technician.ok()) {
    return technician.status();
  }
  const TimeRange range = LocalDayRange(*day, options_.zone);
  const std::string lower = PingKey(caller.tenant, *id, range.start);
  const std::string upper = PingKey(caller.tenant, *id, range.end);
  v1::GetBreadcrumbsResponse response;
  auto it = store->NewIterator(lower, upper);
  for (it->Seek(lower); it->Valid(); it->Next()) {
    if (!response.add_pings()->ParseFromArray(it->value().data(),
                                              static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("a ping of technician ", *id, " does not parse"));
    }
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  return response;
}

// ---- agreements

absl::StatusOr<v1::Agreement> SchedulingQueries::GetAgreement(
    const Caller& caller, const v1::GetAgreementRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "agreements"); !s.ok()) return s;
  if (absl::Status s = ValidateId("agreement_id", request.agreement_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto row = AgreementTable().Get(*options_.projection->store(),
                                  PrimaryKey(caller.tenant, request.agreement_id()));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return NotFound("agreement", request.agreement_id());
  return std::move(*(*row)->mutable_agreement());
}

absl::StatusOr<v1::ListAgreementsResponse> SchedulingQueries::ListAgreements(
    const Caller& caller, const v1::ListAgreementsRequest& request) const {
  if (absl::Status s = OfficeOnly(caller, "agreements"); !s.ok()) return s;
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), false); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  const auto store = options_.projection->store();
  auto rows = request.customer_id().empty()
                  ? ReadAll(AgreementTable(), *store, "", TenantPrefix(caller.tenant))
                  : ReadAll(AgreementTable(), *store, "customer",
                            KeyBuilder().String(caller.tenant).String(request.customer_id()).key());
  if (!rows.ok()) return rows.status();
  v1::ListAgreementsResponse response;
  for (v1::AgreementRow& row : *rows) {
    *response.add_agreements() = std::move(*row.mutable_agreement());
  }
  return response;
}

}  // namespace jobledger::scheduling
