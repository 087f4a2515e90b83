// History lines: summaries and before → after field changes of job events.
#include "domain/history.h"

#include <string>

#include "domain/evolve.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using testing::At;
using testing::Envelope;
using ::testing::IsEmpty;
using testing::JobIn;
using testing::Line;
using testing::MoneyOf;
using testing::Ts;

const absl::Time kStart = At(1773151200);

// The description of `event` applied to `before`.
HistoryDescription Describe(const v1::Job& before, const JobEvent& event) {
  v1::Job after = before;
  EXPECT_TRUE(EvolveJob(after, Envelope(before.version() + 1, kStart), event).ok());
  return DescribeJobEvent(before, after, event);
}

TEST(DescribeJobEvent, StatusChangeWithReason) {
  v1::JobStatusChanged changed;
  changed.set_from(v1::JOB_STATUS_SCHEDULED);
  changed.set_to(v1::JOB_STATUS_ON_HOLD);
  changed.set_reason("waiting for parts");
  const HistoryDescription description = Describe(JobIn(v1::JOB_STATUS_SCHEDULED), changed);
  EXPECT_EQ(description.summary, "Status: Scheduled → On hold (waiting for parts)");
  ASSERT_EQ(description.changes.size(), 1u);
  EXPECT_EQ(description.changes[0].field(), "status");
  EXPECT_EQ(description.changes[0].before(), "Scheduled");
  EXPECT_EQ(description.changes[0].after(), "On hold");
}

TEST(DescribeJobEvent, ReopenSaysSo) {
  v1::JobStatusChanged changed;
  changed.set_from(v1::JOB_STATUS_COMPLETED);
  changed.set_to(v1::JOB_STATUS_IN_PROGRESS);
  changed.set_cause(v1::STATUS_CHANGE_CAUSE_REOPEN);
  EXPECT_EQ(Describe(JobIn(v1::JOB_STATUS_COMPLETED), changed).summary,
            "Status: Completed → In progress, reopened");
}

TEST(DescribeJobEvent, DetailsChangeListsBeforeAndAfterOfEachField) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  job.set_priority(v1::JOB_PRIORITY_NORMAL);
  job.set_estimated_minutes(60);
  *job.mutable_contract_amount() = MoneyOf(150000);
  job.mutable_address()->set_line1("1 Main St");
  v1::JobDetailsChanged changed;
  v1::JobDetails& details = *changed.mutable_details();
  details.set_title("Fix the café's leak");
  details.set_priority(v1::JOB_PRIORITY_HIGH);
  details.set_estimated_minutes(90);
  *details.mutable_contract_amount() = MoneyOf(175050);
  *details.mutable_scheduled_start() = Ts(kStart);
  details.add_required_skills("gas");
  details.add_required_skills("plumbing");
  details.mutable_address()->set_line1("2 Rue de l'Église");
  for (const char* field : {"title", "priority", "estimated_minutes", "contract_amount",
                            "scheduled_start", "required_skills", "address"}) {
    changed.add_changed_fields(field);
  }

  const HistoryDescription description = Describe(job, changed);
  EXPECT_EQ(description.summary,
            "Changed title, priority, estimated_minutes, contract_amount, scheduled_start, "
            "required_skills, address");
  ASSERT_EQ(description.changes.size(), 7u);
  auto expect_change = [&](size_t i, const std::string& field, const std::string& before,
                           const std::string& after) {
    EXPECT_EQ(description.changes[i].field(), field);
    EXPECT_EQ(description.changes[i].before(), before) << field;
    EXPECT_EQ(description.changes[i].after(), after) << field;
  };
  // Scalars plainly: no quotes, no escapes.
  expect_change(0, "title", "Fix the leak", "Fix the café's leak");
  expect_change(1, "priority", "JOB_PRIORITY_NORMAL", "JOB_PRIORITY_HIGH");
  expect_change(2, "estimated_minutes", "60", "90");
  expect_change(3, "contract_amount", "USD 1500.00", "USD 1750.50");
  expect_change(4, "scheduled_start", "", "2026-03-10T14:00:00Z");
  expect_change(5, "required_skills", "", "gas, plumbing");
  EXPECT_EQ(description.changes[6].field(), "address");
  EXPECT_THAT(description.changes[6].before(), ::testing::HasSubstr("1 Main St"));
  // A message in text format, readable (UTF-8 kept, not octal-escaped).
  EXPECT_THAT(description.changes[6].after(), ::testing::HasSubstr("Église"));
}

TEST(DescribeJobEvent, LineItemAdded) {
  v1::LineItemAdded added;
  *added.mutable_line_item() = Line("l1", "Copper pipe", 2500, 1299);
  const HistoryDescription description = Describe(JobIn(v1::JOB_STATUS_OPEN), added);
  EXPECT_EQ(description.summary, "Line item added: Copper pipe (2.5 × USD 12.99)");
  EXPECT_THAT(description.changes, IsEmpty());
}

TEST(DescribeJobEvent, LineItemRemovedNamesTheLine) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  *job.add_line_items() = Line("l1", "Labour", 1000, 9000);
  v1::LineItemRemoved removed;
  removed.set_line_item_id("l1");
  EXPECT_EQ(Describe(job, removed).summary, "Line item removed: Labour (1 × USD 90.00)");
}

TEST(DescribeJobEvent, ChecklistAndCreation) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  v1::ChecklistItem* item = job.add_checklist();
  item->set_item_id("c1");
  item->set_text("Close the valve");
  v1::ChecklistItemCompleted completed;
  completed.set_item_id("c1");
  EXPECT_EQ(Describe(job, completed).summary, "Checked: Close the valve");

  v1::JobCreated created;
  *created.mutable_job() = JobIn(v1::JOB_STATUS_SCHEDULED);
  created.mutable_job()->set_version(0);
  EXPECT_EQ(Describe(v1::Job(), created).summary, "Created JOB-7 \"Fix the leak\" as Scheduled");
}

}  // namespace
}  // namespace jobledger::job
