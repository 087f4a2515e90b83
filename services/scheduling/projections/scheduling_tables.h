// The scheduling service's read model: the tables its projection writes and its commands and
// queries read. Every key starts with a kind and the tenant, so no scan ever crosses tenants.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "jobledger/projection/state.h"
#include "jobledger/projection/table.h"
#include "jobledger/scheduling/v1/rows.pb.h"

namespace jobledger::scheduling {

// Aggregates with the heads of their chains; primary key PrimaryKey(tenant, id).
// Technicians: indexes "name" (tenant, lower-case name) and "skill" (tenant, skill, name).
const projection::Table<v1::TechnicianRow>& TechnicianTable();
const projection::Table<v1::CrewRow>& CrewTable();  // index "name"
const projection::Table<v1::ZoneRow>& ZoneTable();  // index "name"
const projection::Table<v1::ScheduleRow>& ScheduleTable();
// Indexes "customer" (tenant, customer) and "active" (active agreements of every tenant).
const projection::Table<v1::AgreementRow>& AgreementTable();
const projection::Table<v1::TrackRow>& TrackTable();
std::string PrimaryKey(absl::string_view tenant, absl::string_view id);
// The prefix of a tenant's entries in an index whose entries start with the tenant.
std::string TenantPrefix(absl::string_view tenant);

// A technician's bookings by UTC day (value CalendarDay): what conflict checks and free-slot
// searches read. UTC days keep the buckets independent of any time zone. Keyed by day, then
// technician, so that a search over many technicians reads each day with one range scan.
int64_t UtcDayOf(absl::Time t);
std::string CalendarDayKey(absl::string_view tenant, absl::string_view technician_id,
                           int64_t utc_day);
std::string CalendarDayPrefix(absl::string_view tenant, int64_t utc_day);

// Change counters, bumped in the same batch as the rows they cover, so that a query can tell
// with one point read whether rows it parsed earlier are still what the store holds: a tenant's
// technician rows, and a tenant's calendar rows of one UTC day. Absent counts as 0.
std::string TechniciansVersionKey(absl::string_view tenant);
std::string CalendarDayVersionKey(absl::string_view tenant, int64_t utc_day);
absl::StatusOr<int64_t> ReadVersion(const projection::StateReader& state, absl::string_view key);
[[nodiscard]] absl::Status BumpVersion(projection::StateWriter& state, absl::string_view key);

// Scheduled appointments by local day and start (value: the job id), and those with nobody
// assigned.
std::string DayAppointmentKey(absl::string_view tenant, absl::CivilDay day, absl::Time start,
                              absl::string_view appointment_id);
std::string DayAppointmentPrefix(absl::string_view tenant, absl::CivilDay day);
std::string UnassignedKey(absl::string_view tenant, absl::CivilDay day, absl::Time start,
                          absl::string_view appointment_id);
std::string UnassignedPrefix(absl::string_view tenant, absl::CivilDay day);

// What the job service's events say about a job (value JobInfo), and the job each technician is
// clocked into (value ClockState).
std::string JobInfoKey(absl::string_view tenant, absl::string_view job_id);
std::string ClockKey(absl::string_view tenant, absl::string_view technician_id);

// GPS pings by technician and time (value LocationPing).
std::string PingKey(absl::string_view tenant, absl::string_view technician_id, absl::Time at);

// A protobuf value by key; an empty message when the key is absent.
template <typename Message>
absl::StatusOr<Message> GetMessage(const projection::StateReader& state, absl::string_view key) {
  Message message;
  auto bytes = state.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (bytes->has_value() && !message.ParseFromString(**bytes)) {
    return absl::DataLossError(
        absl::StrCat("the row at a ", Message::descriptor()->name(), " key does not parse"));
  }
  return message;
}

}  // namespace jobledger::scheduling
