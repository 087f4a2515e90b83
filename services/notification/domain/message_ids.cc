// Message ids as truncated SHA-256 over length-prefixed parts (see message_ids.h).
#include "domain/message_ids.h"

#include <initializer_list>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/sha256.h"

namespace jobledger::notification {
namespace {

// The first part says which kind of id this is, so a cause id and a request id never collide.
std::string HashedMessageId(std::initializer_list<absl::string_view> parts) {
  std::string canonical;
  for (const absl::string_view part : parts) {
    absl::StrAppend(&canonical, part.size(), ":", part);
  }
  return absl::StrCat("msg-", absl::BytesToHexString(Sha256(canonical).substr(0, 16)));
}

}  // namespace

std::string MessageIdForCause(absl::string_view tenant, absl::string_view cause_event_id,
                              absl::string_view rule, absl::string_view channel,
                              absl::string_view recipient) {
  return HashedMessageId({"cause", tenant, cause_event_id, rule, channel, recipient});
}

std::string MessageIdForRequest(absl::string_view tenant, absl::string_view idempotency_key,
                                absl::string_view channel, absl::string_view recipient) {
  return HashedMessageId({"request", tenant, idempotency_key, channel, recipient});
}

std::string ProviderKey(absl::string_view message_id, int round) {
  if (round <= 0) return std::string(message_id);
  return absl::StrCat(message_id, "-r", round);
}

absl::Status ValidateMessageId(absl::string_view field, absl::string_view id) {
  bool valid = id.size() == kMessageIdLength && absl::StartsWith(id, "msg-");
  for (size_t i = 4; valid && i < id.size(); ++i) {
    valid =
        absl::ascii_isdigit(static_cast<unsigned char>(id[i])) || (id[i] >= 'a' && id[i] <= 'f');
  }
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": not a message id (msg- and 32 lower-case hex digits)"));
}

}  // namespace jobledger::notification
