// The billing service's aggregates' events, one variant per aggregate: what Decide returns and
// Evolve applies (see events.proto for the aggregate types).
#pragma once

#include <variant>

#include "jobledger/aggregate/event_variant.h"
#include "jobledger/billing/v1/events.pb.h"

namespace jobledger::billing {

using SettingsEvent = std::variant<v1::BillingSettingsChanged>;

using PriceItemEvent =
    std::variant<v1::PriceItemCreated, v1::PriceItemUpdated, v1::PriceItemPriceChanged,
                 v1::PriceItemActivated, v1::PriceItemDeactivated>;

using EstimateEvent =
    std::variant<v1::EstimateDrafted, v1::EstimateRevised, v1::EstimateSent, v1::EstimateApproved,
                 v1::EstimateDeclined, v1::EstimateConverted>;

using InvoiceEvent = std::variant<v1::InvoiceCreated, v1::InvoiceIssued, v1::PaymentRecorded,
                                  v1::RefundRecorded, v1::InvoiceVoided>;

using JobBillingEvent = std::variant<v1::BillingScheduleSet, v1::CommissionDeferred,
                                     v1::CommissionReleased, v1::ChargebackRecorded>;

// Aggregate type names, as the envelopes carry them.
inline constexpr char kSettingsAggregate[] = "billing_settings";
inline constexpr char kPriceItemAggregate[] = "price_item";
inline constexpr char kEstimateAggregate[] = "estimate";
inline constexpr char kInvoiceAggregate[] = "invoice";
inline constexpr char kJobBillingAggregate[] = "job_billing";

}  // namespace jobledger::billing
