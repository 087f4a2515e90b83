// GSM-7 and UCS-2 lengths of a text message.
#include "domain/sms_text.h"

#include <string>
#include <vector>

#include "domain/utf8.h"

namespace jobledger::notification {
namespace {

// The GSM 03.38 basic table, as Unicode (escape 0x1B left out: it is not a character a text has).
constexpr char32_t kBasic[] = {U'@', U'£', U'$',  U'¥', U'è', U'é',  U'ù', U'ì', U'ò', U'Ç', U'\n',
                               U'Ø', U'ø', U'\r', U'Å', U'å', U'Δ',  U'_', U'Φ', U'Γ', U'Λ', U'Ω',
                               U'Π', U'Ψ', U'Σ',  U'Θ', U'Ξ', U'Æ',  U'æ', U'ß', U'É', U' ', U'!',
                               U'"', U'#', U'¤',  U'%', U'&', U'\'', U'(', U')', U'*', U'+', U',',
                               U'-', U'.', U'/',  U':', U';', U'<',  U'=', U'>', U'?', U'¡', U'Ä',
                               U'Ö', U'Ñ', U'Ü',  U'§', U'¿', U'ä',  U'ö', U'ñ', U'ü', U'à'};
// The extension table: two septets each (escape + code).
constexpr char32_t kExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

// Septets of `c` in GSM-7, or 0 when GSM-7 cannot carry it.
int Septets(char32_t c) {
  if ((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return 1;
  for (char32_t basic : kBasic) {
    if (c == basic) return 1;
  }
  for (char32_t extended : kExtension) {
    if (c == extended) return 2;
  }
  return 0;
}

// Segments of units whose sizes are `sizes` (an item is never split across two segments).
int Segments(const std::vector<int>& sizes, int total, int single, int per_segment) {
  if (total == 0) return 0;
  if (total <= single) return 1;
  int segments = 1;
  int used = 0;
  for (int size : sizes) {
    if (used + size > per_segment) {
      ++segments;
      used = 0;
    }
    used += size;
  }
  return segments;
}

}  // namespace

absl::StatusOr<SmsLength> MeasureSms(absl::string_view utf8) {
  auto points = DecodeUtf8(utf8);
  if (!points.ok()) return points.status();
  std::vector<int> septets;
  bool gsm7 = true;
  for (char32_t c : *points) {
    const int size = Septets(c);
    if (size == 0) {
      gsm7 = false;
      break;
    }
    septets.push_back(size);
  }
  SmsLength length;
  std::vector<int> sizes;
  if (gsm7) {
    sizes = std::move(septets);
  } else {
    length.encoding = SmsEncoding::kUcs2;
    for (char32_t c : *points) sizes.push_back(c > 0xFFFF ? 2 : 1);
  }
  for (int size : sizes) length.units += size;
  length.segments = gsm7 ? Segments(sizes, length.units, kGsm7SingleSegment, kGsm7PerSegment)
                         : Segments(sizes, length.units, kUcs2SingleSegment, kUcs2PerSegment);
  return length;
}

}  // namespace jobledger::notification
