// Text message lengths as the network counts them.
#include "domain/sms_text.h"

#include <gtest/gtest.h>

#include <string>

namespace jobledger::notification {
namespace {

SmsLength Measure(const std::string& text) {
  auto length = MeasureSms(text);
  EXPECT_TRUE(length.ok()) << length.status();
  return length.value_or(SmsLength{});
}

std::string Repeat(const std::string& part, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += part;
  return text;
}

TEST(MeasureSms, PlainTextUpTo160SeptetsIsOneMessage) {
  EXPECT_EQ(Measure("").segments, 0);
  const SmsLength full = Measure(Repeat("a", 160));
  EXPECT_EQ(full.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(full.units, 160);
  EXPECT_EQ(full.segments, 1);
  const SmsLength over = Measure(Repeat("a", 161));
  EXPECT_EQ(over.segments, 2);
  EXPECT_EQ(Measure(Repeat("a", 306)).segments, 2);  // 2 × 153
  EXPECT_EQ(Measure(Repeat("a", 307)).segments, 3);
}

TEST(MeasureSms, AccentsOfTheGsmAlphabetStayGsm7AndOthersMakeItUcs2) {
  const SmsLength gsm = Measure("Café à 9h: Müller, Ñoño, £5 ¿ok?");
  EXPECT_EQ(gsm.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(gsm.units, 32);
  EXPECT_EQ(Measure("Ñandú").encoding, SmsEncoding::kUcs2);  // ú is not in GSM-7 (ù is)
  const SmsLength ucs2 = Measure("Crêpe");                   // ê is not in GSM-7
  EXPECT_EQ(ucs2.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(ucs2.units, 5);
  EXPECT_EQ(Measure(Repeat("ê", 70)).segments, 1);
  EXPECT_EQ(Measure(Repeat("ê", 71)).segments, 2);
  EXPECT_EQ(Measure(Repeat("ê", 134)).segments, 2);  // 2 × 67
  EXPECT_EQ(Measure(Repeat("ê", 135)).segments, 3);
}

TEST(MeasureSms, ExtensionCharactersCountTwiceAndAreNeverSplit) {
  const SmsLength euro = Measure("Total: 12€ {paid}");
  EXPECT_EQ(euro.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(euro.units, 17 + 3);                    // €, { and } take two septets each
  EXPECT_EQ(Measure(Repeat("€", 80)).segments, 1);  // 160 septets
  EXPECT_EQ(Measure(Repeat("€", 81)).segments, 2);
  // 152 plain septets then a two-septet character: it starts the second segment.
  const SmsLength straddle = Measure(Repeat("a", 152) + "€" + Repeat("a", 10));
  EXPECT_EQ(straddle.units, 164);
  EXPECT_EQ(straddle.segments, 2);
  EXPECT_EQ(Measure(Repeat("a", 152) + "€" + Repeat("a", 152)).segments, 3);
}

TEST(MeasureSms, EmojiAreTwoUtf16UnitsAndAPairIsNeverSplit) {
  const SmsLength emoji = Measure("On our way 🚐");
  EXPECT_EQ(emoji.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(emoji.units, 11 + 2);
  EXPECT_EQ(Measure(Repeat("🚐", 35)).segments, 1);  // 70 units
  EXPECT_EQ(Measure(Repeat("a", 66) + "🚐" + Repeat("a", 10)).segments, 2);
  EXPECT_EQ(Measure(Repeat("a", 66) + "🚐" + Repeat("a", 66)).segments, 3);
}

TEST(MeasureSms, RefusesTextThatIsNotUtf8) {
  EXPECT_EQ(MeasureSms("ab\xC3").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MeasureSms("\xC0\xAF").status().code(),
            absl::StatusCode::kInvalidArgument);  // overlong
  EXPECT_EQ(MeasureSms("\xED\xA0\x80").status().code(),
            absl::StatusCode::kInvalidArgument);  // a surrogate
  EXPECT_EQ(MeasureSms("\xFF").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jobledger::notification
