// Applying the four topics to the notification read model.
#include "projections/notification_projection.h"

#include "absl/strings/str_cat.h"
#include "domain/billing_evolve.h"  // the billing service's: invoices as their events make them
#include "domain/evolve.h"          // the job service's: jobs and customers
#include "domain/job_events.h"
#include "domain/notification_evolve.h"
#include "jobledger/aggregate/event_variant.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "projections/notification_tables.h"

namespace jobledger::notification {
namespace {

using aggregate::ApplyToRow;
using events::v1::Envelope;
using projection::StateWriter;
namespace sched = scheduling::v1;

absl::Status ApplyOwnEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  const std::string& type = envelope.aggregate_type();
  if (type == kMessageAggregate) {
    return ApplyToRow<MessageEvent>(event, MessageTable(), key, &v1::MessageRow::mutable_message,
                                    EvolveMessage, state)
        .status();
  }
  if (type == kSettingsAggregate) {
    return ApplyToRow<SettingsEvent>(event, SettingsTable(), key,
                                     &v1::SettingsRow::mutable_settings, EvolveSettings, state)
        .status();
  }
  if (type == kTemplateAggregate) {
    return ApplyToRow<TemplateEvent>(event, TemplateTable(), key,
                                     &v1::TemplateRow::mutable_template_, EvolveTemplate, state)
        .status();
  }
  return absl::DataLossError(absl::StrCat("no notification aggregate is called ", type));
}

absl::Status ApplyJobTopicEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  if (envelope.aggregate_type() == "customer") {
    return ApplyToRow<job::CustomerEvent>(event, CustomerCopyTable(), key,
                                          &v1::CustomerCopyRow::mutable_customer,
                                          job::EvolveCustomer, state)
        .status();
  }
  if (envelope.aggregate_type() != "job") return absl::OkStatus();
  return ApplyToRow<job::JobEvent>(event, JobCopyTable(), key, &v1::JobCopyRow::mutable_job,
                                   job::EvolveJob, state)
      .status();
}

// ---- scheduling: technicians' names and numbers, appointments' windows and technicians

using SchedulingFact = std::variant<sched::TechnicianRegistered, sched::TechnicianUpdated,
                                    sched::AppointmentScheduled, sched::AppointmentRescheduled,
                                    sched::AppointmentReassigned, sched::AppointmentCancelled>;

template <typename Technician>
absl::Status PutTechnician(StateWriter& state, const std::string& tenant, const Technician& e) {
  v1::TechnicianCopyRow row;
  row.set_tenant(tenant);
  row.set_technician_id(e.technician_id());
  row.set_name(e.name());
  row.set_phone(e.phone());
  row.set_email(e.email());
  return TechnicianCopyTable().Put(state, row);
}

// Changes the stored appointment; one never scheduled (a log that starts midway) is left alone.
template <typename Change>
absl::Status ChangeAppointment(StateWriter& state, const std::string& tenant,
                               const std::string& appointment_id, Change change) {
  auto stored = AppointmentCopyTable().Get(state, PrimaryKey(tenant, appointment_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return absl::OkStatus();
  v1::AppointmentCopyRow row = **stored;
  change(*row.mutable_appointment());
  return AppointmentCopyTable().Put(state, row, *stored);
}

absl::Status ApplySchedulingEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  auto fact = DecodeEventAs<SchedulingFact>(envelope.type(), event.payload());
  if (absl::IsNotFound(fact.status())) return absl::OkStatus();  // not one it needs
  if (!fact.ok()) return fact.status();
  const std::string& tenant = envelope.tenant();
  if (const auto* e = std::get_if<sched::TechnicianRegistered>(&*fact)) {
    return PutTechnician(state, tenant, *e);
  }
  if (const auto* e = std::get_if<sched::TechnicianUpdated>(&*fact)) {
    return PutTechnician(state, tenant, *e);
  }
  if (const auto* e = std::get_if<sched::AppointmentScheduled>(&*fact)) {
    v1::AppointmentCopyRow row;
    row.set_tenant(tenant);
    sched::Appointment& appointment = *row.mutable_appointment();
    appointment.set_appointment_id(e->appointment_id());
    appointment.set_job_id(e->job_id());
    *appointment.mutable_date() = e->date();
    *appointment.mutable_window() = e->window();
    appointment.set_duration_minutes(e->duration_minutes());
    *appointment.mutable_technician_ids() = e->technician_ids();
    *appointment.mutable_crew_ids() = e->crew_ids();
    *appointment.mutable_crew_member_ids() = e->crew_member_ids();
    appointment.set_status(sched::APPOINTMENT_STATUS_SCHEDULED);
    return AppointmentCopyTable().Put(state, row);
  }
  if (const auto* e = std::get_if<sched::AppointmentRescheduled>(&*fact)) {
    return ChangeAppointment(state, tenant, e->appointment_id(), [&](sched::Appointment& a) {
      *a.mutable_date() = e->date();
      *a.mutable_window() = e->window();
      a.set_duration_minutes(e->duration_minutes());
    });
  }
  if (const auto* e = std::get_if<sched::AppointmentReassigned>(&*fact)) {
    return ChangeAppointment(state, tenant, e->appointment_id(), [&](sched::Appointment& a) {
      *a.mutable_technician_ids() = e->technician_ids();
      *a.mutable_crew_ids() = e->crew_ids();
      *a.mutable_crew_member_ids() = e->crew_member_ids();
    });
  }
  const auto& cancelled = std::get<sched::AppointmentCancelled>(*fact);
  return ChangeAppointment(state, tenant, cancelled.appointment_id(), [&](sched::Appointment& a) {
    a.set_status(sched::APPOINTMENT_STATUS_CANCELLED);
    a.set_cancel_reason(cancelled.reason());
  });
}

absl::Status ApplyBillingEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  if (envelope.aggregate_type() != billing::kInvoiceAggregate) return absl::OkStatus();
  return ApplyToRow<billing::InvoiceEvent>(
             event, InvoiceCopyTable(), PrimaryKey(envelope.tenant(), envelope.aggregate_id()),
             &v1::InvoiceCopyRow::mutable_invoice, billing::EvolveInvoice, state)
      .status();
}

}  // namespace

absl::Status NotificationProjection::Apply(const events::v1::Event& event,
                                           const projection::EventPosition& position,
                                           StateWriter& state) const {
  if (position.topic == topics_.job) return ApplyJobTopicEvent(event, state);
  if (position.topic == topics_.scheduling) return ApplySchedulingEvent(event, state);
  if (position.topic == topics_.billing) return ApplyBillingEvent(event, state);
  if (position.topic != topics_.notification) return absl::OkStatus();
  if (absl::Status s = ApplyOwnEvent(event, state); !s.ok()) return s;
  aggregate::RecordCommand(event.envelope(), position, state);
  return absl::OkStatus();
}

}  // namespace jobledger::notification
