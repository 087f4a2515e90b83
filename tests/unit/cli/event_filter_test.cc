// Which events the analyst commands select: by type, tenant, time and job.
#include "event_filter.h"

#include <gtest/gtest.h>

#include "jobledger/billing/v1/events.pb.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/notification/v1/events.pb.h"
#include "test_events.h"

namespace jobledger::cli {
namespace {

const absl::Time kNine = absl::FromUnixSeconds(1'774'947'600);  // 2026-03-31T09:00:00Z

job::v1::NoteAdded Note() {
  job::v1::NoteAdded note;
  note.mutable_note()->set_text("gate code 1234");
  return note;
}

EventFilterOptions Types(std::vector<std::string> types) {
  EventFilterOptions options;
  options.types = std::move(types);
  return options;
}

EventFilterOptions Tenant(std::string tenant) {
  EventFilterOptions options;
  options.tenant = std::move(tenant);
  return options;
}

EventFilterOptions Job(std::string job_id) {
  EventFilterOptions options;
  options.job_id = std::move(job_id);
  return options;
}

EventFilterOptions Between(std::optional<absl::Time> from, std::optional<absl::Time> until) {
  EventFilterOptions options;
  options.from_time = from;
  options.until_time = until;
  return options;
}

bool Selects(EventFilterOptions options, const events::v1::Event& event) {
  PayloadDecoder decoder;
  return EventFilter(std::move(options)).Matches(event, decoder);
}

TEST(EventFilterTest, TypesMatchByFullOrShortNameOnly) {
  EXPECT_TRUE(TypeNameMatches("jobledger.job.v1.JobCreated", "jobledger.job.v1.JobCreated"));
  EXPECT_TRUE(TypeNameMatches("jobledger.job.v1.JobCreated", "JobCreated"));
  EXPECT_TRUE(TypeNameMatches("jobledger.job.v1.JobCreated", "v1.JobCreated"));
  EXPECT_FALSE(TypeNameMatches("jobledger.job.v1.JobCreated", "Created"));
  EXPECT_FALSE(TypeNameMatches("jobledger.job.v1.JobCreated", "JobCreate"));
  EXPECT_FALSE(TypeNameMatches("jobledger.job.v1.SubJobCreated", "JobCreated"));

  testing::EventChains chains;
  const events::v1::Event note = chains.Next("acme", "job", "job-1", Note(), kNine);
  EXPECT_TRUE(Selects({}, note)) << "no filter selects everything";
  EXPECT_TRUE(Selects(Types({"JobCreated", "NoteAdded"}), note));
  EXPECT_FALSE(Selects(Types({"JobCreated"}), note));
}

TEST(EventFilterTest, TenantMustBeEqual) {
  testing::EventChains chains;
  const events::v1::Event note = chains.Next("acme", "job", "job-1", Note(), kNine);
  EXPECT_TRUE(Selects(Tenant("acme"), note));
  EXPECT_FALSE(Selects(Tenant("acme2"), note));
}

TEST(EventFilterTest, TimesAreAHalfOpenRange) {
  testing::EventChains chains;
  const events::v1::Event note = chains.Next("acme", "job", "job-1", Note(), kNine);
  EXPECT_TRUE(Selects(Between(kNine, std::nullopt), note)) << "from is inclusive";
  EXPECT_FALSE(Selects(Between(kNine + absl::Nanoseconds(1), std::nullopt), note));
  EXPECT_FALSE(Selects(Between(std::nullopt, kNine), note)) << "until is exclusive";
  EXPECT_TRUE(Selects(Between(std::nullopt, kNine + absl::Nanoseconds(1)), note));
}

TEST(EventFilterTest, AJobIsItsAggregateIdOrAJobIdInThePayload) {
  testing::EventChains chains;
  EXPECT_TRUE(Selects(Job("job-1"), chains.Next("acme", "job", "job-1", Note(), kNine)));
  EXPECT_FALSE(Selects(Job("job-2"), chains.Next("acme", "job", "job-1", Note(), kNine)));

  job::v1::CustomerRequestConverted converted;  // a job_id at the top
  converted.set_job_id("job-1");
  EXPECT_TRUE(
      Selects(Job("job-1"), chains.Next("acme", "customer_request", "req-1", converted, kNine)));
  EXPECT_FALSE(
      Selects(Job("job-2"), chains.Next("acme", "customer_request", "req-1", converted, kNine)));

  notification::v1::MessageQueued queued;  // one level down: message.job_id
  queued.mutable_message()->set_job_id("job-1");
  EXPECT_TRUE(Selects(Job("job-1"), chains.Next("acme", "message", "msg-1", queued, kNine)));

  billing::v1::InvoiceCreated invoice;  // invoice.job_id
  invoice.mutable_invoice()->set_job_id("job-1");
  EXPECT_TRUE(Selects(Job("job-1"), chains.Next("acme", "invoice", "inv-1", invoice, kNine)));
}

TEST(EventFilterTest, AJobIdElsewhereInTheNameDoesNotCount) {
  job::v1::RecallLinked recall;  // original_job_id is another job, not this event's
  recall.set_original_job_id("job-1");
  testing::EventChains chains;
  EXPECT_FALSE(Selects(Job("job-1"), chains.Next("acme", "job", "job-9", recall, kNine)));
}

TEST(EventFilterTest, AllConditionsMustHold) {
  testing::EventChains chains;
  const events::v1::Event note = chains.Next("acme", "job", "job-1", Note(), kNine);
  EventFilterOptions all = Between(kNine - absl::Hours(1), kNine + absl::Hours(1));
  all.types = {"NoteAdded"};
  all.job_id = "job-1";
  all.tenant = "acme";
  EXPECT_TRUE(Selects(all, note));
  all.tenant = "other";
  EXPECT_FALSE(Selects(all, note));
}

TEST(ParseTimeFlagTest, ReadsRfc3339AndPlainDates) {
  absl::Time time;
  std::string error;
  ASSERT_TRUE(ParseTimeFlag("2026-03-31T09:00:00Z", &time, &error)) << error;
  EXPECT_EQ(time, kNine);
  ASSERT_TRUE(ParseTimeFlag("2026-03-31T11:00:00+02:00", &time, &error)) << error;
  EXPECT_EQ(time, kNine);
  ASSERT_TRUE(ParseTimeFlag("2026-03-31T09:00:00.5Z", &time, &error)) << error;
  EXPECT_EQ(time, kNine + absl::Milliseconds(500));
  ASSERT_TRUE(ParseTimeFlag("2026-03-31", &time, &error)) << error;
  EXPECT_EQ(time, kNine - absl::Hours(9));
  EXPECT_FALSE(ParseTimeFlag("yesterday", &time, &error));
  EXPECT_FALSE(ParseTimeFlag("2026-03-31 09:00", &time, &error));
}

}  // namespace
}  // namespace jobledger::cli
