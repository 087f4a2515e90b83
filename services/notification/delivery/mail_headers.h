// The header text of an outgoing email, which curl sends as it is given: non-ASCII names and
// subjects as RFC 2047 encoded words, file names as RFC 2231 parameters, lines folded to stay
// within 78 characters, and a refusal of any field that would break out of its header.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "delivery/outgoing.h"

namespace jobledger::notification {

// What makes the message unsendable as it is ("subject contains a line break (header injection
// refused)"); empty when nothing does.
std::string ProblemWithHeaders(const OutgoingEmail& email);

// From, To, Subject, Date, Message-ID, MIME-Version and Reply-To (when set), one string per
// field, folded lines joined by CRLF SP. Expects ProblemWithHeaders to have found nothing.
std::vector<std::string> MailHeaderLines(const OutgoingEmail& email, absl::Time now);

// The Content-Disposition field of an attachment called `file_name` (UTF-8).
std::string AttachmentDisposition(absl::string_view file_name);

}  // namespace jobledger::notification
