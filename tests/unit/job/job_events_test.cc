// DecodeEventAs: payload bytes back into the aggregate's event variant.
#include "domain/job_events.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using testing::StatusIs;

TEST(DecodeEventAs, RoundTrip) {
  v1::JobStatusChanged changed;
  changed.set_from(v1::JOB_STATUS_SCHEDULED);
  changed.set_to(v1::JOB_STATUS_ON_HOLD);
  changed.set_reason("waiting for parts");
  changed.set_cause(v1::STATUS_CHANGE_CAUSE_MANUAL);
  auto decoded = DecodeEventAs<JobEvent>(v1::JobStatusChanged::descriptor()->full_name(),
                                         changed.SerializeAsString());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_TRUE(std::holds_alternative<v1::JobStatusChanged>(*decoded));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      std::get<v1::JobStatusChanged>(*decoded), changed));
}

TEST(DecodeEventAs, EveryAggregateFindsItsOwnTypes) {
  v1::JobCreated created;
  created.mutable_job()->set_title("Fix the leak");
  auto job = DecodeEventAs<JobEvent>("jobledger.job.v1.JobCreated", created.SerializeAsString());
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(std::get<v1::JobCreated>(*job).job().title(), "Fix the leak");

  v1::PropertyRemoved removed;
  removed.set_property_id("p1");
  auto customer =
      DecodeEventAs<CustomerEvent>("jobledger.job.v1.PropertyRemoved", removed.SerializeAsString());
  ASSERT_TRUE(customer.ok());
  EXPECT_EQ(std::get<v1::PropertyRemoved>(*customer).property_id(), "p1");

  auto request = DecodeEventAs<RequestEvent>("jobledger.job.v1.CustomerRequestDeclined", "");
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(std::holds_alternative<v1::CustomerRequestDeclined>(*request));

  // The last alternative of the job variant is reachable too.
  auto recall = DecodeEventAs<JobEvent>("jobledger.job.v1.RecallLinked", "");
  ASSERT_TRUE(recall.ok());
  EXPECT_TRUE(std::holds_alternative<v1::RecallLinked>(*recall));
}

TEST(DecodeEventAs, UnknownTypeIsNotFound) {
  EXPECT_THAT(DecodeEventAs<JobEvent>("jobledger.job.v1.NoSuchEvent", "").status(),
              StatusIs(absl::StatusCode::kNotFound, "jobledger.job.v1.NoSuchEvent"));
  // Another aggregate's event is not this one's.
  EXPECT_EQ(DecodeEventAs<JobEvent>("jobledger.job.v1.CustomerCreated", "").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DecodeEventAs<CustomerEvent>("jobledger.job.v1.JobCreated", "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DecodeEventAs, GarbageIsDataLoss) {
  const std::string garbage("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11);
  EXPECT_THAT(DecodeEventAs<JobEvent>("jobledger.job.v1.JobStatusChanged", garbage).status(),
              StatusIs(absl::StatusCode::kDataLoss, "does not parse"));
  // A truncated payload: a length-delimited field that claims more bytes than there are.
  v1::NoteAdded note;
  note.mutable_note()->set_text("Gate code 1234");
  const std::string bytes = note.SerializeAsString();
  EXPECT_EQ(DecodeEventAs<JobEvent>("jobledger.job.v1.NoteAdded", bytes.substr(0, bytes.size() - 3))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace jobledger::job
