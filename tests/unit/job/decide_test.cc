// Decide for job commands: reopen, clock in/out, updates, line items and other attached items,
// and the record a CreateJob builds.
#include "domain/decide.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "domain/evolve.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "job_test_util.h"

namespace jobledger::job {
namespace {

using testing::At;
using ::testing::ElementsAre;
using testing::Envelope;
using testing::EvolveAll;
using ::testing::HasSubstr;
using testing::HeadOf;
using ::testing::IsEmpty;
using testing::JobIn;
using testing::Line;
using testing::MoneyOf;
using testing::Only;
using testing::StatusIs;
using testing::Ts;

// 2026-03-10 14:00:00 UTC.
const absl::Time kMorning = At(1773151200);

// ---------------------------------------------------------------------------------------------
// Reopen

TEST(DecideReopen, OnlyFromCompleted) {
  for (v1::JobStatus status : {v1::JOB_STATUS_DRAFT, v1::JOB_STATUS_OPEN, v1::JOB_STATUS_SCHEDULED,
                               v1::JOB_STATUS_IN_PROGRESS, v1::JOB_STATUS_ON_HOLD,
                               v1::JOB_STATUS_CANCELLED, v1::JOB_STATUS_DEFERRED}) {
    const v1::Job job = JobIn(status);
    EXPECT_THAT(DecideReopen(job, HeadOf(job), "redo", {}).status(),
                StatusIs(absl::StatusCode::kFailedPrecondition, "only a Completed job"))
        << v1::JobStatus_Name(status);
  }
}

TEST(DecideReopen, RefusedWhileInvoicesAreNotVoid) {
  const v1::Job job = JobIn(v1::JOB_STATUS_COMPLETED);
  auto events = DecideReopen(job, HeadOf(job), "redo", {"INV-12", "INV-15"});
  EXPECT_THAT(events.status(), StatusIs(absl::StatusCode::kFailedPrecondition, "INV-12, INV-15"));
  EXPECT_THAT(events.status().message(), HasSubstr("JOB-7"));
}

TEST(DecideReopen, MovesBackToInProgressAndEvolveClearsActualEnd) {
  v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  *job.mutable_actual_start() = Ts(kMorning);
  // Complete, then reopen, through Decide and Evolve.
  auto completed = DecideChangeStatus(job, HeadOf(job), v1::JOB_STATUS_COMPLETED, "",
                                      v1::STATUS_CHANGE_CAUSE_MANUAL);
  ASSERT_TRUE(completed.ok()) << completed.status();
  ASSERT_TRUE(EvolveAll(job, *completed, 4, kMorning + absl::Hours(2)).ok());
  ASSERT_EQ(job.status(), v1::JOB_STATUS_COMPLETED);
  EXPECT_EQ(job.actual_end(), Ts(kMorning + absl::Hours(2)));

  auto reopened = DecideReopen(job, HeadOf(job), "leak came back", {});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  const auto& changed = Only<v1::JobStatusChanged>(*reopened);
  EXPECT_EQ(changed.from(), v1::JOB_STATUS_COMPLETED);
  EXPECT_EQ(changed.to(), v1::JOB_STATUS_IN_PROGRESS);
  EXPECT_EQ(changed.cause(), v1::STATUS_CHANGE_CAUSE_REOPEN);
  EXPECT_EQ(changed.reason(), "leak came back");

  ASSERT_TRUE(EvolveAll(job, *reopened, 5, kMorning + absl::Hours(30)).ok());
  EXPECT_EQ(job.status(), v1::JOB_STATUS_IN_PROGRESS);
  EXPECT_FALSE(job.has_actual_end());
  EXPECT_EQ(job.actual_start(), Ts(kMorning));  // the work started when it first started
  EXPECT_EQ(job.version(), 5);
}

// ---------------------------------------------------------------------------------------------
// Clock in / out

ClockInCommand ClockIn(const std::string& employee, absl::Time at,
                       absl::TimeZone zone = absl::UTCTimeZone()) {
  ClockInCommand command;
  command.entry_id = "entry-" + employee;
  command.employee_id = employee;
  command.type = "regular";
  command.at = at;
  command.zone = zone;
  return command;
}

ClockOutCommand ClockOut(const std::string& employee, absl::Time at) {
  ClockOutCommand command;
  command.employee_id = employee;
  command.at = at;
  return command;
}

TEST(DecideClockIn, StartsWorkFromEveryWaitingStatus) {
  for (v1::JobStatus status : {v1::JOB_STATUS_OPEN, v1::JOB_STATUS_SCHEDULED,
                               v1::JOB_STATUS_ON_HOLD, v1::JOB_STATUS_DEFERRED}) {
    const v1::Job job = JobIn(status);
    auto events = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
    ASSERT_TRUE(events.ok()) << v1::JobStatus_Name(status) << ": " << events.status();
    ASSERT_EQ(events->size(), 2u) << v1::JobStatus_Name(status);
    const auto& started = std::get<v1::WorkSessionStarted>((*events)[0]);
    EXPECT_EQ(started.entry_id(), "entry-tech-a");
    EXPECT_EQ(started.employee_id(), "tech-a");
    EXPECT_EQ(started.type(), "regular");
    EXPECT_EQ(started.clock_in(), Ts(kMorning));
    const auto& changed = std::get<v1::JobStatusChanged>((*events)[1]);
    EXPECT_EQ(changed.from(), status);
    EXPECT_EQ(changed.to(), v1::JOB_STATUS_IN_PROGRESS);
    EXPECT_EQ(changed.cause(), v1::STATUS_CHANGE_CAUSE_CLOCK_IN);

    v1::Job after = job;
    ASSERT_TRUE(EvolveAll(after, *events, 4, kMorning).ok());
    EXPECT_EQ(after.status(), v1::JOB_STATUS_IN_PROGRESS);
    EXPECT_EQ(after.actual_start(), Ts(kMorning + absl::Minutes(1)));
    ASSERT_EQ(after.work_log_size(), 1);
    EXPECT_TRUE(after.work_log(0).open());
  }
}

TEST(DecideClockIn, AlreadyInProgressOnlyStartsASession) {
  const v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  auto events = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(Only<v1::WorkSessionStarted>(*events).employee_id(), "tech-a");
}

TEST(DecideClockIn, RefusedOnDraftCompletedAndCancelled) {
  for (v1::JobStatus status :
       {v1::JOB_STATUS_DRAFT, v1::JOB_STATUS_COMPLETED, v1::JOB_STATUS_CANCELLED}) {
    const v1::Job job = JobIn(status);
    auto events = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
    EXPECT_THAT(events.status(), StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 is"))
        << v1::JobStatus_Name(status);
  }
}

TEST(DecideClockIn, RefusedWhileTheEmployeeHasAnOpenSession) {
  v1::Job job = JobIn(v1::JOB_STATUS_SCHEDULED);
  auto first = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(EvolveAll(job, *first, 4, kMorning).ok());
  ClockInCommand again = ClockIn("tech-a", kMorning + absl::Minutes(5));
  again.entry_id = "entry-2";
  EXPECT_THAT(DecideClockIn(job, HeadOf(job), again).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "already clocked in"));
  // Another technician may.
  EXPECT_TRUE(DecideClockIn(job, HeadOf(job), ClockIn("tech-b", kMorning)).ok());
}

TEST(DecideClockIn, DateIsTheLocalDayInTheTenantsZone) {
  absl::TimeZone new_york;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &new_york));
  // 2026-03-11 02:00 UTC is 2026-03-10 22:00 in New York (EDT, UTC-4).
  const absl::Time at =
      absl::FromCivil(absl::CivilSecond(2026, 3, 11, 2, 0, 0), absl::UTCTimeZone());
  const v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  auto events = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", at, new_york));
  ASSERT_TRUE(events.ok()) << events.status();
  const auto& date = Only<v1::WorkSessionStarted>(*events).date();
  EXPECT_EQ(date.year(), 2026);
  EXPECT_EQ(date.month(), 3);
  EXPECT_EQ(date.day(), 10);

  auto utc = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", at));
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(Only<v1::WorkSessionStarted>(*utc).date().day(), 11);
}

TEST(DecideClockIn, CarriesTheLocation) {
  const v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  v1::GeoPoint point;
  point.set_latitude(40.7);
  point.set_longitude(-74.0);
  ClockInCommand command = ClockIn("tech-a", kMorning);
  command.location = &point;
  auto events = DecideClockIn(job, HeadOf(job), command);
  ASSERT_TRUE(events.ok());
  EXPECT_DOUBLE_EQ(Only<v1::WorkSessionStarted>(*events).location().latitude(), 40.7);
}

TEST(DecideClockOut, MinutesAreRoundedDown) {
  v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  auto in = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(EvolveAll(job, *in, 4, kMorning).ok());

  ClockOutCommand out = ClockOut("tech-a", kMorning + absl::Minutes(90) + absl::Seconds(59));
  out.notes = "replaced the washer";
  auto events = DecideClockOut(job, HeadOf(job), out);
  ASSERT_TRUE(events.ok()) << events.status();
  const auto& ended = Only<v1::WorkSessionEnded>(*events);
  EXPECT_EQ(ended.entry_id(), "entry-tech-a");
  EXPECT_EQ(ended.minutes(), 90);
  EXPECT_EQ(ended.clock_out(), Ts(out.at));

  ASSERT_TRUE(EvolveAll(job, *events, 5, out.at).ok());
  ASSERT_EQ(job.work_log_size(), 1);
  EXPECT_FALSE(job.work_log(0).open());
  EXPECT_EQ(job.work_log(0).minutes(), 90);
  EXPECT_EQ(job.work_log(0).notes(), "replaced the washer");
}

TEST(DecideClockOut, RefusedBeforeTheClockIn) {
  v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  auto in = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(EvolveAll(job, *in, 4, kMorning).ok());
  EXPECT_THAT(
      DecideClockOut(job, HeadOf(job), ClockOut("tech-a", kMorning - absl::Seconds(1))).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, "before the clock-in"));
}

TEST(DecideClockOut, RefusedWhenNotClockedIn) {
  const v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  EXPECT_THAT(DecideClockOut(job, HeadOf(job), ClockOut("tech-a", kMorning)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "tech-a is not clocked in on JOB-7"));
}

TEST(DecideClockOut, TwoTechniciansAreTrackedSeparately) {
  v1::Job job = JobIn(v1::JOB_STATUS_SCHEDULED);
  int64_t sequence = 4;
  auto apply = [&](absl::StatusOr<std::vector<JobEvent>> events, absl::Time at) {
    ASSERT_TRUE(events.ok()) << events.status();
    ASSERT_TRUE(EvolveAll(job, *events, sequence, at).ok());
    sequence += static_cast<int64_t>(events->size());
  };
  apply(DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning)), kMorning);
  auto b_in = DecideClockIn(job, HeadOf(job), ClockIn("tech-b", kMorning + absl::Minutes(10)));
  ASSERT_TRUE(b_in.ok());
  EXPECT_EQ(b_in->size(), 1u);  // already In progress
  apply(b_in, kMorning + absl::Minutes(10));

  auto a_out = DecideClockOut(job, HeadOf(job), ClockOut("tech-a", kMorning + absl::Minutes(60)));
  ASSERT_TRUE(a_out.ok());
  EXPECT_EQ(Only<v1::WorkSessionEnded>(*a_out).entry_id(), "entry-tech-a");
  EXPECT_EQ(Only<v1::WorkSessionEnded>(*a_out).minutes(), 60);
  apply(a_out, kMorning + absl::Minutes(60));

  // tech-a is out; tech-b is still in.
  EXPECT_EQ(DecideClockOut(job, HeadOf(job), ClockOut("tech-a", kMorning + absl::Minutes(61)))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  auto b_out = DecideClockOut(job, HeadOf(job), ClockOut("tech-b", kMorning + absl::Minutes(100)));
  ASSERT_TRUE(b_out.ok());
  EXPECT_EQ(Only<v1::WorkSessionEnded>(*b_out).entry_id(), "entry-tech-b");
  EXPECT_EQ(Only<v1::WorkSessionEnded>(*b_out).minutes(), 90);
  apply(b_out, kMorning + absl::Minutes(100));

  ASSERT_EQ(job.work_log_size(), 2);
  EXPECT_EQ(job.work_log(0).employee_id(), "tech-a");
  EXPECT_EQ(job.work_log(0).minutes(), 60);
  EXPECT_EQ(job.work_log(1).employee_id(), "tech-b");
  EXPECT_EQ(job.work_log(1).minutes(), 90);
}

// ---------------------------------------------------------------------------------------------
// UpdateJob

v1::UpdateJobRequest Update(std::initializer_list<const char*> fields) {
  v1::UpdateJobRequest request;
  for (const char* field : fields) request.add_update_fields(field);
  return request;
}

TEST(DecideUpdateJob, RecordsOnlyFieldsThatDiffer) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  job.set_description("Kitchen sink");
  job.set_priority(v1::JOB_PRIORITY_NORMAL);
  v1::UpdateJobRequest request = Update({"title", "description", "priority"});
  request.mutable_details()->set_title("Fix the leak");  // unchanged
  request.mutable_details()->set_description("Kitchen and bathroom sinks");
  request.mutable_details()->set_priority(v1::JOB_PRIORITY_NORMAL);  // unchanged
  auto events = DecideUpdateJob(job, HeadOf(job), request);
  ASSERT_TRUE(events.ok()) << events.status();
  const auto& changed = Only<v1::JobDetailsChanged>(*events);
  EXPECT_THAT(changed.changed_fields(), ElementsAre("description"));
}

TEST(DecideUpdateJob, NothingChangedMeansNoEvent) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  job.add_required_skills("gas");
  job.add_required_skills("plumbing");
  v1::UpdateJobRequest request = Update({"title", "required_skills"});
  request.mutable_details()->set_title("Fix the leak");
  // Same set in another order, with a duplicate: the same after sorting.
  request.mutable_details()->add_required_skills("plumbing");
  request.mutable_details()->add_required_skills("gas");
  request.mutable_details()->add_required_skills("gas");
  auto events = DecideUpdateJob(job, HeadOf(job), request);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, IsEmpty());
}

TEST(DecideUpdateJob, ScheduledEndBeforeStartIsRefused) {
  v1::Job job = JobIn(v1::JOB_STATUS_SCHEDULED);
  *job.mutable_scheduled_start() = Ts(kMorning);
  *job.mutable_scheduled_end() = Ts(kMorning + absl::Hours(2));

  v1::UpdateJobRequest end_only = Update({"scheduled_end"});
  *end_only.mutable_details()->mutable_scheduled_end() = Ts(kMorning - absl::Hours(1));
  EXPECT_THAT(DecideUpdateJob(job, HeadOf(job), end_only).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "scheduled_end"));

  v1::UpdateJobRequest start_only = Update({"scheduled_start"});
  *start_only.mutable_details()->mutable_scheduled_start() = Ts(kMorning + absl::Hours(3));
  EXPECT_THAT(DecideUpdateJob(job, HeadOf(job), start_only).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "scheduled_end"));

  v1::UpdateJobRequest both = Update({"scheduled_start", "scheduled_end"});
  *both.mutable_details()->mutable_scheduled_start() = Ts(kMorning + absl::Hours(3));
  *both.mutable_details()->mutable_scheduled_end() = Ts(kMorning + absl::Hours(4));
  auto moved = DecideUpdateJob(job, HeadOf(job), both);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_THAT(Only<v1::JobDetailsChanged>(*moved).changed_fields(),
              ElementsAre("scheduled_start", "scheduled_end"));
}

TEST(DecideUpdateJob, RefusedOnCancelledAndMissingJobs) {
  const v1::Job cancelled = JobIn(v1::JOB_STATUS_CANCELLED);
  v1::UpdateJobRequest request = Update({"title"});
  request.mutable_details()->set_title("Other");
  EXPECT_THAT(DecideUpdateJob(cancelled, HeadOf(cancelled), request).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "JOB-7 is Cancelled"));
  EXPECT_EQ(DecideUpdateJob(v1::Job(), {}, request).status().code(), absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// Line items

std::string FixedId() { return "new-id"; }

TEST(PriceLineItem, TotalRoundsHalfAwayFromZero) {
  struct Case {
    int64_t quantity_milli;
    int64_t unit_minor;
    int64_t total_minor;
  };
  for (const Case& c : {Case{1500, 33, 50},  // 1.5 × 0.33 = 0.495 → 0.50
                        Case{333, 100, 33},  // 0.333 × 1.00 = 0.333 → 0.33
                        Case{2500, 1, 3},    // 2.5 × 0.01 = 0.025 → 0.03
                        Case{1000, 4999, 4999}, Case{1500, -33, -50}}) {
    auto priced = PriceLineItem(Line("", "Labour", c.quantity_milli, c.unit_minor), FixedId);
    ASSERT_TRUE(priced.ok()) << priced.status();
    EXPECT_EQ(priced->total().minor_units(), c.total_minor)
        << c.quantity_milli << " × " << c.unit_minor;
    EXPECT_EQ(priced->total().currency(), "USD");
    EXPECT_EQ(priced->line_item_id(), "new-id");
  }
}

TEST(PriceLineItem, KeepsIdAndDefaultsBillable) {
  v1::LineItem asset = Line("keep", "Dehumidifier", 1000, 100);
  asset.set_kind(v1::LINE_ITEM_KIND_ASSET);
  auto priced_asset = PriceLineItem(asset, FixedId);
  ASSERT_TRUE(priced_asset.ok());
  EXPECT_EQ(priced_asset->line_item_id(), "keep");
  EXPECT_FALSE(priced_asset->billable());
  auto priced_service = PriceLineItem(Line("s", "Labour", 1000, 100), FixedId);
  ASSERT_TRUE(priced_service.ok());
  EXPECT_TRUE(priced_service->billable());
}

TEST(PriceLineItem, RefusesABadCurrencyAndOverflow) {
  EXPECT_FALSE(PriceLineItem(Line("", "x", 1000, 100, "usd"), FixedId).ok());
  auto huge = PriceLineItem(Line("", "x", 1'000'000'000, INT64_MAX / 10), FixedId);
  EXPECT_THAT(huge.status(), StatusIs(absl::StatusCode::kInvalidArgument, "quantity_milli"));
}

v1::Job JobWithLines() {
  v1::Job job = JobIn(v1::JOB_STATUS_SCHEDULED);
  *job.add_line_items() = Line("l1", "Labour", 1000, 9000);
  *job.add_line_items() = Line("l2", "Washer", 2000, 150);
  return job;
}

TEST(DecideLineItems, AddUpdateRemove) {
  const v1::Job job = JobWithLines();
  auto added = DecideAddLineItem(job, HeadOf(job), Line("l3", "Pipe", 3000, 500));
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(Only<v1::LineItemAdded>(*added).line_item().line_item_id(), "l3");

  auto updated = DecideUpdateLineItem(job, HeadOf(job), Line("l2", "Washer", 3000, 150));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(Only<v1::LineItemChanged>(*updated).line_item().quantity_milli(), 3000);

  auto same = DecideUpdateLineItem(job, HeadOf(job), job.line_items(1));
  ASSERT_TRUE(same.ok());
  EXPECT_THAT(*same, IsEmpty());

  auto removed = DecideRemoveItem(job, HeadOf(job), JobItemKind::kLineItem, "l1");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(Only<v1::LineItemRemoved>(*removed).line_item_id(), "l1");
}

TEST(DecideLineItems, CurrencyMismatchIsRefused) {
  const v1::Job job = JobWithLines();
  EXPECT_THAT(DecideAddLineItem(job, HeadOf(job), Line("l3", "Pipe", 1000, 500, "EUR")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "line_item.unit_price.currency"));
  EXPECT_THAT(
      DecideUpdateLineItem(job, HeadOf(job), Line("l2", "Washer", 1000, 150, "EUR")).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, "line_item.unit_price.currency"));

  // Without lines, the contract amount sets the currency.
  v1::Job contract = JobIn(v1::JOB_STATUS_OPEN);
  *contract.mutable_contract_amount() = MoneyOf(100000, "CAD");
  EXPECT_THAT(DecideAddLineItem(contract, HeadOf(contract), Line("l1", "x", 1000, 1)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "in CAD"));
}

TEST(DecideLineItems, SingleLineCannotChangeAwayFromTheContractCurrency) {
  v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  *job.mutable_contract_amount() = MoneyOf(100000, "USD");
  *job.add_line_items() = Line("l1", "Labour", 1000, 9000);
  EXPECT_THAT(
      DecideUpdateLineItem(job, HeadOf(job), Line("l1", "Labour", 1000, 9000, "EUR")).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, "line_item.unit_price.currency"));
}

TEST(DecideLineItems, ClosedJobsRefuseChanges) {
  for (v1::JobStatus status : {v1::JOB_STATUS_COMPLETED, v1::JOB_STATUS_CANCELLED}) {
    v1::Job job = JobWithLines();
    job.set_status(status);
    const std::string label =
        "JOB-7 is " + std::string(status == v1::JOB_STATUS_COMPLETED ? "Completed" : "Cancelled");
    EXPECT_THAT(DecideAddLineItem(job, HeadOf(job), Line("l3", "Pipe", 1000, 500)).status(),
                StatusIs(absl::StatusCode::kFailedPrecondition, label));
    EXPECT_THAT(DecideUpdateLineItem(job, HeadOf(job), Line("l2", "Washer", 3000, 150)).status(),
                StatusIs(absl::StatusCode::kFailedPrecondition, label));
    EXPECT_THAT(DecideRemoveItem(job, HeadOf(job), JobItemKind::kLineItem, "l1").status(),
                StatusIs(absl::StatusCode::kFailedPrecondition, label));
  }
}

TEST(DecideLineItems, MissingAndDuplicateIds) {
  const v1::Job job = JobWithLines();
  EXPECT_THAT(DecideRemoveItem(job, HeadOf(job), JobItemKind::kLineItem, "nope").status(),
              StatusIs(absl::StatusCode::kNotFound, "no line item nope on JOB-7"));
  EXPECT_EQ(DecideUpdateLineItem(job, HeadOf(job), Line("nope", "x", 1000, 1)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(DecideAddLineItem(job, HeadOf(job), Line("l1", "Labour", 1000, 1)).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, "l1"));
}

// ---------------------------------------------------------------------------------------------
// Other attached items

TEST(DecideRemoveItem, MissingItemsOfEveryKindAreNotFound) {
  const v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  for (JobItemKind kind :
       {JobItemKind::kLineItem, JobItemKind::kExpense, JobItemKind::kEquipment, JobItemKind::kNote,
        JobItemKind::kChecklistItem, JobItemKind::kWorkEntry, JobItemKind::kAttachment}) {
    EXPECT_EQ(DecideRemoveItem(job, HeadOf(job), kind, "missing").status().code(),
              absl::StatusCode::kNotFound)
        << static_cast<int>(kind);
  }
}

TEST(DecideRemoveItem, ReceiptOfAnExpenseCannotBeRemoved) {
  v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  v1::Attachment receipt;
  receipt.set_attachment_id("att-1");
  receipt.set_kind(v1::ATTACHMENT_KIND_RECEIPT);
  auto attached = DecideAddAttachment(job, HeadOf(job), receipt);
  ASSERT_TRUE(attached.ok());
  ASSERT_TRUE(EvolveAll(job, *attached, 4, kMorning).ok());

  v1::Expense expense;
  expense.set_expense_id("exp-1");
  expense.set_description("Parts");
  *expense.mutable_amount() = MoneyOf(1250);
  expense.set_receipt_attachment_id("att-1");
  auto added = DecideAddExpense(job, HeadOf(job), expense);
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_TRUE(EvolveAll(job, *added, 5, kMorning).ok());

  EXPECT_THAT(DecideRemoveItem(job, HeadOf(job), JobItemKind::kAttachment, "att-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "receipt of expense exp-1"));

  // Once the expense is gone, so may the receipt be.
  auto expense_removed = DecideRemoveItem(job, HeadOf(job), JobItemKind::kExpense, "exp-1");
  ASSERT_TRUE(expense_removed.ok());
  ASSERT_TRUE(EvolveAll(job, *expense_removed, 6, kMorning).ok());
  auto removed = DecideRemoveItem(job, HeadOf(job), JobItemKind::kAttachment, "att-1");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(Only<v1::AttachmentRemoved>(*removed).attachment_id(), "att-1");
}

TEST(DecideAddExpense, ReceiptMustBeAnAttachmentOfTheJob) {
  const v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  v1::Expense expense;
  expense.set_expense_id("exp-1");
  expense.set_receipt_attachment_id("att-unknown");
  EXPECT_THAT(DecideAddExpense(job, HeadOf(job), expense).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "expense.receipt_attachment_id"));
}

TEST(DecideRemoveItem, OpenSessionCannotBeRemoved) {
  v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  auto in = DecideClockIn(job, HeadOf(job), ClockIn("tech-a", kMorning));
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(EvolveAll(job, *in, 4, kMorning).ok());
  EXPECT_THAT(DecideRemoveItem(job, HeadOf(job), JobItemKind::kWorkEntry, "entry-tech-a").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "clock out first"));
}

TEST(DecideChecklist, DoneAndUndone) {
  v1::Job job = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  v1::ChecklistItem item;
  item.set_item_id("c1");
  item.set_text("Close the valve");
  item.set_required(true);
  auto added = DecideAddChecklistItem(job, HeadOf(job), item);
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(EvolveAll(job, *added, 4, kMorning).ok());

  auto done = DecideSetChecklistItemDone(job, HeadOf(job), "c1", true);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(Only<v1::ChecklistItemCompleted>(*done).item_id(), "c1");
  ASSERT_TRUE(EvolveJob(job, Envelope(5, kMorning, "tech-a"), (*done)[0]).ok());
  EXPECT_TRUE(job.checklist(0).done());
  EXPECT_EQ(job.checklist(0).done_by(), "tech-a");
  EXPECT_EQ(job.checklist(0).done_at(), Ts(kMorning));

  auto again = DecideSetChecklistItemDone(job, HeadOf(job), "c1", true);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, IsEmpty());

  auto undone = DecideSetChecklistItemDone(job, HeadOf(job), "c1", false);
  ASSERT_TRUE(undone.ok());
  ASSERT_TRUE(EvolveAll(job, *undone, 6, kMorning).ok());
  EXPECT_FALSE(job.checklist(0).done());
  EXPECT_FALSE(job.checklist(0).has_done_at());
  EXPECT_EQ(job.checklist(0).done_by(), "");

  EXPECT_EQ(DecideSetChecklistItemDone(job, HeadOf(job), "c9", true).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DecideLinkRecall, LinksOnceAndNotToItself) {
  const v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  EXPECT_EQ(DecideLinkRecall(job, HeadOf(job), job.job_id()).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto linked = DecideLinkRecall(job, HeadOf(job), "original");
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(Only<v1::RecallLinked>(*linked).original_job_id(), "original");

  v1::Job recall = job;
  recall.set_recall_of_job_id("original");
  auto again = DecideLinkRecall(recall, HeadOf(recall), "original");
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, IsEmpty());
  EXPECT_EQ(DecideLinkRecall(recall, HeadOf(recall), "other").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DecideCreateJob, RefusedWhenTheJobExists) {
  const v1::Job job = JobIn(v1::JOB_STATUS_OPEN);
  EXPECT_EQ(DecideCreateJob(job, HeadOf(job), job, nullptr).status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::Note note;
  note.set_note_id("n1");
  note.set_text("Gate code 1234");
  auto created = DecideCreateJob(v1::Job(), {}, job, &note);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->size(), 2u);
  EXPECT_EQ(std::get<v1::JobCreated>((*created)[0]).job().job_id(), job.job_id());
  EXPECT_EQ(std::get<v1::NoteAdded>((*created)[1]).note().text(), "Gate code 1234");
}

// ---------------------------------------------------------------------------------------------
// BuildNewJob

v1::Customer CustomerWithProperties() {
  v1::Customer customer;
  customer.set_customer_id(testing::kCustomerId);
  customer.set_name("Ada Lovelace");
  v1::Property* home = customer.add_properties();
  home->set_property_id("p-home");
  home->mutable_address()->set_line1("1 Main St");
  v1::Property* shop = customer.add_properties();
  shop->set_property_id("p-shop");
  shop->mutable_address()->set_line1("9 Market Sq");
  customer.set_primary_property_id("p-home");
  return customer;
}

v1::CreateJobRequest CreateRequest() {
  v1::CreateJobRequest request;
  request.set_customer_id(testing::kCustomerId);
  *request.add_line_items() = Line("", "Drain cleaning", 1000, 12000);
  *request.add_line_items() = Line("", "Call-out", 1000, 5000);
  return request;
}

class BuildNewJobTest : public ::testing::Test {
 protected:
  absl::StatusOr<v1::Job> Build(const v1::CreateJobRequest& request,
                                const v1::Job* parent = nullptr) {
    return BuildNewJob(request, customer_, parent, "job-new", 12,
                       [this] { return "id-" + std::to_string(++next_id_); });
  }

  v1::Customer customer_ = CustomerWithProperties();
  int next_id_ = 0;
};

TEST_F(BuildNewJobTest, TitleFromTheFirstLineItemWhenBlank) {
  auto job = Build(CreateRequest());
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->title(), "Drain cleaning");
  EXPECT_EQ(job->job_id(), "job-new");
  EXPECT_EQ(job->number(), 12);
  EXPECT_EQ(job->customer_id(), testing::kCustomerId);
  ASSERT_EQ(job->line_items_size(), 2);
  EXPECT_EQ(job->line_items(0).line_item_id(), "id-1");
  EXPECT_EQ(job->line_items(0).total().minor_units(), 12000);
  EXPECT_EQ(job->line_items(1).line_item_id(), "id-2");
  EXPECT_EQ(job->priority(), v1::JOB_PRIORITY_NORMAL);

  v1::CreateJobRequest titled = CreateRequest();
  titled.set_title("Blocked drain");
  EXPECT_EQ(Build(titled)->title(), "Blocked drain");
}

TEST_F(BuildNewJobTest, BlankTitleWithoutLineItemsIsRefusedNotACrash) {
  v1::CreateJobRequest request;
  request.set_customer_id(testing::kCustomerId);
  EXPECT_THAT(Build(request).status(), StatusIs(absl::StatusCode::kInvalidArgument, "title"));
}

TEST_F(BuildNewJobTest, AddressFromThePrimaryPropertyOrTheRequest) {
  auto job = Build(CreateRequest());
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->property_id(), "p-home");
  EXPECT_EQ(job->address().line1(), "1 Main St");

  v1::CreateJobRequest shop = CreateRequest();
  shop.set_property_id("p-shop");
  EXPECT_EQ(Build(shop)->address().line1(), "9 Market Sq");

  v1::CreateJobRequest overridden = CreateRequest();
  overridden.mutable_address()->set_line1("Back entrance, 1 Main St");
  auto with_address = Build(overridden);
  ASSERT_TRUE(with_address.ok());
  EXPECT_EQ(with_address->property_id(), "p-home");
  EXPECT_EQ(with_address->address().line1(), "Back entrance, 1 Main St");

  v1::CreateJobRequest unknown = CreateRequest();
  unknown.set_property_id("p-nowhere");
  EXPECT_THAT(Build(unknown).status(), StatusIs(absl::StatusCode::kInvalidArgument, "property_id"));

  customer_.clear_primary_property_id();
  auto no_primary = Build(CreateRequest());
  ASSERT_TRUE(no_primary.ok());
  EXPECT_EQ(no_primary->property_id(), "");
  EXPECT_FALSE(no_primary->has_address());
}

TEST_F(BuildNewJobTest, InitialStatus) {
  EXPECT_EQ(Build(CreateRequest())->status(), v1::JOB_STATUS_OPEN);

  v1::CreateJobRequest scheduled = CreateRequest();
  *scheduled.mutable_scheduled_start() = Ts(kMorning);
  EXPECT_EQ(Build(scheduled)->status(), v1::JOB_STATUS_SCHEDULED);

  v1::CreateJobRequest draft = CreateRequest();
  *draft.mutable_scheduled_start() = Ts(kMorning);
  draft.set_initial_status(v1::JOB_STATUS_DRAFT);
  EXPECT_EQ(Build(draft)->status(), v1::JOB_STATUS_DRAFT);
}

TEST_F(BuildNewJobTest, ChecklistStartsUndoneWithIdsAndSkillsAreSorted) {
  v1::CreateJobRequest request = CreateRequest();
  v1::ChecklistItem* item = request.add_checklist();
  item->set_text("Photo of meter");
  item->set_done(true);
  item->set_done_by("someone");
  request.add_required_skills("plumbing");
  request.add_required_skills("gas");
  request.add_required_skills("plumbing");
  auto job = Build(request);
  ASSERT_TRUE(job.ok());
  ASSERT_EQ(job->checklist_size(), 1);
  EXPECT_FALSE(job->checklist(0).done());
  EXPECT_EQ(job->checklist(0).done_by(), "");
  EXPECT_EQ(job->checklist(0).item_id(), "id-3");
  EXPECT_THAT(job->required_skills(), ElementsAre("gas", "plumbing"));
}

TEST_F(BuildNewJobTest, Subjobs) {
  v1::Job parent = JobIn(v1::JOB_STATUS_IN_PROGRESS);
  parent.set_project_id("project-9");

  v1::CreateJobRequest request = CreateRequest();
  request.set_parent_job_id(parent.job_id());
  request.set_progress_share_percent(20);
  auto subjob = Build(request, &parent);
  ASSERT_TRUE(subjob.ok()) << subjob.status();
  EXPECT_EQ(subjob->parent_job_id(), parent.job_id());
  EXPECT_EQ(subjob->project_id(), "project-9");
  EXPECT_EQ(subjob->progress_share_percent(), 20);

  v1::CreateJobRequest own_project = request;
  own_project.set_project_id("project-1");
  EXPECT_EQ(Build(own_project, &parent)->project_id(), "project-1");

  v1::Job other_customers = parent;
  other_customers.set_customer_id("someone-else");
  EXPECT_THAT(Build(request, &other_customers).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "customer_id"));

  v1::Job nested = parent;
  nested.set_parent_job_id("grandparent");
  EXPECT_THAT(Build(request, &nested).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "subjobs do not nest"));
}

TEST(DuplicateRequest, CopiesScopeNotWork) {
  v1::Job original = JobWithLines();
  original.set_property_id("p-home");
  v1::ChecklistItem* item = original.add_checklist();
  item->set_item_id("c1");
  item->set_text("Valve");
  item->set_required(true);
  item->set_done(true);
  original.add_work_log()->set_minutes(60);
  v1::DuplicateJobRequest request;
  *request.mutable_scheduled_start() = Ts(kMorning);
  const v1::CreateJobRequest copy = DuplicateRequest(original, request);
  EXPECT_EQ(copy.customer_id(), original.customer_id());
  EXPECT_EQ(copy.title(), "Fix the leak");
  ASSERT_EQ(copy.line_items_size(), 2);
  EXPECT_EQ(copy.line_items(0).line_item_id(), "");
  ASSERT_EQ(copy.checklist_size(), 1);
  EXPECT_FALSE(copy.checklist(0).done());
  EXPECT_TRUE(copy.checklist(0).required());
  EXPECT_EQ(copy.scheduled_start(), Ts(kMorning));
}

}  // namespace
}  // namespace jobledger::job
