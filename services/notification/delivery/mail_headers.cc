// Header text of outgoing email (RFC 5322, 2047, 2231).
#include "delivery/mail_headers.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "delivery/curl_easy.h"

namespace jobledger::notification {
namespace {

using internal::HasControlCharacter;

constexpr size_t kMaxLineLength = 78;  // RFC 5322 2.1.1's "should"; 998 is the "must"
// Text shorter than this goes as it is when it is plain ASCII.
constexpr size_t kMaxPlainText = 60;
// UTF-8 bytes per encoded word: 39 make a 64-character word, which fits after "Subject: "; 45
// make 72 characters (the most below RFC 2047's 75), which fit after "From: " and on a folded line.
constexpr size_t kSubjectWordBytes = 39;
constexpr size_t kPhraseWordBytes = 45;
// Characters of a percent-encoded file name per continuation line.
constexpr size_t kParameterChunk = 50;
constexpr char kFold[] = "\r\n ";

bool IsPrintableAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// An addr-spec that can go between angle brackets as it is: printable ASCII, nothing that ends
// an address early, an '@' with something on both sides.
bool IsPlainAddress(absl::string_view address) {
  const size_t at = address.rfind('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  return IsPrintableAscii(address) &&
         address.find_first_of(" <>(),;:\\\"") == absl::string_view::npos;
}

// RFC 5322 msg-id without its angle brackets: id-left "@" id-right, no spaces.
bool IsPlainMessageId(absl::string_view id) {
  return IsPrintableAscii(id) && id.find_first_of(" <>") == absl::string_view::npos &&
         absl::StrContains(id, '@') && id.front() != '@' && id.back() != '@';
}

bool IsTokenCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("!#$&^_.+-", c) != nullptr;
}

// type "/" subtype, optionally followed by parameters.
bool IsMediaType(absl::string_view media_type) {
  const absl::string_view type = media_type.substr(0, media_type.find(';'));
  const size_t slash = type.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == type.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (i != slash && !IsTokenCharacter(type[i])) return false;
  }
  return !HasControlCharacter(media_type);
}

// RFC 2047 "B" encoded words of at most `max_bytes` of UTF-8 each, never splitting a character.
std::vector<std::string> EncodedWords(absl::string_view utf8, size_t max_bytes) {
  std::vector<std::string> words;
  while (!utf8.empty()) {
    size_t length = std::min(max_bytes, utf8.size());
    // Back up to the start of a character (continuation bytes are 10xxxxxx).
    while (length < utf8.size() && length > 1 &&
           (static_cast<unsigned char>(utf8[length]) & 0xC0) == 0x80) {
      --length;
    }
    words.push_back(absl::StrCat("=?UTF-8?B?", absl::Base64Escape(utf8.substr(0, length)), "?="));
    utf8.remove_prefix(length);
  }
  return words;
}

// Short printable ASCII that no decoder would take for an encoded word.
bool CanStayPlain(absl::string_view text) {
  return text.size() <= kMaxPlainText && IsPrintableAscii(text) && !absl::StrContains(text, "=?");
}

// RFC 5322 atext: a word of a display name that needs neither quotes nor encoding.
bool IsAtom(absl::string_view word) {
  if (word.empty() || absl::StartsWith(word, "=?")) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
           std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
  });
}

// A display name as header pieces. Plain words stay plain and each run of other words becomes
// encoded words with its spaces inside. Decoders drop the white space between two encoded words
// (RFC 2047 6.2), but Python's email package keeps it in names; with runs split only past 45
// bytes, both read the same name.
std::vector<std::string> PhrasePieces(absl::string_view name) {
  if (CanStayPlain(name)) {
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    return {quoted + "\""};
  }
  std::vector<std::string> pieces;
  std::string run;
  bool in_run = false;
  const auto flush_run = [&] {
    for (std::string& word : EncodedWords(run, kPhraseWordBytes)) pieces.push_back(std::move(word));
    run.clear();
    in_run = false;
  };
  for (absl::string_view word : absl::StrSplit(name, ' ')) {
    if (IsAtom(word)) {
      if (in_run) flush_run();
      pieces.emplace_back(word);
      continue;
    }
    if (in_run) run.push_back(' ');
    absl::StrAppend(&run, word);
    in_run = true;
  }
  if (in_run) flush_run();
  return pieces;
}

// "Field: piece piece ..." with a fold in place of the space wherever a line would pass 78.
std::string FoldedField(absl::string_view field, const std::vector<std::string>& pieces) {
  std::string text = absl::StrCat(field, ":");
  size_t line_length = text.size();
  bool first = true;
  for (const std::string& piece : pieces) {
    if (!first && line_length + 1 + piece.size() > kMaxLineLength) {
      text += kFold;
      line_length = 1;
    } else {
      text += ' ';
      ++line_length;
    }
    text += piece;
    line_length += piece.size();
    first = false;
  }
  return text;
}

std::string MailboxField(absl::string_view field, absl::string_view name,
                         absl::string_view address) {
  if (name.empty()) return FoldedField(field, {std::string(address)});
  std::vector<std::string> pieces = PhrasePieces(name);
  pieces.push_back(absl::StrCat("<", address, ">"));
  return FoldedField(field, pieces);
}

std::string SubjectField(absl::string_view subject) {
  if (CanStayPlain(subject)) return FoldedField("Subject", {std::string(subject)});
  return FoldedField("Subject", EncodedWords(subject, kSubjectWordBytes));
}

// RFC 5322 date-time in UTC. Formatted by hand: strftime's %a and %b follow the locale.
std::string MailDate(absl::Time time) {
  static constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const absl::CivilSecond civil = absl::ToCivilSecond(time, absl::UTCTimeZone());
  const int weekday = static_cast<int>(absl::GetWeekday(absl::CivilDay(civil)));
  return absl::StrCat(kWeekdays[weekday], ", ", civil.day(), " ", kMonths[civil.month() - 1], " ",
                      civil.year(), " ", absl::Dec(civil.hour(), absl::kZeroPad2), ":",
                      absl::Dec(civil.minute(), absl::kZeroPad2), ":",
                      absl::Dec(civil.second(), absl::kZeroPad2), " +0000");
}

// RFC 2231 attr-char: what a percent-encoded parameter value keeps as it is.
bool IsAttributeCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("!#$&+-.^_`|~", c) != nullptr;
}

}  // namespace

std::string ProblemWithHeaders(const OutgoingEmail& email) {
  // Line breaks first: in a header they would let the text add headers (recipients) of its own.
  std::vector<std::pair<std::string, absl::string_view>> fields = {
      {"from_address", email.from_address}, {"from_name", email.from_name},
      {"reply_to", email.reply_to},         {"to_address", email.to_address},
      {"to_name", email.to_name},           {"subject", email.subject},
      {"message_id", email.message_id}};
  for (size_t i = 0; i < email.attachments.size(); ++i) {
    fields.emplace_back(absl::StrCat("attachments[", i, "].name"), email.attachments[i].name);
    fields.emplace_back(absl::StrCat("attachments[", i, "].media_type"),
                        email.attachments[i].media_type);
  }
  for (const auto& [field, value] : fields) {
    if (value.find_first_of("\r\n") != absl::string_view::npos) {
      return absl::StrCat(field, " contains a line break (header injection refused)");
    }
    if (HasControlCharacter(value)) return absl::StrCat(field, " contains a control character");
  }
  if (!IsPlainAddress(email.from_address)) return "from_address: not a plain ASCII address";
  if (!IsPlainAddress(email.to_address)) return "to_address: not a plain ASCII address";
  if (!email.reply_to.empty() && !IsPlainAddress(email.reply_to)) {
    return "reply_to: not a plain ASCII address";
  }
  if (!IsPlainMessageId(email.message_id)) {
    return "message_id: must be left@right in printable ASCII, without spaces or angle brackets";
  }
  for (size_t i = 0; i < email.attachments.size(); ++i) {
    const EmailAttachment& attachment = email.attachments[i];
    if (attachment.name.empty()) return absl::StrCat("attachments[", i, "].name: empty");
    if (!attachment.media_type.empty() && !IsMediaType(attachment.media_type)) {
      return absl::StrCat("attachments[", i, "].media_type: not type/subtype");
    }
  }
  return "";
}

std::vector<std::string> MailHeaderLines(const OutgoingEmail& email, absl::Time now) {
  std::vector<std::string> lines = {
      MailboxField("From", email.from_name, email.from_address),
      MailboxField("To", email.to_name, email.to_address),
      SubjectField(email.subject),
      absl::StrCat("Date: ", MailDate(now)),
      absl::StrCat("Message-ID: <", email.message_id, ">"),
      "MIME-Version: 1.0",
  };
  if (!email.reply_to.empty()) lines.push_back(absl::StrCat("Reply-To: ", email.reply_to));
  return lines;
}

std::string AttachmentDisposition(absl::string_view file_name) {
  if (CanStayPlain(file_name) && file_name.find_first_of("\"\\") == absl::string_view::npos) {
    return absl::StrCat("Content-Disposition: attachment; filename=\"", file_name, "\"");
  }
  // Percent-encoded UTF-8, in numbered continuations when long (filename*0*=, filename*1*=...).
  std::vector<std::string> chunks(1);
  for (char c : file_name) {
    const std::string piece =
        IsAttributeCharacter(c)
            ? std::string(1, c)
            : absl::StrCat("%", absl::AsciiStrToUpper(absl::BytesToHexString({&c, 1})));
    if (chunks.back().size() + piece.size() > kParameterChunk) chunks.emplace_back();
    chunks.back() += piece;
  }
  if (chunks.size() == 1) {
    return absl::StrCat("Content-Disposition: attachment; filename*=UTF-8''", chunks[0]);
  }
  std::string field = "Content-Disposition: attachment";
  for (size_t i = 0; i < chunks.size(); ++i) {
    absl::StrAppend(&field, ";", kFold, "filename*", i, "*=", i == 0 ? "UTF-8''" : "", chunks[i]);
  }
  return field;
}

}  // namespace jobledger::notification
