// An aggregate's events as one std::variant of their messages: decoding a payload by the
// envelope's type name into the matching alternative.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jobledger {

namespace internal_event_variant {
template <typename Variant, size_t I = 0>
absl::StatusOr<Variant> DecodeAlternative(absl::string_view type, absl::string_view payload) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return absl::NotFoundError(absl::StrCat("not an event of this aggregate: ", type));
  } else {
    using Message = std::variant_alternative_t<I, Variant>;
    if (Message::descriptor()->full_name() != type) {
      return DecodeAlternative<Variant, I + 1>(type, payload);
    }
    Message message;
    if (!message.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return absl::DataLossError(absl::StrCat("a ", type, " payload does not parse"));
    }
    return Variant(std::move(message));
  }
}
}  // namespace internal_event_variant

// Parses a payload of the full proto type name `type` into the matching alternative.
// NOT_FOUND for a type that is not one of the variant's; DATA_LOSS for bytes that do not parse.
template <typename Variant>
absl::StatusOr<Variant> DecodeEventAs(absl::string_view type, absl::string_view payload) {
  return internal_event_variant::DecodeAlternative<Variant>(type, payload);
}

}  // namespace jobledger
