// SMS over a provider's JSON HTTP API with libcurl.
#include "delivery/sms_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "delivery/curl_easy.h"
#include "nlohmann/json.hpp"

namespace jobledger::notification {
namespace {

using internal::CurlEasy;
using internal::CurlErrorText;
using internal::CurlSlist;
using internal::HasControlCharacter;

// More than any provider's answer to one message; the rest is dropped rather than buffered.
constexpr size_t kMaxResponseBytes = 64 * 1024;
constexpr size_t kMaxQuotedBody = 200;

DeliveryResult Failure(DeliveryOutcome outcome, std::string reason) {
  return DeliveryResult{.outcome = outcome, .provider_message_id = {}, .reason = std::move(reason)};
}

size_t AppendResponse(char* data, size_t size, size_t count, void* response) {
  auto* body = static_cast<std::string*>(response);
  const size_t bytes = size * count;
  const size_t room = kMaxResponseBytes - std::min(kMaxResponseBytes, body->size());
  body->append(data, std::min(bytes, room));
  return bytes;
}

// The first of `keys` holding a string (or a number, which some providers use for ids).
std::string FirstField(const nlohmann::json& object, std::initializer_list<const char*> keys) {
  if (!object.is_object()) return "";
  for (const char* key : keys) {
    const auto field = object.find(key);
    if (field == object.end()) continue;
    if (field->is_string()) return field->get<std::string>();
    if (field->is_number_integer()) return field->dump();
  }
  return "";
}

// What the provider said about a refusal: its error text ({"error": "..."}, {"message": "..."}
// or {"error": {"message": "..."}}), else the start of the body.
std::string ProviderWords(const std::string& body) {
  const nlohmann::json response = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string words = FirstField(response, {"error", "message"});
  if (words.empty() && response.is_object() && response.contains("error")) {
    words = FirstField(response["error"], {"message"});
  }
  return words.empty() ? body.substr(0, kMaxQuotedBody) : words;
}

bool IsTemporaryStatus(long status) {
  return status == 408 || status == 425 || status == 429 || status < 400 || status >= 500;
}

DeliveryResult Classify(long status, const std::string& body) {
  if (status >= 200 && status < 300) {
    const nlohmann::json response = nlohmann::json::parse(body, nullptr, false);
    return DeliveryResult{.outcome = DeliveryOutcome::kAccepted,
                          .provider_message_id = FirstField(response, {"id", "sid", "message_id"}),
                          .reason = {}};
  }
  return Failure(IsTemporaryStatus(status) ? DeliveryOutcome::kTemporaryFailure
                                           : DeliveryOutcome::kPermanentFailure,
                 absl::StrCat("HTTP ", status, ": ", ProviderWords(body)));
}

// The request body; INVALID_ARGUMENT when a field is not UTF-8 (JSON cannot carry it).
absl::StatusOr<std::string> RequestJson(const OutgoingSms& sms) {
  const nlohmann::json request = {{"to", sms.to}, {"from", sms.from}, {"body", sms.body}};
  try {
    return request.dump();
  } catch (const nlohmann::json::type_error& error) {  // dump refuses ill-formed UTF-8
    return absl::InvalidArgumentError(absl::StrCat("not valid UTF-8: ", error.what()));
  }
}

}  // namespace

absl::Status HttpSmsSender::ValidateSmsHttpOptions(const SmsHttpOptions& options) {
  if (options.endpoint.empty()) return absl::InvalidArgumentError("endpoint: required");
  if (!absl::StartsWith(options.endpoint, "http://") &&
      !absl::StartsWith(options.endpoint, "https://")) {
    return absl::InvalidArgumentError("endpoint: scheme must be http or https");
  }
  if (options.endpoint.find("://") + 3 >= options.endpoint.size() ||
      HasControlCharacter(options.endpoint)) {
    return absl::InvalidArgumentError("endpoint: needs a host (https://host/path)");
  }
  if (HasControlCharacter(options.bearer_token)) {
    return absl::InvalidArgumentError("bearer_token: contains a control character");
  }
  if (!options.bearer_token.empty() && !options.username.empty()) {
    return absl::InvalidArgumentError("bearer_token: set either a token or a username, not both");
  }
  if (options.username.empty() && !options.password.empty()) {
    return absl::InvalidArgumentError("username: required when a password is set");
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeout: must be positive");
  }
  return absl::OkStatus();
}

HttpSmsSender::HttpSmsSender(SmsHttpOptions options)
    : options_(std::move(options)), options_status_(ValidateSmsHttpOptions(options_)) {}

DeliveryResult HttpSmsSender::Send(const OutgoingSms& sms) {
  if (!options_status_.ok()) {
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("sender misconfigured: ", options_status_.message()));
  }
  if (HasControlCharacter(sms.idempotency_key)) {
    return Failure(DeliveryOutcome::kPermanentFailure,
                   "not sent: idempotency_key contains a control character or line break");
  }
  const absl::StatusOr<std::string> payload = RequestJson(sms);
  if (!payload.ok()) {
    return Failure(DeliveryOutcome::kPermanentFailure,
                   absl::StrCat("not sent: ", payload.status().message()));
  }
  if (const CURLcode init = internal::InitCurlOnce(); init != CURLE_OK) {
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("curl_global_init: ", curl_easy_strerror(init)));
  }
  std::vector<std::string> header_lines = {"Content-Type: application/json",
                                           "Accept: application/json",
                                           "Expect:"};  // no 100-continue round trip
  if (!options_.bearer_token.empty()) {
    header_lines.push_back(absl::StrCat("Authorization: Bearer ", options_.bearer_token));
  }
  if (!sms.idempotency_key.empty()) {
    header_lines.push_back(absl::StrCat("Idempotency-Key: ", sms.idempotency_key));
  }
  // Everything curl points at is declared before the handle, so it outlives the handle.
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string response;
  CurlSlist headers;
  if (!internal::MakeSlist(header_lines, headers)) {
    return Failure(DeliveryOutcome::kTemporaryFailure, "out of memory building headers");
  }
  CurlEasy easy(curl_easy_init());
  if (easy == nullptr) return Failure(DeliveryOutcome::kTemporaryFailure, "curl_easy_init failed");

  internal::EasyOptions set(easy.get());
  set.Set(CURLOPT_ERRORBUFFER, error_buffer)
      .Set(CURLOPT_NOSIGNAL, 1L)  // several threads send at once; no SIGALRM for timeouts
      .Set(CURLOPT_URL, options_.endpoint.c_str())
      .Set(CURLOPT_PROTOCOLS_STR, "http,https")
      .Set(CURLOPT_TIMEOUT_MS, internal::CurlMilliseconds(options_.timeout))
      .Set(CURLOPT_POST, 1L)
      .Set(CURLOPT_POSTFIELDS, payload->c_str())
      .Set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload->size()))
      .Set(CURLOPT_HTTPHEADER, headers.get())
      .Set(CURLOPT_WRITEFUNCTION, &AppendResponse)
      .Set(CURLOPT_WRITEDATA, &response);
  if (!options_.ca_file.empty()) set.Set(CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    set.Set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC))
        .Set(CURLOPT_USERNAME, options_.username.c_str())
        .Set(CURLOPT_PASSWORD, options_.password.c_str());
  }
  if (set.result() != CURLE_OK) {
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("curl option: ", curl_easy_strerror(set.result())));
  }

  const CURLcode code = curl_easy_perform(easy.get());
  if (code != CURLE_OK) {
    // Refused connections, timeouts, TLS handshakes: the message is not at fault. The provider
    // may have got it even so; the idempotency key makes the retry safe.
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("transport: ", CurlErrorText(code, error_buffer)));
  }
  long status = 0;
  if (curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) status = 0;
  return Classify(status, response);
}

}  // namespace jobledger::notification
