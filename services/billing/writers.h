// The billing service's command writers, one per aggregate type.
#pragma once

#include "domain/billing_events.h"
#include "jobledger/aggregate/command_writer.h"
#include "jobledger/billing/v1/billing.pb.h"

namespace jobledger::billing {

using aggregate::Head;
using SettingsWriter = aggregate::CommandWriter<v1::BillingSettings, SettingsEvent>;
using PriceItemWriter = aggregate::CommandWriter<v1::PriceItem, PriceItemEvent>;
using EstimateWriter = aggregate::CommandWriter<v1::Estimate, EstimateEvent>;
using InvoiceWriter = aggregate::CommandWriter<v1::Invoice, InvoiceEvent>;
using JobBillingWriter = aggregate::CommandWriter<v1::JobBilling, JobBillingEvent>;

}  // namespace jobledger::billing
