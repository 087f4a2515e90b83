// Estimates: draft → sent → approved / declined, and an approved estimate converted to a job once.
// A revision puts a draft or sent estimate back to draft (it is sent again before approval).
// Lines are priced and taxed like invoice lines. Pure: ids, numbers, the price book and the
// settings come in as arguments; the commands layer does the reading and the job service call.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/billing_events.h"
#include "domain/invoicing.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/job/v1/job_service.pb.h"

namespace jobledger::billing {

inline constexpr size_t kMaxEstimateTitleLength = 200;
inline constexpr size_t kMaxEstimateNotesLength = 10'000;
inline constexpr int kMaxEstimateLines = 500;
inline constexpr size_t kMaxLineNameLength = 200;
inline constexpr size_t kMaxLineDescriptionLength = 10'000;
inline constexpr int64_t kMaxQuantityMilli = 1'000'000'000;  // a million units
inline constexpr size_t kMaxDeclineReasonLength = 1000;
inline constexpr size_t kMaxApprovedByLength = 200;

// ---- validation: INVALID_ARGUMENT naming the field ("lines[2].quantity_milli: ...")

// Each line is either a price-book line (price_book_item_id; name, kind and unit price optional,
// the item's when left out) or a custom one (name, kind and a unit price ≥ 0).
absl::Status ValidateEstimateLines(
    const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines);
absl::Status ValidateDraftEstimate(const v1::DraftEstimateRequest& request);
absl::Status ValidateReviseEstimate(const v1::ReviseEstimateRequest& request);
absl::Status ValidateEstimateAction(const v1::EstimateActionRequest& request);
absl::Status ValidateApproveEstimate(const v1::ApproveEstimateRequest& request);
absl::Status ValidateDeclineEstimate(const v1::DeclineEstimateRequest& request);

// ---- pricing

// The price book's items an estimate's lines refer to, by price_item_id (unknown ones absent).
using PriceItemsById = std::map<std::string, v1::PriceItem>;

struct PricedLines {
  google::protobuf::RepeatedPtrField<job::v1::LineItem> lines;  // ids, totals, billable
  common::v1::Money subtotal;
  common::v1::Money tax;
  common::v1::Money total;
};

// Prices validated lines in the settings' currency: a price-book line takes the name, kind and
// unit price its line leaves out, and the tax category, from its item (FAILED_PRECONDITION naming
// the line for an unknown or inactive item); a line's total is LineNet, its tax that of its
// category (none for custom lines). A line without an id gets new_id(). INVALID_ARGUMENT for a
// unit price in another currency; FAILED_PRECONDITION when the settings have no currency or no
// tax rate for an item's category.
absl::StatusOr<PricedLines> PriceEstimateLines(
    const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines, const PriceItemsById& items,
    const v1::BillingSettings& settings, const NewId& new_id);

// ---- decisions

// "EST-4" as people read it.
std::string EstimateLabel(const v1::Estimate& estimate);

// The new estimate (id, customer, property, title, priced lines, notes, totals) as drafted.
v1::Estimate NewEstimate(const std::string& estimate_id, const v1::DraftEstimateRequest& request,
                         PricedLines priced);

// `estimate` numbered `number`; ALREADY_EXISTS when the id is taken.
absl::StatusOr<std::vector<EstimateEvent>> DecideDraftEstimate(const aggregate::Head& head,
                                                               v1::Estimate estimate,
                                                               int64_t number);
// Draft or sent estimates only; the estimate is a draft again afterwards.
absl::StatusOr<std::vector<EstimateEvent>> DecideReviseEstimate(const v1::Estimate& estimate,
                                                                const aggregate::Head& head,
                                                                const std::string& title,
                                                                PricedLines priced,
                                                                const std::string& notes);
// Drafts with at least one line only.
absl::StatusOr<std::vector<EstimateEvent>> DecideSendEstimate(const v1::Estimate& estimate,
                                                              const aggregate::Head& head);
// Sent estimates only.
absl::StatusOr<std::vector<EstimateEvent>> DecideApproveEstimate(const v1::Estimate& estimate,
                                                                 const aggregate::Head& head,
                                                                 const std::string& approved_by);
absl::StatusOr<std::vector<EstimateEvent>> DecideDeclineEstimate(const v1::Estimate& estimate,
                                                                 const aggregate::Head& head,
                                                                 const std::string& reason);

// OK for an approved estimate (a job is to be made) and a converted one (it has its job);
// FAILED_PRECONDITION saying the state otherwise.
absl::Status CheckConvertible(const v1::Estimate& estimate);
// Approved → EstimateConverted{job_id}; converted to `job_id` already → no events; converted to
// another job → FAILED_PRECONDITION.
absl::StatusOr<std::vector<EstimateEvent>> DecideConvertEstimate(const v1::Estimate& estimate,
                                                                 const aggregate::Head& head,
                                                                 const std::string& job_id);

// The job service's key for the job of an estimate: the same for every attempt, so the job is
// made once however often the conversion is retried or resumed.
std::string EstimateJobKey(const std::string& estimate_id);
// The job of an approved estimate: its customer, property, title, lines (ids, price-book items,
// kinds, names, descriptions, quantities and unit prices; billable) and notes.
job::v1::CreateJobRequest JobRequestOf(const v1::Estimate& estimate);

}  // namespace jobledger::billing
