// Reading notification causes out of job, billing and scheduling events.
#include "domain/causes.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/billing/v1/events.pb.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"

namespace jobledger::notification {
namespace {

namespace sched = scheduling::v1;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A payload whose length prefix promises more bytes than follow: no message parses it.
constexpr char kTruncatedPayload[] =
    "\x0a\x05"
    "ab";

events::v1::Event EventOfType(const std::string& type, const std::string& aggregate_id,
                              const std::string& payload) {
  events::v1::Event event;
  event.mutable_envelope()->set_type(type);
  event.mutable_envelope()->set_aggregate_id(aggregate_id);
  event.set_payload(payload);
  return event;
}

template <typename Message>
events::v1::Event EventOf(const Message& payload, const std::string& aggregate_id = "job-1") {
  return EventOfType(std::string(Message::descriptor()->full_name()), aggregate_id,
                     payload.SerializeAsString());
}

// The cause `event` states; fails the test when there is none.
Cause CauseIn(const events::v1::Event& event) {
  absl::StatusOr<std::optional<Cause>> cause = CauseOf(event);
  EXPECT_TRUE(cause.ok()) << cause.status();
  if (!cause.ok()) return Cause();
  EXPECT_TRUE(cause->has_value()) << event.envelope().type();
  return cause->value_or(Cause());
}

bool NoCauseIn(const events::v1::Event& event) {
  absl::StatusOr<std::optional<Cause>> cause = CauseOf(event);
  return cause.ok() && !cause->has_value();
}

sched::ArrivalWindow Window(int64_t start_seconds, int64_t end_seconds) {
  sched::ArrivalWindow window;
  window.mutable_start()->set_seconds(start_seconds);
  window.mutable_end()->set_seconds(end_seconds);
  return window;
}

void ExpectWindow(const std::optional<sched::ArrivalWindow>& actual, int64_t start_seconds,
                  int64_t end_seconds) {
  ASSERT_TRUE(actual.has_value());
  EXPECT_EQ(actual->start().seconds(), start_seconds);
  EXPECT_EQ(actual->end().seconds(), end_seconds);
}

template <typename Ids>
void SetIds(Ids* field, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) field->Add(std::string(id));
}

sched::DispatchStateChanged Dispatch(sched::DispatchState state) {
  sched::DispatchStateChanged changed;
  changed.set_appointment_id("appt-1");
  changed.set_job_id("job-1");
  changed.set_technician_id("tech-sam");
  changed.set_state(state);
  return changed;
}

// ---------------------------------------------------------------- job

TEST(CauseOfTest, JobCompletedNamesTheJobFromTheAggregate) {
  job::v1::JobStatusChanged changed;
  changed.set_from(job::v1::JOB_STATUS_IN_PROGRESS);
  changed.set_to(job::v1::JOB_STATUS_COMPLETED);
  const Cause cause = CauseIn(EventOf(changed, "job-42"));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_JOB_COMPLETED);
  EXPECT_EQ(cause.job_id, "job-42");
  EXPECT_THAT(cause.invoice_id, IsEmpty());
  EXPECT_FALSE(cause.window.has_value());
}

TEST(CauseOfTest, JobStatusChangesOtherThanCompletedCauseNothing) {
  for (job::v1::JobStatus to : {job::v1::JOB_STATUS_IN_PROGRESS, job::v1::JOB_STATUS_SCHEDULED,
                                job::v1::JOB_STATUS_ON_HOLD, job::v1::JOB_STATUS_CANCELLED}) {
    job::v1::JobStatusChanged changed;
    changed.set_from(job::v1::JOB_STATUS_COMPLETED);
    changed.set_to(to);
    EXPECT_TRUE(NoCauseIn(EventOf(changed))) << job::v1::JobStatus_Name(to);
  }
}

// ---------------------------------------------------------------- billing

TEST(CauseOfTest, InvoiceIssuedNamesTheInvoiceFromTheAggregate) {
  billing::v1::InvoiceIssued issued;
  issued.mutable_due_date()->set_year(2026);
  const Cause cause = CauseIn(EventOf(issued, "inv-7"));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_INVOICE_ISSUED);
  EXPECT_EQ(cause.invoice_id, "inv-7");
  EXPECT_THAT(cause.job_id, IsEmpty());
  EXPECT_FALSE(cause.payment.has_value());
}

TEST(CauseOfTest, PaymentRecordedNamesTheInvoiceAndTheAmount) {
  billing::v1::PaymentRecorded recorded;
  recorded.mutable_payment()->mutable_amount()->set_minor_units(123450);
  recorded.mutable_payment()->mutable_amount()->set_currency("USD");
  recorded.mutable_balance_after()->set_currency("USD");
  const Cause cause = CauseIn(EventOf(recorded, "inv-7"));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_PAYMENT_RECEIVED);
  EXPECT_EQ(cause.invoice_id, "inv-7");
  EXPECT_THAT(cause.job_id, IsEmpty());
  ASSERT_TRUE(cause.payment.has_value());
  EXPECT_EQ(cause.payment->minor_units(), 123450);
  EXPECT_EQ(cause.payment->currency(), "USD");
}

// ---------------------------------------------------------------- scheduling

TEST(CauseOfTest, ScheduledTellsTechniciansAndCrewMembersOnceAndNamesTheTechnicians) {
  sched::AppointmentScheduled scheduled;
  scheduled.set_appointment_id("appt-1");
  scheduled.set_job_id("job-1");
  *scheduled.mutable_window() = Window(1000, 8200);
  SetIds(scheduled.mutable_technician_ids(), {"tech-sam", "tech-lee"});
  SetIds(scheduled.mutable_crew_member_ids(), {"tech-lee", "tech-ana"});
  const Cause cause = CauseIn(EventOf(scheduled));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_APPOINTMENT_SCHEDULED);
  EXPECT_EQ(cause.job_id, "job-1");
  EXPECT_EQ(cause.appointment_id, "appt-1");
  ExpectWindow(cause.window, 1000, 8200);
  EXPECT_FALSE(cause.previous_window.has_value());
  EXPECT_THAT(cause.technicians_told, ElementsAre("tech-sam", "tech-lee", "tech-ana"));
  EXPECT_THAT(cause.technicians_named, ElementsAre("tech-sam", "tech-lee"));
  EXPECT_FALSE(cause.technicians_from_appointment);
}

TEST(CauseOfTest, RescheduledStatesBothWindowsAndTellsTheAppointmentsTechnicians) {
  sched::AppointmentRescheduled rescheduled;
  rescheduled.set_appointment_id("appt-1");
  rescheduled.set_job_id("job-1");
  *rescheduled.mutable_window() = Window(90000, 97200);
  *rescheduled.mutable_previous_window() = Window(1000, 8200);
  const Cause cause = CauseIn(EventOf(rescheduled));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_APPOINTMENT_RESCHEDULED);
  EXPECT_EQ(cause.job_id, "job-1");
  EXPECT_EQ(cause.appointment_id, "appt-1");
  ExpectWindow(cause.window, 90000, 97200);
  ExpectWindow(cause.previous_window, 1000, 8200);
  EXPECT_TRUE(cause.technicians_from_appointment);
  EXPECT_THAT(cause.technicians_told, IsEmpty());
}

TEST(CauseOfTest, RescheduledWithoutAPreviousWindowStatesNone) {
  sched::AppointmentRescheduled rescheduled;
  *rescheduled.mutable_window() = Window(90000, 97200);
  const Cause cause = CauseIn(EventOf(rescheduled));
  EXPECT_FALSE(cause.previous_window.has_value());
}

TEST(CauseOfTest, ReassignedTellsTheNewThenTheOldButNotThoseWhoStay) {
  sched::AppointmentReassigned reassigned;
  reassigned.set_appointment_id("appt-1");
  reassigned.set_job_id("job-1");
  SetIds(reassigned.mutable_previous_technician_ids(), {"tech-old", "tech-stays", "tech-moves"});
  SetIds(reassigned.mutable_previous_crew_member_ids(), {"crew-old", "crew-stays"});
  SetIds(reassigned.mutable_technician_ids(), {"tech-new", "tech-stays"});
  // tech-moves goes from assigned directly to assigned with a crew: still on the visit.
  SetIds(reassigned.mutable_crew_member_ids(), {"crew-new", "crew-stays", "tech-moves"});
  const Cause cause = CauseIn(EventOf(reassigned));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_APPOINTMENT_REASSIGNED);
  EXPECT_EQ(cause.job_id, "job-1");
  EXPECT_EQ(cause.appointment_id, "appt-1");
  EXPECT_THAT(cause.technicians_told, ElementsAre("tech-new", "crew-new", "tech-old", "crew-old"));
  EXPECT_THAT(cause.technicians_named, ElementsAre("tech-new", "tech-stays"));
  EXPECT_FALSE(cause.technicians_from_appointment);
}

TEST(CauseOfTest, UnassignTellsTheOldTechniciansAndNamesNobody) {
  sched::AppointmentReassigned unassigned;
  unassigned.set_job_id("job-1");
  SetIds(unassigned.mutable_previous_technician_ids(), {"tech-sam"});
  SetIds(unassigned.mutable_previous_crew_member_ids(), {"tech-lee"});
  const Cause cause = CauseIn(EventOf(unassigned));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_APPOINTMENT_REASSIGNED);
  EXPECT_THAT(cause.technicians_told, ElementsAre("tech-sam", "tech-lee"));
  EXPECT_THAT(cause.technicians_named, IsEmpty());
}

TEST(CauseOfTest, EnRouteNamesTheTechnicianOnTheWay) {
  const Cause cause = CauseIn(EventOf(Dispatch(sched::DISPATCH_STATE_EN_ROUTE)));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_TECHNICIAN_EN_ROUTE);
  EXPECT_EQ(cause.job_id, "job-1");
  EXPECT_EQ(cause.appointment_id, "appt-1");
  EXPECT_THAT(cause.technicians_named, ElementsAre("tech-sam"));
  EXPECT_THAT(cause.technicians_told, IsEmpty());
}

TEST(CauseOfTest, ArrivedNamesTheTechnicianWhoArrived) {
  const Cause cause = CauseIn(EventOf(Dispatch(sched::DISPATCH_STATE_ARRIVED)));
  EXPECT_EQ(cause.trigger, v1::TRIGGER_TECHNICIAN_ARRIVED);
  EXPECT_EQ(cause.job_id, "job-1");
  EXPECT_EQ(cause.appointment_id, "appt-1");
  EXPECT_THAT(cause.technicians_named, ElementsAre("tech-sam"));
}

TEST(CauseOfTest, OtherDispatchStatesCauseNothing) {
  for (sched::DispatchState state : {sched::DISPATCH_STATE_WORKING, sched::DISPATCH_STATE_SCHEDULED,
                                     sched::DISPATCH_STATE_PAUSED, sched::DISPATCH_STATE_DEPARTED,
                                     sched::DISPATCH_STATE_COMPLETED}) {
    EXPECT_TRUE(NoCauseIn(EventOf(Dispatch(state)))) << sched::DispatchState_Name(state);
  }
}

// ---------------------------------------------------------------- anything else

TEST(CauseOfTest, UnrelatedEventsCauseNothing) {
  sched::AppointmentCancelled cancelled;
  cancelled.set_job_id("job-1");
  EXPECT_TRUE(NoCauseIn(EventOf(cancelled)));
  job::v1::NoteAdded note;
  EXPECT_TRUE(NoCauseIn(EventOf(note)));
  EXPECT_TRUE(NoCauseIn(EventOfType("", "job-1", "")));
  // Not even parsed: a type nobody reacts to may carry anything.
  EXPECT_TRUE(NoCauseIn(EventOfType("jobledger.job.v1.JobCreated", "job-1", kTruncatedPayload)));
}

TEST(CauseOfTest, APayloadThatDoesNotParseIsDataLossNamingTheType) {
  for (const std::string type :
       {"jobledger.job.v1.JobStatusChanged", "jobledger.billing.v1.PaymentRecorded",
        "jobledger.scheduling.v1.AppointmentScheduled",
        "jobledger.scheduling.v1.AppointmentRescheduled",
        "jobledger.scheduling.v1.AppointmentReassigned",
        "jobledger.scheduling.v1.DispatchStateChanged"}) {
    const absl::StatusOr<std::optional<Cause>> cause =
        CauseOf(EventOfType(type, "job-1", kTruncatedPayload));
    EXPECT_EQ(cause.status().code(), absl::StatusCode::kDataLoss) << type;
    EXPECT_THAT(std::string(cause.status().message()), HasSubstr(type));
  }
}

TEST(CauseOfTest, AnInvoiceIssuedPayloadThatDoesNotParseIsDataLoss) {
  const absl::StatusOr<std::optional<Cause>> cause =
      CauseOf(EventOfType("jobledger.billing.v1.InvoiceIssued", "inv-7", kTruncatedPayload));
  EXPECT_EQ(cause.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace jobledger::notification
