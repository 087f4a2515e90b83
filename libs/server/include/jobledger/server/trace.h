// W3C Trace Context (`traceparent`): parsing what a caller sent, starting a trace when it sent
// none, and making the span ids for this server's work and its downstream calls.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace jobledger::server {

class TraceContext {
 public:
  // Parses a `traceparent` value per W3C Trace Context level 1 (version 00, and the forward-
  // compatible reading of later versions); nullopt when invalid (then a new trace is started).
  static std::optional<TraceContext> Parse(absl::string_view traceparent);
  // A new trace with random ids, flagged sampled.
  static TraceContext NewRoot();

  // The same trace with a new span id (this server's span, or a downstream call's).
  TraceContext Child() const;

  // "00-<trace id>-<span id>-<flags>", lower-case hex.
  std::string ToTraceparent() const;
  std::string trace_id_hex() const;
  std::string span_id_hex() const;
  uint8_t flags() const { return flags_; }
  bool sampled() const { return (flags_ & 0x01) != 0; }

  friend bool operator==(const TraceContext& a, const TraceContext& b) {
    return a.trace_id_ == b.trace_id_ && a.span_id_ == b.span_id_ && a.flags_ == b.flags_;
  }

 private:
  TraceContext() = default;

  std::array<uint8_t, 16> trace_id_{};
  std::array<uint8_t, 8> span_id_{};
  uint8_t flags_ = 0;
};

}  // namespace jobledger::server
