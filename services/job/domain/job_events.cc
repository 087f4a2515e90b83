// Payload bytes → event variant, by the envelope's type name.
#include "domain/job_events.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace jobledger::job {
namespace {

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

}  // namespace

template <typename Variant>
absl::StatusOr<Variant> DecodeEventAs(absl::string_view type, absl::string_view payload) {
  return DecodeAlternative<Variant>(type, payload);
}

template absl::StatusOr<JobEvent> DecodeEventAs<JobEvent>(absl::string_view, absl::string_view);
template absl::StatusOr<CustomerEvent> DecodeEventAs<CustomerEvent>(absl::string_view,
                                                                    absl::string_view);
template absl::StatusOr<RequestEvent> DecodeEventAs<RequestEvent>(absl::string_view,
                                                                  absl::string_view);

}  // namespace jobledger::job
