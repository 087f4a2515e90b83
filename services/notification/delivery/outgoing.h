// What the notification service hands to a mail or SMS transport, and what the transport answers.
// Plain structs, so the delivery layer needs neither protobuf nor the rest of the service.
#pragma once

#include <string>
#include <vector>

namespace jobledger::notification {

struct EmailAttachment {
  std::string name;        // file name as the recipient sees it (UTF-8)
  std::string media_type;  // e.g. "application/pdf"
  std::string content;     // raw bytes
};

struct OutgoingEmail {
  std::string from_address, from_name, reply_to;  // reply_to optional
  std::string to_address, to_name;                // to_name optional
  std::string subject;                            // UTF-8
  std::string body_text;                          // UTF-8 plain text
  std::vector<EmailAttachment> attachments;
  // Sent as the Message-ID header (given without angle brackets, e.g.
  // "msg-0123abcd@jobledger.invalid"). The same for every attempt of one message, so a receiving
  // system can drop the repeats a retry after a lost reply produces.
  std::string message_id;
};

struct OutgoingSms {
  std::string to;
  std::string from;
  std::string body;
  std::string idempotency_key;  // the same for every attempt of one message
};

enum class DeliveryOutcome { kAccepted, kTemporaryFailure, kPermanentFailure };

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kTemporaryFailure;
  std::string provider_message_id;  // accepted: the provider's id if it gave one
  std::string reason;  // failures: the provider's own words (status code + text), or the transport
                       // error
};

// Both senders are safe to call from several threads at once.
class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual DeliveryResult Send(const OutgoingEmail& email) = 0;
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  virtual DeliveryResult Send(const OutgoingSms& sms) = 0;
};

}  // namespace jobledger::notification
