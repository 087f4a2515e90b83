// W3C traceparent parsing and generation.
#include "jobledger/server/trace.h"

#include <algorithm>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"

namespace jobledger::server {
namespace {

constexpr size_t kVersion00Length = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

// Lower-case hex only: the specification refuses upper case.
bool ParseHex(absl::string_view text, uint8_t* out) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size() / 2; ++i) {
    const int high = digit(text[2 * i]);
    const int low = digit(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return true;
}

template <size_t N>
bool AllZero(const std::array<uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

template <size_t N>
void FillRandom(std::array<uint8_t, N>& bytes) {
  thread_local absl::BitGen random;
  do {
    for (uint8_t& b : bytes) b = absl::Uniform<uint8_t>(random);
  } while (AllZero(bytes));  // all-zero ids are invalid
}

template <size_t N>
std::string Hex(const std::array<uint8_t, N>& bytes) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

std::optional<TraceContext> TraceContext::Parse(absl::string_view traceparent) {
  if (traceparent.size() < kVersion00Length) return std::nullopt;
  uint8_t version = 0;
  if (!ParseHex(traceparent.substr(0, 2), &version) || version == 0xff) return std::nullopt;
  // Version 00 is exactly 55 characters; later versions may append "-..." fields we ignore.
  if (version == 0 && traceparent.size() != kVersion00Length) return std::nullopt;
  if (traceparent.size() > kVersion00Length && traceparent[kVersion00Length] != '-') {
    return std::nullopt;
  }
  if (traceparent[2] != '-' || traceparent[35] != '-' || traceparent[52] != '-') {
    return std::nullopt;
  }
  TraceContext context;
  if (!ParseHex(traceparent.substr(3, 32), context.trace_id_.data()) ||
      !ParseHex(traceparent.substr(36, 16), context.span_id_.data()) ||
      !ParseHex(traceparent.substr(53, 2), &context.flags_)) {
    return std::nullopt;
  }
  if (AllZero(context.trace_id_) || AllZero(context.span_id_)) return std::nullopt;
  return context;
}

TraceContext TraceContext::NewRoot() {
  TraceContext context;
  FillRandom(context.trace_id_);
  FillRandom(context.span_id_);
  context.flags_ = 0x01;
  return context;
}

TraceContext TraceContext::Child() const {
  TraceContext child = *this;
  FillRandom(child.span_id_);
  // Only the sampled bit is defined; others are not propagated (W3C level 1).
  child.flags_ = static_cast<uint8_t>(flags_ & 0x01);
  return child;
}

std::string TraceContext::ToTraceparent() const {
  std::string text = "00-";
  text += trace_id_hex();
  text += '-';
  text += span_id_hex();
  text += '-';
  const uint8_t flags[1] = {flags_};
  text += absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(flags), 1));
  return text;
}

std::string TraceContext::trace_id_hex() const { return Hex(trace_id_); }
std::string TraceContext::span_id_hex() const { return Hex(span_id_); }

}  // namespace jobledger::server
