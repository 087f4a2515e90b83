// Email over SMTP with libcurl: one connection per message, a MIME body (a quoted-printable UTF-8
// text part, then each attachment base64-encoded), and the server's reply sorted into accepted,
// temporary failure (4xx, network, TLS, timeout: try again later) and permanent failure (5xx,
// refused credentials, a message that must not be sent as it is).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "delivery/outgoing.h"

namespace jobledger::notification {

struct SmtpOptions {
  std::string url;  // smtp://host:port, or smtps://host:port for TLS from the first byte
  std::string username, password;  // AUTH when username is set
  bool require_tls = false;        // refuse to send unless STARTTLS succeeds (CURLUSESSL_ALL)
  bool verify_peer = true;         // check the server's certificate and host name
  std::string ca_file;             // PEM bundle to trust instead of the system's
  absl::Duration timeout = absl::Seconds(30);  // the whole exchange, connect to final reply
};

class SmtpEmailSender final : public EmailSender {
 public:
  // INVALID_ARGUMENT naming the field at fault ("url: scheme must be smtp or smtps").
  [[nodiscard]] static absl::Status ValidateSmtpOptions(const SmtpOptions& options);

  // Options are expected to have passed ValidateSmtpOptions; if they have not, every Send is a
  // temporary failure naming the problem (the message is not at fault, the configuration is).
  explicit SmtpEmailSender(SmtpOptions options);

  DeliveryResult Send(const OutgoingEmail& email) override;

 private:
  const SmtpOptions options_;
  const absl::Status options_status_;
};

}  // namespace jobledger::notification
