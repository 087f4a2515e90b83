// The job lifecycle: every (from, to) pair against the rules, reasons, completion blockers.
#include "domain/lifecycle.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/decide.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HeadOf;
using ::testing::IsEmpty;
using testing::JobIn;
using testing::Only;
using testing::StatusIs;
using v1::JobStatus;

constexpr JobStatus kDraft = v1::JOB_STATUS_DRAFT;
constexpr JobStatus kOpen = v1::JOB_STATUS_OPEN;
constexpr JobStatus kScheduled = v1::JOB_STATUS_SCHEDULED;
constexpr JobStatus kInProgress = v1::JOB_STATUS_IN_PROGRESS;
constexpr JobStatus kOnHold = v1::JOB_STATUS_ON_HOLD;
constexpr JobStatus kCompleted = v1::JOB_STATUS_COMPLETED;
constexpr JobStatus kCancelled = v1::JOB_STATUS_CANCELLED;
constexpr JobStatus kDeferred = v1::JOB_STATUS_DEFERRED;

const std::vector<JobStatus> kAll = {kDraft,  kOpen,      kScheduled, kInProgress,
                                     kOnHold, kCompleted, kCancelled, kDeferred};

// The intended rules, written out independently of the implementation.
std::set<JobStatus> AllowedFrom(JobStatus from) {
  switch (from) {
    case kDraft:
      return {kOpen, kScheduled, kCancelled};
    case kOpen:
    case kScheduled:
    case kOnHold:
    case kDeferred: {
      std::set<JobStatus> all(kAll.begin(), kAll.end());
      all.erase(kDraft);
      all.erase(from);
      return all;
    }
    case kInProgress:
      return {kOnHold, kCompleted, kCancelled, kDeferred};
    default:
      return {};  // Completed, Cancelled
  }
}

TEST(Lifecycle, StatusLabels) {
  EXPECT_EQ(StatusLabel(kDraft), "Draft");
  EXPECT_EQ(StatusLabel(kOpen), "Open");
  EXPECT_EQ(StatusLabel(kScheduled), "Scheduled");
  EXPECT_EQ(StatusLabel(kInProgress), "In progress");
  EXPECT_EQ(StatusLabel(kOnHold), "On hold");
  EXPECT_EQ(StatusLabel(kCompleted), "Completed");
  EXPECT_EQ(StatusLabel(kCancelled), "Cancelled");
  EXPECT_EQ(StatusLabel(kDeferred), "Deferred");
  EXPECT_EQ(JobLabel(JobIn(kOpen)), "JOB-7");
}

TEST(Lifecycle, EveryTransitionFollowsTheRules) {
  int allowed = 0;
  for (JobStatus from : kAll) {
    const std::set<JobStatus> expected = AllowedFrom(from);
    for (JobStatus to : kAll) {
      const bool want = expected.contains(to);
      EXPECT_EQ(IsAllowedTransition(from, to), want)
          << StatusLabel(from) << " → " << StatusLabel(to);
      allowed += want;
    }
    EXPECT_FALSE(IsAllowedTransition(from, v1::JOB_STATUS_UNSPECIFIED)) << StatusLabel(from);
  }
  EXPECT_EQ(allowed, 3 + 4 * 6 + 4);
}

TEST(Lifecycle, DecideChangeStatusOverEveryPair) {
  for (JobStatus from : kAll) {
    const std::set<JobStatus> expected = AllowedFrom(from);
    for (JobStatus to : kAll) {
      if (to == from) continue;
      const v1::Job job = JobIn(from);
      auto events =
          DecideChangeStatus(job, HeadOf(job), to, "because", v1::STATUS_CHANGE_CAUSE_MANUAL);
      const std::string pair = StatusLabel(from) + " → " + StatusLabel(to);
      if (expected.contains(to)) {
        ASSERT_TRUE(events.ok()) << pair << ": " << events.status();
        const auto& changed = Only<v1::JobStatusChanged>(*events);
        EXPECT_EQ(changed.from(), from) << pair;
        EXPECT_EQ(changed.to(), to) << pair;
        EXPECT_EQ(changed.reason(), "because") << pair;
        EXPECT_EQ(changed.cause(), v1::STATUS_CHANGE_CAUSE_MANUAL) << pair;
      } else {
        EXPECT_THAT(events.status(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              "JOB-7 is " + StatusLabel(from) +
                                                  ": it cannot move to " + StatusLabel(to)))
            << pair;
      }
    }
  }
}

TEST(Lifecycle, SameStatusRecordsNothing) {
  const v1::Job job = JobIn(kOnHold);
  auto events = DecideChangeStatus(job, HeadOf(job), kOnHold, "", v1::STATUS_CHANGE_CAUSE_MANUAL);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(*events, IsEmpty());
}

TEST(Lifecycle, MissingJobIsNotFound) {
  const v1::Job job;
  auto events = DecideChangeStatus(job, {}, kOpen, "", v1::STATUS_CHANGE_CAUSE_MANUAL);
  EXPECT_EQ(events.status().code(), absl::StatusCode::kNotFound);
}

TEST(Lifecycle, CompletedNamesItsStatusAndPointsToReopen) {
  const v1::Job job = JobIn(kCompleted);
  auto events =
      DecideChangeStatus(job, HeadOf(job), kInProgress, "", v1::STATUS_CHANGE_CAUSE_MANUAL);
  EXPECT_THAT(events.status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 is Completed"));
  EXPECT_THAT(events.status().message(), HasSubstr("ReopenJob"));
}

TEST(Lifecycle, OnHoldAndCancelledNeedAReason) {
  EXPECT_TRUE(RequiresReason(kOnHold));
  EXPECT_TRUE(RequiresReason(kCancelled));
  for (JobStatus to : {kOpen, kScheduled, kInProgress, kCompleted, kDeferred}) {
    EXPECT_FALSE(RequiresReason(to)) << StatusLabel(to);
  }
  for (JobStatus to : {kOnHold, kCancelled}) {
    const v1::Job job = JobIn(kScheduled);
    auto events = DecideChangeStatus(job, HeadOf(job), to, "", v1::STATUS_CHANGE_CAUSE_MANUAL);
    EXPECT_THAT(events.status(), StatusIs(absl::StatusCode::kInvalidArgument, "reason"))
        << StatusLabel(to);
    auto with_reason = DecideChangeStatus(job, HeadOf(job), to, "waiting for parts",
                                          v1::STATUS_CHANGE_CAUSE_MANUAL);
    EXPECT_TRUE(with_reason.ok()) << StatusLabel(to) << ": " << with_reason.status();
  }
}

TEST(Lifecycle, RefusedMoveIsReportedBeforeAMissingReason) {
  // From Completed, On hold is not allowed at all: the state is the problem, not the reason.
  EXPECT_THAT(CheckStatusChange(JobIn(kCompleted), kOnHold, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 is Completed"));
}

v1::Job JobWithRequirements() {
  v1::Job job = JobIn(kInProgress);
  v1::ChecklistItem* valve = job.add_checklist();
  valve->set_item_id("c1");
  valve->set_text("Close the valve");
  valve->set_required(true);
  v1::ChecklistItem* optional = job.add_checklist();
  optional->set_item_id("c2");
  optional->set_text("Sweep up");
  optional->set_required(false);
  v1::ChecklistItem* test = job.add_checklist();
  test->set_item_id("c3");
  test->set_text("Pressure test");
  test->set_required(true);
  job.mutable_completion_requirements()->set_photo_required(true);
  job.mutable_completion_requirements()->set_signature_required(true);
  return job;
}

TEST(Lifecycle, CompletionBlockersListEverythingMissing) {
  v1::Job job = JobWithRequirements();
  // A document is neither a photo nor a signature.
  job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_DOCUMENT);
  EXPECT_THAT(CompletionBlockers(job),
              ElementsAre("checklist item \"Close the valve\" is not done",
                          "checklist item \"Pressure test\" is not done", "a photo is required",
                          "a signature is required"));

  auto events =
      DecideChangeStatus(job, HeadOf(job), kCompleted, "", v1::STATUS_CHANGE_CAUSE_MANUAL);
  ASSERT_EQ(events.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(events.status().message());
  EXPECT_THAT(message, HasSubstr("JOB-7 cannot be completed yet"));
  EXPECT_THAT(message, HasSubstr("Close the valve"));
  EXPECT_THAT(message, HasSubstr("Pressure test"));
  EXPECT_THAT(message, HasSubstr("photo"));
  EXPECT_THAT(message, HasSubstr("signature"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("Sweep up")));
}

TEST(Lifecycle, CompletionBlockedByEachRequirementAlone) {
  {
    v1::Job job = JobWithRequirements();
    job.mutable_checklist(0)->set_done(true);
    job.mutable_checklist(2)->set_done(true);
    job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_PHOTO);
    EXPECT_THAT(CompletionBlockers(job), ElementsAre("a signature is required"));
    EXPECT_THAT(CheckStatusChange(job, kCompleted, ""),
                StatusIs(absl::StatusCode::kFailedPrecondition, "signature"));
  }
  {
    v1::Job job = JobWithRequirements();
    job.mutable_checklist(0)->set_done(true);
    job.mutable_checklist(2)->set_done(true);
    job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_SIGNATURE);
    EXPECT_THAT(CompletionBlockers(job), ElementsAre("a photo is required"));
  }
  {
    v1::Job job = JobWithRequirements();
    job.mutable_checklist(2)->set_done(true);
    job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_SIGNATURE);
    job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_PHOTO);
    EXPECT_THAT(CompletionBlockers(job),
                ElementsAre("checklist item \"Close the valve\" is not done"));
  }
}

TEST(Lifecycle, CompletionAllowedOnceEverythingIsThere) {
  v1::Job job = JobWithRequirements();
  job.mutable_checklist(0)->set_done(true);
  job.mutable_checklist(2)->set_done(true);
  job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_PHOTO);
  job.add_attachments()->set_kind(v1::ATTACHMENT_KIND_SIGNATURE);
  EXPECT_THAT(CompletionBlockers(job), IsEmpty());
  auto events = DecideChangeStatus(job, HeadOf(job), kCompleted, "", v1::STATUS_CHANGE_CAUSE_BULK);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(Only<v1::JobStatusChanged>(*events).cause(), v1::STATUS_CHANGE_CAUSE_BULK);
}

TEST(Lifecycle, BlockersOnlyMatterForCompletion) {
  const v1::Job job = JobWithRequirements();
  EXPECT_TRUE(CheckStatusChange(job, kOnHold, "parts").ok());
  EXPECT_TRUE(CheckStatusChange(job, kCancelled, "customer called off").ok());
  EXPECT_TRUE(CheckStatusChange(job, kDeferred, "").ok());
}

}  // namespace
}  // namespace jobledger::job
