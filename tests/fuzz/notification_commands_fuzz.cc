// Fuzzes the notification service's command validation (settings, templates, messages sent to a
// job's customer, resends, SMS measuring) with serialized requests: see command_fuzz.h. A template
// that validates must render with the values every message gets, and what validates must apply
// with Evolve.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "command_fuzz.h"
#include "domain/customer_communication.h"
#include "domain/message_ids.h"
#include "domain/notification_evolve.h"
#include "domain/placeholders.h"
#include "domain/rules.h"
#include "domain/sms_text.h"
#include "domain/templates.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/notification/v1/notification_service.pb.h"

namespace jobledger::notification {
namespace {

using fuzz::Accepted;
using fuzz::CheckDecision;
using fuzz::CommandTable;

const aggregate::Head kNew{};

// The values of a message about a job with every fact known.
std::map<std::string, std::string> FullValues() {
  static const auto* const values = [] {
    job::v1::Job job;
    job.set_number(7);
    job.set_title("Fix the leak");
    job::v1::Customer customer;
    customer.set_name("Ada Lovelace");
    scheduling::v1::ArrivalWindow window;
    window.mutable_start()->set_seconds(fuzz::kNowSeconds);
    window.mutable_end()->set_seconds(fuzz::kNowSeconds + 7200);
    billing::v1::Invoice invoice;
    invoice.set_number(5);
    invoice.mutable_total()->set_minor_units(12'000);
    invoice.mutable_total()->set_currency("USD");
    MessageFacts facts;
    facts.job = &job;
    facts.customer = &customer;
    facts.window = &window;
    facts.previous_window = &window;
    facts.invoice = &invoice;
    facts.payment = &invoice.total();
    facts.business_name = "Acme Plumbing";
    return new std::map<std::string, std::string>(
        PlaceholderValues(facts, absl::FixedTimeZone(-5 * 3600)));
  }();
  return *values;
}

// The job's customer: a contact who takes texts and email, one who takes only email, one who
// takes neither.
job::v1::Customer JobCustomer() {
  job::v1::Customer customer;
  customer.set_customer_id("0190a1b2-c3d4-7e5f-8a9b-000000000001");
  customer.set_name("Ada Lovelace");
  job::v1::Contact& both = *customer.add_contacts();
  both.set_contact_id("0190a1b2-c3d4-7e5f-8a9b-000000000108");
  both.set_name("Ada");
  both.set_phone("+15555550100");
  both.set_email("ada@example.test");
  both.set_accepts_sms(true);
  both.set_accepts_email(true);
  job::v1::Contact& email = *customer.add_contacts();
  email.set_contact_id("0190a1b2-c3d4-7e5f-8a9b-00000000010c");
  email.set_name("Office");
  email.set_email("office@example.test");
  email.set_accepts_email(true);
  job::v1::Contact& neither = *customer.add_contacts();
  neither.set_contact_id("0190a1b2-c3d4-7e5f-8a9b-00000000010d");
  neither.set_name("Tenant");
  neither.set_phone("+15555550101");
  return customer;
}

CommandTable Commands() {
  CommandTable table;
  table.On<v1::SetNotificationSettingsRequest>([](int,
                                                  const v1::SetNotificationSettingsRequest& r) {
    if (!Accepted(ValidateSettings(r.settings()))) return;
    v1::NotificationSettingsChanged changed;
    *changed.mutable_settings() = r.settings();
    changed.mutable_settings()->clear_version();
    CheckDecision(absl::StatusOr<std::vector<SettingsEvent>>(std::vector<SettingsEvent>{changed}),
                  v1::NotificationSettings(), kNew, EvolveSettings);
  });
  table.On<v1::SaveTemplateRequest>([](int, const v1::SaveTemplateRequest& r) {
    const Combination combination{r.trigger(), r.channel(), r.audience()};
    if (!Accepted(ValidateTemplateToSave(combination, r.subject(), r.body()))) return;
    for (const std::string* text : {&r.subject(), &r.body()}) {
      const absl::StatusOr<std::string> rendered = RenderTemplate(*text, FullValues());
      JL_FUZZ_CHECK_OK(rendered.status());
      JL_FUZZ_CHECK_OK(MeasureSms(*rendered).status());
    }
    v1::TemplateSaved saved;
    v1::Template& text = *saved.mutable_template_();
    text.set_trigger(r.trigger());
    text.set_channel(r.channel());
    text.set_audience(r.audience());
    text.set_subject(r.subject());
    text.set_body(r.body());
    CheckDecision(absl::StatusOr<std::vector<TemplateEvent>>(std::vector<TemplateEvent>{saved}),
                  v1::Template(), kNew, EvolveTemplate);
  });
  table.On<v1::ResendMessageRequest>([](int, const v1::ResendMessageRequest& r) {
    (void)Accepted(ValidateMessageId("message_id", r.message_id()));
    (void)Accepted(ValidateText("reason", r.reason(), 1000, false));
  });
  table.On<v1::MeasureSmsRequest>([](int, const v1::MeasureSmsRequest& r) {
    const absl::StatusOr<SmsLength> length = MeasureSms(r.text());
    JL_FUZZ_CHECK_OK(length.status());  // the request parsed, so the text is UTF-8
  });
  // Added after the first 4: a seed's selector byte keeps its command.
  table.On<v1::SendCustomerCommunicationRequest>([](int,
                                                    const v1::SendCustomerCommunicationRequest& r) {
    const absl::StatusOr<int> segments = ValidateSendRequest(r);
    if (!Accepted(segments.status())) return;
    if (r.channel() == v1::CHANNEL_SMS) {
      const absl::StatusOr<SmsLength> length = MeasureSms(r.body());
      JL_FUZZ_CHECK_OK(length.status());
      JL_FUZZ_CHECK(*segments == length->segments);
      JL_FUZZ_CHECK(r.allow_multiple_segments() || *segments == 1);
    }
    const job::v1::Customer customer = JobCustomer();
    std::vector<v1::Recipient> recipients;
    for (int i = 0; i < r.contact_ids_size(); ++i) {
      absl::StatusOr<v1::Recipient> recipient =
          ContactRecipient(customer, r.contact_ids(i), r.channel(), Indexed("contact_ids", i));
      if (!recipient.ok()) {
        JL_FUZZ_CHECK(recipient.status().code() == absl::StatusCode::kFailedPrecondition ||
                      recipient.status().code() == absl::StatusCode::kNotFound);
        return;
      }
      JL_FUZZ_CHECK(!recipient->address().empty());
      recipients.push_back(*std::move(recipient));
    }
    // The job has attachment ...106 and issued invoice INV-5 (...120): the rest are NOT_FOUND.
    std::vector<v1::Attachment> attachments;
    for (v1::Attachment attachment : r.attachments()) {
      if (!attachment.job_attachment_id().empty()) {
        if (attachment.job_attachment_id() != "0190a1b2-c3d4-7e5f-8a9b-000000000106") return;
        attachment.set_name("trap.jpg");
        attachment.set_media_type("image/jpeg");
      } else {
        if (attachment.invoice_id() != "0190a1b2-c3d4-7e5f-8a9b-000000000120") return;
        attachment.set_name("INV-5.pdf");
        attachment.set_media_type("application/pdf");
      }
      attachments.push_back(std::move(attachment));
    }
    const std::string key =
        r.meta().idempotency_key().empty() ? fuzz::NewId() : r.meta().idempotency_key();
    for (const v1::Recipient& recipient : recipients) {
      v1::Message message;
      message.set_message_id(
          MessageIdForRequest("acme", key, ChannelName(r.channel()), recipient.contact_id()));
      // A message sent on request can be resent by its id.
      JL_FUZZ_CHECK_OK(ValidateMessageId("message_id", message.message_id()));
      message.set_channel(r.channel());
      message.set_job_id(r.job_id());
      message.set_job_number(7);
      message.set_customer_id(customer.customer_id());
      *message.mutable_recipient() = recipient;
      message.set_subject(r.subject());
      message.set_body(r.body());
      for (const v1::Attachment& attachment : attachments) {
        *message.add_attachments() = attachment;
      }
      message.set_sms_segments(r.channel() == v1::CHANNEL_SMS ? *segments : 0);
      message.set_requested_by("u-dispatcher");
      // Queued as the handler queues it: due now, round 0.
      message.set_status(v1::MESSAGE_STATUS_QUEUED);
      message.mutable_next_attempt_at()->set_seconds(fuzz::kNowSeconds);
      message.set_provider_key(ProviderKey(message.message_id(), 0));
      v1::MessageQueued queued;
      *queued.mutable_message() = std::move(message);
      CheckDecision(absl::StatusOr<std::vector<MessageEvent>>(std::vector<MessageEvent>{queued}),
                    v1::Message(), kNew, EvolveMessage);
    }
  });
  return table;
}

}  // namespace
}  // namespace jobledger::notification

JL_FUZZ_COMMAND_TARGET(jobledger::notification::Commands)
