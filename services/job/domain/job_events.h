// The job aggregate's events as one variant: what Decide returns and Evolve applies.
#pragma once

#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/job/v1/events.pb.h"

namespace jobledger::job {

using JobEvent =
    std::variant<v1::JobCreated, v1::JobDetailsChanged, v1::JobStatusChanged, v1::LineItemAdded,
                 v1::LineItemChanged, v1::LineItemRemoved, v1::ExpenseAdded, v1::ExpenseRemoved,
                 v1::EquipmentInstalled, v1::EquipmentRemoved, v1::WorkSessionStarted,
                 v1::WorkSessionEnded, v1::WorkEntryLogged, v1::WorkEntryRemoved, v1::NoteAdded,
                 v1::NoteRemoved, v1::AttachmentAdded, v1::AttachmentRemoved,
                 v1::ChecklistItemAdded, v1::ChecklistItemCompleted, v1::ChecklistItemReopened,
                 v1::ChecklistItemRemoved, v1::CompletionRequirementsChanged, v1::RecallLinked>;

using CustomerEvent = std::variant<v1::CustomerCreated, v1::CustomerDetailsChanged,
                                   v1::ContactSaved, v1::ContactRemoved, v1::PropertySaved,
                                   v1::PropertyRemoved, v1::PrimaryPropertySet>;

using RequestEvent = std::variant<v1::CustomerRequestReceived, v1::CustomerRequestConverted,
                                  v1::CustomerRequestDeclined>;

// Parses a payload of the full proto type name `type` into the matching alternative.
// NOT_FOUND for a type that is not one of the variant's; DATA_LOSS for bytes that do not parse.
template <typename Variant>
absl::StatusOr<Variant> DecodeEventAs(absl::string_view type, absl::string_view payload);

extern template absl::StatusOr<JobEvent> DecodeEventAs<JobEvent>(absl::string_view,
                                                                 absl::string_view);
extern template absl::StatusOr<CustomerEvent> DecodeEventAs<CustomerEvent>(absl::string_view,
                                                                           absl::string_view);
extern template absl::StatusOr<RequestEvent> DecodeEventAs<RequestEvent>(absl::string_view,
                                                                         absl::string_view);

}  // namespace jobledger::job
