#include "domain/bulk_items.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::scheduling {
namespace {

google::protobuf::Timestamp ShiftDays(const google::protobuf::Timestamp& time, int days,
                                      absl::TimeZone zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(TimeFromProto(time), zone);
  return ProtoFromTime(AtLocalTime(local + int64_t{days} * 86400, zone));
}

}  // namespace

common::v1::CommandMeta BulkItemMeta(const common::v1::CommandMeta& bulk,
                                     absl::string_view appointment_id) {
  common::v1::CommandMeta meta;
  if (!bulk.idempotency_key().empty()) {
    meta.set_idempotency_key(absl::StrCat(bulk.idempotency_key(), "/", appointment_id));
  }
  if (bulk.has_occurred_at()) *meta.mutable_occurred_at() = bulk.occurred_at();
  return meta;
}

absl::StatusOr<v1::ReassignAppointmentRequest> BulkReassignItem(const v1::BulkReassignRequest& bulk,
                                                                const std::string& job_id,
                                                                const v1::Appointment& current) {
  const auto& direct = current.technician_ids();
  if (std::find(direct.begin(), direct.end(), bulk.from_technician_id()) == direct.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("technician ", bulk.from_technician_id(),
                     " goes through a crew: change the crew's members instead"));
  }
  v1::ReassignAppointmentRequest item;
  *item.mutable_meta() = BulkItemMeta(bulk.meta(), current.appointment_id());
  item.set_job_id(job_id);
  item.set_appointment_id(current.appointment_id());
  for (const std::string& technician : direct) {
    if (technician != bulk.from_technician_id()) item.add_technician_ids(technician);
  }
  if (std::find(direct.begin(), direct.end(), bulk.to_technician_id()) == direct.end()) {
    item.add_technician_ids(bulk.to_technician_id());
  }
  *item.mutable_crew_ids() = current.crew_ids();
  item.set_reason(bulk.reason());
  item.set_allow_overlap(bulk.allow_overlap());
  return item;
}

v1::RescheduleAppointmentRequest BulkRescheduleItem(const v1::BulkRescheduleRequest& bulk,
                                                    const std::string& job_id,
                                                    const v1::Appointment& current,
                                                    absl::TimeZone zone) {
  v1::RescheduleAppointmentRequest item;
  *item.mutable_meta() = BulkItemMeta(bulk.meta(), current.appointment_id());
  item.set_job_id(job_id);
  item.set_appointment_id(current.appointment_id());
  *item.mutable_window()->mutable_start() =
      ShiftDays(current.window().start(), bulk.days_forward(), zone);
  *item.mutable_window()->mutable_end() =
      ShiftDays(current.window().end(), bulk.days_forward(), zone);
  item.set_reason(bulk.reason());
  item.set_allow_overlap(bulk.allow_overlap());
  return item;
}

}  // namespace jobledger::scheduling
