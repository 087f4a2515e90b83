// Evolve: each billing aggregate's state after an event. Pure, and the only code that turns
// events into state: the command path (after the append) and the projection (replay) share it.
// An error means the event does not fit the state (a bug or a corrupt log).
#pragma once

#include "absl/status/status.h"
#include "domain/billing_events.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::billing {

absl::Status EvolveSettings(v1::BillingSettings& settings, const events::v1::Envelope& envelope,
                            const SettingsEvent& event);
absl::Status EvolvePriceItem(v1::PriceItem& item, const events::v1::Envelope& envelope,
                             const PriceItemEvent& event);
absl::Status EvolveEstimate(v1::Estimate& estimate, const events::v1::Envelope& envelope,
                            const EstimateEvent& event);
absl::Status EvolveInvoice(v1::Invoice& invoice, const events::v1::Envelope& envelope,
                           const InvoiceEvent& event);
absl::Status EvolveJobBilling(v1::JobBilling& billing, const events::v1::Envelope& envelope,
                              const JobBillingEvent& event);

}  // namespace jobledger::billing
