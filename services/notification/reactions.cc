// Queueing the rules' messages for each event they react to.
#include "reactions.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/causes.h"
#include "domain/message_ids.h"
#include "domain/placeholders.h"
#include "domain/rules.h"
#include "domain/sms_text.h"
#include "domain/templates.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/common/status.h"
#include "jobledger/projection/catch_up.h"
#include "jobledger/server/log.h"
#include "projections/notification_tables.h"

namespace jobledger::notification {
namespace {

using server::Level;
using server::Log;

// What the copies know about the cause's job, customer, appointment, invoice and technicians.
struct Known {
  job::v1::Job job;
  job::v1::Customer customer;
  std::optional<billing::v1::Invoice> invoice;
  std::optional<scheduling::v1::Appointment> appointment;
  std::vector<v1::TechnicianCopyRow> told;  // technicians who hear of it
  std::vector<std::string> named;           // names for {{technician.name}}
};

bool Retryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded ||
         status.code() == absl::StatusCode::kAborted;
}

// Loads what the cause needs; nullopt when the job (or invoice) is unknown, so no message can be
// addressed.
absl::StatusOr<std::optional<Known>> Load(const projection::StateReader& state,
                                          const std::string& tenant, const Cause& cause) {
  Known known;
  std::string job_id = cause.job_id;
  if (!cause.invoice_id.empty()) {
    auto invoice = InvoiceCopyTable().Get(state, PrimaryKey(tenant, cause.invoice_id));
    if (!invoice.ok()) return invoice.status();
    if (!invoice->has_value()) return std::nullopt;
    known.invoice = (*invoice)->invoice();
    if (known.invoice->kind() == billing::v1::INVOICE_KIND_CREDIT_NOTE) return std::nullopt;
    job_id = known.invoice->job_id();
  }
  auto job = JobCopyTable().Get(state, PrimaryKey(tenant, job_id));
  if (!job.ok()) return job.status();
  if (!job->has_value()) return std::nullopt;
  known.job = (*job)->job();
  const std::string customer_id =
      known.invoice.has_value() ? known.invoice->customer_id() : known.job.customer_id();
  auto customer = CustomerCopyTable().Get(state, PrimaryKey(tenant, customer_id));
  if (!customer.ok()) return customer.status();
  if (customer->has_value()) known.customer = (*customer)->customer();
  std::vector<std::string> told = cause.technicians_told;
  if (!cause.appointment_id.empty()) {
    auto appointment = AppointmentCopyTable().Get(state, PrimaryKey(tenant, cause.appointment_id));
    if (!appointment.ok()) return appointment.status();
    if (appointment->has_value()) {
      known.appointment = (*appointment)->appointment();
      if (cause.technicians_from_appointment) {
        told.assign(known.appointment->technician_ids().begin(),
                    known.appointment->technician_ids().end());
        for (const std::string& id : known.appointment->crew_member_ids()) told.push_back(id);
      }
    }
  }
  auto technician = [&](const std::string& id) -> absl::StatusOr<v1::TechnicianCopyRow> {
    auto row = TechnicianCopyTable().Get(state, PrimaryKey(tenant, id));
    if (!row.ok()) return row.status();
    if (row->has_value()) return **row;
    v1::TechnicianCopyRow unknown;
    unknown.set_technician_id(id);
    return unknown;
  };
  for (const std::string& id : told) {
    auto row = technician(id);
    if (!row.ok()) return row.status();
    known.told.push_back(*std::move(row));
  }
  for (const std::string& id : cause.technicians_named) {
    auto row = technician(id);
    if (!row.ok()) return row.status();
    if (!row->name().empty()) known.named.push_back(row->name());
  }
  return known;
}

std::vector<v1::Recipient> CustomerRecipients(const job::v1::Customer& customer,
                                              v1::Channel channel) {
  std::vector<v1::Recipient> recipients;
  for (const job::v1::Contact& contact : customer.contacts()) {
    const bool sms = channel == v1::CHANNEL_SMS;
    const std::string& address = sms ? contact.phone() : contact.email();
    if (address.empty() || !(sms ? contact.accepts_sms() : contact.accepts_email())) continue;
    v1::Recipient recipient;
    recipient.set_audience(v1::AUDIENCE_CUSTOMER);
    recipient.set_contact_id(contact.contact_id());
    recipient.set_name(contact.name());
    recipient.set_address(address);
    recipients.push_back(std::move(recipient));
  }
  return recipients;
}

std::vector<v1::Recipient> TechnicianRecipients(const std::vector<v1::TechnicianCopyRow>& told,
                                                v1::Channel channel) {
  std::vector<v1::Recipient> recipients;
  for (const v1::TechnicianCopyRow& technician : told) {
    const std::string& address =
        channel == v1::CHANNEL_SMS ? technician.phone() : technician.email();
    if (address.empty()) continue;
    v1::Recipient recipient;
    recipient.set_audience(v1::AUDIENCE_TECHNICIAN);
    recipient.set_technician_id(technician.technician_id());
    recipient.set_name(technician.name());
    recipient.set_address(address);
    recipients.push_back(std::move(recipient));
  }
  return recipients;
}

}  // namespace

absl::Status NotificationReactions::WaitForFacts(const projection::EventPosition& position) const {
  const absl::Time deadline = absl::Now() + options_.wait;
  // Decide on the records as this event left them (or later): the projection must have it.
  JL_RETURN_IF_ERROR(options_.projection->WaitFor(
      {position.topic, position.partition, position.offset}, deadline));
  // The projection reads each topic at its own pace, so the cause's own position says nothing of
  // the others. Whatever the cause refers to there was appended before it was, so before now.
  for (const std::string* topic :
       {&options_.topics.job, &options_.topics.scheduling, &options_.topics.billing}) {
    if (*topic == position.topic) continue;
    JL_RETURN_IF_ERROR(
        projection::WaitForTopicEnd(*options_.projection, *options_.log, *topic, deadline));
  }
  return absl::OkStatus();
}

absl::Status NotificationReactions::Apply(const events::v1::Event& event,
                                          const projection::EventPosition& position,
                                          projection::StateWriter&) const {
  const events::v1::Envelope& envelope = event.envelope();
  auto cause = CauseOf(event);
  if (!cause.ok()) return cause.status();
  if (!cause->has_value()) return absl::OkStatus();
  const Cause& what = **cause;
  if (TimeFromProto(envelope.occurred_at()) < options_.clock->Now() - options_.max_event_age) {
    Log(Level::kInfo, "not notifying of an old event",
        {{"event", envelope.event_id()}, {"type", envelope.type()}});
    return absl::OkStatus();
  }
  if (absl::Status s = WaitForFacts(position); !s.ok()) return absl::UnavailableError(s.message());
  const std::string& tenant = envelope.tenant();
  auto known = Load(*options_.projection->store(), tenant, what);
  if (!known.ok()) return absl::UnavailableError(known.status().ToString());
  if (!known->has_value()) return absl::OkStatus();
  const Known& facts = **known;
  auto settings = options_.commands->SettingsOf(tenant);
  if (!settings.ok()) return absl::UnavailableError(settings.status().ToString());

  MessageFacts values_of;
  values_of.job = &facts.job;
  values_of.customer = &facts.customer;
  values_of.technician_name = absl::StrJoin(facts.named, " and ");
  const std::optional<scheduling::v1::ArrivalWindow> window =
      what.window.has_value()         ? what.window
      : facts.appointment.has_value() ? std::optional(facts.appointment->window())
                                      : std::nullopt;
  values_of.window = window.has_value() ? &*window : nullptr;
  values_of.previous_window = what.previous_window.has_value() ? &*what.previous_window : nullptr;
  values_of.invoice = facts.invoice.has_value() ? &*facts.invoice : nullptr;
  values_of.payment = what.payment.has_value() ? &*what.payment : nullptr;
  values_of.business_name =
      settings->sender_name().empty() ? options_.business_name : settings->sender_name();
  const std::map<std::string, std::string> values = PlaceholderValues(values_of, options_.zone);

  const server::Caller caller =
      server::ServiceCaller("notification", tenant, envelope.traceparent());
  for (const Combination& combination : AllCombinations()) {
    if (combination.trigger != what.trigger || !RuleEnabled(*settings, combination)) continue;
    const std::vector<v1::Recipient> recipients =
        combination.audience == v1::AUDIENCE_CUSTOMER
            ? CustomerRecipients(facts.customer, combination.channel)
            : TechnicianRecipients(facts.told, combination.channel);
    if (recipients.empty()) continue;
    auto text = options_.commands->TemplateOf(tenant, combination.trigger, combination.channel,
                                              combination.audience);
    if (!text.ok()) return absl::UnavailableError(text.status().ToString());
    auto subject = RenderTemplate(text->subject(), values);
    auto body = RenderTemplate(text->body(), values);
    if (!subject.ok() || !body.ok()) {
      Log(Level::kWarning, "a template does not render",
          {{"template", TemplateId(combination)},
           {"error", (!subject.ok() ? subject.status() : body.status()).ToString()}});
      continue;
    }
    for (const v1::Recipient& recipient : recipients) {
      v1::Message message;
      const std::string& recipient_id = recipient.audience() == v1::AUDIENCE_CUSTOMER
                                            ? recipient.contact_id()
                                            : recipient.technician_id();
      message.set_message_id(MessageIdForCause(tenant, envelope.event_id(), TemplateId(combination),
                                               ChannelName(combination.channel), recipient_id));
      message.set_channel(combination.channel);
      message.set_trigger(combination.trigger);
      message.set_job_id(facts.job.job_id());
      message.set_job_number(facts.job.number());
      message.set_customer_id(facts.customer.customer_id());
      *message.mutable_recipient() = recipient;
      message.set_body(*body);
      if (combination.channel == v1::CHANNEL_EMAIL) {
        message.set_subject(*subject);
        if (facts.invoice.has_value() && combination.trigger == v1::TRIGGER_INVOICE_ISSUED) {
          v1::Attachment* pdf = message.add_attachments();
          pdf->set_invoice_id(facts.invoice->invoice_id());
          pdf->set_name(absl::StrCat("INV-", facts.invoice->number(), ".pdf"));
          pdf->set_media_type("application/pdf");
        }
      } else if (auto length = MeasureSms(*body); length.ok()) {
        message.set_sms_segments(length->segments);
      }
      message.set_cause_event_id(envelope.event_id());
      message.set_cause_type(envelope.type());
      auto queued = options_.commands->Queue(caller, std::move(message));
      if (queued.ok()) continue;
      if (Retryable(queued.status())) return absl::UnavailableError(queued.status().ToString());
      Log(Level::kWarning, "a message could not be queued",
          {{"event", envelope.event_id()}, {"error", queued.status().ToString()}});
    }
  }
  return absl::OkStatus();
}

}  // namespace jobledger::notification
