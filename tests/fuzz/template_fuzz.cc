// Fuzzes the notification templates and the text code under them: any template and values render
// to valid UTF-8 or give INVALID_ARGUMENT / FAILED_PRECONDITION, a template that validates always
// renders with the values PlaceholderValues gives, and UTF-8 decoding and SMS measuring agree.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/placeholders.h"
#include "domain/sms_text.h"
#include "domain/templates.h"
#include "domain/utf8.h"
#include "fuzz_check.h"
#include "fuzzer/FuzzedDataProvider.h"

namespace jobledger::notification {
namespace {

std::string EncodeUtf8(const std::vector<char32_t>& code_points) {
  std::string out;
  for (const char32_t c : code_points) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | c >> 6));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | c >> 12));
      out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | c >> 18));
      out.push_back(static_cast<char>(0x80 | (c >> 12 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// FirstInvalidUtf8, DecodeUtf8 and MeasureSms agree about `text`; returns whether it is UTF-8.
bool CheckText(const std::string& text) {
  const bool valid = FirstInvalidUtf8(text) == absl::string_view::npos;
  const absl::StatusOr<std::vector<char32_t>> decoded = DecodeUtf8(text);
  JL_FUZZ_CHECK(decoded.ok() == valid);
  const absl::StatusOr<SmsLength> sms = MeasureSms(text);
  JL_FUZZ_CHECK(sms.ok() == valid);
  if (!valid) {
    JL_FUZZ_CHECK(decoded.status().code() == absl::StatusCode::kInvalidArgument);
    return false;
  }
  for (const char32_t c : *decoded) JL_FUZZ_CHECK(c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF));
  JL_FUZZ_CHECK(EncodeUtf8(*decoded) == text);
  JL_FUZZ_CHECK((sms->units == 0) == text.empty());
  JL_FUZZ_CHECK((sms->segments == 0) == text.empty());
  const bool gsm7 = sms->encoding == SmsEncoding::kGsm7;
  const int single = gsm7 ? kGsm7SingleSegment : kUcs2SingleSegment;
  const int per_segment = gsm7 ? kGsm7PerSegment : kUcs2PerSegment;
  if (sms->units <= single) {
    JL_FUZZ_CHECK(sms->segments <= 1);
  } else {
    // At least the plain division; every segment but the last is full but for a character
    // that would not fit whole (an escaped GSM-7 character or a surrogate pair).
    JL_FUZZ_CHECK(sms->segments >= (sms->units + per_segment - 1) / per_segment);
    JL_FUZZ_CHECK((sms->segments - 1) * (per_segment - 1) < sms->units);
  }
  return true;
}

}  // namespace
}  // namespace jobledger::notification

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jobledger::notification;
  FuzzedDataProvider input(data, size);
  // Values: the known placeholders, each with fuzzed bytes or left out.
  std::map<std::string, std::string> values;
  for (const std::string& name : KnownPlaceholders()) {
    if (input.ConsumeBool()) values[name] = input.ConsumeRandomLengthString(64);
  }
  const std::string text = input.ConsumeRemainingBytesAsString();

  const bool text_valid = CheckText(text);
  const absl::Status valid = ValidateTemplate(text, KnownPlaceholders());
  if (!valid.ok()) JL_FUZZ_CHECK(valid.code() == absl::StatusCode::kInvalidArgument);
  if (!text_valid) JL_FUZZ_CHECK(!valid.ok());

  const absl::StatusOr<std::string> rendered = RenderTemplate(text, values);
  if (rendered.ok()) {
    JL_FUZZ_CHECK(CheckText(*rendered));
  } else {
    JL_FUZZ_CHECK(rendered.status().code() == absl::StatusCode::kInvalidArgument ||
                  rendered.status().code() == absl::StatusCode::kFailedPrecondition);
  }

  // A saved template always renders with the values of a message's facts.
  if (valid.ok()) {
    jobledger::job::v1::Customer customer;
    if (FirstInvalidUtf8(values["customer.name"]) == absl::string_view::npos) {
      customer.set_name(values["customer.name"]);  // names are checked UTF-8 when saved
    }
    MessageFacts facts;
    facts.customer = &customer;
    facts.business_name = "Acme";
    const absl::StatusOr<std::string> sent =
        RenderTemplate(text, PlaceholderValues(facts, absl::UTCTimeZone()));
    JL_FUZZ_CHECK_OK(sent.status());
    JL_FUZZ_CHECK(CheckText(*sent));
  }
  return 0;
}
