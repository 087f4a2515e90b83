// Estimates: request validation, pricing with the price book and tax, and every lifecycle decision.
#include "domain/estimates.h"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "billing_test_util.h"
#include "domain/billing_evolve.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/testing/status_matchers.h"

namespace jobledger::billing {
namespace {

using jobledger::testing::Fails;
using ::testing::ElementsAre;
using testing::Ids;
using ::testing::IsEmpty;
using testing::IsMoney;
using testing::P;
using testing::Settings;
using ::testing::SizeIs;

constexpr auto kService = job::v1::LINE_ITEM_KIND_SERVICE;
constexpr auto kMaterial = job::v1::LINE_ITEM_KIND_MATERIAL;
constexpr auto kAsset = job::v1::LINE_ITEM_KIND_ASSET;
constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;

constexpr char kEstimateId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000e1";
constexpr char kPropertyId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000b1";
constexpr char kLineId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000c1";
constexpr char kNewJobId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000f1";

// ---------------------------------------------------------------------------------------------
// Builders

job::v1::LineItem Custom(const std::string& name, job::v1::LineItemKind kind,
                         int64_t quantity_milli, int64_t unit_minor) {
  job::v1::LineItem line;
  line.set_kind(kind);
  line.set_name(name);
  line.set_quantity_milli(quantity_milli);
  *line.mutable_unit_price() = P(unit_minor);
  return line;
}

job::v1::LineItem FromBook(const std::string& price_item_id, int64_t quantity_milli) {
  job::v1::LineItem line;
  line.set_price_book_item_id(price_item_id);
  line.set_quantity_milli(quantity_milli);
  return line;
}

v1::PriceItem Item(const std::string& id, const std::string& code, job::v1::LineItemKind kind,
                   int64_t unit_minor, const std::string& tax_category, bool active = true) {
  v1::PriceItem item;
  item.set_price_item_id(id);
  item.set_code(code);
  item.set_name(absl::StrCat("book ", code));
  item.set_description(absl::StrCat("about ", code));
  item.set_kind(kind);
  *item.mutable_unit_price() = P(unit_minor);
  item.set_tax_category(tax_category);
  item.set_active(active);
  return item;
}

// "pb-drain" labour at 0 %, "pb-pipe" materials at 8.25 %, "pb-old" inactive, "pb-fuel" with a
// category that has no rate, "pb-euro" priced in EUR.
PriceItemsById Book() {
  PriceItemsById items;
  for (v1::PriceItem item :
       {Item("pb-drain", "SVC-DRAIN", kService, 15'000, "labor"),
        Item("pb-pipe", "MAT-PVC-2IN", kMaterial, 1'999, "materials"),
        Item("pb-old", "MAT-OLD", kMaterial, 500, "materials", /*active=*/false),
        Item("pb-fuel", "MAT-FUEL", kMaterial, 300, "fuel"),
        Item("pb-euro", "MAT-EURO", kMaterial, 1'000, "materials")}) {
    if (item.price_item_id() == "pb-euro") *item.mutable_unit_price() = P(1'000, "EUR");
    items.emplace(item.price_item_id(), std::move(item));
  }
  return items;
}

google::protobuf::RepeatedPtrField<job::v1::LineItem> Lines(std::vector<job::v1::LineItem> lines) {
  google::protobuf::RepeatedPtrField<job::v1::LineItem> field;
  for (job::v1::LineItem& line : lines) *field.Add() = std::move(line);
  return field;
}

absl::StatusOr<PricedLines> PriceLines(std::vector<job::v1::LineItem> lines,
                                       const v1::BillingSettings& settings = Settings()) {
  return PriceEstimateLines(Lines(std::move(lines)), Book(), settings, Ids());
}

v1::DraftEstimateRequest Draft() {
  v1::DraftEstimateRequest request;
  request.mutable_meta()->set_idempotency_key("draft-1");
  request.set_customer_id(testing::kCustomerId);
  request.set_property_id(kPropertyId);
  request.set_title("Replace the main drain");
  *request.add_lines() = FromBook("pb-drain", 2'000);
  *request.add_lines() = Custom("Access panel", kMaterial, 1'000, 4'500);
  request.set_notes("Dog in the yard");
  return request;
}

// EST-4 in `status`, version 3, with one priced line.
v1::Estimate EstimateIn(v1::EstimateStatus status, const std::string& job_id = "") {
  v1::Estimate estimate;
  estimate.set_estimate_id(kEstimateId);
  estimate.set_number(4);
  estimate.set_customer_id(testing::kCustomerId);
  estimate.set_property_id(kPropertyId);
  estimate.set_title("Replace the main drain");
  job::v1::LineItem line = FromBook("pb-drain", 2'000);
  line.set_line_item_id(kLineId);
  line.set_kind(kService);
  line.set_name("book SVC-DRAIN");
  line.set_description("camera inspection included");
  *line.mutable_unit_price() = P(15'000);
  *line.mutable_total() = P(30'000);
  line.set_billable(true);
  *estimate.add_lines() = line;
  estimate.set_notes("Dog in the yard");
  estimate.set_status(status);
  *estimate.mutable_subtotal() = P(30'000);
  *estimate.mutable_tax() = P(0);
  *estimate.mutable_total() = P(30'000);
  estimate.set_job_id(job_id);
  estimate.set_version(3);
  return estimate;
}

const aggregate::Head kExisting{.version = 3, .hash = "h3"};
const aggregate::Head kNone{};

// The estimate after the decided events, as the writer and the projection evolve it.
v1::Estimate Apply(v1::Estimate estimate, const std::vector<EstimateEvent>& events) {
  for (const EstimateEvent& event : events) {
    events::v1::Envelope envelope;
    envelope.set_aggregate_id(kEstimateId);
    envelope.set_sequence(estimate.version() + 1);
    absl::Status applied = EvolveEstimate(estimate, envelope, event);
    EXPECT_TRUE(applied.ok()) << applied;
  }
  return estimate;
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST(ValidateDraftEstimate, AcceptsPriceBookAndCustomLines) {
  EXPECT_TRUE(ValidateDraftEstimate(Draft()).ok()) << ValidateDraftEstimate(Draft());
  v1::DraftEstimateRequest minimal;
  minimal.set_customer_id(testing::kCustomerId);
  EXPECT_TRUE(ValidateDraftEstimate(minimal).ok());
}

TEST(ValidateDraftEstimate, NamesTheRequestField) {
  struct Case {
    std::string name;
    void (*change)(v1::DraftEstimateRequest&);
    std::string message;
  };
  const std::vector<Case> cases = {
      {"customer missing", [](v1::DraftEstimateRequest& r) { r.clear_customer_id(); },
       "customer_id: required"},
      {"customer not an id", [](v1::DraftEstimateRequest& r) { r.set_customer_id("bob"); },
       "customer_id"},
      {"property not an id", [](v1::DraftEstimateRequest& r) { r.set_property_id("home"); },
       "property_id"},
      {"title too long", [](v1::DraftEstimateRequest& r) { r.set_title(std::string(201, 'x')); },
       "title: at most"},
      {"notes too long", [](v1::DraftEstimateRequest& r) { r.set_notes(std::string(10'001, 'x')); },
       "notes: at most"},
      {"idempotency key too long",
       [](v1::DraftEstimateRequest& r) {
         r.mutable_meta()->set_idempotency_key(std::string(129, 'k'));
       },
       "meta.idempotency_key"},
  };
  for (const Case& c : cases) {
    v1::DraftEstimateRequest request = Draft();
    c.change(request);
    EXPECT_THAT(ValidateDraftEstimate(request), Fails(kInvalid, c.message)) << c.name;
  }
  v1::DraftEstimateRequest at_limit = Draft();
  at_limit.set_title(std::string(200, 'x'));
  at_limit.set_notes(std::string(10'000, 'x'));
  EXPECT_TRUE(ValidateDraftEstimate(at_limit).ok());
}

TEST(ValidateEstimateLines, NamesTheLineAndItsField) {
  struct Case {
    std::string name;
    job::v1::LineItem line;
    std::string message;
  };
  auto with = [](job::v1::LineItem line, auto change) {
    change(line);
    return line;
  };
  const job::v1::LineItem custom = Custom("Trench", kService, 1'000, 100);
  const std::vector<Case> cases = {
      {"zero quantity", with(custom, [](auto& l) { l.set_quantity_milli(0); }),
       "lines[2].quantity_milli: must be positive"},
      {"negative quantity", with(custom, [](auto& l) { l.set_quantity_milli(-5); }),
       "lines[2].quantity_milli: must be positive"},
      {"a billion units", with(custom, [](auto& l) { l.set_quantity_milli(1'000'000'001); }),
       "lines[2].quantity_milli: at most"},
      {"custom without a name", with(custom, [](auto& l) { l.clear_name(); }),
       "lines[2].name: required"},
      {"custom without a kind",
       with(custom, [](auto& l) { l.set_kind(job::v1::LINE_ITEM_KIND_UNSPECIFIED); }),
       "lines[2].kind"},
      {"unknown kind",
       with(FromBook("pb-pipe", 1'000),
            [](auto& l) { l.set_kind(static_cast<job::v1::LineItemKind>(42)); }),
       "lines[2].kind"},
      {"custom without a price", with(custom, [](auto& l) { l.clear_unit_price(); }),
       "lines[2].unit_price: required"},
      {"negative price", with(custom, [](auto& l) { *l.mutable_unit_price() = P(-1); }),
       "lines[2].unit_price: must not be negative"},
      {"negative override",
       with(FromBook("pb-pipe", 1'000), [](auto& l) { *l.mutable_unit_price() = P(-1); }),
       "lines[2].unit_price: must not be negative"},
      {"bad currency", with(custom, [](auto& l) { *l.mutable_unit_price() = P(100, "usd"); }),
       "lines[2].unit_price"},
      {"name too long", with(custom, [](auto& l) { l.set_name(std::string(201, 'n')); }),
       "lines[2].name: at most"},
      {"description too long",
       with(custom, [](auto& l) { l.set_description(std::string(10'001, 'd')); }),
       "lines[2].description: at most"},
      {"line id not an id", with(custom, [](auto& l) { l.set_line_item_id("line-1"); }),
       "lines[2].line_item_id"},
  };
  for (const Case& c : cases) {
    v1::DraftEstimateRequest request = Draft();
    *request.add_lines() = c.line;
    EXPECT_THAT(ValidateDraftEstimate(request), Fails(kInvalid, c.message)) << c.name;
  }
}

TEST(ValidateEstimateLines, PriceBookLinesMayLeaveNameKindAndPriceOut) {
  EXPECT_TRUE(ValidateEstimateLines(Lines({FromBook("pb-pipe", 1)})).ok());
  EXPECT_TRUE(ValidateEstimateLines(Lines({FromBook("pb-pipe", 1'000'000'000)})).ok());
  job::v1::LineItem overridden = FromBook("pb-pipe", 1'500);
  overridden.set_name("Pipe, 2 in");
  overridden.set_kind(kMaterial);
  *overridden.mutable_unit_price() = P(0);
  EXPECT_TRUE(ValidateEstimateLines(Lines({overridden})).ok());
}

TEST(ValidateEstimateLines, DuplicateIdsAndTooManyLines) {
  job::v1::LineItem a = Custom("A", kService, 1'000, 100);
  a.set_line_item_id(kLineId);
  job::v1::LineItem b = Custom("B", kService, 1'000, 100);
  b.set_line_item_id(kLineId);
  EXPECT_THAT(ValidateEstimateLines(Lines({a, b})),
              Fails(kInvalid, "lines[1].line_item_id: duplicate id"));

  std::vector<job::v1::LineItem> many(kMaxEstimateLines, Custom("A", kService, 1'000, 100));
  EXPECT_TRUE(ValidateEstimateLines(Lines(many)).ok());
  many.push_back(Custom("A", kService, 1'000, 100));
  EXPECT_THAT(ValidateEstimateLines(Lines(many)), Fails(kInvalid, "lines: at most 500"));
}

TEST(ValidateEstimateActions, NameTheirFields) {
  v1::EstimateActionRequest action;
  EXPECT_THAT(ValidateEstimateAction(action), Fails(kInvalid, "estimate_id: required"));
  action.set_estimate_id("EST-4");
  EXPECT_THAT(ValidateEstimateAction(action), Fails(kInvalid, "estimate_id"));
  action.set_estimate_id(kEstimateId);
  EXPECT_TRUE(ValidateEstimateAction(action).ok());

  v1::ReviseEstimateRequest revise;
  revise.set_estimate_id(kEstimateId);
  *revise.add_lines() = Custom("A", kService, 0, 100);
  EXPECT_THAT(ValidateReviseEstimate(revise),
              Fails(kInvalid, "lines[0].quantity_milli: must be positive"));
  revise.clear_estimate_id();
  EXPECT_THAT(ValidateReviseEstimate(revise), Fails(kInvalid, "estimate_id: required"));

  v1::ApproveEstimateRequest approve;
  approve.set_estimate_id(kEstimateId);
  EXPECT_THAT(ValidateApproveEstimate(approve), Fails(kInvalid, "approved_by: required"));
  approve.set_approved_by("   ");
  EXPECT_THAT(ValidateApproveEstimate(approve), Fails(kInvalid, "approved_by: required"));
  approve.set_approved_by(std::string(201, 'a'));
  EXPECT_THAT(ValidateApproveEstimate(approve), Fails(kInvalid, "approved_by: at most"));
  approve.set_approved_by("Pat Customer");
  EXPECT_TRUE(ValidateApproveEstimate(approve).ok());

  v1::DeclineEstimateRequest decline;
  decline.set_estimate_id(kEstimateId);
  EXPECT_THAT(ValidateDeclineEstimate(decline), Fails(kInvalid, "reason: required"));
  decline.set_reason(std::string(1'001, 'r'));
  EXPECT_THAT(ValidateDeclineEstimate(decline), Fails(kInvalid, "reason: at most"));
  decline.set_reason(std::string(1'000, 'r'));
  EXPECT_TRUE(ValidateDeclineEstimate(decline).ok());
}

// ---------------------------------------------------------------------------------------------
// Pricing

TEST(PriceEstimateLines, PriceBookLineTakesNameKindPriceAndTaxFromItsItem) {
  // 3 × 19.99 materials at 8.25 % = 59.97, tax 4.947525 → 4.95
  absl::StatusOr<PricedLines> priced = PriceLines({FromBook("pb-pipe", 3'000)});
  ASSERT_TRUE(priced.ok()) << priced.status();
  ASSERT_THAT(priced->lines, SizeIs(1));
  const job::v1::LineItem& line = priced->lines[0];
  EXPECT_EQ(line.line_item_id(), "line-1");
  EXPECT_EQ(line.price_book_item_id(), "pb-pipe");
  EXPECT_EQ(line.name(), "book MAT-PVC-2IN");
  EXPECT_EQ(line.kind(), kMaterial);
  EXPECT_THAT(line.unit_price(), IsMoney(1'999));
  EXPECT_THAT(line.total(), IsMoney(5'997));
  EXPECT_TRUE(line.billable());
  EXPECT_THAT(priced->subtotal, IsMoney(5'997));
  EXPECT_THAT(priced->tax, IsMoney(495));
  EXPECT_THAT(priced->total, IsMoney(6'492));
}

TEST(PriceEstimateLines, WhatTheLineGivesWinsOverTheItem) {
  job::v1::LineItem line = FromBook("pb-pipe", 2'000);
  line.set_line_item_id(kLineId);
  line.set_name("Pipe, our last two");
  line.set_kind(kAsset);
  line.set_description("left over from job 12");
  *line.mutable_unit_price() = P(1'000);
  absl::StatusOr<PricedLines> priced = PriceLines({line});
  ASSERT_TRUE(priced.ok()) << priced.status();
  const job::v1::LineItem& out = priced->lines[0];
  EXPECT_EQ(out.line_item_id(), kLineId);
  EXPECT_EQ(out.name(), "Pipe, our last two");
  EXPECT_EQ(out.kind(), kAsset);
  EXPECT_EQ(out.description(), "left over from job 12");
  EXPECT_THAT(out.unit_price(), IsMoney(1'000));
  EXPECT_THAT(out.total(), IsMoney(2'000));
  // Still the item's tax category: 20.00 × 8.25 % = 1.65
  EXPECT_THAT(priced->tax, IsMoney(165));
}

TEST(PriceEstimateLines, CustomLinesAreUntaxedAndTotalsAddUpLineByLine) {
  //   drain  2 × 150.00 labor 0 %            = 300.00, tax 0
  //   pipe   1.333 × 19.99 materials 8.25 %  =  26.65 (26.64667), tax 2.198625 → 2.20
  //   custom 1.5 × 45.00                      =  67.50, tax 0
  //   free   1 × 0.00                         =   0.00
  absl::StatusOr<PricedLines> priced =
      PriceLines({FromBook("pb-drain", 2'000), FromBook("pb-pipe", 1'333),
                  Custom("Access panel", kMaterial, 1'500, 4'500),
                  Custom("Courtesy check", kService, 1'000, 0)});
  ASSERT_TRUE(priced.ok()) << priced.status();
  std::vector<int64_t> totals;
  std::vector<std::string> ids;
  for (const job::v1::LineItem& line : priced->lines) {
    totals.push_back(line.total().minor_units());
    ids.push_back(line.line_item_id());
  }
  EXPECT_THAT(totals, ElementsAre(30'000, 2'665, 6'750, 0));
  EXPECT_THAT(ids, ElementsAre("line-1", "line-2", "line-3", "line-4"));
  EXPECT_THAT(priced->subtotal, IsMoney(39'415));
  EXPECT_THAT(priced->tax, IsMoney(220));
  EXPECT_THAT(priced->total, IsMoney(39'635));
}

TEST(PriceEstimateLines, NoLinesCostNothing) {
  absl::StatusOr<PricedLines> priced = PriceLines({});
  ASSERT_TRUE(priced.ok()) << priced.status();
  EXPECT_THAT(priced->lines, IsEmpty());
  EXPECT_THAT(priced->subtotal, IsMoney(0));
  EXPECT_THAT(priced->tax, IsMoney(0));
  EXPECT_THAT(priced->total, IsMoney(0));
}

TEST(PriceEstimateLines, UnknownOrInactiveItemsAreRefusedNamingTheLine) {
  EXPECT_THAT(PriceLines({Custom("A", kService, 1'000, 100), FromBook("pb-gone", 1'000)}),
              Fails(kPrecondition,
                    "lines[1].price_book_item_id: the price book has no item "
                    "pb-gone"));
  EXPECT_THAT(PriceLines({FromBook("pb-old", 1'000)}),
              Fails(kPrecondition, "lines[0].price_book_item_id: price item MAT-OLD is inactive"));
}

TEST(PriceEstimateLines, AmountsAreInTheTenantsCurrency) {
  EXPECT_TRUE(
      PriceLines({Custom("A", kService, 1'000, 100), Custom("B", kService, 1'000, 0)}).ok());
  job::v1::LineItem euros = Custom("B", kService, 1'000, 100);
  *euros.mutable_unit_price() = P(100, "EUR");
  EXPECT_THAT(PriceLines({Custom("A", kService, 1'000, 100), euros}),
              Fails(kInvalid, "lines[1].unit_price.currency: the tenant bills in USD"));
  EXPECT_THAT(PriceLines({FromBook("pb-euro", 1'000)}),
              Fails(kPrecondition,
                    "lines[0].price_book_item_id: price item MAT-EURO is "
                    "priced in EUR"));
  job::v1::LineItem repriced = FromBook("pb-euro", 1'000);
  *repriced.mutable_unit_price() = P(900);
  EXPECT_TRUE(PriceLines({repriced}).ok());
}

TEST(PriceEstimateLines, NeedsSettingsWithACurrencyAndATaxRateForEachCategory) {
  v1::BillingSettings none;
  EXPECT_THAT(PriceLines({Custom("A", kService, 1'000, 100)}, none),
              Fails(kPrecondition, "set the tenant's billing settings (currency) first"));
  EXPECT_THAT(PriceLines({Custom("A", kService, 1'000, 100), FromBook("pb-fuel", 1'000)}),
              Fails(kPrecondition, "lines[1]: no tax rate for category \"fuel\""));
}

TEST(PriceEstimateLines, ATotalTooLargeIsRefused) {
  EXPECT_THAT(
      PriceLines({Custom("A", kService, 1'000'000'000, std::numeric_limits<int64_t>::max() / 2)}),
      Fails(kInvalid, "lines[0].quantity_milli: the line's total is too large"));
}

// ---------------------------------------------------------------------------------------------
// Draft

TEST(DecideDraftEstimate, NumbersTheNewEstimateAsADraft) {
  v1::DraftEstimateRequest request = Draft();
  absl::StatusOr<PricedLines> priced =
      PriceEstimateLines(request.lines(), Book(), Settings(), Ids());
  ASSERT_TRUE(priced.ok()) << priced.status();
  const v1::Estimate estimate = NewEstimate(kEstimateId, request, *priced);
  auto events = DecideDraftEstimate(kNone, estimate, 4);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& drafted = std::get<v1::EstimateDrafted>(events->front()).estimate();
  EXPECT_EQ(drafted.number(), 4);
  EXPECT_EQ(drafted.estimate_id(), kEstimateId);
  EXPECT_EQ(drafted.customer_id(), testing::kCustomerId);
  EXPECT_EQ(drafted.property_id(), kPropertyId);
  EXPECT_EQ(drafted.title(), "Replace the main drain");
  EXPECT_EQ(drafted.notes(), "Dog in the yard");
  EXPECT_THAT(drafted.lines(), SizeIs(2));
  EXPECT_THAT(drafted.subtotal(), IsMoney(30'000 + 4'500));
  EXPECT_THAT(drafted.total(), IsMoney(30'000 + 4'500));

  const v1::Estimate state = Apply(v1::Estimate(), *events);
  EXPECT_EQ(state.status(), v1::ESTIMATE_STATUS_DRAFT);
  EXPECT_EQ(state.version(), 1);
  EXPECT_EQ(EstimateLabel(state), "EST-4");
}

TEST(DecideDraftEstimate, ATakenIdIsRefused) {
  EXPECT_THAT(DecideDraftEstimate(kExisting, EstimateIn(v1::ESTIMATE_STATUS_DRAFT), 5),
              Fails(absl::StatusCode::kAlreadyExists, "exists already"));
}

// ---------------------------------------------------------------------------------------------
// Transitions

constexpr v1::EstimateStatus kStatuses[] = {
    v1::ESTIMATE_STATUS_DRAFT, v1::ESTIMATE_STATUS_SENT, v1::ESTIMATE_STATUS_APPROVED,
    v1::ESTIMATE_STATUS_DECLINED, v1::ESTIMATE_STATUS_CONVERTED};

PricedLines Revision() {
  absl::StatusOr<PricedLines> priced = PriceLines({Custom("Smaller job", kService, 1'000, 9'900)});
  EXPECT_TRUE(priced.ok()) << priced.status();
  return priced.ok() ? *priced : PricedLines();
}

TEST(DecideReviseEstimate, DraftOrSentOnlyAndADraftAgain) {
  for (v1::EstimateStatus status : kStatuses) {
    const v1::Estimate estimate = EstimateIn(status, "job-1");
    auto events = DecideReviseEstimate(estimate, kExisting, "Smaller", Revision(), "new notes");
    if (status == v1::ESTIMATE_STATUS_DRAFT || status == v1::ESTIMATE_STATUS_SENT) {
      ASSERT_TRUE(events.ok()) << events.status();
      const v1::Estimate revised = Apply(estimate, *events);
      EXPECT_EQ(revised.status(), v1::ESTIMATE_STATUS_DRAFT);
      EXPECT_EQ(revised.title(), "Smaller");
      EXPECT_EQ(revised.notes(), "new notes");
      ASSERT_THAT(revised.lines(), SizeIs(1));
      EXPECT_EQ(revised.lines(0).name(), "Smaller job");
      EXPECT_THAT(revised.total(), IsMoney(9'900));
      EXPECT_EQ(revised.number(), 4);
    } else {
      EXPECT_THAT(events, Fails(kPrecondition, "only a draft or sent estimate is revised"))
          << v1::EstimateStatus_Name(status);
    }
  }
  EXPECT_THAT(DecideReviseEstimate(EstimateIn(v1::ESTIMATE_STATUS_APPROVED), kExisting, "", {}, ""),
              Fails(kPrecondition, "EST-4 is approved: "));
}

TEST(DecideSendEstimate, DraftsOnly) {
  for (v1::EstimateStatus status : kStatuses) {
    const v1::Estimate estimate = EstimateIn(status, "job-1");
    auto events = DecideSendEstimate(estimate, kExisting);
    if (status == v1::ESTIMATE_STATUS_DRAFT) {
      ASSERT_TRUE(events.ok()) << events.status();
      EXPECT_EQ(Apply(estimate, *events).status(), v1::ESTIMATE_STATUS_SENT);
    } else {
      EXPECT_THAT(events, Fails(kPrecondition, "only a draft is sent"))
          << v1::EstimateStatus_Name(status);
    }
  }
  EXPECT_THAT(DecideSendEstimate(EstimateIn(v1::ESTIMATE_STATUS_SENT), kExisting),
              Fails(kPrecondition, "EST-4 is sent: "));
  v1::Estimate empty = EstimateIn(v1::ESTIMATE_STATUS_DRAFT);
  empty.clear_lines();
  EXPECT_THAT(DecideSendEstimate(empty, kExisting), Fails(kPrecondition, "EST-4 has no lines"));
}

TEST(DecideApproveEstimate, SentOnly) {
  for (v1::EstimateStatus status : kStatuses) {
    const v1::Estimate estimate = EstimateIn(status, "job-1");
    auto events = DecideApproveEstimate(estimate, kExisting, "Pat Customer");
    if (status == v1::ESTIMATE_STATUS_SENT) {
      ASSERT_TRUE(events.ok()) << events.status();
      const v1::Estimate approved = Apply(estimate, *events);
      EXPECT_EQ(approved.status(), v1::ESTIMATE_STATUS_APPROVED);
      EXPECT_EQ(approved.approved_by(), "Pat Customer");
    } else {
      EXPECT_THAT(events, Fails(kPrecondition, "only a sent estimate is approved"))
          << v1::EstimateStatus_Name(status);
    }
  }
  EXPECT_THAT(DecideApproveEstimate(EstimateIn(v1::ESTIMATE_STATUS_DRAFT), kExisting, "Pat"),
              Fails(kPrecondition, "EST-4 is a draft: only a sent estimate is approved"));
}

TEST(DecideDeclineEstimate, SentOnly) {
  for (v1::EstimateStatus status : kStatuses) {
    const v1::Estimate estimate = EstimateIn(status, "job-1");
    auto events = DecideDeclineEstimate(estimate, kExisting, "too expensive");
    if (status == v1::ESTIMATE_STATUS_SENT) {
      ASSERT_TRUE(events.ok()) << events.status();
      const v1::Estimate declined = Apply(estimate, *events);
      EXPECT_EQ(declined.status(), v1::ESTIMATE_STATUS_DECLINED);
      EXPECT_EQ(declined.decline_reason(), "too expensive");
    } else {
      EXPECT_THAT(events, Fails(kPrecondition, "only a sent estimate is declined"))
          << v1::EstimateStatus_Name(status);
    }
  }
}

TEST(DecideConvertEstimate, ApprovedOnly) {
  for (v1::EstimateStatus status : kStatuses) {
    if (status == v1::ESTIMATE_STATUS_CONVERTED) continue;
    const v1::Estimate estimate = EstimateIn(status);
    auto events = DecideConvertEstimate(estimate, kExisting, kNewJobId);
    if (status == v1::ESTIMATE_STATUS_APPROVED) {
      EXPECT_TRUE(CheckConvertible(estimate).ok());
      ASSERT_TRUE(events.ok()) << events.status();
      const v1::Estimate converted = Apply(estimate, *events);
      EXPECT_EQ(converted.status(), v1::ESTIMATE_STATUS_CONVERTED);
      EXPECT_EQ(converted.job_id(), kNewJobId);
    } else {
      EXPECT_THAT(CheckConvertible(estimate),
                  Fails(kPrecondition, "only an approved estimate becomes a job"));
      EXPECT_THAT(events, Fails(kPrecondition, "only an approved estimate becomes a job"))
          << v1::EstimateStatus_Name(status);
    }
  }
  EXPECT_THAT(CheckConvertible(EstimateIn(v1::ESTIMATE_STATUS_DECLINED)),
              Fails(kPrecondition, "EST-4 is declined: only an approved estimate becomes a job"));
}

TEST(DecideConvertEstimate, AConvertedEstimateYieldsNoEvents) {
  const v1::Estimate converted = EstimateIn(v1::ESTIMATE_STATUS_CONVERTED, kNewJobId);
  EXPECT_TRUE(CheckConvertible(converted).ok());
  auto events = DecideConvertEstimate(converted, kExisting, kNewJobId);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, IsEmpty());
  EXPECT_THAT(DecideConvertEstimate(converted, kExisting, "another-job"),
              Fails(kPrecondition, "EST-4 became job"));
}

TEST(EstimateDecisions, AMissingEstimateIsNotFound) {
  const v1::Estimate none;
  constexpr auto kNotFound = absl::StatusCode::kNotFound;
  EXPECT_THAT(DecideReviseEstimate(none, kNone, "", {}, ""), Fails(kNotFound, "not found"));
  EXPECT_THAT(DecideSendEstimate(none, kNone), Fails(kNotFound, "not found"));
  EXPECT_THAT(DecideApproveEstimate(none, kNone, "Pat"), Fails(kNotFound, "not found"));
  EXPECT_THAT(DecideDeclineEstimate(none, kNone, "no"), Fails(kNotFound, "not found"));
  EXPECT_THAT(DecideConvertEstimate(none, kNone, kNewJobId), Fails(kNotFound, "not found"));
}

TEST(EstimateLifecycle, DraftSendReviseSendApproveConvert) {
  const v1::Estimate draft = EstimateIn(v1::ESTIMATE_STATUS_DRAFT);
  v1::Estimate estimate = Apply(draft, *DecideSendEstimate(draft, kExisting));
  estimate = Apply(estimate, *DecideReviseEstimate(estimate, kExisting, "v2", Revision(), ""));
  EXPECT_THAT(DecideApproveEstimate(estimate, kExisting, "Pat"),
              Fails(kPrecondition, "EST-4 is a draft"));
  estimate = Apply(estimate, *DecideSendEstimate(estimate, kExisting));
  estimate = Apply(estimate, *DecideApproveEstimate(estimate, kExisting, "Pat"));
  EXPECT_THAT(DecideReviseEstimate(estimate, kExisting, "v3", Revision(), ""),
              Fails(kPrecondition, "EST-4 is approved"));
  estimate = Apply(estimate, *DecideConvertEstimate(estimate, kExisting, kNewJobId));
  EXPECT_EQ(estimate.status(), v1::ESTIMATE_STATUS_CONVERTED);
  EXPECT_EQ(estimate.version(), 3 + 5);
}

// ---------------------------------------------------------------------------------------------
// The job of an estimate

TEST(JobRequestOf, CarriesLinesPricesAndNotesUnderTheEstimatesKey) {
  const job::v1::CreateJobRequest request = JobRequestOf(EstimateIn(v1::ESTIMATE_STATUS_APPROVED));
  EXPECT_EQ(request.meta().idempotency_key(), absl::StrCat("estimate/", kEstimateId, "/job"));
  EXPECT_EQ(request.meta().idempotency_key(), EstimateJobKey(kEstimateId));
  EXPECT_EQ(request.customer_id(), testing::kCustomerId);
  EXPECT_EQ(request.property_id(), kPropertyId);
  EXPECT_EQ(request.title(), "Replace the main drain");
  EXPECT_EQ(request.notes(), "Dog in the yard");
  ASSERT_THAT(request.line_items(), SizeIs(1));
  const job::v1::LineItem& line = request.line_items(0);
  EXPECT_EQ(line.line_item_id(), kLineId);
  EXPECT_EQ(line.price_book_item_id(), "pb-drain");
  EXPECT_EQ(line.kind(), kService);
  EXPECT_EQ(line.name(), "book SVC-DRAIN");
  EXPECT_EQ(line.description(), "camera inspection included");
  EXPECT_EQ(line.quantity_milli(), 2'000);
  EXPECT_THAT(line.unit_price(), IsMoney(15'000));
  EXPECT_TRUE(line.billable());
  EXPECT_FALSE(line.has_total());  // the job service computes it
}

}  // namespace
}  // namespace jobledger::billing
