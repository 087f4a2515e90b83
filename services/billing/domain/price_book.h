// The tenant's billing settings and price book: request validation and decisions. Pure.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/billing_events.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/billing/v1/billing_service.pb.h"

namespace jobledger::billing {

inline constexpr size_t kMaxCodeLength = 40;
inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxDescriptionLength = 2000;
inline constexpr size_t kMaxCategoryLength = 50;
inline constexpr size_t kMaxReasonLength = 1000;
inline constexpr int kMaxPaymentTermsDays = 365;

absl::Status ValidateSetBillingSettings(const v1::SetBillingSettingsRequest& request);
// The settings after the listed fields are taken from the request (rates sorted), as one
// BillingSettingsChanged naming the fields that changed; none when nothing changes. Labour rates
// must be in the (new) currency: FAILED_PRECONDITION otherwise, naming the rate.
absl::StatusOr<std::vector<SettingsEvent>> DecideSetBillingSettings(
    const v1::BillingSettings& current, const aggregate::Head& head,
    const v1::SetBillingSettingsRequest& request);

absl::Status ValidateCreatePriceItem(const v1::CreatePriceItemRequest& request);
absl::Status ValidateUpdatePriceItem(const v1::UpdatePriceItemRequest& request);
absl::Status ValidateChangePrice(const v1::ChangePriceRequest& request);
absl::Status ValidateSetPriceItemActive(const v1::SetPriceItemActiveRequest& request);

// `currency` is the tenant's: prices in another are refused (INVALID_ARGUMENT naming the field).
absl::StatusOr<std::vector<PriceItemEvent>> DecideCreatePriceItem(
    const aggregate::Head& head, const v1::CreatePriceItemRequest& request,
    absl::string_view currency);
absl::StatusOr<std::vector<PriceItemEvent>> DecideUpdatePriceItem(
    const v1::PriceItem& item, const aggregate::Head& head,
    const v1::UpdatePriceItemRequest& request);
absl::StatusOr<std::vector<PriceItemEvent>> DecideChangePrice(
    const v1::PriceItem& item, const aggregate::Head& head, const v1::ChangePriceRequest& request);
absl::StatusOr<std::vector<PriceItemEvent>> DecideSetPriceItemActive(
    const v1::PriceItem& item, const aggregate::Head& head,
    const v1::SetPriceItemActiveRequest& request);

// Codes compare without case: "svc-drain" and "SVC-DRAIN" are one code.
std::string NormalizedCode(absl::string_view code);

}  // namespace jobledger::billing
