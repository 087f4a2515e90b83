// Reading causes out of the job, scheduling and billing events.
#include "domain/causes.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "jobledger/billing/v1/events.pb.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"

namespace jobledger::notification {
namespace {

namespace sched = scheduling::v1;

template <typename Message>
bool Is(const events::v1::Event& event) {
  return event.envelope().type() == Message::descriptor()->full_name();
}

template <typename Message>
absl::StatusOr<Message> Parse(const events::v1::Event& event) {
  Message message;
  if (!message.ParseFromString(event.payload())) {
    return absl::DataLossError(
        absl::StrCat("a ", event.envelope().type(), " payload does not parse"));
  }
  return message;
}

// The ids in `ids` that are not in `other`, in order.
std::vector<std::string> Without(const google::protobuf::RepeatedPtrField<std::string>& ids,
                                 const google::protobuf::RepeatedPtrField<std::string>& other) {
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    if (std::find(other.begin(), other.end(), id) == other.end()) out.push_back(id);
  }
  return out;
}

std::vector<std::string> Both(const google::protobuf::RepeatedPtrField<std::string>& a,
                              const google::protobuf::RepeatedPtrField<std::string>& b) {
  std::vector<std::string> out(a.begin(), a.end());
  for (const std::string& id : b) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

absl::StatusOr<std::optional<Cause>> SchedulingCause(const events::v1::Event& event) {
  Cause cause;
  if (Is<sched::AppointmentScheduled>(event)) {
    auto e = Parse<sched::AppointmentScheduled>(event);
    if (!e.ok()) return e.status();
    cause.trigger = v1::TRIGGER_APPOINTMENT_SCHEDULED;
    cause.job_id = e->job_id();
    cause.appointment_id = e->appointment_id();
    cause.window = e->window();
    cause.technicians_told = Both(e->technician_ids(), e->crew_member_ids());
    cause.technicians_named =
        std::vector<std::string>(e->technician_ids().begin(), e->technician_ids().end());
    return cause;
  }
  if (Is<sched::AppointmentRescheduled>(event)) {
    auto e = Parse<sched::AppointmentRescheduled>(event);
    if (!e.ok()) return e.status();
    cause.trigger = v1::TRIGGER_APPOINTMENT_RESCHEDULED;
    cause.job_id = e->job_id();
    cause.appointment_id = e->appointment_id();
    cause.window = e->window();
    if (e->has_previous_window()) cause.previous_window = e->previous_window();
    cause.technicians_from_appointment = true;
    return cause;
  }
  if (Is<sched::AppointmentReassigned>(event)) {
    auto e = Parse<sched::AppointmentReassigned>(event);
    if (!e.ok()) return e.status();
    cause.trigger = v1::TRIGGER_APPOINTMENT_REASSIGNED;
    cause.job_id = e->job_id();
    cause.appointment_id = e->appointment_id();
    const std::vector<std::string> now = Both(e->technician_ids(), e->crew_member_ids());
    const std::vector<std::string> before =
        Both(e->previous_technician_ids(), e->previous_crew_member_ids());
    google::protobuf::RepeatedPtrField<std::string> now_ids(now.begin(), now.end());
    google::protobuf::RepeatedPtrField<std::string> before_ids(before.begin(), before.end());
    // Both the old and the new technicians hear of it; one who stays does not.
    cause.technicians_told = Without(now_ids, before_ids);
    for (const std::string& id : Without(before_ids, now_ids)) cause.technicians_told.push_back(id);
    cause.technicians_named =
        std::vector<std::string>(e->technician_ids().begin(), e->technician_ids().end());
    return cause;
  }
  if (Is<sched::DispatchStateChanged>(event)) {
    auto e = Parse<sched::DispatchStateChanged>(event);
    if (!e.ok()) return e.status();
    if (e->state() == sched::DISPATCH_STATE_EN_ROUTE) {
      cause.trigger = v1::TRIGGER_TECHNICIAN_EN_ROUTE;
    } else if (e->state() == sched::DISPATCH_STATE_ARRIVED) {
      cause.trigger = v1::TRIGGER_TECHNICIAN_ARRIVED;
    } else {
      return std::nullopt;
    }
    cause.job_id = e->job_id();
    cause.appointment_id = e->appointment_id();
    cause.technicians_named = {e->technician_id()};
    return cause;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::optional<Cause>> CauseOf(const events::v1::Event& event) {
  Cause cause;
  if (Is<job::v1::JobStatusChanged>(event)) {
    auto e = Parse<job::v1::JobStatusChanged>(event);
    if (!e.ok()) return e.status();
    if (e->to() != job::v1::JOB_STATUS_COMPLETED) return std::nullopt;
    cause.trigger = v1::TRIGGER_JOB_COMPLETED;
    cause.job_id = event.envelope().aggregate_id();
    return cause;
  }
  if (Is<billing::v1::InvoiceIssued>(event)) {
    if (auto e = Parse<billing::v1::InvoiceIssued>(event); !e.ok()) return e.status();
    cause.trigger = v1::TRIGGER_INVOICE_ISSUED;
    cause.invoice_id = event.envelope().aggregate_id();
    return cause;
  }
  if (Is<billing::v1::PaymentRecorded>(event)) {
    auto e = Parse<billing::v1::PaymentRecorded>(event);
    if (!e.ok()) return e.status();
    cause.trigger = v1::TRIGGER_PAYMENT_RECEIVED;
    cause.invoice_id = event.envelope().aggregate_id();
    cause.payment = e->payment().amount();
    return cause;
  }
  return SchedulingCause(event);
}

}  // namespace jobledger::notification
