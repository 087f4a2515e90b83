// Billing settings and the price book.
#include "domain/price_book.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/money.h"

namespace jobledger::billing {
namespace {

using google::protobuf::util::MessageDifferencer;

absl::Status NotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("price item ", id, " not found"));
}

// A Money the request sets (a client may send an empty one for "none").
bool HasPrice(const common::v1::Money& price) {
  return !price.currency().empty() || price.minor_units() != 0;
}

absl::Status ValidateCurrency(absl::string_view field, absl::string_view currency) {
  const bool iso =
      currency.size() == 3 && std::all_of(currency.begin(), currency.end(), absl::ascii_isupper);
  if (!iso) return Invalid(field, "an ISO 4217 code such as USD");
  return absl::OkStatus();
}

// A price: set, not negative, a valid amount (its currency is checked against the tenant's in
// the decision).
absl::Status ValidatePrice(absl::string_view field, const common::v1::Money& price, bool required) {
  if (!HasPrice(price)) return required ? Invalid(field, "required") : absl::OkStatus();
  auto money = Money::FromProto(price);
  if (!money.ok()) return Invalid(field, money.status().message());
  if (money->is_negative()) return Invalid(field, "must not be negative");
  return absl::OkStatus();
}

absl::Status CheckCurrency(absl::string_view field, const common::v1::Money& price,
                           absl::string_view currency) {
  if (!HasPrice(price)) return absl::OkStatus();
  if (price.currency() != currency) {
    return Invalid(field, absl::StrCat("in ", currency, ", the tenant's currency"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCode(absl::string_view field, absl::string_view code) {
  if (code.empty()) return Invalid(field, "required");
  if (code.size() > kMaxCodeLength) {
    return Invalid(field, absl::StrCat("at most ", kMaxCodeLength, " characters"));
  }
  for (char c : code) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
      return Invalid(field, "letters, digits, '-', '_' and '.' only");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateKind(absl::string_view field, job::v1::LineItemKind kind) {
  if (kind == job::v1::LINE_ITEM_KIND_SERVICE || kind == job::v1::LINE_ITEM_KIND_MATERIAL ||
      kind == job::v1::LINE_ITEM_KIND_ASSET) {
    return absl::OkStatus();
  }
  return Invalid(field, "service, material or asset");
}

absl::Status ValidateItemField(const v1::PriceItem& item, absl::string_view field) {
  if (field == "code") return ValidateCode("item.code", item.code());
  if (field == "name") {
    if (IsBlank(item.name())) return Invalid("item.name", "required");
    return ValidateText("item.name", item.name(), kMaxNameLength, false);
  }
  if (field == "description") {
    return ValidateText("item.description", item.description(), kMaxDescriptionLength, false);
  }
  if (field == "kind") return ValidateKind("item.kind", item.kind());
  if (field == "tax_category") {
    return ValidateText("item.tax_category", item.tax_category(), kMaxCategoryLength, false);
  }
  return Invalid("update_fields", "one of code, name, description, kind, tax_category");
}

absl::Status ValidateTaxRates(const v1::BillingSettings& settings) {
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < settings.tax_rates_size(); ++i) {
    const v1::TaxRate& rate = settings.tax_rates(i);
    const std::string field = Indexed("settings.tax_rates", i);
    if (IsBlank(rate.category())) return Invalid(Field(field, "category"), "required");
    if (absl::Status s =
            ValidateText(Field(field, "category"), rate.category(), kMaxCategoryLength, false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            ValidateText(Field(field, "jurisdiction"), rate.jurisdiction(), kMaxNameLength, false);
        !s.ok()) {
      return s;
    }
    if (rate.rate_ppm() < 0 || rate.rate_ppm() > 1'000'000) {
      return Invalid(Field(field, "rate_ppm"), "between 0 and 1,000,000 (100 %)");
    }
    if (!seen.insert({rate.category(), rate.jurisdiction()}).second) {
      return Invalid(field, "a second rate for the same category and jurisdiction");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateLaborRates(const v1::BillingSettings& settings) {
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < settings.labor_rates_size(); ++i) {
    const v1::LaborRate& rate = settings.labor_rates(i);
    const std::string field = Indexed("settings.labor_rates", i);
    if (absl::Status s = ValidateId(Field(field, "employee_id"), rate.employee_id(), false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            ValidateText(Field(field, "work_type"), rate.work_type(), kMaxCategoryLength, false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ValidatePrice(Field(field, "hourly_cost"), rate.hourly_cost(), false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ValidatePrice(Field(field, "hourly_price"), rate.hourly_price(), false);
        !s.ok()) {
      return s;
    }
    if (!rate.has_hourly_cost() && !rate.has_hourly_price()) {
      return Invalid(field, "an hourly cost, an hourly price or both");
    }
    if (!seen.insert({rate.employee_id(), rate.work_type()}).second) {
      return Invalid(field, "a second rate for the same employee and work type");
    }
  }
  return absl::OkStatus();
}

void SortRates(v1::BillingSettings& settings) {
  auto& taxes = *settings.mutable_tax_rates();
  std::sort(taxes.begin(), taxes.end(), [](const v1::TaxRate& a, const v1::TaxRate& b) {
    return std::tie(a.category(), a.jurisdiction()) < std::tie(b.category(), b.jurisdiction());
  });
  auto& labor = *settings.mutable_labor_rates();
  std::sort(labor.begin(), labor.end(), [](const v1::LaborRate& a, const v1::LaborRate& b) {
    return std::tie(a.employee_id(), a.work_type()) < std::tie(b.employee_id(), b.work_type());
  });
}

const std::set<std::string>& SettingsFields() {
  static const auto* fields = new std::set<std::string>{"currency", "jurisdiction", "tax_rates",
                                                        "labor_rates", "payment_terms_days"};
  return *fields;
}

}  // namespace

std::string NormalizedCode(absl::string_view code) { return absl::AsciiStrToLower(code); }

absl::Status ValidateSetBillingSettings(const v1::SetBillingSettingsRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (request.update_fields().empty()) return Invalid("update_fields", "required");
  for (int i = 0; i < request.update_fields_size(); ++i) {
    if (!SettingsFields().contains(request.update_fields(i))) {
      return Invalid(Indexed("update_fields", i),
                     "one of currency, jurisdiction, tax_rates, labor_rates, payment_terms_days");
    }
  }
  const v1::BillingSettings& settings = request.settings();
  for (const std::string& field : request.update_fields()) {
    absl::Status s;
    if (field == "currency") s = ValidateCurrency("settings.currency", settings.currency());
    if (field == "jurisdiction") {
      s = ValidateText("settings.jurisdiction", settings.jurisdiction(), kMaxNameLength, false);
    }
    if (field == "tax_rates") s = ValidateTaxRates(settings);
    if (field == "labor_rates") s = ValidateLaborRates(settings);
    if (field == "payment_terms_days" && (settings.payment_terms_days() < 0 ||
                                          settings.payment_terms_days() > kMaxPaymentTermsDays)) {
      s = Invalid("settings.payment_terms_days",
                  absl::StrCat("between 0 and ", kMaxPaymentTermsDays));
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SettingsEvent>> DecideSetBillingSettings(
    const v1::BillingSettings& current, const aggregate::Head& head,
    const v1::SetBillingSettingsRequest& request) {
  v1::BillingSettings next = current;
  const v1::BillingSettings& given = request.settings();
  std::set<std::string> fields(request.update_fields().begin(), request.update_fields().end());
  if (fields.contains("currency")) next.set_currency(given.currency());
  if (fields.contains("jurisdiction")) next.set_jurisdiction(given.jurisdiction());
  if (fields.contains("tax_rates")) *next.mutable_tax_rates() = given.tax_rates();
  if (fields.contains("labor_rates")) *next.mutable_labor_rates() = given.labor_rates();
  if (fields.contains("payment_terms_days"))
    next.set_payment_terms_days(given.payment_terms_days());
  if (next.currency().empty()) {
    return absl::FailedPreconditionError("the tenant's billing settings need a currency first");
  }
  for (int i = 0; i < next.labor_rates_size(); ++i) {
    const v1::LaborRate& rate = next.labor_rates(i);
    for (const common::v1::Money* amount : {&rate.hourly_cost(), &rate.hourly_price()}) {
      if (!amount->currency().empty() && amount->currency() != next.currency()) {
        return absl::FailedPreconditionError(absl::StrCat("labor_rates[", i, "] is in ",
                                                          amount->currency(), ", the settings in ",
                                                          next.currency()));
      }
    }
  }
  SortRates(next);
  next.set_version(0);
  v1::BillingSettingsChanged changed;
  v1::BillingSettings before = current;
  before.set_version(0);
  const auto* descriptor = v1::BillingSettings::descriptor();
  for (const std::string& field : SettingsFields()) {
    const auto* f = descriptor->FindFieldByName(field);
    MessageDifferencer differ;
    std::vector<const google::protobuf::FieldDescriptor*> only = {f};
    if (!differ.CompareWithFields(before, next, only, only)) changed.add_changed_fields(field);
  }
  if (changed.changed_fields().empty() && head.version > 0) return std::vector<SettingsEvent>{};
  *changed.mutable_settings() = std::move(next);
  return std::vector<SettingsEvent>{std::move(changed)};
}

absl::Status ValidateCreatePriceItem(const v1::CreatePriceItemRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  for (const char* field : {"code", "name", "description", "kind", "tax_category"}) {
    if (absl::Status s = ValidateItemField(request.item(), field); !s.ok()) return s;
  }
  if (absl::Status s = ValidatePrice("item.unit_price", request.item().unit_price(), true);
      !s.ok()) {
    return s;
  }
  return ValidatePrice("item.cost_price", request.item().cost_price(), false);
}

absl::Status ValidateUpdatePriceItem(const v1::UpdatePriceItemRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("price_item_id", request.price_item_id(), true); !s.ok()) {
    return s;
  }
  if (request.update_fields().empty()) return Invalid("update_fields", "required");
  for (const std::string& field : request.update_fields()) {
    if (absl::Status s = ValidateItemField(request.item(), field); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateChangePrice(const v1::ChangePriceRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("price_item_id", request.price_item_id(), true); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidatePrice("unit_price", request.unit_price(), true); !s.ok()) return s;
  return ValidatePrice("cost_price", request.cost_price(), false);
}

absl::Status ValidateSetPriceItemActive(const v1::SetPriceItemActiveRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("price_item_id", request.price_item_id(), true); !s.ok()) {
    return s;
  }
  return ValidateText("reason", request.reason(), kMaxReasonLength, false);
}

absl::StatusOr<std::vector<PriceItemEvent>> DecideCreatePriceItem(
    const aggregate::Head& head, const v1::CreatePriceItemRequest& request,
    absl::string_view currency) {
  if (head.version > 0) return absl::AlreadyExistsError("the price item exists already");
  if (absl::Status s = CheckCurrency("item.unit_price", request.item().unit_price(), currency);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCurrency("item.cost_price", request.item().cost_price(), currency);
      !s.ok()) {
    return s;
  }
  v1::PriceItemCreated created;
  *created.mutable_item() = request.item();
  if (!HasPrice(request.item().cost_price())) created.mutable_item()->clear_cost_price();
  created.mutable_item()->clear_price_item_id();
  created.mutable_item()->clear_version();
  created.mutable_item()->set_active(true);
  return std::vector<PriceItemEvent>{std::move(created)};
}

absl::StatusOr<std::vector<PriceItemEvent>> DecideUpdatePriceItem(
    const v1::PriceItem& item, const aggregate::Head& head,
    const v1::UpdatePriceItemRequest& request) {
  if (head.version == 0) return NotFound(request.price_item_id());
  v1::PriceItemUpdated updated;
  v1::PriceItem next = item;
  const v1::PriceItem& given = request.item();
  for (const std::string& field : request.update_fields()) {
    if (field == "code" && next.code() != given.code())
      next.set_code(given.code());
    else if (field == "name" && next.name() != given.name())
      next.set_name(given.name());
    else if (field == "description" && next.description() != given.description()) {
      next.set_description(given.description());
    } else if (field == "kind" && next.kind() != given.kind())
      next.set_kind(given.kind());
    else if (field == "tax_category" && next.tax_category() != given.tax_category()) {
      next.set_tax_category(given.tax_category());
    } else {
      continue;
    }
    updated.add_changed_fields(field);
  }
  if (updated.changed_fields().empty()) return std::vector<PriceItemEvent>{};
  *updated.mutable_item() = std::move(next);
  return std::vector<PriceItemEvent>{std::move(updated)};
}

absl::StatusOr<std::vector<PriceItemEvent>> DecideChangePrice(
    const v1::PriceItem& item, const aggregate::Head& head, const v1::ChangePriceRequest& request) {
  if (head.version == 0) return NotFound(request.price_item_id());
  const std::string& currency = item.unit_price().currency();
  if (absl::Status s = CheckCurrency("unit_price", request.unit_price(), currency); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCurrency("cost_price", request.cost_price(), currency); !s.ok()) {
    return s;
  }
  v1::PriceItemPriceChanged changed;
  *changed.mutable_unit_price() = request.unit_price();
  // An unknown cost price stays unset (not an empty Money): costing tells the two apart.
  if (HasPrice(request.cost_price())) {
    *changed.mutable_cost_price() = request.cost_price();
  } else if (item.has_cost_price()) {
    *changed.mutable_cost_price() = item.cost_price();
  }
  *changed.mutable_previous_unit_price() = item.unit_price();
  if (item.has_cost_price()) *changed.mutable_previous_cost_price() = item.cost_price();
  if (MessageDifferencer::Equals(changed.unit_price(), item.unit_price()) &&
      MessageDifferencer::Equals(changed.cost_price(), item.cost_price())) {
    return std::vector<PriceItemEvent>{};
  }
  return std::vector<PriceItemEvent>{std::move(changed)};
}

absl::StatusOr<std::vector<PriceItemEvent>> DecideSetPriceItemActive(
    const v1::PriceItem& item, const aggregate::Head& head,
    const v1::SetPriceItemActiveRequest& request) {
  if (head.version == 0) return NotFound(request.price_item_id());
  if (item.active() == request.active()) return std::vector<PriceItemEvent>{};
  if (request.active()) return std::vector<PriceItemEvent>{v1::PriceItemActivated()};
  v1::PriceItemDeactivated deactivated;
  deactivated.set_reason(request.reason());
  return std::vector<PriceItemEvent>{std::move(deactivated)};
}

}  // namespace jobledger::billing
