// Decide and Evolve for customers and customer requests.
#include "domain/customer_decide.h"

#include <string>
#include <vector>

#include "domain/evolve.h"
#include "domain/validate.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using testing::At;
using ::testing::ElementsAre;
using testing::Envelope;
using ::testing::IsEmpty;
using testing::StatusIs;

const absl::Time kStart = At(1773151200);

// Applies customer events from `sequence` on.
class CustomerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Customer initial;
    initial.set_customer_id(testing::kCustomerId);
    initial.set_name("Ada Lovelace");
    initial.add_tags("residential");
    initial.set_notes("Prefers mornings");
    Apply(DecideCreateCustomer(customer_, Head(), initial));
  }

  aggregate::Head Head() const { return {customer_.version(), "hash"}; }

  void Apply(const absl::StatusOr<std::vector<CustomerEvent>>& events) {
    ASSERT_TRUE(events.ok()) << events.status();
    for (const CustomerEvent& event : *events) {
      ASSERT_TRUE(EvolveCustomer(customer_, Envelope(customer_.version() + 1, kStart), event).ok());
    }
  }

  static v1::Property Property(const std::string& id, const std::string& line1) {
    v1::Property property;
    property.set_property_id(id);
    property.mutable_address()->set_line1(line1);
    return property;
  }

  v1::Customer customer_;
};

TEST_F(CustomerTest, CreatedOnce) {
  EXPECT_EQ(customer_.version(), 1);
  EXPECT_EQ(customer_.created_by(), "user-dispatcher");
  EXPECT_EQ(DecideCreateCustomer(customer_, Head(), customer_).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(CustomerTest, FirstPropertyBecomesPrimary) {
  auto first = DecideSaveProperty(customer_, Head(), Property("p1", "1 Main St"), true, false);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 1u);  // no separate PrimaryPropertySet: it becomes primary by itself
  Apply(first);
  EXPECT_EQ(customer_.primary_property_id(), "p1");

  Apply(DecideSaveProperty(customer_, Head(), Property("p2", "9 Market Sq"), true, false));
  EXPECT_EQ(customer_.primary_property_id(), "p1");

  auto primary = DecideSaveProperty(customer_, Head(), Property("p3", "3 Dock Rd"), true, true);
  ASSERT_TRUE(primary.ok());
  ASSERT_EQ(primary->size(), 2u);
  EXPECT_EQ(std::get<v1::PrimaryPropertySet>((*primary)[1]).property_id(), "p3");
  Apply(primary);
  EXPECT_EQ(customer_.primary_property_id(), "p3");
  EXPECT_EQ(customer_.properties_size(), 3);
}

TEST_F(CustomerTest, MakingAnExistingPropertyPrimaryWithoutChangingIt) {
  Apply(DecideSaveProperty(customer_, Head(), Property("p1", "1 Main St"), true, false));
  Apply(DecideSaveProperty(customer_, Head(), Property("p2", "9 Market Sq"), true, false));
  auto events = DecideSaveProperty(customer_, Head(), Property("p2", "9 Market Sq"), false, true);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(std::holds_alternative<v1::PrimaryPropertySet>((*events)[0]));
  Apply(events);
  EXPECT_EQ(customer_.primary_property_id(), "p2");

  auto unchanged =
      DecideSaveProperty(customer_, Head(), Property("p2", "9 Market Sq"), false, true);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_THAT(*unchanged, IsEmpty());
}

TEST_F(CustomerTest, RemovingThePrimaryMovesItToTheNextProperty) {
  Apply(DecideSaveProperty(customer_, Head(), Property("p1", "1 Main St"), true, false));
  Apply(DecideSaveProperty(customer_, Head(), Property("p2", "9 Market Sq"), true, false));
  Apply(DecideSaveProperty(customer_, Head(), Property("p3", "3 Dock Rd"), true, false));

  auto removed = DecideRemoveProperty(customer_, Head(), "p1");
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed->size(), 2u);
  EXPECT_EQ(std::get<v1::PropertyRemoved>((*removed)[0]).property_id(), "p1");
  EXPECT_EQ(std::get<v1::PrimaryPropertySet>((*removed)[1]).property_id(), "p2");
  Apply(removed);
  EXPECT_EQ(customer_.primary_property_id(), "p2");
  ASSERT_EQ(customer_.properties_size(), 2);
  EXPECT_EQ(customer_.properties(0).property_id(), "p2");

  // Removing another one leaves the primary alone.
  auto other = DecideRemoveProperty(customer_, Head(), "p3");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->size(), 1u);
  Apply(other);
  EXPECT_EQ(customer_.primary_property_id(), "p2");

  // The last one: no primary left.
  Apply(DecideRemoveProperty(customer_, Head(), "p2"));
  EXPECT_EQ(customer_.primary_property_id(), "");
  EXPECT_EQ(customer_.properties_size(), 0);

  EXPECT_EQ(DecideRemoveProperty(customer_, Head(), "p2").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CustomerTest, SavePropertyAddVersusUpdate) {
  Apply(DecideSaveProperty(customer_, Head(), Property("p1", "1 Main St"), true, false));
  EXPECT_EQ(DecideSaveProperty(customer_, Head(), Property("p1", "1 Main St"), true, false)
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      DecideSaveProperty(customer_, Head(), Property("p9", "x"), false, false).status().code(),
      absl::StatusCode::kNotFound);
  Apply(DecideSaveProperty(customer_, Head(), Property("p1", "1 Main Street"), false, false));
  ASSERT_EQ(customer_.properties_size(), 1);
  EXPECT_EQ(customer_.properties(0).address().line1(), "1 Main Street");
}

v1::Contact Contact(const std::string& id, const std::string& phone) {
  v1::Contact contact;
  contact.set_contact_id(id);
  contact.set_name("Ada");
  contact.set_phone(phone);
  return contact;
}

TEST_F(CustomerTest, SaveContactAddVersusUpdate) {
  auto added = DecideSaveContact(customer_, Head(), Contact("c1", "+15551234567"), true);
  ASSERT_TRUE(added.ok());
  Apply(added);
  ASSERT_EQ(customer_.contacts_size(), 1);

  EXPECT_EQ(
      DecideSaveContact(customer_, Head(), Contact("c1", "+15550000000"), true).status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(DecideSaveContact(customer_, Head(), Contact("c2", "+15550000000"), false).status(),
              StatusIs(absl::StatusCode::kNotFound, "contact.contact_id"));

  auto same = DecideSaveContact(customer_, Head(), Contact("c1", "+15551234567"), false);
  ASSERT_TRUE(same.ok());
  EXPECT_THAT(*same, IsEmpty());

  Apply(DecideSaveContact(customer_, Head(), Contact("c1", "+15550000000"), false));
  ASSERT_EQ(customer_.contacts_size(), 1);
  EXPECT_EQ(customer_.contacts(0).phone(), "+15550000000");

  Apply(DecideRemoveContact(customer_, Head(), "c1"));
  EXPECT_EQ(customer_.contacts_size(), 0);
  EXPECT_EQ(DecideRemoveContact(customer_, Head(), "c1").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CustomerTest, UpdateRecordsOnlyChangedFields) {
  v1::UpdateCustomerRequest request;
  request.set_name("Ada Lovelace");  // same
  request.add_tags("vip");
  request.add_tags("residential");
  request.set_notes("Prefers mornings");  // same
  request.add_update_fields("name");
  request.add_update_fields("tags");
  request.add_update_fields("notes");
  auto events = DecideUpdateCustomer(customer_, Head(), request);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const auto& changed = std::get<v1::CustomerDetailsChanged>((*events)[0]);
  EXPECT_THAT(changed.changed_fields(), ElementsAre("tags"));
  EXPECT_THAT(changed.tags(), ElementsAre("residential", "vip"));
  Apply(events);
  EXPECT_THAT(customer_.tags(), ElementsAre("residential", "vip"));
  EXPECT_EQ(customer_.name(), "Ada Lovelace");

  // Only listed fields count, even when others differ.
  v1::UpdateCustomerRequest unlisted;
  unlisted.set_name("Someone else");
  unlisted.add_update_fields("notes");
  unlisted.set_notes("Prefers mornings");
  auto nothing = DecideUpdateCustomer(customer_, Head(), unlisted);
  ASSERT_TRUE(nothing.ok());
  EXPECT_THAT(*nothing, IsEmpty());
}

TEST(CustomerDecide, MissingCustomerIsNotFound) {
  const v1::Customer none;
  EXPECT_EQ(DecideUpdateCustomer(none, {}, v1::UpdateCustomerRequest()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DecideSaveContact(none, {}, v1::Contact(), true).status().code(),
            absl::StatusCode::kNotFound);
}

// --- customer requests ------------------------------------------------------------------------

class RequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::CustomerRequest submitted;
    submitted.set_request_id("r1");
    submitted.set_summary("No hot water");
    Apply(DecideSubmitRequest(request_, Head(), submitted));
  }

  aggregate::Head Head() const { return {request_.version(), "hash"}; }

  void Apply(const absl::StatusOr<std::vector<RequestEvent>>& events) {
    ASSERT_TRUE(events.ok()) << events.status();
    for (const RequestEvent& event : *events) {
      ASSERT_TRUE(EvolveRequest(request_, Envelope(request_.version() + 1, kStart), event).ok());
    }
  }

  v1::CustomerRequest request_;
};

TEST_F(RequestTest, SubmittedOnce) {
  EXPECT_EQ(request_.status(), v1::REQUEST_STATUS_PENDING);
  EXPECT_EQ(DecideSubmitRequest(request_, Head(), request_).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(RequestTest, ConvertTwiceToTheSameJobIsANoOp) {
  auto converted = DecideConvertRequest(request_, Head(), "job-1", "cust-1");
  ASSERT_TRUE(converted.ok());
  ASSERT_EQ(converted->size(), 1u);
  Apply(converted);
  EXPECT_EQ(request_.status(), v1::REQUEST_STATUS_CONVERTED);
  EXPECT_EQ(request_.job_id(), "job-1");

  auto again = DecideConvertRequest(request_, Head(), "job-1", "cust-1");
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, IsEmpty());

  EXPECT_THAT(DecideConvertRequest(request_, Head(), "job-2", "cust-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "already converted into job job-1"));
  EXPECT_EQ(DecideDeclineRequest(request_, Head(), "spam").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(RequestTest, ConvertAfterDeclineIsRefused) {
  Apply(DecideDeclineRequest(request_, Head(), "outside our area"));
  EXPECT_EQ(request_.status(), v1::REQUEST_STATUS_DECLINED);
  EXPECT_EQ(request_.decline_reason(), "outside our area");
  EXPECT_THAT(DecideConvertRequest(request_, Head(), "job-1", "cust-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "declined"));
}

TEST_F(RequestTest, DeclineNeedsAReason) {
  EXPECT_THAT(DecideDeclineRequest(request_, Head(), "").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "reason"));
}

// What a conversion creates for a new caller is a customer CreateCustomer accepts, whatever
// address SubmitRequest accepted: one whose first line was only blanks made a property that was
// refused (properties[0].address.line1: required), so the request could never be converted (the
// fuzz corpus's regression_submit_blank_line1).
TEST(ConversionCustomer, IsOneCreateCustomerAccepts) {
  v1::SubmitRequestRequest submit;
  submit.set_source(v1::REQUEST_SOURCE_WEB_FORM);
  submit.mutable_requester()->set_contact_id("0190a1b2-c3d4-7e5f-8a9b-000000000108");
  submit.mutable_requester()->set_name("Grace");
  submit.mutable_requester()->set_email("grace@example.com");
  submit.set_summary("No hot water");
  for (const char* line1 : {"2 Side St", "", "  \t"}) {
    submit.mutable_address()->set_line1(line1);
    submit.mutable_address()->set_city("Austin");
    ASSERT_TRUE(ValidateSubmitRequest(submit).ok()) << line1;
    v1::CustomerRequest request;
    *request.mutable_requester() = submit.requester();
    *request.mutable_address() = submit.address();

    const v1::CreateCustomerRequest customer = ConversionCustomer(request, "convert-1/customer");
    EXPECT_TRUE(ValidateCustomer(customer).ok()) << "line1 \"" << line1 << "\"";
    EXPECT_EQ(customer.meta().idempotency_key(), "convert-1/customer");
    EXPECT_EQ(customer.name(), "Grace");
    ASSERT_EQ(customer.contacts_size(), 1);
    EXPECT_EQ(customer.contacts(0).contact_id(), "");  // the customer's contacts get new ids
    EXPECT_EQ(customer.contacts(0).email(), "grace@example.com");
    EXPECT_EQ(customer.properties_size(), std::string(line1) == "2 Side St" ? 1 : 0) << line1;
  }
}

TEST(RequestDecide, MissingRequestIsNotFound) {
  const v1::CustomerRequest none;
  EXPECT_EQ(DecideConvertRequest(none, {}, "job-1", "cust-1").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DecideDeclineRequest(none, {}, "x").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobledger::job
