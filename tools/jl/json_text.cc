// JSON strings.
#include "json_text.h"

#include <cstdint>

namespace jobledger::cli {
namespace {

bool IsContinuation(absl::string_view text, size_t at, uint8_t low = 0x80, uint8_t high = 0xBF) {
  if (at >= text.size()) return false;
  const auto byte = static_cast<uint8_t>(text[at]);
  return byte >= low && byte <= high;
}

// The length of the well-formed UTF-8 sequence at text[at] (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
size_t Utf8SequenceLength(absl::string_view text, size_t at) {
  const auto lead = static_cast<uint8_t>(text[at]);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return IsContinuation(text, at + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const uint8_t low = lead == 0xE0 ? 0xA0 : 0x80;
    const uint8_t high = lead == 0xED ? 0x9F : 0xBF;
    return IsContinuation(text, at + 1, low, high) && IsContinuation(text, at + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const uint8_t low = lead == 0xF0 ? 0x90 : 0x80;
    const uint8_t high = lead == 0xF4 ? 0x8F : 0xBF;
    return IsContinuation(text, at + 1, low, high) && IsContinuation(text, at + 2) &&
                   IsContinuation(text, at + 3)
               ? 4
               : 0;
  }
  return 0;
}

}  // namespace

void AppendJsonString(std::string& out, absl::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<uint8_t>(c) < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[static_cast<uint8_t>(c) >> 4]);
          out.push_back(kHex[static_cast<uint8_t>(c) & 0xF]);
        } else if (const size_t length = Utf8SequenceLength(text, at); length == 0) {
          out.append("\\ufffd");
        } else {
          out.append(text.data() + at, length);
          at += length;
          continue;
        }
    }
    ++at;
  }
  out.push_back('"');
}

}  // namespace jobledger::cli
