// Keys and tables of the scheduling read model.
#include "projections/scheduling_tables.h"

#include "absl/strings/ascii.h"

namespace jobledger::scheduling {
namespace {

using projection::KeyBuilder;
using projection::Table;

KeyBuilder Kind(absl::string_view kind, absl::string_view tenant) {
  KeyBuilder key;
  key.String(kind).String(tenant);
  return key;
}

int64_t DayNumber(absl::CivilDay day) { return day - absl::CivilDay(1970, 1, 1); }

std::string Lower(absl::string_view text) { return absl::AsciiStrToLower(text); }

template <typename Row>
typename Table<Row>::Index ByName(std::function<const std::string&(const Row&)> name_of) {
  return {"name", [name_of](const Row& row) {
            return std::vector<std::string>{
                KeyBuilder().String(row.tenant()).String(Lower(name_of(row))).key()};
          }};
}

}  // namespace

std::string PrimaryKey(absl::string_view tenant, absl::string_view id) {
  return KeyBuilder().String(tenant).String(id).key();
}

std::string TenantPrefix(absl::string_view tenant) { return KeyBuilder().String(tenant).key(); }

const Table<v1::TechnicianRow>& TechnicianTable() {
  using Index = Table<v1::TechnicianRow>::Index;
  static const auto* table = new Table<v1::TechnicianRow>(
      "technicians",
      [](const v1::TechnicianRow& row) {
        return PrimaryKey(row.tenant(), row.technician().technician_id());
      },
      {ByName<v1::TechnicianRow>([](const v1::TechnicianRow& row) -> const std::string& {
         return row.technician().name();
       }),
       Index{"skill", [](const v1::TechnicianRow& row) {
               std::vector<std::string> keys;
               for (const v1::Skill& skill : row.technician().skills()) {
                 keys.push_back(KeyBuilder()
                                    .String(row.tenant())
                                    .String(skill.name())
                                    .String(Lower(row.technician().name()))
                                    .key());
               }
               return keys;
             }}});
  return *table;
}

const Table<v1::CrewRow>& CrewTable() {
  static const auto* table = new Table<v1::CrewRow>(
      "crews",
      [](const v1::CrewRow& row) { return PrimaryKey(row.tenant(), row.crew().crew_id()); },
      {ByName<v1::CrewRow>(
          [](const v1::CrewRow& row) -> const std::string& { return row.crew().name(); })});
  return *table;
}

const Table<v1::ZoneRow>& ZoneTable() {
  static const auto* table = new Table<v1::ZoneRow>(
      "zones",
      [](const v1::ZoneRow& row) { return PrimaryKey(row.tenant(), row.zone().zone_id()); },
      {ByName<v1::ZoneRow>(
          [](const v1::ZoneRow& row) -> const std::string& { return row.zone().name(); })});
  return *table;
}

const Table<v1::ScheduleRow>& ScheduleTable() {
  static const auto* table = new Table<v1::ScheduleRow>(
      "schedules",
      [](const v1::ScheduleRow& row) { return PrimaryKey(row.tenant(), row.schedule().job_id()); });
  return *table;
}

const Table<v1::AgreementRow>& AgreementTable() {
  using Index = Table<v1::AgreementRow>::Index;
  static const auto* table = new Table<v1::AgreementRow>(
      "agreements",
      [](const v1::AgreementRow& row) {
        return PrimaryKey(row.tenant(), row.agreement().agreement_id());
      },
      {Index{"customer",
             [](const v1::AgreementRow& row) {
               return std::vector<std::string>{
                   KeyBuilder().String(row.tenant()).String(row.agreement().customer_id()).key()};
             }},
       Index{"active", [](const v1::AgreementRow& row) {
               if (!row.agreement().active()) return std::vector<std::string>{};
               return std::vector<std::string>{KeyBuilder().key()};
             }}});
  return *table;
}

const Table<v1::TrackRow>& TrackTable() {
  static const auto* table = new Table<v1::TrackRow>("tracks", [](const v1::TrackRow& row) {
    return PrimaryKey(row.tenant(), row.track().technician_id());
  });
  return *table;
}

int64_t UtcDayOf(absl::Time t) {
  const int64_t seconds = absl::ToUnixSeconds(t);  // rounds down
  return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

std::string CalendarDayKey(absl::string_view tenant, absl::string_view technician_id,
                           int64_t utc_day) {
  return Kind("cal", tenant).Int64(utc_day).String(technician_id).key();
}
std::string CalendarDayPrefix(absl::string_view tenant, int64_t utc_day) {
  return Kind("cal", tenant).Int64(utc_day).key();
}

std::string TechniciansVersionKey(absl::string_view tenant) {
  return Kind("version", tenant).String("technicians").key();
}
std::string CalendarDayVersionKey(absl::string_view tenant, int64_t utc_day) {
  return Kind("version", tenant).String("cal").Int64(utc_day).key();
}

absl::StatusOr<int64_t> ReadVersion(const projection::StateReader& state, absl::string_view key) {
  auto bytes = state.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return 0;
  if ((*bytes)->size() != sizeof(uint64_t)) {
    return absl::DataLossError("a change counter is not 8 bytes");
  }
  uint64_t value = 0;
  for (unsigned char byte : **bytes) value = value << 8 | byte;
  return static_cast<int64_t>(value);
}

absl::Status BumpVersion(projection::StateWriter& state, absl::string_view key) {
  auto version = ReadVersion(state, key);
  if (!version.ok()) return version.status();
  uint64_t value = static_cast<uint64_t>(*version) + 1;
  char bytes[sizeof(uint64_t)];
  for (int i = sizeof(bytes) - 1; i >= 0; --i, value >>= 8) bytes[i] = static_cast<char>(value);
  state.Put(key, absl::string_view(bytes, sizeof(bytes)));
  return absl::OkStatus();
}

std::string DayAppointmentKey(absl::string_view tenant, absl::CivilDay day, absl::Time start,
                              absl::string_view appointment_id) {
  return Kind("day", tenant).Int64(DayNumber(day)).Time(start).String(appointment_id).key();
}
std::string DayAppointmentPrefix(absl::string_view tenant, absl::CivilDay day) {
  return Kind("day", tenant).Int64(DayNumber(day)).key();
}
std::string UnassignedKey(absl::string_view tenant, absl::CivilDay day, absl::Time start,
                          absl::string_view appointment_id) {
  return Kind("unassigned", tenant).Int64(DayNumber(day)).Time(start).String(appointment_id).key();
}
std::string UnassignedPrefix(absl::string_view tenant, absl::CivilDay day) {
  return Kind("unassigned", tenant).Int64(DayNumber(day)).key();
}

std::string JobInfoKey(absl::string_view tenant, absl::string_view job_id) {
  return Kind("job", tenant).String(job_id).key();
}
std::string ClockKey(absl::string_view tenant, absl::string_view technician_id) {
  return Kind("clock", tenant).String(technician_id).key();
}

std::string PingKey(absl::string_view tenant, absl::string_view technician_id, absl::Time at) {
  return Kind("ping", tenant).String(technician_id).Time(at).key();
}

}  // namespace jobledger::scheduling
