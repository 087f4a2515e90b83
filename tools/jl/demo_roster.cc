// The demo's settings, price book, zones, technicians, crews, customers and service request.
#include "demo_roster.h"

#include "absl/strings/str_cat.h"
#include "demo_catalog.h"
#include "jobledger/common/local_time.h"

namespace jobledger::cli::demo {
namespace {

constexpr int kShiftStart = 7 * 60;
constexpr int kShiftEnd = 18 * 60;

common::v1::Money Usd(int64_t cents) {
  common::v1::Money money;
  money.set_minor_units(cents);
  money.set_currency(kCurrency);
  return money;
}

// 1 = Monday .. 7 = Sunday, as ShiftPeriod counts.
int IsoWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 1;
}

void FillAddress(const Property& from, job::v1::Address* address) {
  address->set_line1(from.line1);
  address->set_city(from.city);
  address->set_region(kRegion);
  address->set_postal_code(from.postal_code);
  address->set_country(kCountry);
}

void FillContact(const Contact& from, job::v1::Contact* contact) {
  contact->set_name(from.name);
  contact->set_phone(from.phone);
  contact->set_email(from.email);
  contact->set_accepts_sms(from.accepts_sms);
  contact->set_accepts_email(from.accepts_email);
}

// USD; 8.25 % sales tax on materials, labour untaxed; labour costs $38 and bills $115 an hour.
absl::Status SeedBillingSettings(DemoClient& client) {
  billing::v1::SetBillingSettingsRequest request;
  *request.mutable_meta() = Meta("billing-settings");
  billing::v1::BillingSettings& settings = *request.mutable_settings();
  settings.set_currency(kCurrency);
  settings.set_jurisdiction("US-TX-AUSTIN");
  billing::v1::TaxRate& materials = *settings.add_tax_rates();
  materials.set_category("materials");
  materials.set_rate_ppm(82'500);
  billing::v1::LaborRate& labor = *settings.add_labor_rates();
  *labor.mutable_hourly_cost() = Usd(3'800);
  *labor.mutable_hourly_price() = Usd(11'500);
  settings.set_payment_terms_days(30);
  for (const char* field :
       {"currency", "jurisdiction", "tax_rates", "labor_rates", "payment_terms_days"}) {
    request.add_update_fields(field);
  }
  return client
      .Call("set the billing settings", Manager(), client.billing(),
            &billing::v1::BillingService::Stub::SetBillingSettings, request)
      .status();
}

absl::Status SeedPriceBook(DemoClient& client, Roster& roster) {
  for (const PriceItem& item : PriceBook()) {
    billing::v1::CreatePriceItemRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("price/", item.code));
    billing::v1::PriceItem& created = *request.mutable_item();
    created.set_code(item.code);
    created.set_name(item.name);
    created.set_description(item.description);
    created.set_kind(item.kind);
    *created.mutable_unit_price() = Usd(item.unit_cents);
    if (item.cost_cents > 0) *created.mutable_cost_price() = Usd(item.cost_cents);
    created.set_tax_category(item.tax_category);
    auto reply =
        client.Call(absl::StrCat("add ", item.code, " to the price book"), Manager(),
                    client.billing(), &billing::v1::BillingService::Stub::CreatePriceItem, request);
    if (!reply.ok()) return reply.status();
    roster.prices[item.code] = reply->item();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> SeedZones(DemoClient& client) {
  std::map<std::string, std::string> zone_ids;
  for (const Zone& zone : Zones()) {
    scheduling::v1::SaveServiceZoneRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("zone/", zone.key));
    request.set_name(zone.name);
    for (const std::string& code : zone.postal_codes) request.add_postal_codes(code);
    auto reply =
        client.Call(absl::StrCat("save service zone ", zone.name), Manager(), client.technicians(),
                    &scheduling::v1::TechnicianService::Stub::SaveServiceZone, request);
    if (!reply.ok()) return reply.status();
    zone_ids[zone.key] = reply->zone().zone_id();
  }
  return zone_ids;
}

absl::Status SeedTechnicians(DemoClient& client, absl::CivilDay today,
                             const std::map<std::string, std::string>& zone_ids) {
  std::vector<int> workdays = {1, 2, 3, 4, 5};
  if (IsoWeekday(today) > 5) workdays.push_back(IsoWeekday(today));  // on call
  for (const Technician& technician : Technicians()) {
    scheduling::v1::RegisterTechnicianRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("technician/", technician.id));
    request.set_technician_id(technician.id);
    request.set_name(technician.name);
    request.set_phone(technician.phone);
    request.set_email(technician.email);
    for (const SkillLevel& skill : technician.skills) {
      scheduling::v1::Skill& added = *request.add_skills();
      added.set_name(skill.name);
      added.set_level(skill.level);
    }
    request.set_home_zone_id(zone_ids.at(technician.zone_key));
    for (int weekday : workdays) {
      scheduling::v1::ShiftPeriod& shift = *request.add_shifts();
      shift.set_weekday(weekday);
      shift.set_start_minute(kShiftStart);
      shift.set_end_minute(kShiftEnd);
    }
    auto reply = client.Call(absl::StrCat("register technician ", technician.id), Manager(),
                             client.technicians(),
                             &scheduling::v1::TechnicianService::Stub::RegisterTechnician, request);
    if (!reply.ok()) return reply.status();
  }
  return absl::OkStatus();
}

absl::Status SeedCrews(DemoClient& client, Roster& roster) {
  for (const Crew& crew : Crews()) {
    scheduling::v1::CreateCrewRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("crew/", crew.key));
    request.set_name(crew.name);
    for (const std::string& member : crew.member_ids) request.add_member_ids(member);
    auto reply =
        client.Call(absl::StrCat("create crew ", crew.name), Manager(), client.technicians(),
                    &scheduling::v1::TechnicianService::Stub::CreateCrew, request);
    if (!reply.ok()) return reply.status();
    roster.crew_ids[crew.key] = reply->crew().crew_id();
    // The job service learns who is on a crew from scheduling's events, on the crew's partition:
    // a member acting on a job of the crew right after booking would otherwise not see it yet.
    job::v1::ListJobsRequest known;
    *known.mutable_min_position() = reply->result().position();
    known.set_page_size(1);
    auto listed =
        client.Call(absl::StrCat("wait for the job service to know crew ", crew.name), Manager(),
                    client.jobs(), &job::v1::JobService::Stub::ListJobs, known);
    if (!listed.ok()) return listed.status();
  }
  return absl::OkStatus();
}

absl::Status SeedCustomers(DemoClient& client, Roster& roster) {
  for (const Customer& customer : Customers()) {
    job::v1::CreateCustomerRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("customer/", customer.key));
    request.set_name(customer.name);
    request.add_tags(kDemoTag);
    for (const std::string& tag : customer.tags) request.add_tags(tag);
    for (const Contact& contact : customer.contacts) FillContact(contact, request.add_contacts());
    for (const Property& property : customer.properties) {
      job::v1::Property& added = *request.add_properties();
      added.set_name(property.name);
      FillAddress(property, added.mutable_address());
      added.set_access_notes(property.access_notes);
    }
    request.set_notes(customer.notes);
    auto reply =
        client.Call(absl::StrCat("create customer ", customer.name), Dispatcher(),
                    client.customers(), &job::v1::CustomerService::Stub::CreateCustomer, request);
    if (!reply.ok()) return reply.status();
    roster.customers[customer.key] = reply->customer();
  }
  return absl::OkStatus();
}

// A caller who is not a customer yet, taken by phone and waiting for a dispatcher.
absl::Status SeedRequests(DemoClient& client, absl::CivilDay today, Roster& roster) {
  for (const Request& pending : Requests()) {
    job::v1::SubmitRequestRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("request/", pending.key));
    request.set_source(job::v1::REQUEST_SOURCE_PHONE);
    FillContact(pending.requester, request.mutable_requester());
    FillAddress(pending.address, request.mutable_address());
    request.set_summary(pending.summary);
    request.set_details(pending.details);
    LocalDateToProto(today + 1, request.mutable_preferred_date());
    request.set_preferred_window(pending.preferred_window);
    auto reply =
        client.Call(absl::StrCat("take the request \"", pending.summary, "\""), Dispatcher(),
                    client.customers(), &job::v1::CustomerService::Stub::SubmitRequest, request);
    if (!reply.ok()) return reply.status();
    ++roster.requests;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Roster> SeedRoster(DemoClient& client, absl::CivilDay today) {
  Roster roster;
  if (absl::Status s = SeedBillingSettings(client); !s.ok()) return s;
  if (absl::Status s = SeedPriceBook(client, roster); !s.ok()) return s;
  absl::StatusOr<std::map<std::string, std::string>> zone_ids = SeedZones(client);
  if (!zone_ids.ok()) return zone_ids.status();
  roster.zones = static_cast<int>(zone_ids->size());
  if (absl::Status s = SeedTechnicians(client, today, *zone_ids); !s.ok()) return s;
  roster.technicians = static_cast<int>(Technicians().size());
  if (absl::Status s = SeedCrews(client, roster); !s.ok()) return s;
  if (absl::Status s = SeedCustomers(client, roster); !s.ok()) return s;
  if (absl::Status s = SeedRequests(client, today, roster); !s.ok()) return s;
  return roster;
}

}  // namespace jobledger::cli::demo
