// Email over SMTP with libcurl's MIME support.
#include "delivery/smtp_sender.h"

#include <curl/curl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "delivery/curl_easy.h"
#include "delivery/mail_headers.h"

namespace jobledger::notification {
namespace {

using internal::CurlEasy;
using internal::CurlErrorText;
using internal::CurlSlist;
using internal::HasControlCharacter;

struct CurlMimeFree {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
using CurlMime = std::unique_ptr<curl_mime, CurlMimeFree>;

DeliveryResult Failure(DeliveryOutcome outcome, std::string reason) {
  return DeliveryResult{.outcome = outcome, .provider_message_id = {}, .reason = std::move(reason)};
}

// SMTP wants CRLF line ends; a lone LF would be quoted-printable encoded as =0A, not a line break.
std::string WithCrlf(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The text part, then one base64 part per attachment. Null when curl fails to allocate.
CurlMime BuildBody(CURL* easy, const OutgoingEmail& email, const std::string& body_text) {
  CurlMime mime(curl_mime_init(easy));
  if (mime == nullptr) return nullptr;
  curl_mimepart* text = curl_mime_addpart(mime.get());
  if (text == nullptr || curl_mime_data(text, body_text.data(), body_text.size()) != CURLE_OK ||
      curl_mime_type(text, "text/plain; charset=utf-8") != CURLE_OK ||
      curl_mime_encoder(text, "quoted-printable") != CURLE_OK) {
    return nullptr;
  }
  for (const EmailAttachment& attachment : email.attachments) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    CurlSlist disposition;
    if (part == nullptr ||
        !internal::MakeSlist({AttachmentDisposition(attachment.name)}, disposition) ||
        curl_mime_data(part, attachment.content.data(), attachment.content.size()) != CURLE_OK ||
        curl_mime_type(part, attachment.media_type.empty()
                                 ? "application/octet-stream"
                                 : attachment.media_type.c_str()) != CURLE_OK ||
        curl_mime_encoder(part, "base64") != CURLE_OK ||
        curl_mime_headers(part, disposition.get(), 1) != CURLE_OK) {
      return nullptr;
    }
    static_cast<void>(disposition.release());  // the part owns it now
  }
  return mime;
}

// Keeps the last 4xx/5xx reply line: curl hands every server reply line to the header callback,
// but its own error text carries only the code.
size_t KeepErrorReply(char* data, size_t size, size_t count, void* error_reply) {
  const absl::string_view line =
      absl::StripTrailingAsciiWhitespace(absl::string_view(data, size * count));
  if (!line.empty() && (line[0] == '4' || line[0] == '5')) {
    *static_cast<std::string*>(error_reply) = std::string(line);
  }
  return size * count;
}

DeliveryResult Classify(CURLcode code, long reply_code, const std::string& error_reply,
                        const char* error_buffer, const std::string& message_id) {
  if (code == CURLE_OK) {
    return DeliveryResult{
        .outcome = DeliveryOutcome::kAccepted, .provider_message_id = message_id, .reason = {}};
  }
  const bool server_refused = reply_code >= 400 && reply_code < 600;
  if (server_refused || code == CURLE_LOGIN_DENIED) {
    std::string reason =
        server_refused && absl::StartsWith(error_reply, absl::StrCat(reply_code))
            ? absl::StrCat("server replied: ", error_reply)
            : absl::StrCat("SMTP ", reply_code, ": ", CurlErrorText(code, error_buffer));
    // A 4xx is the server asking to try again, even for a login ("454 temporary failure").
    const bool temporary = reply_code >= 400 && reply_code < 500;
    return Failure(
        temporary ? DeliveryOutcome::kTemporaryFailure : DeliveryOutcome::kPermanentFailure,
        std::move(reason));
  }
  // Refused connections, timeouts, TLS handshakes and the like: the message is not at fault.
  return Failure(DeliveryOutcome::kTemporaryFailure,
                 absl::StrCat("transport: ", CurlErrorText(code, error_buffer)));
}

}  // namespace

absl::Status SmtpEmailSender::ValidateSmtpOptions(const SmtpOptions& options) {
  if (!absl::StartsWith(options.url, "smtp://") && !absl::StartsWith(options.url, "smtps://")) {
    return absl::InvalidArgumentError("url: scheme must be smtp or smtps (smtp://host:port)");
  }
  if (options.url.find("://") + 3 >= options.url.size() || HasControlCharacter(options.url)) {
    return absl::InvalidArgumentError("url: needs a host (smtp://host:port)");
  }
  if (options.username.empty() && !options.password.empty()) {
    return absl::InvalidArgumentError("username: required when a password is set");
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeout: must be positive");
  }
  return absl::OkStatus();
}

SmtpEmailSender::SmtpEmailSender(SmtpOptions options)
    : options_(std::move(options)), options_status_(ValidateSmtpOptions(options_)) {}

DeliveryResult SmtpEmailSender::Send(const OutgoingEmail& email) {
  if (!options_status_.ok()) {
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("sender misconfigured: ", options_status_.message()));
  }
  if (std::string problem = ProblemWithHeaders(email); !problem.empty()) {
    return Failure(DeliveryOutcome::kPermanentFailure, absl::StrCat("not sent: ", problem));
  }
  if (const CURLcode init = internal::InitCurlOnce(); init != CURLE_OK) {
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("curl_global_init: ", curl_easy_strerror(init)));
  }
  // Everything curl points at is declared before the handle, so it outlives the handle (whose
  // cleanup still reads the QUIT reply through the header callback).
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string error_reply;
  const std::string body_text = WithCrlf(email.body_text);
  const std::string mail_from = absl::StrCat("<", email.from_address, ">");
  CurlSlist headers;
  CurlSlist recipients;
  if (!internal::MakeSlist(MailHeaderLines(email, absl::Now()), headers) ||
      !internal::MakeSlist({absl::StrCat("<", email.to_address, ">")}, recipients)) {
    return Failure(DeliveryOutcome::kTemporaryFailure, "out of memory building headers");
  }
  CurlEasy easy(curl_easy_init());
  if (easy == nullptr) return Failure(DeliveryOutcome::kTemporaryFailure, "curl_easy_init failed");
  CurlMime body = BuildBody(easy.get(), email, body_text);
  if (body == nullptr) {
    return Failure(DeliveryOutcome::kTemporaryFailure, "out of memory building the MIME body");
  }

  internal::EasyOptions set(easy.get());
  set.Set(CURLOPT_ERRORBUFFER, error_buffer)
      .Set(CURLOPT_NOSIGNAL, 1L)  // several threads send at once; no SIGALRM for timeouts
      .Set(CURLOPT_URL, options_.url.c_str())
      .Set(CURLOPT_TIMEOUT_MS, internal::CurlMilliseconds(options_.timeout))
      .Set(CURLOPT_MAIL_FROM, mail_from.c_str())
      .Set(CURLOPT_MAIL_RCPT, recipients.get())
      .Set(CURLOPT_HTTPHEADER, headers.get())
      .Set(CURLOPT_MIMEPOST, body.get())
      .Set(CURLOPT_HEADERFUNCTION, &KeepErrorReply)
      .Set(CURLOPT_HEADERDATA, &error_reply)
      .Set(CURLOPT_USE_SSL,
           static_cast<long>(options_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE))
      .Set(CURLOPT_SSL_VERIFYPEER, options_.verify_peer ? 1L : 0L)
      .Set(CURLOPT_SSL_VERIFYHOST, options_.verify_peer ? 2L : 0L);
  if (!options_.ca_file.empty()) set.Set(CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    set.Set(CURLOPT_USERNAME, options_.username.c_str())
        .Set(CURLOPT_PASSWORD, options_.password.c_str());
  }
  if (set.result() != CURLE_OK) {
    return Failure(DeliveryOutcome::kTemporaryFailure,
                   absl::StrCat("curl option: ", curl_easy_strerror(set.result())));
  }

  const CURLcode code = curl_easy_perform(easy.get());
  long reply_code = 0;
  if (curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &reply_code) != CURLE_OK) {
    reply_code = 0;
  }
  return Classify(code, reply_code, error_reply, error_buffer, email.message_id);
}

}  // namespace jobledger::notification
