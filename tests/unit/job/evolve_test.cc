// Evolve for jobs: a sequence of events gives the expected record, misfits are errors, and the
// result is deterministic.
#include "domain/evolve.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using testing::At;
using ::testing::ElementsAre;
using testing::Envelope;
using testing::EvolveAll;
using testing::JobIn;
using testing::Line;
using testing::StatusIs;
using testing::Ts;

const absl::Time kStart = At(1773151200);  // 2026-03-10 14:00:00 UTC

v1::Job Initial() {
  v1::Job job;
  job.set_job_id(testing::kJobId);
  job.set_number(7);
  job.set_title("Fix the leak");
  job.set_customer_id(testing::kCustomerId);
  job.set_status(v1::JOB_STATUS_SCHEDULED);
  job.set_priority(v1::JOB_PRIORITY_NORMAL);
  *job.add_line_items() = Line("l1", "Labour", 1000, 9000);
  return job;
}

v1::JobCreated Created() {
  v1::JobCreated created;
  *created.mutable_job() = Initial();
  return created;
}

v1::JobStatusChanged StatusChange(v1::JobStatus from, v1::JobStatus to,
                                  const std::string& reason = "") {
  v1::JobStatusChanged changed;
  changed.set_from(from);
  changed.set_to(to);
  changed.set_reason(reason);
  changed.set_cause(v1::STATUS_CHANGE_CAUSE_MANUAL);
  return changed;
}

std::vector<JobEvent> History() {
  std::vector<JobEvent> events;
  events.emplace_back(Created());
  v1::JobDetailsChanged details;
  details.mutable_details()->set_title("Fix the kitchen leak");
  details.mutable_details()->set_description("ignored: not listed");
  details.mutable_details()->set_priority(v1::JOB_PRIORITY_HIGH);
  details.add_changed_fields("title");
  details.add_changed_fields("priority");
  events.emplace_back(details);
  v1::LineItemAdded line;
  *line.mutable_line_item() = Line("l2", "Washer", 2000, 150);
  events.emplace_back(line);
  events.emplace_back(StatusChange(v1::JOB_STATUS_SCHEDULED, v1::JOB_STATUS_IN_PROGRESS));
  v1::NoteAdded note;
  note.mutable_note()->set_note_id("n1");
  note.mutable_note()->set_text("Dog in the yard");
  events.emplace_back(note);
  v1::LineItemRemoved removed;
  removed.set_line_item_id("l1");
  events.emplace_back(removed);
  events.emplace_back(StatusChange(v1::JOB_STATUS_IN_PROGRESS, v1::JOB_STATUS_COMPLETED));
  return events;
}

TEST(EvolveJob, SequenceOfEventsGivesTheRecord) {
  v1::Job job;
  ASSERT_TRUE(EvolveAll(job, History(), 1, kStart).ok());

  v1::Job expected = Initial();
  expected.set_title("Fix the kitchen leak");
  expected.set_priority(v1::JOB_PRIORITY_HIGH);
  expected.clear_line_items();
  *expected.add_line_items() = Line("l2", "Washer", 2000, 150);
  v1::Note* note = expected.add_notes();
  note->set_note_id("n1");
  note->set_text("Dog in the yard");
  expected.set_status(v1::JOB_STATUS_COMPLETED);
  expected.set_created_by("user-dispatcher");
  *expected.mutable_created_at() = Ts(kStart);
  *expected.mutable_actual_start() = Ts(kStart + absl::Minutes(3));
  *expected.mutable_actual_end() = Ts(kStart + absl::Minutes(6));
  *expected.mutable_updated_at() = Ts(kStart + absl::Minutes(6));
  expected.set_version(7);

  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(expected, job)) << diff;
}

TEST(EvolveJob, CreatedTakesWhoAndWhenFromTheEnvelope) {
  v1::Job job;
  v1::JobCreated created = Created();
  // What the payload says about these is not trusted.
  created.mutable_job()->set_created_by("forged");
  created.mutable_job()->set_version(99);
  ASSERT_TRUE(EvolveJob(job, Envelope(1, kStart, "user-42"), created).ok());
  EXPECT_EQ(job.created_by(), "user-42");
  EXPECT_EQ(job.created_at(), Ts(kStart));
  EXPECT_EQ(job.updated_at(), Ts(kStart));
  EXPECT_EQ(job.version(), 1);
}

TEST(EvolveJob, DetailsChangedCopiesOnlyTheListedFields) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  job.set_description("Kitchen");
  job.set_estimated_minutes(60);
  job.mutable_address()->set_line1("1 Main St");
  v1::JobDetailsChanged changed;
  v1::JobDetails& details = *changed.mutable_details();
  details.set_title("New title");
  details.set_description("New description");
  details.set_estimated_minutes(90);
  details.mutable_address()->set_line1("2 Side St");
  details.add_required_skills("gas");
  *details.mutable_scheduled_start() = Ts(kStart);
  changed.add_changed_fields("estimated_minutes");
  changed.add_changed_fields("address");
  changed.add_changed_fields("required_skills");
  changed.add_changed_fields("scheduled_start");
  ASSERT_TRUE(EvolveJob(job, Envelope(4, kStart), changed).ok());
  EXPECT_EQ(job.title(), "Fix the leak");
  EXPECT_EQ(job.description(), "Kitchen");
  EXPECT_EQ(job.estimated_minutes(), 90);
  EXPECT_EQ(job.address().line1(), "2 Side St");
  EXPECT_THAT(job.required_skills(), ElementsAre("gas"));
  EXPECT_EQ(job.scheduled_start(), Ts(kStart));
  EXPECT_EQ(job.version(), 4);
}

TEST(EvolveJob, DetailsChangedCanClearAMessageField) {
  v1::Job job = JobIn(v1::JOB_STATUS_SCHEDULED);
  *job.mutable_scheduled_end() = Ts(kStart);
  v1::JobDetailsChanged changed;
  changed.add_changed_fields("scheduled_end");
  ASSERT_TRUE(EvolveJob(job, Envelope(4, kStart), changed).ok());
  EXPECT_FALSE(job.has_scheduled_end());
}

TEST(EvolveJob, UnknownDetailIsAnError) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  v1::JobDetailsChanged changed;
  changed.add_changed_fields("status");  // a Job field, not a JobDetails one
  EXPECT_FALSE(EvolveJob(job, Envelope(4, kStart), changed).ok());
  EXPECT_EQ(job.status(), v1::JOB_STATUS_OPEN);
}

TEST(EvolveJob, CreatedOnAnExistingJobIsAnError) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  const v1::Job before = job;
  EXPECT_THAT(EvolveJob(job, Envelope(4, kStart), Created()),
              StatusIs(absl::StatusCode::kFailedPrecondition, "exists already"));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(before, job));
}

TEST(EvolveJob, AnyOtherEventOnAMissingJobIsAnError) {
  v1::NoteAdded note;
  note.mutable_note()->set_note_id("n1");
  std::vector<JobEvent> events = {note,
                                  StatusChange(v1::JOB_STATUS_UNSPECIFIED, v1::JOB_STATUS_OPEN),
                                  v1::RecallLinked(), v1::JobDetailsChanged()};
  for (const JobEvent& event : events) {
    v1::Job job;
    EXPECT_THAT(EvolveJob(job, Envelope(1, kStart), event),
                StatusIs(absl::StatusCode::kFailedPrecondition, "does not exist"))
        << event.index();
    EXPECT_EQ(job.version(), 0);
  }
}

TEST(EvolveJob, StatusChangeFromAnotherStatusIsAnError) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  EXPECT_THAT(EvolveJob(job, Envelope(4, kStart),
                        StatusChange(v1::JOB_STATUS_SCHEDULED, v1::JOB_STATUS_IN_PROGRESS)),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB_STATUS_SCHEDULED"));
  EXPECT_EQ(job.status(), v1::JOB_STATUS_OPEN);
  EXPECT_EQ(job.version(), 3);
}

TEST(EvolveJob, StatusReasonAndActualTimes) {
  v1::Job job = JobIn(v1::JOB_STATUS_SCHEDULED);
  std::vector<JobEvent> events = {
      StatusChange(v1::JOB_STATUS_SCHEDULED, v1::JOB_STATUS_IN_PROGRESS),
      StatusChange(v1::JOB_STATUS_IN_PROGRESS, v1::JOB_STATUS_ON_HOLD, "waiting for parts"),
  };
  ASSERT_TRUE(EvolveAll(job, events, 4, kStart).ok());
  EXPECT_EQ(job.status(), v1::JOB_STATUS_ON_HOLD);
  EXPECT_EQ(job.status_reason(), "waiting for parts");
  EXPECT_EQ(job.actual_start(), Ts(kStart));
  // Back to work: actual start stays the first one.
  ASSERT_TRUE(EvolveJob(job, Envelope(6, kStart + absl::Hours(5)),
                        StatusChange(v1::JOB_STATUS_ON_HOLD, v1::JOB_STATUS_IN_PROGRESS))
                  .ok());
  EXPECT_EQ(job.actual_start(), Ts(kStart));
  EXPECT_EQ(job.status_reason(), "");
  EXPECT_FALSE(job.has_actual_end());
}

TEST(EvolveJob, RemovingSomethingMissingIsAnError) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  v1::LineItemRemoved line;
  line.set_line_item_id("nope");
  EXPECT_FALSE(EvolveJob(job, Envelope(4, kStart), line).ok());
  v1::WorkSessionEnded ended;
  ended.set_entry_id("nope");
  EXPECT_FALSE(EvolveJob(job, Envelope(4, kStart), ended).ok());
  v1::ChecklistItemCompleted completed;
  completed.set_item_id("nope");
  EXPECT_FALSE(EvolveJob(job, Envelope(4, kStart), completed).ok());
  EXPECT_EQ(job.version(), 3);
}

TEST(EvolveJob, LineItemChangedReplacesTheLine) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  *job.add_line_items() = Line("l1", "Labour", 1000, 9000);
  *job.add_line_items() = Line("l2", "Washer", 1000, 150);
  v1::LineItemChanged changed;
  *changed.mutable_line_item() = Line("l1", "Labour", 2500, 9000);
  ASSERT_TRUE(EvolveJob(job, Envelope(4, kStart), changed).ok());
  ASSERT_EQ(job.line_items_size(), 2);
  EXPECT_EQ(job.line_items(0).quantity_milli(), 2500);
  EXPECT_EQ(job.line_items(1).line_item_id(), "l2");
}

TEST(EvolveJob, DeterministicBytes) {
  auto serialize = [](const v1::Job& job) {
    std::string bytes;
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    EXPECT_TRUE(job.SerializeToCodedStream(&coded));
    coded.Trim();
    return bytes;
  };
  v1::Job first;
  v1::Job second;
  ASSERT_TRUE(EvolveAll(first, History(), 1, kStart).ok());
  ASSERT_TRUE(EvolveAll(second, History(), 1, kStart).ok());
  const std::string a = serialize(first);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, serialize(second));
}

// --- customers and requests -------------------------------------------------------------------

TEST(EvolveRequest, Lifecycle) {
  v1::CustomerRequest request;
  v1::CustomerRequestReceived received;
  received.mutable_request()->set_request_id("r1");
  received.mutable_request()->set_summary("No hot water");
  received.mutable_request()->set_status(v1::REQUEST_STATUS_DECLINED);  // not trusted
  ASSERT_TRUE(EvolveRequest(request, Envelope(1, kStart), received).ok());
  EXPECT_EQ(request.status(), v1::REQUEST_STATUS_PENDING);
  EXPECT_EQ(request.received_at(), Ts(kStart));
  EXPECT_EQ(request.version(), 1);
  EXPECT_FALSE(EvolveRequest(request, Envelope(2, kStart), received).ok());

  v1::CustomerRequestConverted converted;
  converted.set_job_id("job-1");
  converted.set_customer_id("cust-1");
  ASSERT_TRUE(EvolveRequest(request, Envelope(2, kStart), converted).ok());
  EXPECT_EQ(request.status(), v1::REQUEST_STATUS_CONVERTED);
  EXPECT_EQ(request.job_id(), "job-1");
  EXPECT_EQ(request.customer_id(), "cust-1");
  EXPECT_EQ(request.version(), 2);

  v1::CustomerRequest missing;
  EXPECT_FALSE(EvolveRequest(missing, Envelope(1, kStart), converted).ok());
}

}  // namespace
}  // namespace jobledger::job
