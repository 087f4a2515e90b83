// The job aggregate's events as one variant: what Decide returns and Evolve applies.
#pragma once

#include <variant>

#include "jobledger/aggregate/event_variant.h"
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

}  // namespace jobledger::job
