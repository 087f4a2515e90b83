// How long a text message is as the phone network counts it. A text every character of which is
// in the GSM 03.38 7-bit alphabet (its basic table, or its extension table at two septets each:
// ^ { } \ [ ~ ] | € and form feed) is sent as GSM-7: 160 septets in one message, 153 per segment
// once it is split (the rest carries the concatenation header), and an extension character is
// never split from its escape. Any other character (é is GSM-7, ê is not; emoji) makes the whole
// text UCS-2: 70 UTF-16 code units in one message, 67 per segment, a surrogate pair never split.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::notification {

enum class SmsEncoding { kGsm7, kUcs2 };

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;     // septets (GSM-7) or UTF-16 code units (UCS-2)
  int segments = 0;  // messages the network carries (0 for an empty text)
};

inline constexpr int kGsm7SingleSegment = 160;
inline constexpr int kGsm7PerSegment = 153;
inline constexpr int kUcs2SingleSegment = 70;
inline constexpr int kUcs2PerSegment = 67;

// INVALID_ARGUMENT for text that is not valid UTF-8.
absl::StatusOr<SmsLength> MeasureSms(absl::string_view utf8);

}  // namespace jobledger::notification
