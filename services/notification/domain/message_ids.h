// Deterministic notification message ids, so a replayed or redelivered event, or a repeated send
// request, never makes a second message. Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jobledger::notification {

// "msg-" and 32 lowercase hex digits (128 bits of SHA-256).
inline constexpr std::size_t kMessageIdLength = 4 + 32;

// The message a notification rule sends on `channel` to `recipient` because of event
// `cause_event_id`: "msg-" + the first 32 hex digits of SHA-256 over the kind of id and the
// length-prefixed parts, so ("ab", "c") and ("a", "bc") differ.
std::string MessageIdForCause(absl::string_view tenant, absl::string_view cause_event_id,
                              absl::string_view rule, absl::string_view channel,
                              absl::string_view recipient);

// The message sent on explicit request, from the request's idempotency key. Never equal to a
// MessageIdForCause id.
std::string MessageIdForRequest(absl::string_view tenant, absl::string_view idempotency_key,
                                absl::string_view channel, absl::string_view recipient);

// The idempotency key the provider sees for send round `round` of a message: round 0 (or less) is
// `message_id` itself, a deliberate resend n >= 1 is `message_id` + "-r" + n. Retries within one
// round reuse its key, so the provider drops them as repeats but not a resend.
std::string ProviderKey(absl::string_view message_id, int round);

// OK for a message id as the functions above make them; INVALID_ARGUMENT naming `field`.
absl::Status ValidateMessageId(absl::string_view field, absl::string_view id);

}  // namespace jobledger::notification
