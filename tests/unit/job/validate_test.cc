// Request validation: each bad request is INVALID_ARGUMENT naming the exact field.
#include "domain/validate.h"

#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using testing::At;
using testing::Line;
using testing::MoneyOf;
using testing::Ts;

constexpr char kUuid[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr char kOtherUuid[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";

// INVALID_ARGUMENT whose message starts with "<field>: ".
MATCHER_P(InvalidField, field, absl::StrCat("is INVALID_ARGUMENT naming ", field)) {
  const absl::Status& status = arg;
  *result_listener << "status is " << status;
  return status.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(status.message(), absl::StrCat(field, ": "));
}

// --- ids, text, meta --------------------------------------------------------------------------

TEST(ValidateId, CanonicalLowerCaseUuidsOnly) {
  EXPECT_TRUE(ValidateId("job_id", kUuid, true).ok());
  EXPECT_TRUE(ValidateId("job_id", "", false).ok());
  EXPECT_THAT(ValidateId("job_id", "", true), InvalidField("job_id"));
  for (const char* bad :
       {"0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B",  // upper case
        "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b",      // no dashes
        "{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}", "job-7", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
        " 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"}) {
    EXPECT_THAT(ValidateId("job_id", bad, true), InvalidField("job_id")) << bad;
  }
}

TEST(ValidateText, RefusesNonUtf8AndControlCharacters) {
  EXPECT_TRUE(ValidateText("title", "Café — 2nd floor\n\tback door", 200, true).ok());
  EXPECT_TRUE(ValidateText("title", "emoji 🔧", 200, true).ok());
  for (const std::string& bad : {
           std::string("bell\a"), std::string("nul\0x", 5), std::string("esc\x1b[31m"),
           std::string("del\x7f"),
           std::string("\xff\xfe"),              // not UTF-8 at all
           std::string("caf\xc3"),               // truncated sequence
           std::string("\xe9t\xe9"),             // Latin-1
           std::string("\xc0\xaf"),              // overlong '/'
           std::string("\xe0\x80\xaf"),          // overlong, three bytes
           std::string("\xed\xa0\x80"),          // UTF-16 surrogate
           std::string("\xf4\x90\x80\x80"),      // above U+10FFFF
           std::string("\xf8\x88\x80\x80\x80"),  // five-byte form
       }) {
    EXPECT_THAT(ValidateText("title", bad, 200, false), InvalidField("title"))
        << absl::CEscape(bad);
  }
  EXPECT_THAT(ValidateText("title", "  \n", 200, true), InvalidField("title"));
  EXPECT_THAT(ValidateText("title", std::string(201, 'x'), 200, false), InvalidField("title"));
}

TEST(ValidateMeta, IdempotencyKeyVersionAndTime) {
  common::v1::CommandMeta meta;
  EXPECT_TRUE(ValidateMeta(meta).ok());
  EXPECT_THAT(ValidateMeta(meta, /*key_required=*/true), InvalidField("meta.idempotency_key"));
  meta.set_idempotency_key(std::string(129, 'k'));
  EXPECT_THAT(ValidateMeta(meta), InvalidField("meta.idempotency_key"));
  meta.set_idempotency_key("key\x01");
  EXPECT_THAT(ValidateMeta(meta), InvalidField("meta.idempotency_key"));
  meta.set_idempotency_key("key-1");
  meta.set_expected_version(-1);
  EXPECT_THAT(ValidateMeta(meta), InvalidField("meta.expected_version"));
  meta.set_expected_version(0);
  meta.mutable_occurred_at()->set_seconds(-5);
  EXPECT_THAT(ValidateMeta(meta), InvalidField("meta.occurred_at"));
  *meta.mutable_occurred_at() = Ts(At(1773151200));
  EXPECT_TRUE(ValidateMeta(meta, true).ok());
}

// --- customers --------------------------------------------------------------------------------

v1::CreateCustomerRequest GoodCustomer() {
  v1::CreateCustomerRequest request;
  request.set_name("Ada Lovelace");
  request.add_tags("residential");
  v1::Contact* contact = request.add_contacts();
  contact->set_name("Ada");
  contact->set_phone("+15551234567");
  contact->set_email("ada@example.com");
  contact->set_accepts_sms(true);
  v1::Property* property = request.add_properties();
  property->mutable_address()->set_line1("1 Main St");
  property->mutable_address()->set_country("US");
  return request;
}

TEST(ValidateCustomer, GoodRequestPasses) { EXPECT_TRUE(ValidateCustomer(GoodCustomer()).ok()); }

TEST(ValidateCustomer, BadRequestsNameTheField) {
  struct Case {
    const char* field;
    std::function<void(v1::CreateCustomerRequest&)> spoil;
  };
  const Case cases[] = {
      {"name", [](auto& r) { r.set_name(" "); }},
      {"tags[1]", [](auto& r) { r.add_tags(""); }},
      {"contacts[0].phone", [](auto& r) { r.mutable_contacts(0)->set_phone("555-1234"); }},
      {"contacts[0].phone", [](auto& r) { r.mutable_contacts(0)->set_phone("+1555123456789012"); }},
      {"contacts[0].email", [](auto& r) { r.mutable_contacts(0)->set_email("ada@"); }},
      {"contacts[0].email", [](auto& r) { r.mutable_contacts(0)->set_email("a b@example.com"); }},
      {"contacts[0].contact_id", [](auto& r) { r.mutable_contacts(0)->set_contact_id("c1"); }},
      {"contacts[1]", [](auto& r) { r.add_contacts()->set_name("No way to reach"); }},
      {"contacts[1].accepts_sms",
       [](auto& r) {
         v1::Contact* c = r.add_contacts();
         c->set_email("b@example.com");
         c->set_accepts_sms(true);
       }},
      {"contacts[1]",
       [](auto& r) {
         *r.add_contacts() = r.contacts(0);
         r.mutable_contacts(0)->set_contact_id(kUuid);
         r.mutable_contacts(1)->set_contact_id(kUuid);
       }},
      {"properties[0].address.line1",
       [](auto& r) { r.mutable_properties(0)->mutable_address()->clear_line1(); }},
      {"properties[0].address.country",
       [](auto& r) { r.mutable_properties(0)->mutable_address()->set_country("usa"); }},
      {"properties[0].access_notes",
       [](auto& r) { r.mutable_properties(0)->set_access_notes("gate \x01"); }},
      {"notes", [](auto& r) { r.set_notes(std::string(10'001, 'n')); }},
      {"meta.idempotency_key",
       [](auto& r) { r.mutable_meta()->set_idempotency_key(std::string(200, 'k')); }},
  };
  for (const Case& c : cases) {
    v1::CreateCustomerRequest request = GoodCustomer();
    c.spoil(request);
    EXPECT_THAT(ValidateCustomer(request), InvalidField(c.field)) << c.field;
  }
}

TEST(ValidateUpdateCustomer, FieldsMustBeNamedAndKnown) {
  v1::UpdateCustomerRequest request;
  request.set_customer_id(kUuid);
  EXPECT_THAT(ValidateUpdateCustomer(request), InvalidField("update_fields"));
  request.add_update_fields("name");
  EXPECT_THAT(ValidateUpdateCustomer(request), InvalidField("name"));
  request.set_name("Ada");
  EXPECT_TRUE(ValidateUpdateCustomer(request).ok());
  request.add_update_fields("phone");
  EXPECT_THAT(ValidateUpdateCustomer(request), InvalidField("update_fields[1]"));
  request.set_customer_id("ABC");
  EXPECT_THAT(ValidateUpdateCustomer(request), InvalidField("customer_id"));
}

TEST(ValidateSubmitRequest, NewCallerNeedsAWayToBeReached) {
  v1::SubmitRequestRequest request;
  request.set_source(v1::REQUEST_SOURCE_WEB_FORM);
  request.mutable_requester()->set_name("Grace");
  request.mutable_requester()->set_email("grace@example.com");
  request.set_summary("No hot water");
  EXPECT_TRUE(ValidateSubmitRequest(request).ok());

  v1::SubmitRequestRequest no_source = request;
  no_source.clear_source();
  EXPECT_THAT(ValidateSubmitRequest(no_source), InvalidField("source"));
  v1::SubmitRequestRequest no_contact = request;
  no_contact.mutable_requester()->clear_email();
  EXPECT_THAT(ValidateSubmitRequest(no_contact), InvalidField("requester"));
  v1::SubmitRequestRequest bad_date = request;
  bad_date.mutable_preferred_date()->set_year(2026);
  bad_date.mutable_preferred_date()->set_month(2);
  bad_date.mutable_preferred_date()->set_day(30);
  EXPECT_THAT(ValidateSubmitRequest(bad_date), InvalidField("preferred_date"));
  v1::SubmitRequestRequest no_summary = request;
  no_summary.clear_summary();
  EXPECT_THAT(ValidateSubmitRequest(no_summary), InvalidField("summary"));
  // An existing customer needs no requester.
  v1::SubmitRequestRequest existing = request;
  existing.clear_requester();
  existing.set_customer_id(kUuid);
  EXPECT_TRUE(ValidateSubmitRequest(existing).ok());
}

// The customer and the job a conversion makes take its key with "/customer" and "/job" appended:
// a key of up to 128 bytes was accepted, and then the conversion refused naming the
// meta.idempotency_key the caller had kept within its limit (the fuzz corpus's
// regression_convert_long_key).
TEST(ValidateConvertRequest, TheKeyLeavesRoomForWhatItMakes) {
  v1::ConvertRequestRequest request;
  request.set_request_id(kUuid);
  EXPECT_THAT(ValidateConvertRequest(request), InvalidField("meta.idempotency_key"));
  const std::string longest(kMaxIdempotencyKeyLength - 9, 'k');
  request.mutable_meta()->set_idempotency_key(longest);
  EXPECT_TRUE(ValidateConvertRequest(request).ok());
  common::v1::CommandMeta customer;
  customer.set_idempotency_key(longest + "/customer");
  EXPECT_TRUE(ValidateMeta(customer).ok());
  request.mutable_meta()->set_idempotency_key(longest + "k");
  EXPECT_THAT(ValidateConvertRequest(request), InvalidField("meta.idempotency_key"));
  request.mutable_meta()->set_idempotency_key("convert-1");
  request.set_request_id("r1");
  EXPECT_THAT(ValidateConvertRequest(request), InvalidField("request_id"));
}

// --- jobs -------------------------------------------------------------------------------------

v1::CreateJobRequest GoodJob() {
  v1::CreateJobRequest request;
  request.set_customer_id(kUuid);
  request.set_title("Fix the leak");
  *request.add_line_items() = Line("", "Labour", 1500, 9000);
  *request.add_line_items() = Line(kOtherUuid, "Washer", 2000, 150);
  *request.mutable_scheduled_start() = Ts(At(1773151200));
  *request.mutable_scheduled_end() = Ts(At(1773151200 + 7200));
  request.add_checklist()->set_text("Close the valve");
  request.add_required_skills("plumbing");
  return request;
}

TEST(ValidateCreateJob, GoodRequestPasses) {
  EXPECT_TRUE(ValidateCreateJob(GoodJob()).ok());
  v1::CreateJobRequest untitled = GoodJob();
  untitled.clear_title();  // taken from the first line item
  EXPECT_TRUE(ValidateCreateJob(untitled).ok());
}

TEST(ValidateBulkChangeStatus, AMalformedJobIdIsNamedNotTheItemKeyItEndsUpIn) {
  v1::BulkChangeStatusRequest request;
  request.set_idempotency_key("end-of-day");
  request.add_job_ids("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  request.add_job_ids(std::string(200, 'x'));
  request.set_status(v1::JOB_STATUS_COMPLETED);
  EXPECT_THAT(ValidateBulkChangeStatus(request), InvalidField("job_ids[1]"));
  request.set_job_ids(1, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c");
  EXPECT_TRUE(ValidateBulkChangeStatus(request).ok());
}

TEST(ValidateCreateJob, BadRequestsNameTheField) {
  struct Case {
    const char* field;
    std::function<void(v1::CreateJobRequest&)> spoil;
  };
  const Case cases[] = {
      {"customer_id", [](auto& r) { r.clear_customer_id(); }},
      {"customer_id", [](auto& r) { r.set_customer_id("CUSTOMER"); }},
      {"property_id", [](auto& r) { r.set_property_id("home"); }},
      {"title",
       [](auto& r) {
         r.clear_title();
         r.clear_line_items();
       }},
      {"title", [](auto& r) { r.set_title("bad\x02title"); }},
      {"description", [](auto& r) { r.set_description("\xc3\x28"); }},
      {"line_items[1].quantity_milli",
       [](auto& r) { r.mutable_line_items(1)->set_quantity_milli(0); }},
      {"line_items[0].quantity_milli",
       [](auto& r) { r.mutable_line_items(0)->set_quantity_milli(-1000); }},
      {"line_items[1].kind", [](auto& r) { r.mutable_line_items(1)->clear_kind(); }},
      {"line_items[0].name", [](auto& r) { r.mutable_line_items(0)->clear_name(); }},
      {"line_items[0].unit_price",
       [](auto& r) { r.mutable_line_items(0)->mutable_unit_price()->set_currency("dollars"); }},
      {"line_items[1].unit_price.currency",
       [](auto& r) { r.mutable_line_items(1)->mutable_unit_price()->set_currency("EUR"); }},
      {"line_items[1].line_item_id",
       [](auto& r) { r.mutable_line_items(1)->set_line_item_id("l2"); }},
      {"line_items[1]", [](auto& r) { r.mutable_line_items(0)->set_line_item_id(kOtherUuid); }},
      {"line_items[0].unit_price.currency",
       [](auto& r) { *r.mutable_contract_amount() = MoneyOf(100000, "CAD"); }},
      {"contract_amount", [](auto& r) { *r.mutable_contract_amount() = MoneyOf(-1); }},
      {"scheduled_end", [](auto& r) { *r.mutable_scheduled_end() = Ts(At(1773151200 - 60)); }},
      {"scheduled_end", [](auto& r) { r.clear_scheduled_start(); }},
      {"scheduled_start", [](auto& r) { r.mutable_scheduled_start()->set_nanos(-1); }},
      {"estimated_minutes", [](auto& r) { r.set_estimated_minutes(-5); }},
      {"required_skills[1]", [](auto& r) { r.add_required_skills(" "); }},
      {"checklist[0].text", [](auto& r) { r.mutable_checklist(0)->clear_text(); }},
      {"checklist[0].item_id", [](auto& r) { r.mutable_checklist(0)->set_item_id("c1"); }},
      {"address.country", [](auto& r) { r.mutable_address()->set_country("U"); }},
      {"parent_job_id", [](auto& r) { r.set_parent_job_id("JOB-1"); }},
      {"progress_share_percent", [](auto& r) { r.set_progress_share_percent(20); }},
      {"progress_share_percent",
       [](auto& r) {
         r.set_parent_job_id(kOtherUuid);
         r.set_progress_share_percent(101);
       }},
      {"initial_status", [](auto& r) { r.set_initial_status(v1::JOB_STATUS_COMPLETED); }},
      {"initial_status",
       [](auto& r) {
         r.set_initial_status(v1::JOB_STATUS_SCHEDULED);
         r.clear_scheduled_end();
         r.clear_scheduled_start();
       }},
      {"priority", [](auto& r) { r.set_priority(static_cast<v1::JobPriority>(42)); }},
      {"meta.expected_version", [](auto& r) { r.mutable_meta()->set_expected_version(-2); }},
  };
  for (const Case& c : cases) {
    v1::CreateJobRequest request = GoodJob();
    c.spoil(request);
    EXPECT_THAT(ValidateCreateJob(request), InvalidField(c.field)) << c.field;
  }
}

TEST(ValidateUpdateJob, NamesDetailFields) {
  v1::UpdateJobRequest request;
  request.set_job_id(kUuid);
  EXPECT_THAT(ValidateUpdateJob(request), InvalidField("update_fields"));
  request.add_update_fields("title");
  request.mutable_details()->set_title("New title");
  EXPECT_TRUE(ValidateUpdateJob(request).ok());

  v1::UpdateJobRequest blank_title = request;
  blank_title.mutable_details()->set_title(" ");
  EXPECT_THAT(ValidateUpdateJob(blank_title), InvalidField("details.title"));

  v1::UpdateJobRequest unknown = request;
  unknown.add_update_fields("status");
  EXPECT_THAT(ValidateUpdateJob(unknown), InvalidField("update_fields[1]"));

  v1::UpdateJobRequest twice = request;
  twice.add_update_fields("title");
  EXPECT_THAT(ValidateUpdateJob(twice), InvalidField("update_fields[1]"));

  v1::UpdateJobRequest end_before_start = request;
  end_before_start.add_update_fields("scheduled_start");
  end_before_start.add_update_fields("scheduled_end");
  *end_before_start.mutable_details()->mutable_scheduled_start() = Ts(At(1773151200));
  *end_before_start.mutable_details()->mutable_scheduled_end() = Ts(At(1773151200 - 60));
  EXPECT_THAT(ValidateUpdateJob(end_before_start), InvalidField("details.scheduled_end"));

  // An end alone is checked against the stored start by Decide.
  v1::UpdateJobRequest end_only = request;
  end_only.add_update_fields("scheduled_end");
  *end_only.mutable_details()->mutable_scheduled_end() = Ts(At(1773151200));
  EXPECT_TRUE(ValidateUpdateJob(end_only).ok());

  v1::UpdateJobRequest customer = request;
  customer.add_update_fields("customer_id");
  EXPECT_THAT(ValidateUpdateJob(customer), InvalidField("details.customer_id"));

  v1::UpdateJobRequest bad_id = request;
  bad_id.set_job_id("7");
  EXPECT_THAT(ValidateUpdateJob(bad_id), InvalidField("job_id"));
}

TEST(ValidateItems, LineItemExpenseEquipmentWorkEntryGeoPoint) {
  EXPECT_TRUE(ValidateLineItem("line_item", Line("", "Labour", 1000, 9000)).ok());
  v1::LineItem too_many = Line("", "Labour", 1'000'000'001, 9000);
  EXPECT_THAT(ValidateLineItem("line_item", too_many), InvalidField("line_item.quantity_milli"));

  v1::Expense expense;
  expense.set_description("Parts");
  *expense.mutable_amount() = MoneyOf(1250);
  EXPECT_TRUE(ValidateExpense("expense", expense).ok());
  v1::Expense free = expense;
  *free.mutable_amount() = MoneyOf(0);
  EXPECT_THAT(ValidateExpense("expense", free), InvalidField("expense.amount"));
  v1::Expense bad_receipt = expense;
  bad_receipt.set_receipt_attachment_id("receipt.jpg");
  EXPECT_THAT(ValidateExpense("expense", bad_receipt),
              InvalidField("expense.receipt_attachment_id"));

  v1::InstalledEquipment equipment;
  EXPECT_THAT(ValidateEquipment("equipment", equipment), InvalidField("equipment.name"));
  equipment.set_name("Water heater");
  EXPECT_TRUE(ValidateEquipment("equipment", equipment).ok());

  v1::WorkEntry entry;
  entry.mutable_date()->set_year(2026);
  entry.mutable_date()->set_month(3);
  entry.mutable_date()->set_day(10);
  entry.set_minutes(90);
  EXPECT_TRUE(ValidateWorkEntry("entry", entry).ok());
  v1::WorkEntry no_date = entry;
  no_date.clear_date();
  EXPECT_THAT(ValidateWorkEntry("entry", no_date), InvalidField("entry.date"));
  v1::WorkEntry too_long = entry;
  too_long.set_minutes(24 * 60 + 1);
  EXPECT_THAT(ValidateWorkEntry("entry", too_long), InvalidField("entry.minutes"));
  v1::WorkEntry with_clock = entry;
  with_clock.set_open(true);
  EXPECT_THAT(ValidateWorkEntry("entry", with_clock), InvalidField("entry"));

  v1::GeoPoint point;
  point.set_latitude(40.7);
  point.set_longitude(-74.0);
  EXPECT_TRUE(ValidateGeoPoint("location", point).ok());
  v1::GeoPoint north = point;
  north.set_latitude(90.5);
  EXPECT_THAT(ValidateGeoPoint("location", north), InvalidField("location.latitude"));
  v1::GeoPoint nan = point;
  nan.set_longitude(std::nan(""));
  EXPECT_THAT(ValidateGeoPoint("location", nan), InvalidField("location.longitude"));
}

}  // namespace
}  // namespace jobledger::job
