// Notification message templates: parsing, validation and rendering (syntax in templates.h).
#include "domain/templates.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/utf8.h"

namespace jobledger::notification {
namespace {

// A run of literal text, or a placeholder's name; `offset` is where it starts in the template
// (for a placeholder, the offset of its `{{`).
struct Piece {
  bool is_placeholder = false;
  absl::string_view text;
  std::size_t offset = 0;
};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Checks size and encoding, then splits `text` into literal runs and placeholders.
absl::StatusOr<std::vector<Piece>> Parse(absl::string_view text) {
  if (text.size() > kMaxTemplateBytes) {
    return absl::InvalidArgumentError(absl::StrCat("template is ", text.size(), " bytes; at most ",
                                                   kMaxTemplateBytes, " allowed"));
  }
  if (const std::size_t bad = FirstInvalidUtf8(text); bad != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("template is not valid UTF-8 at ", bad));
  }
  std::vector<Piece> pieces;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == absl::string_view::npos) {
      pieces.push_back({false, text.substr(pos), pos});
      break;
    }
    if (open > pos) pieces.push_back({false, text.substr(pos, open - pos), pos});
    const std::size_t close = text.find("}}", open + 2);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("unterminated {{ at ", open));
    }
    const absl::string_view name = text.substr(open + 2, close - open - 2);
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("empty placeholder {{}} at ", open));
    }
    bool segment_empty = true;
    for (std::size_t k = 0; k < name.size(); ++k) {
      const char c = name[k];
      if (IsNameChar(c)) {
        segment_empty = false;
      } else if (c == '.' && !segment_empty) {
        segment_empty = true;
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "invalid placeholder {{", name, "}} at ", open, ": unexpected character at ",
            open + 2 + k, " (names are letters, digits, _ and dot-separated segments)"));
      }
    }
    if (segment_empty) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid placeholder {{", name, "}} at ", open, ": name ends with '.'"));
    }
    pieces.push_back({true, name, open});
    pos = close + 2;
  }
  return pieces;
}

}  // namespace

const std::set<std::string>& KnownPlaceholders() {
  static const auto* const kKnown = new std::set<std::string>{
      "customer.name",      "job.number",       "job.title",
      "appointment.window", "appointment.date", "appointment.previous_window",
      "technician.name",    "invoice.number",   "invoice.total",
      "invoice.balance",    "invoice.due_date", "payment.amount",
      "business.name",      "note.public",
  };
  return *kKnown;
}

absl::Status ValidateTemplate(absl::string_view text, const std::set<std::string>& known) {
  absl::StatusOr<std::vector<Piece>> pieces = Parse(text);
  if (!pieces.ok()) return pieces.status();
  for (const Piece& piece : *pieces) {
    if (piece.is_placeholder && known.count(std::string(piece.text)) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("unknown placeholder {{", piece.text, "}} at ",
                                                     piece.offset,
                                                     "; known: ", absl::StrJoin(known, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RenderTemplate(absl::string_view text,
                                           const std::map<std::string, std::string>& values) {
  absl::StatusOr<std::vector<Piece>> pieces = Parse(text);
  if (!pieces.ok()) return pieces.status();
  std::string out;
  out.reserve(text.size());
  for (const Piece& piece : *pieces) {
    if (!piece.is_placeholder) {
      out.append(piece.text.data(), piece.text.size());
      continue;
    }
    const auto it = values.find(std::string(piece.text));
    if (it == values.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("no value for placeholder {{", piece.text, "}} at ", piece.offset));
    }
    if (const std::size_t bad = FirstInvalidUtf8(it->second); bad != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("value for placeholder {{", piece.text, "}} is not valid UTF-8 at ", bad));
    }
    out += it->second;  // verbatim: never parsed again
  }
  return out;
}

}  // namespace jobledger::notification
