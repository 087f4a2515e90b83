// Checks of a SendCustomerCommunication request and its recipients.
#include "domain/customer_communication.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "domain/sms_text.h"
#include "jobledger/common/field_checks.h"

namespace jobledger::notification {
namespace {

absl::Status ValidateSmsBody(const v1::SendCustomerCommunicationRequest& request, int& segments) {
  if (request.body().size() > kMaxSmsBytes) return Invalid("body", "over 1600 bytes");
  auto length = MeasureSms(request.body());
  if (!length.ok()) return Invalid("body", length.status().message());
  segments = length->segments;
  const bool gsm7 = length->encoding == SmsEncoding::kGsm7;
  const int limit = gsm7 ? kGsm7SingleSegment : kUcs2SingleSegment;
  if (length->segments > 1 && !request.allow_multiple_segments()) {
    return Invalid("body",
                   absl::StrCat(length->units, gsm7 ? " GSM-7 characters" : " UCS-2 characters",
                                " make ", length->segments, " text messages; one holds ", limit,
                                gsm7 ? "" : " (the text has characters outside GSM-7)",
                                ". Shorten it, or set allow_multiple_segments to send ",
                                length->segments, " segments"));
  }
  if (!request.attachments().empty()) return Invalid("attachments", "text messages have none");
  if (!request.subject().empty()) return Invalid("subject", "text messages have no subject");
  return absl::OkStatus();
}

absl::Status ValidateEmailRequest(const v1::SendCustomerCommunicationRequest& request) {
  if (request.subject().empty()) return Invalid("subject", "required for email");
  if (absl::Status s = ValidateText("subject", request.subject(), kMaxSubjectBytes, true);
      !s.ok()) {
    return s;
  }
  if (request.subject().find_first_of("\r\n") != std::string::npos) {
    return Invalid("subject", "one line");
  }
  if (request.body().size() > kMaxBodyBytes) return Invalid("body", "over 20000 bytes");
  if (request.attachments_size() > kMaxAttachments) {
    return Invalid("attachments", "at most 10 per message");
  }
  for (int i = 0; i < request.attachments_size(); ++i) {
    const v1::Attachment& attachment = request.attachments(i);
    if (attachment.job_attachment_id().empty() == attachment.invoice_id().empty()) {
      return Invalid(Indexed("attachments", i), "name one job_attachment_id or one invoice_id");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> ValidateSendRequest(const v1::SendCustomerCommunicationRequest& request) {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (request.channel() != v1::CHANNEL_SMS && request.channel() != v1::CHANNEL_EMAIL) {
    return Invalid("channel", "SMS or EMAIL");
  }
  if (request.contact_ids().empty()) return Invalid("contact_ids", "name at least one contact");
  if (request.contact_ids_size() > kMaxRecipients) {
    return Invalid("contact_ids", "at most 20 recipients");
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.contact_ids_size(); ++i) {
    if (!seen.insert(request.contact_ids(i)).second) {
      return Invalid(Indexed("contact_ids", i), "named twice");
    }
  }
  if (IsBlank(request.body())) return Invalid("body", "required");
  if (!IsCleanText(request.body())) {
    return Invalid("body", "UTF-8 text without control characters");
  }
  int segments = 0;
  if (request.channel() == v1::CHANNEL_SMS) {
    if (absl::Status s = ValidateSmsBody(request, segments); !s.ok()) return s;
    return segments;
  }
  if (absl::Status s = ValidateEmailRequest(request); !s.ok()) return s;
  return segments;
}

absl::StatusOr<v1::Recipient> ContactRecipient(const job::v1::Customer& customer,
                                               const std::string& contact_id, v1::Channel channel,
                                               const std::string& field) {
  for (const job::v1::Contact& contact : customer.contacts()) {
    if (contact.contact_id() != contact_id) continue;
    v1::Recipient recipient;
    recipient.set_audience(v1::AUDIENCE_CUSTOMER);
    recipient.set_contact_id(contact_id);
    recipient.set_name(contact.name());
    const bool sms = channel == v1::CHANNEL_SMS;
    const std::string& address = sms ? contact.phone() : contact.email();
    if (sms ? !contact.accepts_sms() : !contact.accepts_email()) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ", contact.name(), " does not accept ", sms ? "text messages" : "email"));
    }
    if (address.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(field, ": ", contact.name(), " has no ",
                                                        sms ? "phone number" : "email address"));
    }
    recipient.set_address(address);
    return recipient;
  }
  return absl::NotFoundError(
      absl::StrCat(field, ": contact ", contact_id, " is not one of ", customer.name(), "'s"));
}

}  // namespace jobledger::notification
