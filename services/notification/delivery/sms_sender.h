// SMS through a provider's HTTP API with libcurl.
//
// The protocol, one request per message:
//   POST <endpoint>
//   Content-Type: application/json
//   Authorization: Bearer <token>            (or HTTP basic auth with username and password)
//   Idempotency-Key: <idempotency_key>       (left out when the key is empty)
//   {"to": "+33612345678", "from": "Dupont", "body": "..."}
// The provider honours the key: a repeated key returns the first request's result and sends
// nothing new, so a retry after a lost reply never texts the customer twice.
//
// Answers: 2xx is accepted, the provider's id taken from the response's "id" (or "sid" or
// "message_id"). 408, 425, 429, any 5xx and transport errors are temporary. Any other 4xx is
// permanent, the reason being the status code and the response's "error" (or "message"), else
// the first 200 bytes of the body.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "delivery/outgoing.h"

namespace jobledger::notification {

struct SmsHttpOptions {
  std::string endpoint;                        // http(s)://...
  std::string bearer_token;                    // sent as Authorization: Bearer
  std::string username, password;              // basic auth, the alternative to a token
  absl::Duration timeout = absl::Seconds(15);  // the whole exchange
  std::string ca_file;                         // PEM bundle to trust instead of the system's
};

class HttpSmsSender final : public SmsSender {
 public:
  // INVALID_ARGUMENT naming the field at fault ("endpoint: scheme must be http or https").
  [[nodiscard]] static absl::Status ValidateSmsHttpOptions(const SmsHttpOptions& options);

  // Options are expected to have passed ValidateSmsHttpOptions; if they have not, every Send is
  // a temporary failure naming the problem (the message is not at fault, the configuration is).
  explicit HttpSmsSender(SmsHttpOptions options);

  DeliveryResult Send(const OutgoingSms& sms) override;

 private:
  const SmsHttpOptions options_;
  const absl::Status options_status_;
};

}  // namespace jobledger::notification
