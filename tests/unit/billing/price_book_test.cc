// The tenant's billing settings and the price book: request validation and decisions.
#include "domain/price_book.h"

#include <string>
#include <variant>
#include <vector>

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/testing/status_matchers.h"

namespace jobledger::billing {
namespace {

using jobledger::testing::Fails;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Labor;
using testing::P;
using testing::Rate;
using testing::Settings;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;
constexpr auto kNotFound = absl::StatusCode::kNotFound;
constexpr auto kExists = absl::StatusCode::kAlreadyExists;

constexpr char kItemId[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000a1";
constexpr char kAlice[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000d1";
constexpr char kBob[] = "0190a1b2-c3d4-7e5f-8a9b-0000000000d2";

const aggregate::Head kNone{};
const aggregate::Head kExisting{.version = 4, .hash = "h4"};

// ---------------------------------------------------------------------------------------------
// Builders

v1::SetBillingSettingsRequest SetSettings(const v1::BillingSettings& settings,
                                          std::vector<std::string> fields) {
  v1::SetBillingSettingsRequest request;
  *request.mutable_settings() = settings;
  for (std::string& field : fields) request.add_update_fields(std::move(field));
  return request;
}

// Every settings field set, valid, with the rates sorted as the stored settings keep them.
v1::BillingSettings FullSettings() {
  v1::BillingSettings settings = Settings();
  *settings.add_labor_rates() = Labor("", "overtime", -1, 14'000);
  *settings.add_labor_rates() = Labor(kAlice, "regular", 3'000, 9'500);
  settings.set_payment_terms_days(30);
  return settings;
}

// Settings after `events`, as one BillingSettingsChanged carries them.
const v1::BillingSettingsChanged& Changed(const std::vector<SettingsEvent>& events) {
  static const v1::BillingSettingsChanged kNoEvent;
  EXPECT_THAT(events, SizeIs(1));
  if (events.size() != 1) return kNoEvent;
  return std::get<v1::BillingSettingsChanged>(events.front());
}

// "SVC-DRAIN", a service at USD 150.00 costing USD 60.00, taxed as "labor".
v1::PriceItem Item() {
  v1::PriceItem item;
  item.set_code("SVC-DRAIN");
  item.set_name("Drain cleaning");
  item.set_description("Main line, up to 100 ft");
  item.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  *item.mutable_unit_price() = P(15'000);
  *item.mutable_cost_price() = P(6'000);
  item.set_tax_category("labor");
  return item;
}

// The item as the price book keeps it.
v1::PriceItem Stored() {
  v1::PriceItem item = Item();
  item.set_price_item_id(kItemId);
  item.set_active(true);
  item.set_version(kExisting.version);
  return item;
}

v1::CreatePriceItemRequest Create(const v1::PriceItem& item = Item()) {
  v1::CreatePriceItemRequest request;
  *request.mutable_item() = item;
  return request;
}

v1::UpdatePriceItemRequest Update(const v1::PriceItem& item, std::vector<std::string> fields) {
  v1::UpdatePriceItemRequest request;
  request.set_price_item_id(kItemId);
  *request.mutable_item() = item;
  for (std::string& field : fields) request.add_update_fields(std::move(field));
  return request;
}

v1::ChangePriceRequest ChangePrice(int64_t unit, int64_t cost = -1,
                                   const std::string& currency = "USD") {
  v1::ChangePriceRequest request;
  request.set_price_item_id(kItemId);
  *request.mutable_unit_price() = P(unit, currency);
  if (cost >= 0) *request.mutable_cost_price() = P(cost, currency);
  return request;
}

v1::SetPriceItemActiveRequest SetActive(bool active, const std::string& reason = "") {
  v1::SetPriceItemActiveRequest request;
  request.set_price_item_id(kItemId);
  request.set_active(active);
  request.set_reason(reason);
  return request;
}

// ---------------------------------------------------------------------------------------------
// ValidateSetBillingSettings

TEST(ValidateSetBillingSettings, AcceptsEveryField) {
  const auto request = SetSettings(FullSettings(), {"currency", "jurisdiction", "tax_rates",
                                                    "labor_rates", "payment_terms_days"});
  EXPECT_TRUE(ValidateSetBillingSettings(request).ok()) << ValidateSetBillingSettings(request);
}

TEST(ValidateSetBillingSettings, UpdateFieldsAreRequiredAndKnown) {
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(FullSettings(), {})),
              Fails(kInvalid, "update_fields: required"));
  const absl::Status unknown =
      ValidateSetBillingSettings(SetSettings(FullSettings(), {"currency", "version"}));
  EXPECT_THAT(unknown, Fails(kInvalid, "update_fields[1]: one of currency"));
}

TEST(ValidateSetBillingSettings, RefusesABadMeta) {
  auto request = SetSettings(FullSettings(), {"currency"});
  request.mutable_meta()->set_expected_version(-1);
  EXPECT_THAT(ValidateSetBillingSettings(request), Fails(kInvalid, "meta.expected_version"));
}

TEST(ValidateSetBillingSettings, CurrencyIsAnIsoCode) {
  for (const char* currency : {"usd", "US", "USDX", "", "U$D"}) {
    v1::BillingSettings settings = FullSettings();
    settings.set_currency(currency);
    EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"currency"})),
                Fails(kInvalid, "settings.currency: an ISO 4217 code"))
        << currency;
  }
}

TEST(ValidateSetBillingSettings, OnlyTheListedFieldsAreChecked) {
  v1::BillingSettings settings = FullSettings();
  settings.set_currency("dollars");
  settings.set_payment_terms_days(-5);
  settings.mutable_tax_rates(0)->set_rate_ppm(-1);
  EXPECT_TRUE(ValidateSetBillingSettings(SetSettings(settings, {"jurisdiction"})).ok());
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"jurisdiction", "tax_rates"})),
              Fails(kInvalid, "settings.tax_rates[0].rate_ppm"));
}

TEST(ValidateSetBillingSettings, JurisdictionIsText) {
  v1::BillingSettings settings = FullSettings();
  settings.set_jurisdiction("US-TX\x01");
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"jurisdiction"})),
              Fails(kInvalid, "settings.jurisdiction"));
  settings.set_jurisdiction(std::string(kMaxNameLength + 1, 'J'));
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"jurisdiction"})),
              Fails(kInvalid, "settings.jurisdiction: at most"));
}

TEST(ValidateSetBillingSettings, TaxRatesBetweenZeroAndAHundredPercent) {
  v1::BillingSettings settings = FullSettings();
  settings.mutable_tax_rates(1)->set_rate_ppm(1'000'001);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})),
              Fails(kInvalid, "settings.tax_rates[1].rate_ppm: between 0 and 1,000,000"));
  settings.mutable_tax_rates(1)->set_rate_ppm(-1);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})),
              Fails(kInvalid, "settings.tax_rates[1].rate_ppm"));
  // The bounds themselves are fine.
  settings.mutable_tax_rates(0)->set_rate_ppm(0);
  settings.mutable_tax_rates(1)->set_rate_ppm(1'000'000);
  EXPECT_TRUE(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})).ok());
}

TEST(ValidateSetBillingSettings, TaxRateNeedsACategory) {
  v1::BillingSettings settings = FullSettings();
  settings.mutable_tax_rates(1)->set_category("  ");
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})),
              Fails(kInvalid, "settings.tax_rates[1].category: required"));
  settings.mutable_tax_rates(1)->set_category(std::string(kMaxCategoryLength + 1, 'c'));
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})),
              Fails(kInvalid, "settings.tax_rates[1].category: at most"));
}

TEST(ValidateSetBillingSettings, OneTaxRatePerCategoryAndJurisdiction) {
  v1::BillingSettings settings = FullSettings();
  *settings.add_tax_rates() = Rate("materials", testing::kJurisdiction, 70'000);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})),
              Fails(kInvalid, "settings.tax_rates[2]: a second rate"));
  // The same category elsewhere is another rate.
  settings.mutable_tax_rates(2)->set_jurisdiction("US-TX-DALLAS");
  EXPECT_TRUE(ValidateSetBillingSettings(SetSettings(settings, {"tax_rates"})).ok());
}

TEST(ValidateSetBillingSettings, LaborRatesNameTheField) {
  v1::BillingSettings settings = FullSettings();
  settings.mutable_labor_rates(1)->set_employee_id("ALICE");
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})),
              Fails(kInvalid, "settings.labor_rates[1].employee_id"));

  settings = FullSettings();
  *settings.mutable_labor_rates(1)->mutable_hourly_price() = P(-1);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})),
              Fails(kInvalid, "settings.labor_rates[1].hourly_price: must not be negative"));

  settings = FullSettings();
  *settings.mutable_labor_rates(0)->mutable_hourly_cost() = P(-100);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})),
              Fails(kInvalid, "settings.labor_rates[0].hourly_cost: must not be negative"));

  settings = FullSettings();
  *settings.mutable_labor_rates(0)->mutable_hourly_cost() = P(3'000, "dollars");
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})),
              Fails(kInvalid, "settings.labor_rates[0].hourly_cost"));
}

TEST(ValidateSetBillingSettings, LaborRateNeedsACostOrAPrice) {
  v1::BillingSettings settings = FullSettings();
  *settings.add_labor_rates() = Labor(kBob, "regular", -1, -1);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})),
              Fails(kInvalid, "settings.labor_rates[2]: an hourly cost, an hourly price or both"));
}

TEST(ValidateSetBillingSettings, OneLaborRatePerEmployeeAndWorkType) {
  v1::BillingSettings settings = FullSettings();
  *settings.add_labor_rates() = Labor(kAlice, "regular", 3'100, -1);
  EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})),
              Fails(kInvalid, "settings.labor_rates[2]: a second rate"));
  settings.mutable_labor_rates(2)->set_work_type("overtime");
  EXPECT_TRUE(ValidateSetBillingSettings(SetSettings(settings, {"labor_rates"})).ok());
}

TEST(ValidateSetBillingSettings, PaymentTermsUpToAYear) {
  v1::BillingSettings settings = FullSettings();
  for (int days : {0, 30, kMaxPaymentTermsDays}) {
    settings.set_payment_terms_days(days);
    EXPECT_TRUE(ValidateSetBillingSettings(SetSettings(settings, {"payment_terms_days"})).ok())
        << days;
  }
  for (int days : {-1, kMaxPaymentTermsDays + 1}) {
    settings.set_payment_terms_days(days);
    EXPECT_THAT(ValidateSetBillingSettings(SetSettings(settings, {"payment_terms_days"})),
                Fails(kInvalid, "settings.payment_terms_days: between 0 and 365"))
        << days;
  }
}

// ---------------------------------------------------------------------------------------------
// DecideSetBillingSettings

TEST(DecideSetBillingSettings, FirstSettingsSortRatesAndNameEveryField) {
  v1::BillingSettings given;
  given.set_currency("USD");
  given.set_jurisdiction(testing::kJurisdiction);
  *given.add_tax_rates() = Rate("materials", testing::kJurisdiction, testing::kRate825);
  *given.add_tax_rates() = Rate("labor", "US-TX-DALLAS", 10'000);
  *given.add_tax_rates() = Rate("labor", testing::kJurisdiction, 0);
  *given.add_labor_rates() = Labor(kBob, "regular", 3'200, 9'000);
  *given.add_labor_rates() = Labor(kAlice, "regular", 3'000, 9'500);
  *given.add_labor_rates() = Labor(kAlice, "overtime", 4'500, 14'000);
  given.set_payment_terms_days(30);
  given.set_version(99);
  auto events = DecideSetBillingSettings(
      v1::BillingSettings(), kNone,
      SetSettings(given,
                  {"currency", "jurisdiction", "tax_rates", "labor_rates", "payment_terms_days"}));
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::BillingSettingsChanged& changed = Changed(*events);
  EXPECT_THAT(changed.changed_fields(),
              UnorderedElementsAre("currency", "jurisdiction", "tax_rates", "labor_rates",
                                   "payment_terms_days"));
  const v1::BillingSettings& settings = changed.settings();
  EXPECT_EQ(settings.currency(), "USD");
  EXPECT_EQ(settings.jurisdiction(), testing::kJurisdiction);
  EXPECT_EQ(settings.payment_terms_days(), 30);
  EXPECT_EQ(settings.version(), 0) << "the event carries no version";
  ASSERT_THAT(settings.tax_rates(), SizeIs(3));
  EXPECT_EQ(settings.tax_rates(0).category(), "labor");
  EXPECT_EQ(settings.tax_rates(0).jurisdiction(), "US-TX-AUSTIN");
  EXPECT_EQ(settings.tax_rates(1).category(), "labor");
  EXPECT_EQ(settings.tax_rates(1).jurisdiction(), "US-TX-DALLAS");
  EXPECT_EQ(settings.tax_rates(2).category(), "materials");
  ASSERT_THAT(settings.labor_rates(), SizeIs(3));
  EXPECT_EQ(settings.labor_rates(0).employee_id(), kAlice);
  EXPECT_EQ(settings.labor_rates(0).work_type(), "overtime");
  EXPECT_EQ(settings.labor_rates(1).employee_id(), kAlice);
  EXPECT_EQ(settings.labor_rates(1).work_type(), "regular");
  EXPECT_EQ(settings.labor_rates(2).employee_id(), kBob);
}

TEST(DecideSetBillingSettings, TakesOnlyTheListedFields) {
  v1::BillingSettings current = FullSettings();
  current.set_version(kExisting.version);
  v1::BillingSettings given;
  given.set_currency("EUR");
  given.set_jurisdiction("US-TX-DALLAS");
  given.set_payment_terms_days(7);
  auto events = DecideSetBillingSettings(current, kExisting, SetSettings(given, {"jurisdiction"}));
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::BillingSettingsChanged& changed = Changed(*events);
  EXPECT_THAT(changed.changed_fields(), ElementsAre("jurisdiction"));
  EXPECT_EQ(changed.settings().jurisdiction(), "US-TX-DALLAS");
  EXPECT_EQ(changed.settings().currency(), "USD");
  EXPECT_EQ(changed.settings().payment_terms_days(), 30);
  EXPECT_THAT(changed.settings().tax_rates(), SizeIs(2));
  EXPECT_THAT(changed.settings().labor_rates(), SizeIs(2));
}

TEST(DecideSetBillingSettings, ChangedFieldsAreOnlyThoseThatDiffer) {
  v1::BillingSettings current = FullSettings();
  v1::BillingSettings given = FullSettings();
  given.set_payment_terms_days(45);
  auto events = DecideSetBillingSettings(
      current, kExisting,
      SetSettings(given, {"currency", "jurisdiction", "tax_rates", "payment_terms_days"}));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Changed(*events).changed_fields(), ElementsAre("payment_terms_days"));
  EXPECT_EQ(Changed(*events).settings().payment_terms_days(), 45);
}

TEST(DecideSetBillingSettings, NothingChangedGivesNoEvent) {
  v1::BillingSettings current = FullSettings();
  current.set_version(kExisting.version);
  // The same rates in another order, and the settings' version, change nothing.
  v1::BillingSettings given = FullSettings();
  std::swap(*given.mutable_tax_rates(0), *given.mutable_tax_rates(1));
  given.set_version(1);
  auto events = DecideSetBillingSettings(
      current, kExisting,
      SetSettings(given,
                  {"currency", "jurisdiction", "tax_rates", "labor_rates", "payment_terms_days"}));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, IsEmpty());
}

TEST(DecideSetBillingSettings, NeedsACurrency) {
  v1::BillingSettings given;
  given.set_jurisdiction(testing::kJurisdiction);
  EXPECT_THAT(
      DecideSetBillingSettings(v1::BillingSettings(), kNone, SetSettings(given, {"jurisdiction"})),
      Fails(kPrecondition, "need a currency first"));
}

TEST(DecideSetBillingSettings, LaborRatesInAnotherCurrencyAreRefused) {
  // A new rate in EUR for a USD tenant, named by its place in the request.
  v1::BillingSettings given = FullSettings();
  *given.mutable_labor_rates(1)->mutable_hourly_price() = P(14'000, "EUR");
  const absl::Status refused =
      DecideSetBillingSettings(FullSettings(), kExisting, SetSettings(given, {"labor_rates"}))
          .status();
  EXPECT_THAT(refused, Fails(kPrecondition, "labor_rates[1] is in EUR"));
  EXPECT_THAT(refused.message(), HasSubstr("USD"));
}

TEST(DecideSetBillingSettings, ACurrencyChangeMustBringTheLaborRatesAlong) {
  v1::BillingSettings given;
  given.set_currency("EUR");
  EXPECT_THAT(DecideSetBillingSettings(FullSettings(), kExisting, SetSettings(given, {"currency"})),
              Fails(kPrecondition, "labor_rates[0] is in USD, the settings in EUR"));
  // Rates in the new currency together with it are fine.
  *given.add_labor_rates() = Labor(kAlice, "regular", -1, 9'000);
  *given.mutable_labor_rates(0)->mutable_hourly_price() = P(9'000, "EUR");
  auto events = DecideSetBillingSettings(FullSettings(), kExisting,
                                         SetSettings(given, {"currency", "labor_rates"}));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Changed(*events).changed_fields(), UnorderedElementsAre("currency", "labor_rates"));
  EXPECT_EQ(Changed(*events).settings().currency(), "EUR");
  // Without labour rates a currency change is fine too.
  v1::BillingSettings plain = Settings();
  auto bare = DecideSetBillingSettings(plain, kExisting, SetSettings(given, {"currency"}));
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_THAT(Changed(*bare).changed_fields(), ElementsAre("currency"));
}

// ---------------------------------------------------------------------------------------------
// Price item validation

TEST(ValidateCreatePriceItem, AcceptsAnItem) {
  EXPECT_TRUE(ValidateCreatePriceItem(Create()).ok()) << ValidateCreatePriceItem(Create());
  // No cost price, no tax category, a free item, every kind.
  v1::PriceItem item = Item();
  item.clear_cost_price();
  item.clear_tax_category();
  *item.mutable_unit_price() = P(0);
  for (auto kind : {job::v1::LINE_ITEM_KIND_SERVICE, job::v1::LINE_ITEM_KIND_MATERIAL,
                    job::v1::LINE_ITEM_KIND_ASSET}) {
    item.set_kind(kind);
    EXPECT_TRUE(ValidateCreatePriceItem(Create(item)).ok())
        << ValidateCreatePriceItem(Create(item));
  }
}

TEST(ValidateCreatePriceItem, CodeCharactersAndLength) {
  v1::PriceItem item = Item();
  for (const char* code : {"MAT-PVC_2.IN", "svc9", "A"}) {
    item.set_code(code);
    EXPECT_TRUE(ValidateCreatePriceItem(Create(item)).ok()) << code;
  }
  item.set_code(std::string(kMaxCodeLength, 'X'));
  EXPECT_TRUE(ValidateCreatePriceItem(Create(item)).ok());
  item.set_code(std::string(kMaxCodeLength + 1, 'X'));
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.code: at most 40"));
  for (const char* code : {"SVC DRAIN", "SVC/DRAIN", "SVC#1", "ÉTÉ"}) {
    item.set_code(code);
    EXPECT_THAT(ValidateCreatePriceItem(Create(item)),
                Fails(kInvalid, "item.code: letters, digits, '-', '_' and '.' only"))
        << code;
  }
  item.set_code("");
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.code: required"));
}

TEST(ValidateCreatePriceItem, NameIsRequired) {
  v1::PriceItem item = Item();
  item.set_name(" \t ");
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.name: required"));
  item.set_name(std::string(kMaxNameLength + 1, 'n'));
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.name: at most"));
}

TEST(ValidateCreatePriceItem, DescriptionAndTaxCategoryAreBounded) {
  v1::PriceItem item = Item();
  item.set_description(std::string(kMaxDescriptionLength + 1, 'd'));
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.description"));
  item = Item();
  item.set_tax_category(std::string(kMaxCategoryLength + 1, 't'));
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.tax_category"));
}

TEST(ValidateCreatePriceItem, KindIsServiceMaterialOrAsset) {
  v1::PriceItem item = Item();
  item.set_kind(job::v1::LINE_ITEM_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)),
              Fails(kInvalid, "item.kind: service, material or asset"));
  item.set_kind(static_cast<job::v1::LineItemKind>(42));
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.kind"));
}

TEST(ValidateCreatePriceItem, PricesAreNotNegative) {
  v1::PriceItem item = Item();
  item.clear_unit_price();
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.unit_price: required"));
  *item.mutable_unit_price() = P(-1);
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)),
              Fails(kInvalid, "item.unit_price: must not be negative"));
  *item.mutable_unit_price() = P(100, "usd");
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)), Fails(kInvalid, "item.unit_price"));
  item = Item();
  *item.mutable_cost_price() = P(-6'000);
  EXPECT_THAT(ValidateCreatePriceItem(Create(item)),
              Fails(kInvalid, "item.cost_price: must not be negative"));
}

TEST(ValidateUpdatePriceItem, NeedsTheItemAndTheFields) {
  v1::UpdatePriceItemRequest request = Update(Item(), {"name"});
  EXPECT_TRUE(ValidateUpdatePriceItem(request).ok()) << ValidateUpdatePriceItem(request);
  request.clear_price_item_id();
  EXPECT_THAT(ValidateUpdatePriceItem(request), Fails(kInvalid, "price_item_id: required"));
  request.set_price_item_id("item-1");
  EXPECT_THAT(ValidateUpdatePriceItem(request), Fails(kInvalid, "price_item_id: must be a UUID"));
  EXPECT_THAT(ValidateUpdatePriceItem(Update(Item(), {})),
              Fails(kInvalid, "update_fields: required"));
}

TEST(ValidateUpdatePriceItem, PricesAndUnknownFieldsAreNotUpdateFields) {
  for (const char* field : {"unit_price", "cost_price", "active", "colour"}) {
    EXPECT_THAT(
        ValidateUpdatePriceItem(Update(Item(), {"name", field})),
        Fails(kInvalid, "update_fields: one of code, name, description, kind, tax_category"))
        << field;
  }
}

TEST(ValidateUpdatePriceItem, ChecksOnlyTheListedFields) {
  v1::PriceItem item;  // no code, no name, no kind
  item.set_description("New description");
  EXPECT_TRUE(ValidateUpdatePriceItem(Update(item, {"description"})).ok());
  EXPECT_THAT(ValidateUpdatePriceItem(Update(item, {"description", "code"})),
              Fails(kInvalid, "item.code: required"));
  EXPECT_THAT(ValidateUpdatePriceItem(Update(item, {"name"})),
              Fails(kInvalid, "item.name: required"));
  EXPECT_THAT(ValidateUpdatePriceItem(Update(item, {"kind"})), Fails(kInvalid, "item.kind"));
}

TEST(ValidateChangePrice, UnitPriceRequiredCostOptional) {
  EXPECT_TRUE(ValidateChangePrice(ChangePrice(16'000)).ok());
  EXPECT_TRUE(ValidateChangePrice(ChangePrice(16'000, 6'500)).ok());
  v1::ChangePriceRequest request = ChangePrice(16'000);
  request.clear_unit_price();
  EXPECT_THAT(ValidateChangePrice(request), Fails(kInvalid, "unit_price: required"));
  EXPECT_THAT(ValidateChangePrice(ChangePrice(-1)), Fails(kInvalid, "unit_price: must not be"));
  request = ChangePrice(16'000);
  *request.mutable_cost_price() = P(-5);
  EXPECT_THAT(ValidateChangePrice(request), Fails(kInvalid, "cost_price: must not be negative"));
  request = ChangePrice(16'000);
  request.set_price_item_id("");
  EXPECT_THAT(ValidateChangePrice(request), Fails(kInvalid, "price_item_id: required"));
}

TEST(ValidateSetPriceItemActive, NeedsTheItemAndCleanReason) {
  EXPECT_TRUE(ValidateSetPriceItemActive(SetActive(false, "Discontinued")).ok());
  v1::SetPriceItemActiveRequest request = SetActive(false, "bad\x07reason");
  EXPECT_THAT(ValidateSetPriceItemActive(request), Fails(kInvalid, "reason"));
  request = SetActive(false, std::string(kMaxReasonLength + 1, 'r'));
  EXPECT_THAT(ValidateSetPriceItemActive(request), Fails(kInvalid, "reason: at most"));
  request = SetActive(true);
  request.clear_price_item_id();
  EXPECT_THAT(ValidateSetPriceItemActive(request), Fails(kInvalid, "price_item_id: required"));
}

// ---------------------------------------------------------------------------------------------
// Price item decisions

TEST(DecideCreatePriceItem, CreatesAnActiveItem) {
  v1::PriceItem item = Item();
  item.set_price_item_id("client-chosen");
  item.set_version(12);
  item.set_active(false);
  auto events = DecideCreatePriceItem(kNone, Create(item), "USD");
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& created = std::get<v1::PriceItemCreated>(events->front());
  EXPECT_TRUE(created.item().active());
  EXPECT_EQ(created.item().price_item_id(), "") << "assigned by the envelope";
  EXPECT_EQ(created.item().version(), 0);
  EXPECT_EQ(created.item().code(), "SVC-DRAIN");
  EXPECT_EQ(created.item().unit_price().minor_units(), 15'000);
  EXPECT_EQ(created.item().cost_price().minor_units(), 6'000);
}

TEST(DecideCreatePriceItem, AnExistingItemIsNotCreatedAgain) {
  EXPECT_THAT(DecideCreatePriceItem(kExisting, Create(), "USD"),
              Fails(kExists, "the price item exists already"));
}

TEST(DecideCreatePriceItem, PricesInTheTenantsCurrency) {
  v1::PriceItem item = Item();
  *item.mutable_unit_price() = P(15'000, "EUR");
  EXPECT_THAT(DecideCreatePriceItem(kNone, Create(item), "USD"),
              Fails(kInvalid, "item.unit_price: in USD, the tenant's currency"));
  item = Item();
  *item.mutable_cost_price() = P(6'000, "CAD");
  EXPECT_THAT(DecideCreatePriceItem(kNone, Create(item), "USD"),
              Fails(kInvalid, "item.cost_price: in USD"));
  // An item without a cost price is fine.
  item.clear_cost_price();
  EXPECT_TRUE(DecideCreatePriceItem(kNone, Create(item), "USD").ok());
  // In a EUR tenant, the USD item is refused.
  EXPECT_THAT(DecideCreatePriceItem(kNone, Create(), "EUR"),
              Fails(kInvalid, "item.unit_price: in EUR"));
}

TEST(DecideUpdatePriceItem, MissingItemIsNotFound) {
  EXPECT_THAT(DecideUpdatePriceItem(v1::PriceItem(), kNone, Update(Item(), {"name"})),
              Fails(kNotFound, absl::StrCat("price item ", kItemId, " not found")));
}

TEST(DecideUpdatePriceItem, ChangesTheListedFieldsThatDiffer) {
  v1::PriceItem given = Item();
  given.set_name("Drain cleaning, main line");  // listed and different
  given.set_description("Other");               // different but not listed
  given.set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
  given.set_tax_category("labor");  // listed, the same
  *given.mutable_unit_price() = P(1);
  auto events =
      DecideUpdatePriceItem(Stored(), kExisting, Update(given, {"name", "kind", "tax_category"}));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& updated = std::get<v1::PriceItemUpdated>(events->front());
  EXPECT_THAT(updated.changed_fields(), ElementsAre("name", "kind"));
  EXPECT_EQ(updated.item().name(), "Drain cleaning, main line");
  EXPECT_EQ(updated.item().kind(), job::v1::LINE_ITEM_KIND_MATERIAL);
  EXPECT_EQ(updated.item().description(), "Main line, up to 100 ft");
  EXPECT_EQ(updated.item().unit_price().minor_units(), 15'000) << "prices change elsewhere";
  EXPECT_EQ(updated.item().code(), "SVC-DRAIN");
}

TEST(DecideUpdatePriceItem, EveryUpdatableField) {
  v1::PriceItem given;
  given.set_code("SVC-DRAIN-2");
  given.set_name("Other");
  given.set_description("");
  given.set_kind(job::v1::LINE_ITEM_KIND_ASSET);
  given.set_tax_category("materials");
  auto events = DecideUpdatePriceItem(
      Stored(), kExisting, Update(given, {"code", "name", "description", "kind", "tax_category"}));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& updated = std::get<v1::PriceItemUpdated>(events->front());
  EXPECT_THAT(updated.changed_fields(),
              ElementsAre("code", "name", "description", "kind", "tax_category"));
  EXPECT_EQ(updated.item().code(), "SVC-DRAIN-2");
  EXPECT_EQ(updated.item().description(), "");
  EXPECT_EQ(updated.item().tax_category(), "materials");
}

TEST(DecideUpdatePriceItem, NoChangeGivesNoEvent) {
  auto events = DecideUpdatePriceItem(
      Stored(), kExisting, Update(Item(), {"code", "name", "description", "kind", "tax_category"}));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, IsEmpty());
}

TEST(DecideChangePrice, MissingItemIsNotFound) {
  EXPECT_THAT(DecideChangePrice(v1::PriceItem(), kNone, ChangePrice(100)),
              Fails(kNotFound, absl::StrCat("price item ", kItemId, " not found")));
}

TEST(DecideChangePrice, RecordsNewAndPreviousPrices) {
  auto events = DecideChangePrice(Stored(), kExisting, ChangePrice(16'500, 6'200));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& changed = std::get<v1::PriceItemPriceChanged>(events->front());
  EXPECT_THAT(changed.unit_price(), testing::IsMoney(16'500));
  EXPECT_THAT(changed.cost_price(), testing::IsMoney(6'200));
  EXPECT_THAT(changed.previous_unit_price(), testing::IsMoney(15'000));
  EXPECT_THAT(changed.previous_cost_price(), testing::IsMoney(6'000));
}

TEST(DecideChangePrice, AnUnsetCostPriceIsKept) {
  auto events = DecideChangePrice(Stored(), kExisting, ChangePrice(16'500));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& changed = std::get<v1::PriceItemPriceChanged>(events->front());
  EXPECT_THAT(changed.unit_price(), testing::IsMoney(16'500));
  EXPECT_THAT(changed.cost_price(), testing::IsMoney(6'000));
}

TEST(DecideChangePrice, OnlyTheCostPriceChanging) {
  auto events = DecideChangePrice(Stored(), kExisting, ChangePrice(15'000, 5'000));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  EXPECT_THAT(std::get<v1::PriceItemPriceChanged>(events->front()).cost_price(),
              testing::IsMoney(5'000));
}

TEST(DecideChangePrice, SamePricesGiveNoEvent) {
  auto same = DecideChangePrice(Stored(), kExisting, ChangePrice(15'000, 6'000));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_THAT(*same, IsEmpty());
  auto kept = DecideChangePrice(Stored(), kExisting, ChangePrice(15'000));
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_THAT(*kept, IsEmpty());
}

TEST(DecideChangePrice, PricesInTheItemsCurrency) {
  EXPECT_THAT(DecideChangePrice(Stored(), kExisting, ChangePrice(16'000, -1, "EUR")),
              Fails(kInvalid, "unit_price: in USD"));
  v1::ChangePriceRequest request = ChangePrice(16'000);
  *request.mutable_cost_price() = P(6'000, "EUR");
  EXPECT_THAT(DecideChangePrice(Stored(), kExisting, request),
              Fails(kInvalid, "cost_price: in USD"));
}

// An item whose cost is unknown keeps it unknown when only its unit price changes: the cost bar
// reads has_cost_price() and parses it as Money, which an empty message is not.
TEST(DecideChangePrice, AnUnknownCostPriceStaysUnknown) {
  v1::PriceItem item = Stored();
  item.clear_cost_price();
  auto events = DecideChangePrice(item, kExisting, ChangePrice(16'500));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  const auto& changed = std::get<v1::PriceItemPriceChanged>(events->front());
  EXPECT_THAT(changed.unit_price(), testing::IsMoney(16'500));
  EXPECT_FALSE(changed.has_cost_price())
      << "an unknown cost price became " << changed.cost_price().ShortDebugString();
  EXPECT_FALSE(changed.has_previous_cost_price());
}

TEST(DecideSetPriceItemActive, MissingItemIsNotFound) {
  EXPECT_THAT(DecideSetPriceItemActive(v1::PriceItem(), kNone, SetActive(false)),
              Fails(kNotFound, absl::StrCat("price item ", kItemId, " not found")));
}

TEST(DecideSetPriceItemActive, DeactivatesWithTheReasonAndActivates) {
  auto off = DecideSetPriceItemActive(Stored(), kExisting, SetActive(false, "Discontinued"));
  ASSERT_TRUE(off.ok()) << off.status();
  ASSERT_THAT(*off, SizeIs(1));
  EXPECT_EQ(std::get<v1::PriceItemDeactivated>(off->front()).reason(), "Discontinued");

  v1::PriceItem inactive = Stored();
  inactive.set_active(false);
  auto on = DecideSetPriceItemActive(inactive, kExisting, SetActive(true));
  ASSERT_TRUE(on.ok()) << on.status();
  ASSERT_THAT(*on, SizeIs(1));
  EXPECT_TRUE(std::holds_alternative<v1::PriceItemActivated>(on->front()));
}

TEST(DecideSetPriceItemActive, AlreadySoGivesNoEvent) {
  auto on = DecideSetPriceItemActive(Stored(), kExisting, SetActive(true));
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_THAT(*on, IsEmpty());
  v1::PriceItem inactive = Stored();
  inactive.set_active(false);
  auto off = DecideSetPriceItemActive(inactive, kExisting, SetActive(false, "again"));
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_THAT(*off, IsEmpty());
}

TEST(NormalizedCode, IgnoresCase) {
  EXPECT_EQ(NormalizedCode("SVC-Drain.2"), "svc-drain.2");
  EXPECT_EQ(NormalizedCode("svc-drain"), NormalizedCode("SVC-DRAIN"));
  EXPECT_NE(NormalizedCode("SVC-DRAIN"), NormalizedCode("SVC_DRAIN"));
}

}  // namespace
}  // namespace jobledger::billing
