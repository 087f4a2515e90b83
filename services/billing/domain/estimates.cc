// Estimates: validation, pricing and the decisions of their lifecycle.
#include "domain/estimates.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/pricing.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/money.h"

namespace jobledger::billing {
namespace {

using aggregate::Head;
using Events = std::vector<EstimateEvent>;

bool IsKind(job::v1::LineItemKind kind) {
  return job::v1::LineItemKind_IsValid(kind) && kind != job::v1::LINE_ITEM_KIND_UNSPECIFIED;
}

// The state as a FAILED_PRECONDITION message says it: "EST-4 is <word>: ...".
const char* StatusWord(v1::EstimateStatus status) {
  switch (status) {
    case v1::ESTIMATE_STATUS_DRAFT:
      return "a draft";
    case v1::ESTIMATE_STATUS_SENT:
      return "sent";
    case v1::ESTIMATE_STATUS_APPROVED:
      return "approved";
    case v1::ESTIMATE_STATUS_DECLINED:
      return "declined";
    case v1::ESTIMATE_STATUS_CONVERTED:
      return "converted to a job";
    default:
      return "in no known status";
  }
}

absl::Status Refused(const v1::Estimate& estimate, absl::string_view only) {
  return absl::FailedPreconditionError(
      absl::StrCat(EstimateLabel(estimate), " is ", StatusWord(estimate.status()), ": ", only));
}

absl::Status Missing(const Head& head) {
  if (head.version != 0) return absl::OkStatus();
  return absl::NotFoundError("estimate not found");
}

absl::Status ValidateLine(const std::string& field, const job::v1::LineItem& line) {
  if (absl::Status s = ValidateId(Field(field, "line_item_id"), line.line_item_id(), false);
      !s.ok()) {
    return s;
  }
  const bool from_book = !line.price_book_item_id().empty();
  if (absl::Status s = ValidateText(Field(field, "price_book_item_id"), line.price_book_item_id(),
                                    kMaxLineNameLength, false);
      !s.ok()) {
    return s;
  }
  if (line.kind() != job::v1::LINE_ITEM_KIND_UNSPECIFIED || !from_book) {
    if (!IsKind(line.kind())) {
      return Invalid(Field(field, "kind"), from_book ? "service, material or asset"
                                                     : "service, material or asset (required "
                                                       "without a price_book_item_id)");
    }
  }
  if (absl::Status s =
          ValidateText(Field(field, "name"), line.name(), kMaxLineNameLength, !from_book);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText(Field(field, "description"), line.description(),
                                    kMaxLineDescriptionLength, false);
      !s.ok()) {
    return s;
  }
  if (line.quantity_milli() <= 0)
    return Invalid(Field(field, "quantity_milli"), "must be positive");
  if (line.quantity_milli() > kMaxQuantityMilli) {
    return Invalid(Field(field, "quantity_milli"),
                   absl::StrCat("at most ", kMaxQuantityMilli, " (a million units)"));
  }
  if (!line.has_unit_price()) {
    if (from_book) return absl::OkStatus();
    return Invalid(Field(field, "unit_price"), "required without a price_book_item_id");
  }
  auto price = Money::FromProto(line.unit_price());
  if (!price.ok()) return Invalid(Field(field, "unit_price"), price.status().message());
  if (price->is_negative()) return Invalid(Field(field, "unit_price"), "must not be negative");
  return absl::OkStatus();
}

absl::Status ValidateContent(const std::string& title,
                             const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines,
                             const std::string& notes) {
  if (absl::Status s = ValidateText("title", title, kMaxEstimateTitleLength, false); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateEstimateLines(lines); !s.ok()) return s;
  return ValidateText("notes", notes, kMaxEstimateNotesLength, false);
}

absl::Status ValidateEstimateId(const common::v1::CommandMeta& meta,
                                const std::string& estimate_id) {
  if (absl::Status s = ValidateMeta(meta); !s.ok()) return s;
  return ValidateId("estimate_id", estimate_id, true);
}

// A price-book line's item, which must exist and be active.
absl::StatusOr<const v1::PriceItem*> ItemOf(const std::string& field, const job::v1::LineItem& line,
                                            const PriceItemsById& items) {
  auto it = items.find(line.price_book_item_id());
  if (it == items.end()) {
    return absl::FailedPreconditionError(absl::StrCat(Field(field, "price_book_item_id"),
                                                      ": the price book has no item ",
                                                      line.price_book_item_id()));
  }
  const v1::PriceItem& item = it->second;
  if (!item.active()) {
    return absl::FailedPreconditionError(
        absl::StrCat(Field(field, "price_book_item_id"), ": price item ",
                     item.code().empty() ? item.price_item_id() : item.code(),
                     " is inactive: activate it or pick another"));
  }
  return &item;
}

}  // namespace

// ---- validation

absl::Status ValidateEstimateLines(
    const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines) {
  if (lines.size() > kMaxEstimateLines) {
    return Invalid("lines", absl::StrCat("at most ", kMaxEstimateLines, " lines"));
  }
  std::set<std::string> ids;
  for (int i = 0; i < lines.size(); ++i) {
    const std::string field = Indexed("lines", i);
    if (absl::Status s = ValidateLine(field, lines[i]); !s.ok()) return s;
    const std::string& id = lines[i].line_item_id();
    if (!id.empty() && !ids.insert(id).second) {
      return Invalid(Field(field, "line_item_id"), "duplicate id");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateDraftEstimate(const v1::DraftEstimateRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateId("property_id", request.property_id(), false); !s.ok()) return s;
  return ValidateContent(request.title(), request.lines(), request.notes());
}

absl::Status ValidateReviseEstimate(const v1::ReviseEstimateRequest& request) {
  if (absl::Status s = ValidateEstimateId(request.meta(), request.estimate_id()); !s.ok()) {
    return s;
  }
  return ValidateContent(request.title(), request.lines(), request.notes());
}

absl::Status ValidateEstimateAction(const v1::EstimateActionRequest& request) {
  return ValidateEstimateId(request.meta(), request.estimate_id());
}

absl::Status ValidateApproveEstimate(const v1::ApproveEstimateRequest& request) {
  if (absl::Status s = ValidateEstimateId(request.meta(), request.estimate_id()); !s.ok()) {
    return s;
  }
  return ValidateText("approved_by", request.approved_by(), kMaxApprovedByLength, true);
}

absl::Status ValidateDeclineEstimate(const v1::DeclineEstimateRequest& request) {
  if (absl::Status s = ValidateEstimateId(request.meta(), request.estimate_id()); !s.ok()) {
    return s;
  }
  return ValidateText("reason", request.reason(), kMaxDeclineReasonLength, true);
}

// ---- pricing

absl::StatusOr<PricedLines> PriceEstimateLines(
    const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines, const PriceItemsById& items,
    const v1::BillingSettings& settings, const NewId& new_id) {
  const std::string& currency = settings.currency();
  if (currency.empty()) {
    return absl::FailedPreconditionError("set the tenant's billing settings (currency) first");
  }
  PricedLines priced;
  google::protobuf::RepeatedPtrField<v1::InvoiceLine> taxed;
  for (int i = 0; i < lines.size(); ++i) {
    const std::string field = Indexed("lines", i);
    job::v1::LineItem line = lines[i];
    v1::InvoiceLine& invoice_line = *taxed.Add();
    if (!line.price_book_item_id().empty()) {
      auto item = ItemOf(field, line, items);
      if (!item.ok()) return item.status();
      if (line.name().empty()) line.set_name((*item)->name());
      if (line.kind() == job::v1::LINE_ITEM_KIND_UNSPECIFIED) line.set_kind((*item)->kind());
      if (!line.has_unit_price()) {
        if ((*item)->unit_price().currency() != currency) {
          return absl::FailedPreconditionError(
              absl::StrCat(Field(field, "price_book_item_id"), ": price item ", (*item)->code(),
                           " is priced in ", (*item)->unit_price().currency(),
                           " but the tenant bills in ", currency, ": give the line a unit_price"));
        }
        *line.mutable_unit_price() = (*item)->unit_price();
      }
      invoice_line.set_tax_category((*item)->tax_category());
    }
    if (line.unit_price().currency() != currency) {
      return Invalid(Field(field, "unit_price.currency"),
                     absl::StrCat("the tenant bills in ", currency));
    }
    if (line.line_item_id().empty()) line.set_line_item_id(new_id());
    line.set_billable(true);
    auto unit_price = Money::FromProto(line.unit_price());
    if (!unit_price.ok()) return Invalid(Field(field, "unit_price"), unit_price.status().message());
    auto net = LineNet(line.quantity_milli(), *unit_price);
    if (!net.ok()) {
      return Invalid(Field(field, "quantity_milli"),
                     absl::StrCat("the line's total is too large (", net.status().message(), ")"));
    }
    net->ToProto(line.mutable_total());

    invoice_line.set_line_id(line.line_item_id());
    invoice_line.set_kind(line.kind());
    invoice_line.set_name(line.name());
    invoice_line.set_quantity_milli(line.quantity_milli());
    *invoice_line.mutable_unit_price() = line.unit_price();
    if (absl::Status s = PriceLine(settings, invoice_line); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(field, ": ", s.message()));
    }
    *priced.lines.Add() = std::move(line);
  }
  auto totals = TotalsOf(taxed, currency);
  if (!totals.ok()) {
    return Invalid("lines", absl::StrCat("the estimate's total is too large (",
                                         totals.status().message(), ")"));
  }
  totals->subtotal.ToProto(&priced.subtotal);
  totals->tax.ToProto(&priced.tax);
  totals->total.ToProto(&priced.total);
  return priced;
}

// ---- decisions

std::string EstimateLabel(const v1::Estimate& estimate) {
  return absl::StrCat("EST-", estimate.number());
}

v1::Estimate NewEstimate(const std::string& estimate_id, const v1::DraftEstimateRequest& request,
                         PricedLines priced) {
  v1::Estimate estimate;
  estimate.set_estimate_id(estimate_id);
  estimate.set_customer_id(request.customer_id());
  estimate.set_property_id(request.property_id());
  estimate.set_title(request.title());
  *estimate.mutable_lines() = std::move(priced.lines);
  estimate.set_notes(request.notes());
  *estimate.mutable_subtotal() = std::move(priced.subtotal);
  *estimate.mutable_tax() = std::move(priced.tax);
  *estimate.mutable_total() = std::move(priced.total);
  return estimate;
}

absl::StatusOr<Events> DecideDraftEstimate(const Head& head, v1::Estimate estimate,
                                           int64_t number) {
  if (head.version != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("estimate ", estimate.estimate_id(), " exists already"));
  }
  estimate.set_number(number);
  estimate.set_status(v1::ESTIMATE_STATUS_DRAFT);
  v1::EstimateDrafted drafted;
  *drafted.mutable_estimate() = std::move(estimate);
  return Events{std::move(drafted)};
}

absl::StatusOr<Events> DecideReviseEstimate(const v1::Estimate& estimate, const Head& head,
                                            const std::string& title, PricedLines priced,
                                            const std::string& notes) {
  if (absl::Status s = Missing(head); !s.ok()) return s;
  if (estimate.status() != v1::ESTIMATE_STATUS_DRAFT &&
      estimate.status() != v1::ESTIMATE_STATUS_SENT) {
    return Refused(estimate, "only a draft or sent estimate is revised");
  }
  v1::EstimateRevised revised;
  *revised.mutable_lines() = std::move(priced.lines);
  revised.set_title(title);
  revised.set_notes(notes);
  *revised.mutable_subtotal() = std::move(priced.subtotal);
  *revised.mutable_tax() = std::move(priced.tax);
  *revised.mutable_total() = std::move(priced.total);
  return Events{std::move(revised)};
}

absl::StatusOr<Events> DecideSendEstimate(const v1::Estimate& estimate, const Head& head) {
  if (absl::Status s = Missing(head); !s.ok()) return s;
  if (estimate.status() != v1::ESTIMATE_STATUS_DRAFT) {
    return Refused(estimate, "only a draft is sent (revise it to send it again)");
  }
  if (estimate.lines().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(EstimateLabel(estimate), " has no lines: add some before sending it"));
  }
  return Events{v1::EstimateSent()};
}

absl::StatusOr<Events> DecideApproveEstimate(const v1::Estimate& estimate, const Head& head,
                                             const std::string& approved_by) {
  if (absl::Status s = Missing(head); !s.ok()) return s;
  if (estimate.status() != v1::ESTIMATE_STATUS_SENT) {
    return Refused(estimate, "only a sent estimate is approved");
  }
  v1::EstimateApproved approved;
  approved.set_approved_by(approved_by);
  return Events{std::move(approved)};
}

absl::StatusOr<Events> DecideDeclineEstimate(const v1::Estimate& estimate, const Head& head,
                                             const std::string& reason) {
  if (absl::Status s = Missing(head); !s.ok()) return s;
  if (estimate.status() != v1::ESTIMATE_STATUS_SENT) {
    return Refused(estimate, "only a sent estimate is declined");
  }
  v1::EstimateDeclined declined;
  declined.set_reason(reason);
  return Events{std::move(declined)};
}

absl::Status CheckConvertible(const v1::Estimate& estimate) {
  if (estimate.status() == v1::ESTIMATE_STATUS_APPROVED) return absl::OkStatus();
  if (estimate.status() == v1::ESTIMATE_STATUS_CONVERTED && !estimate.job_id().empty()) {
    return absl::OkStatus();
  }
  return Refused(estimate, "only an approved estimate becomes a job");
}

absl::StatusOr<Events> DecideConvertEstimate(const v1::Estimate& estimate, const Head& head,
                                             const std::string& job_id) {
  if (absl::Status s = Missing(head); !s.ok()) return s;
  if (absl::Status s = CheckConvertible(estimate); !s.ok()) return s;
  if (estimate.status() == v1::ESTIMATE_STATUS_CONVERTED) {
    if (estimate.job_id() == job_id) return Events{};
    return absl::FailedPreconditionError(absl::StrCat(EstimateLabel(estimate), " became job ",
                                                      estimate.job_id(), " already, not ", job_id));
  }
  if (job_id.empty()) return absl::InvalidArgumentError("job_id: required");
  v1::EstimateConverted converted;
  converted.set_job_id(job_id);
  return Events{std::move(converted)};
}

std::string EstimateJobKey(const std::string& estimate_id) {
  return absl::StrCat("estimate/", estimate_id, "/job");
}

job::v1::CreateJobRequest JobRequestOf(const v1::Estimate& estimate) {
  job::v1::CreateJobRequest request;
  request.mutable_meta()->set_idempotency_key(EstimateJobKey(estimate.estimate_id()));
  request.set_customer_id(estimate.customer_id());
  request.set_property_id(estimate.property_id());
  request.set_title(estimate.title());
  for (const job::v1::LineItem& line : estimate.lines()) {
    job::v1::LineItem& item = *request.add_line_items();
    item.set_line_item_id(line.line_item_id());
    item.set_price_book_item_id(line.price_book_item_id());
    item.set_kind(line.kind());
    item.set_name(line.name());
    item.set_description(line.description());
    item.set_quantity_milli(line.quantity_milli());
    *item.mutable_unit_price() = line.unit_price();
    item.set_billable(true);
  }
  request.set_notes(estimate.notes());
  return request;
}

}  // namespace jobledger::billing
