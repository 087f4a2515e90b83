// The reporting projection is a pure function of the four logs (`jl projections verify
// reporting` agrees, and a deleted projection is rebuilt to byte-equal answers); the project
// report, utilization and revenue against hand-computed figures; the Kafka backend; refused
// requests, roles and tenants.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/table.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/wait.h"
#include "reporting_test_env.h"

namespace jobledger::reporting::testing {
namespace {

using job::testing::Refused;

using billing::testing::Usd;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kAnaPhone[] = "+15551230001";
constexpr char kSamPhone[] = "+15559870001";
constexpr char kRiaPhone[] = "+15559870002";
constexpr char kLeePhone[] = "+15559870003";
// A well-formed id nothing has.
constexpr char kUnknownId[] = "0190a5e4-1111-7222-8333-444455556666";

absl::Time At(absl::CivilDay day, int hour) {
  return absl::FromCivil(absl::CivilHour(day) + hour, absl::UTCTimeZone());
}

common::v1::LocalDate Date(absl::CivilDay day) {
  common::v1::LocalDate date;
  LocalDateToProto(day, &date);
  return date;
}

absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

bool Sent(const notification::v1::Message& message) {
  return message.status() == notification::v1::MESSAGE_STATUS_SENT;
}

// A job line: a custom line (no price-book item, so untaxed) of `quantity_milli` at `cents`.
struct Line {
  job::v1::LineItemKind kind = job::v1::LINE_ITEM_KIND_SERVICE;
  std::string name;
  int64_t quantity_milli = 1'000;
  int64_t cents = 0;
};

class ReportingRecordsTest : public ::testing::Test {
 protected:
  explicit ReportingRecordsTest(EnvOptions options = {}) : env_(std::move(options)) {}

  NotificationEnv& system() { return env_.system(); }
  std::unique_ptr<grpc::ClientContext> Dispatcher() { return system().Dispatcher(); }
  std::unique_ptr<grpc::ClientContext> Clerk() { return system().billing_env().Clerk(); }

  // Maria, whose contact Ana takes texts.
  const job::v1::Customer& Maria() {
    if (maria_.customer_id().empty()) {
      maria_ = system().CustomerWithContacts("Maria Gonzalez",
                                             {{"Ana", kAnaPhone, "ana@example.com", true, true}});
    }
    return maria_;
  }

  std::string NewJob(const std::string& title, const std::string& project,
                     const std::vector<Line>& lines, int64_t contract_cents = 0,
                     const std::string& required_check = "") {
    job::v1::CreateJobRequest request;
    request.set_customer_id(Maria().customer_id());
    request.set_title(title);
    request.set_project_id(project);
    if (contract_cents > 0) *request.mutable_contract_amount() = Usd(contract_cents);
    for (const Line& line : lines) {
      job::v1::LineItem& item = *request.add_line_items();
      item.set_kind(line.kind);
      item.set_name(line.name);
      item.set_quantity_milli(line.quantity_milli);
      *item.mutable_unit_price() = Usd(line.cents);
      item.set_billable(true);
    }
    if (!required_check.empty()) {
      job::v1::ChecklistItem& check = *request.add_checklist();
      check.set_text(required_check);
      check.set_required(true);
    }
    job::v1::JobReply reply;
    EXPECT_TRUE(IsOk(system().jobs().CreateJob(Dispatcher().get(), request, &reply)));
    return reply.job().job_id();
  }

  void AddLine(const std::string& job_id, const Line& line) {
    job::v1::AddLineItemRequest request;
    request.set_job_id(job_id);
    job::v1::LineItem& item = *request.mutable_line_item();
    item.set_kind(line.kind);
    item.set_name(line.name);
    item.set_quantity_milli(line.quantity_milli);
    *item.mutable_unit_price() = Usd(line.cents);
    item.set_billable(true);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(system().jobs().AddLineItem(Dispatcher().get(), request, &reply)));
  }

  void LogWork(const std::string& job_id, const std::string& employee, absl::CivilDay day,
               int64_t minutes) {
    job::v1::LogWorkRequest request;
    request.set_job_id(job_id);
    job::v1::WorkEntry& entry = *request.mutable_entry();
    entry.set_employee_id(employee);
    *entry.mutable_date() = Date(day);
    entry.set_type("regular");
    entry.set_minutes(minutes);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(system().jobs().LogWork(Dispatcher().get(), request, &reply)));
  }

  void ChangeStatus(const std::string& job_id, job::v1::JobStatus status,
                    const std::string& reason = "") {
    job::v1::ChangeJobStatusRequest request;
    request.set_job_id(job_id);
    request.set_status(status);
    request.set_reason(reason);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(system().jobs().ChangeJobStatus(Dispatcher().get(), request, &reply)));
  }

  void Complete(const std::string& job_id) {
    ASSERT_TRUE(IsOk(system().billing_env().Complete(job_id)));
  }

  job::v1::JobStatus StatusOf(const std::string& job_id) {
    job::v1::GetJobRequest request;
    request.set_job_id(job_id);
    job::v1::JobView view;
    if (!system().jobs().GetJob(Dispatcher().get(), request, &view).ok()) {
      return job::v1::JOB_STATUS_UNSPECIFIED;
    }
    return view.job().status();
  }

  // A visit; then waits for scheduling's reaction (an open job moves to Scheduled), so that
  // nothing changes the job behind the test's back later.
  std::string ScheduleAndWait(const std::string& job_id, absl::Time start, int hours,
                              const std::vector<std::string>& technicians) {
    const std::string appointment = system().Schedule(job_id, start, hours, technicians);
    EXPECT_TRUE(jobledger::testing::WaitUntil(
        [&] { return StatusOf(job_id) == job::v1::JOB_STATUS_SCHEDULED; }, absl::Seconds(20)))
        << job_id;
    return appointment;
  }

  void Reassign(const std::string& job_id, const std::string& appointment_id,
                const std::vector<std::string>& technicians, const std::string& reason) {
    scheduling::v1::ReassignAppointmentRequest request;
    request.set_job_id(job_id);
    request.set_appointment_id(appointment_id);
    for (const std::string& technician : technicians) request.add_technician_ids(technician);
    request.set_reason(reason);
    scheduling::v1::ScheduleReply reply;
    ASSERT_TRUE(IsOk(system().dispatch().ReassignAppointment(Dispatcher().get(), request, &reply)));
  }

  // Reopens a completed job once billing knows its invoices are void (a refused reopen appends
  // nothing, so asking again is harmless).
  void Reopen(const std::string& job_id, const std::string& reason) {
    grpc::Status last;
    EXPECT_TRUE(jobledger::testing::WaitUntil([&] {
      job::v1::ReopenJobRequest request;
      request.set_job_id(job_id);
      request.set_reason(reason);
      job::v1::JobReply reply;
      last = system().jobs().ReopenJob(Dispatcher().get(), request, &reply);
      return last.ok();
    })) << last.error_message();
  }

  void Pay(const std::string& invoice_id, int64_t cents) {
    billing::v1::RecordPaymentRequest request;
    request.set_invoice_id(invoice_id);
    *request.mutable_amount() = Usd(cents);
    billing::v1::InvoiceReply reply;
    ASSERT_TRUE(IsOk(system().billing().RecordPayment(Clerk().get(), request, &reply)));
  }

  void Refund(const std::string& invoice_id, int64_t cents) {
    billing::v1::RecordRefundRequest request;
    request.set_invoice_id(invoice_id);
    *request.mutable_amount() = Usd(cents);
    billing::v1::InvoiceReply reply;
    ASSERT_TRUE(IsOk(system().billing().RecordRefund(Clerk().get(), request, &reply)));
  }

  void Void(const std::string& invoice_id, const std::string& reason) {
    billing::v1::VoidInvoiceRequest request;
    request.set_invoice_id(invoice_id);
    request.set_reason(reason);
    billing::v1::InvoiceReply reply;
    ASSERT_TRUE(IsOk(system().billing().VoidInvoice(Clerk().get(), request, &reply)));
  }

  // The notification service bounds its wait for the job by its clock, a FakeClock that stands
  // still here: ask again (with one idempotency key, so it is sent once) until it knows the job.
  void Text(const std::string& job_id, const std::string& body) {
    notification::v1::SendCustomerCommunicationRequest request;
    request.mutable_meta()->set_idempotency_key("text-" + job_id);
    request.set_job_id(job_id);
    request.set_channel(notification::v1::CHANNEL_SMS);
    request.add_contact_ids(Maria().contacts(0).contact_id());
    request.set_body(body);
    grpc::Status sent;
    EXPECT_TRUE(jobledger::testing::WaitUntil([&] {
      notification::v1::SendCustomerCommunicationReply reply;
      sent =
          system().notifications().SendCustomerCommunication(Dispatcher().get(), request, &reply);
      return sent.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED;
    }));
    EXPECT_TRUE(IsOk(sent));
  }

  std::vector<std::string> Titles(v1::View view, absl::CivilDay day) {
    v1::ListJobsRequest request;
    request.set_view(view);
    *request.mutable_day() = Date(day);
    request.set_page_size(100);
    v1::ListJobsResponse response;
    EXPECT_TRUE(IsOk(env_.reports().ListJobs(Dispatcher().get(), request, &response)));
    std::vector<std::string> titles;
    for (const v1::JobRow& row : response.rows()) titles.push_back(row.title());
    return titles;
  }

  template <typename Reader>
  static std::string ReadCsv(Reader& reader, grpc::Status* status) {
    std::string csv;
    v1::CsvChunk chunk;
    while (reader.Read(&chunk)) csv += chunk.data();
    *status = reader.Finish();
    return csv;
  }

  // Stops reporting; checks that its projection equals a clean rebuild, as `jl projections
  // verify` sees it; deletes the projection and starts reporting again, which rebuilds it from
  // the logs.
  void VerifyThenRebuild() {
    env_.Stop();
    auto child = jobledger::testing::ChildProcess::Spawn(
        {JL_CLI_PATH, "projections", "verify", "reporting", "--data-dir", env_.data_dir(),
         "--log-dir", system().jobs_env().log_dir(), "--time-zone", "UTC"});
    ASSERT_TRUE(child.ok()) << child.status();
    std::string output;
    while (auto line = (*child)->ReadLine(absl::Seconds(60))) output += *line + "\n";
    EXPECT_EQ((*child)->Wait(), 0) << output;
    EXPECT_THAT(output, HasSubstr("OK: the live state equals a clean rebuild"));
    std::error_code error;
    ASSERT_GT(std::filesystem::remove_all(env_.data_dir() + "/projections", error), 0u)
        << error.message();
    env_.Start();
  }

  ReportingEnv env_;
  job::v1::Customer maria_;
};

// ---- the projection against a rebuild

TEST_F(ReportingRecordsTest, TheProjectionEqualsACleanRebuildAndARebuiltOneAnswersTheSame) {
  // The services' clock stays where the environment set it: "today" and what is overdue are
  // the same for both collections of answers.
  const absl::Time now = system().clock().Now();
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  const absl::CivilDay overdue_day = absl::ToCivilDay(now - absl::Hours(30), absl::UTCTimeZone());
  system().billing_env().SetSettings();  // labour at $90.00 an hour
  ASSERT_TRUE(IsOk(system().TurnOffAutomaticMessages()));
  system().RegisterTechnician("sam", "Sam Patel", kSamPhone);
  system().RegisterTechnician("ria", "Ria Chen", kRiaPhone);
  system().RegisterTechnician("lee", "Lee Novak", kLeePhone);
  using job::v1::LINE_ITEM_KIND_MATERIAL;
  using job::v1::LINE_ITEM_KIND_SERVICE;

  // Two projects' jobs and two without one.
  const std::string boiler = NewJob("Boiler replacement", "north",
                                    {{LINE_ITEM_KIND_MATERIAL, "Boiler", 1'000, 2'400'00},
                                     {LINE_ITEM_KIND_SERVICE, "Install, \"full\"", 1'000, 650'00}},
                                    4'000'00);
  const std::string radiators =
      NewJob("Radiator bleed", "north", {{LINE_ITEM_KIND_SERVICE, "Bleed", 3'000, 40'00}});
  const std::string survey =
      NewJob("Gutter survey", "north", {{LINE_ITEM_KIND_SERVICE, "Survey", 1'000, 85'00}});
  const std::string tap = NewJob("Leaking tap", "south", {});
  const std::string heater =
      NewJob("Water heater service", "south", {{LINE_ITEM_KIND_SERVICE, "Service", 1'000, 140'00}});
  const std::string thermostat =
      NewJob("Thermostat swap", "south", {{LINE_ITEM_KIND_MATERIAL, "Thermostat", 1'000, 180'00}});
  const std::string callout =
      NewJob("Call-out", "", {{LINE_ITEM_KIND_SERVICE, "Call-out", 1'000, 95'00}});
  const std::string estimate = NewJob("Estimate visit", "", {});
  const std::vector<std::string> jobs = {boiler, heater,     radiators, survey,
                                         tap,    thermostat, callout,   estimate};
  // Work by two technicians.
  LogWork(boiler, "sam", overdue_day, 240);
  LogWork(boiler, "ria", overdue_day, 120);
  LogWork(heater, "sam", today, 30);
  LogWork(radiators, "ria", today, 45);

  // The moment the jobs are seen at: created, nothing scheduled yet.
  const absl::Time seen_at = absl::Now();
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return absl::Now() > seen_at; }));

  // Visits: one that ended 28 hours ago (overdue); one at midnight today, before the job is
  // completed (so completing it does not cancel it); two from now, one with nobody on it and one
  // reassigned from Sam to Ria.
  ScheduleAndWait(boiler, now - absl::Hours(30), 2, {"sam"});
  ScheduleAndWait(radiators, At(today, 0), 1, {"lee"});
  ScheduleAndWait(tap, now, 1, {});
  const std::string heater_visit = ScheduleAndWait(heater, now, 1, {"sam"});
  Reassign(heater, heater_visit, {"ria"}, "Sam is needed elsewhere");
  ChangeStatus(heater, job::v1::JOB_STATUS_ON_HOLD, "waiting for parts");
  Text(heater, "The part arrives on Friday.");
  ChangeStatus(survey, job::v1::JOB_STATUS_CANCELLED, "customer withdrew");
  ChangeStatus(estimate, job::v1::JOB_STATUS_DEFERRED, "awaiting approval");

  // Completed, invoiced ($120.00), paid $50.00 and $20.00 of it refunded.
  Complete(radiators);
  const billing::v1::Invoice radiators_invoice = system().billing_env().IssuedInvoice(radiators);
  ASSERT_EQ(radiators_invoice.total().minor_units(), 120'00);
  Pay(radiators_invoice.invoice_id(), 50'00);
  Refund(radiators_invoice.invoice_id(), 20'00);
  // Completed, invoiced, the invoice voided and the job reopened.
  Complete(thermostat);
  const billing::v1::Invoice thermostat_invoice = system().billing_env().IssuedInvoice(thermostat);
  Void(thermostat_invoice.invoice_id(), "wrong address");
  Reopen(thermostat, "the customer reports a fault");
  // Completed and not invoiced.
  Complete(callout);
  ASSERT_THAT(system().WaitForJobMessages(heater, 1, Sent), SizeIs(1));
  env_.CatchUp();

  // What the dispatch board shows now, by hand.
  EXPECT_THAT(Titles(v1::VIEW_OVERDUE, today), ElementsAre("Boiler replacement"));
  EXPECT_THAT(Titles(v1::VIEW_SCHEDULED_TODAY, today),
              ElementsAre("Radiator bleed", "Leaking tap", "Water heater service"));
  EXPECT_THAT(Titles(v1::VIEW_COMPLETED_TODAY, today), ElementsAre("Radiator bleed"));
  EXPECT_THAT(Titles(v1::VIEW_UNASSIGNED_TODAY, today), ElementsAre("Leaking tap"));
  EXPECT_THAT(Titles(v1::VIEW_ON_HOLD, today), ElementsAre("Water heater service"));
  EXPECT_THAT(Titles(v1::VIEW_AWAITING_BILLING, today), ElementsAre("Call-out"));
  EXPECT_THAT(Titles(v1::VIEW_AWAITING_PAYMENT, today), ElementsAre("Radiator bleed"));
  EXPECT_THAT(Titles(v1::VIEW_DEFERRED, today), ElementsAre("Estimate visit"));
  // Revenue: completed $120.00 + 45 min at $90.00 + $180.00 − $180.00 (reopened) + $95.00;
  // invoiced $120.00 + $180.00 − $180.00 (voided); collected $50.00 − $20.00.
  v1::RevenueReport revenue;
  ASSERT_TRUE(IsOk(env_.reports().GetRevenue(Dispatcher().get(), {}, &revenue)));
  EXPECT_EQ(revenue.completed_work_value().minor_units(), 282'50);
  EXPECT_EQ(revenue.jobs_completed(), 3);
  EXPECT_EQ(revenue.invoiced().minor_units(), 120'00);
  EXPECT_EQ(revenue.invoices_issued(), 2);
  EXPECT_EQ(revenue.collected().minor_units(), 30'00);
  EXPECT_EQ(revenue.payments(), 1);

  struct Answer {
    std::string bytes;
    std::string text;
  };
  auto read_answers = [&] {
    env_.CatchUp();
    std::map<std::string, Answer> answers;
    auto keep = [&](const std::string& name, const grpc::Status& status,
                    const google::protobuf::Message& message) {
      EXPECT_TRUE(IsOk(status)) << name;
      answers[name] = {.bytes = projection::DeterministicBytes(message),
                       .text = message.DebugString()};
    };
    auto keep_csv = [&](const std::string& name, auto& reader) {
      grpc::Status status;
      std::string csv = ReadCsv(*reader, &status);
      EXPECT_TRUE(IsOk(status)) << name;
      answers[name] = {.bytes = csv, .text = csv};
    };
    // Every list, and each as CSV.
    for (int view = v1::VIEW_BY_STATUS; view <= v1::VIEW_DEFERRED; ++view) {
      std::vector<job::v1::JobStatus> statuses = {job::v1::JOB_STATUS_UNSPECIFIED};
      if (view == v1::VIEW_BY_STATUS) {
        statuses.clear();
        for (int status = job::v1::JOB_STATUS_DRAFT; status <= job::v1::JOB_STATUS_DEFERRED;
             ++status) {
          statuses.push_back(static_cast<job::v1::JobStatus>(status));
        }
      }
      for (job::v1::JobStatus status : statuses) {
        v1::ListJobsRequest request;
        request.set_view(static_cast<v1::View>(view));
        request.set_status(status);
        *request.mutable_day() = Date(today);
        request.set_page_size(100);
        const std::string name =
            absl::StrCat(v1::View_Name(request.view()), " ", job::v1::JobStatus_Name(status));
        v1::ListJobsResponse response;
        keep("list " + name, env_.reports().ListJobs(Dispatcher().get(), request, &response),
             response);
        auto context = Dispatcher();
        auto reader = env_.reports().ExportJobsCsv(context.get(), request);
        keep_csv("csv " + name, reader);
      }
    }
    // Page tokens name rows, so they must survive a rebuild too.
    v1::ListJobsRequest paged;
    paged.set_view(v1::VIEW_SCHEDULED_TODAY);
    *paged.mutable_day() = Date(today);
    paged.set_page_size(2);
    for (int page = 1; page <= 2; ++page) {
      v1::ListJobsResponse response;
      keep(absl::StrCat("scheduled today page ", page),
           env_.reports().ListJobs(Dispatcher().get(), paged, &response), response);
      paged.set_page_token(response.next_page_token());
    }
    v1::DispatchCountsRequest counts_request;
    *counts_request.mutable_day() = Date(today);
    v1::DispatchCounts counts;
    keep("counts", env_.reports().GetDispatchCounts(Dispatcher().get(), counts_request, &counts),
         counts);
    // Time & materials and the project report per project, T&M per job.
    for (const std::string project : {"north", "south"}) {
      v1::TimeAndMaterialsRequest request;
      request.set_project_id(project);
      v1::TimeAndMaterialsReport report;
      keep("t&m " + project,
           env_.reports().GetTimeAndMaterials(Dispatcher().get(), request, &report), report);
      auto context = Dispatcher();
      auto reader = env_.reports().ExportTimeAndMaterialsCsv(context.get(), request);
      keep_csv("t&m csv " + project, reader);
      v1::ProjectReportRequest project_request;
      project_request.set_project_id(project);
      v1::ProjectReport project_report;
      keep("project " + project,
           env_.reports().GetProjectReport(Dispatcher().get(), project_request, &project_report),
           project_report);
    }
    v1::RevenueReport revenue_now;
    keep("revenue", env_.reports().GetRevenue(Dispatcher().get(), {}, &revenue_now), revenue_now);
    v1::UtilizationRequest utilization_request;
    *utilization_request.mutable_from() = Date(overdue_day);
    *utilization_request.mutable_to() = Date(today + 1);
    v1::UtilizationResponse utilization;
    keep("utilization",
         env_.reports().GetUtilization(Dispatcher().get(), utilization_request, &utilization),
         utilization);
    for (const std::string& job_id : jobs) {
      v1::TimeAndMaterialsRequest request;
      request.add_job_ids(job_id);
      v1::TimeAndMaterialsReport report;
      keep("t&m " + job_id,
           env_.reports().GetTimeAndMaterials(Dispatcher().get(), request, &report), report);
      auto context = Dispatcher();
      auto reader = env_.reports().ExportTimeAndMaterialsCsv(context.get(), request);
      keep_csv("t&m csv " + job_id, reader);
      v1::JobHistoryRequest history_request;
      history_request.set_job_id(job_id);
      v1::JobHistory history;
      keep("history " + job_id,
           env_.reports().GetJobHistory(Dispatcher().get(), history_request, &history), history);
      v1::JobAsOfRequest as_of_request;
      as_of_request.set_job_id(job_id);
      *as_of_request.mutable_at() = ProtoFromTime(seen_at);
      v1::JobAsOf as_of;
      keep("as of " + job_id, env_.reports().GetJobAsOf(Dispatcher().get(), as_of_request, &as_of),
           as_of);
    }
    return answers;
  };
  const std::map<std::string, Answer> before = read_answers();
  // Not a comparison of empty answers.
  ASSERT_THAT(before, SizeIs(2 * (8 + 8) + 2 + 1 + 2 * 3 + 1 + 1 + 8 * 4));
  EXPECT_THAT(before.at("history " + heater).text, HasSubstr("jobledger.notification.events"));
  EXPECT_THAT(before.at("history " + heater).text,
              HasSubstr("jobledger.scheduling.v1.AppointmentReassigned"));
  EXPECT_THAT(before.at("history " + thermostat).text,
              HasSubstr("jobledger.billing.v1.InvoiceVoided"));
  EXPECT_THAT(before.at("history " + radiators).text,
              HasSubstr("jobledger.billing.v1.RefundRecorded"));
  EXPECT_THAT(before.at("as of " + boiler).text, HasSubstr("Boiler replacement"));
  EXPECT_THAT(before.at("as of " + boiler).text, Not(HasSubstr("appointments")));
  EXPECT_THAT(before.at("utilization").text, HasSubstr("worked_minutes: 240"));
  EXPECT_THAT(before.at("csv VIEW_ON_HOLD JOB_STATUS_UNSPECIFIED").bytes,
              HasSubstr("waiting for parts"));
  EXPECT_THAT(before.at("t&m csv north").bytes, HasSubstr("\"Install, \"\"full\"\"\""));
  EXPECT_THAT(before.at("scheduled today page 2").text, HasSubstr("Water heater service"));

  // A clean rebuild equals the live projection, and a service whose projection was deleted
  // answers byte for byte the same, on the same clock.
  VerifyThenRebuild();
  const std::map<std::string, Answer> after = read_answers();
  ASSERT_THAT(after, SizeIs(before.size()));
  for (const auto& [name, answer] : before) {
    EXPECT_EQ(after.at(name).bytes, answer.bytes) << name << "\nbefore:\n"
                                                  << answer.text << "after:\n"
                                                  << after.at(name).text;
  }
}

// ---- the project report and utilization, by hand

TEST_F(ReportingRecordsTest, ProjectReportAndUtilizationAddUpByHand) {
  system().billing_env().SetSettings();  // labour at $90.00 an hour; custom lines untaxed
  const absl::CivilDay day = absl::ToCivilDay(system().clock().Now(), absl::UTCTimeZone()) + 1;
  // Tom works 08:00–16:00 every day: 480 minutes.
  scheduling::v1::RegisterTechnicianRequest tom;
  tom.set_technician_id("tom");
  tom.set_name("Tom Reyes");
  for (int weekday = 1; weekday <= 7; ++weekday) {
    scheduling::v1::ShiftPeriod& shift = *tom.add_shifts();
    shift.set_weekday(weekday);
    shift.set_start_minute(8 * 60);
    shift.set_end_minute(16 * 60);
  }
  scheduling::v1::TechnicianReply registered;
  ASSERT_TRUE(
      IsOk(system().technicians().RegisterTechnician(Dispatcher().get(), tom, &registered)));

  using job::v1::LINE_ITEM_KIND_MATERIAL;
  using job::v1::LINE_ITEM_KIND_SERVICE;
  // Work values: $1,800.00 + 2 × $350.00 = $2,500.00; $300.00 + 90 min at $90.00 = $435.00;
  // $400.00.
  const std::string pump = NewJob("Pump install", "harbor",
                                  {{LINE_ITEM_KIND_MATERIAL, "Pump", 1'000, 1'800'00},
                                   {LINE_ITEM_KIND_SERVICE, "Install", 2'000, 350'00}},
                                  5'000'00);
  const std::string pipes =
      NewJob("Pipe survey", "harbor", {{LINE_ITEM_KIND_SERVICE, "Survey", 1'000, 300'00}}, 1'200'00,
             "Photograph the main valve");
  const std::string fence = NewJob("Fence removal", "harbor",
                                   {{LINE_ITEM_KIND_SERVICE, "Removal", 1'000, 400'00}}, 800'00);
  // Tomorrow 10:00–12:00 with Tom, and 90 minutes logged that day.
  ScheduleAndWait(pipes, At(day, 10), 2, {"tom"});
  LogWork(pipes, "tom", day, 90);
  // And 45 minutes the day after on a job outside the project that has no visit at all.
  const std::string gate =
      NewJob("Gate repair", "", {{LINE_ITEM_KIND_SERVICE, "Repair", 1'000, 150'00}});
  LogWork(gate, "tom", day + 1, 45);
  ChangeStatus(fence, job::v1::JOB_STATUS_CANCELLED, "customer withdrew");

  // The pump: invoiced $2,500.00, a $200.00 credit note, $1,000.00 paid.
  Complete(pump);
  const billing::v1::Invoice invoice = system().billing_env().IssuedInvoice(pump);
  ASSERT_EQ(invoice.total().minor_units(), 2'500'00);
  billing::v1::CreateCreditNoteRequest credit;
  credit.set_invoice_id(invoice.invoice_id());
  credit.set_reason("goodwill");
  billing::v1::InvoiceLine& credited = *credit.add_lines();
  credited.set_name("Goodwill");
  credited.set_kind(LINE_ITEM_KIND_SERVICE);
  credited.set_quantity_milli(1'000);
  *credited.mutable_unit_price() = Usd(200'00);
  billing::v1::InvoiceReply note;
  ASSERT_TRUE(IsOk(system().billing().CreateCreditNote(Clerk().get(), credit, &note)));
  billing::v1::InvoiceActionRequest issue;
  issue.set_invoice_id(note.invoice().invoice_id());
  ASSERT_TRUE(IsOk(system().billing().IssueInvoice(Clerk().get(), issue, &note)));
  ASSERT_EQ(note.invoice().total().minor_units(), -200'00);
  Pay(invoice.invoice_id(), 1'000'00);
  env_.CatchUp();

  v1::ProjectReportRequest request;
  request.set_project_id("harbor");
  v1::ProjectReport report;
  ASSERT_TRUE(IsOk(env_.reports().GetProjectReport(Dispatcher().get(), request, &report)));
  ASSERT_THAT(report.jobs(), SizeIs(3));
  EXPECT_EQ(report.jobs(0).job_id(), pump);
  EXPECT_EQ(report.jobs(0).status(), job::v1::JOB_STATUS_COMPLETED);
  EXPECT_EQ(report.jobs(0).work_value().minor_units(), 2'500'00);
  EXPECT_EQ(report.jobs(0).invoiced().minor_units(), 2'300'00);  // $2,500.00 − $200.00
  EXPECT_EQ(report.jobs(0).paid().minor_units(), 1'000'00);
  EXPECT_EQ(report.jobs(1).job_id(), pipes);
  EXPECT_EQ(report.jobs(1).status(), job::v1::JOB_STATUS_SCHEDULED);
  EXPECT_EQ(report.jobs(1).work_value().minor_units(), 435'00);
  EXPECT_EQ(report.jobs(1).invoiced().minor_units(), 0);
  EXPECT_EQ(report.jobs(1).open_items(), 1);
  EXPECT_EQ(report.jobs(2).job_id(), fence);
  EXPECT_EQ(report.jobs(2).status(), job::v1::JOB_STATUS_CANCELLED);
  EXPECT_EQ(report.jobs(2).work_value().minor_units(), 400'00);
  // The cancelled job is listed and its work counts, but not its contract nor in the progress.
  EXPECT_EQ(report.jobs_total(), 2);
  EXPECT_EQ(report.jobs_completed(), 1);
  EXPECT_EQ(report.percent_complete(), 50);
  EXPECT_EQ(report.contract_amount().minor_units(), 6'200'00);  // $5,000.00 + $1,200.00
  EXPECT_EQ(report.contract_amount().currency(), "USD");
  EXPECT_EQ(report.work_value().minor_units(), 3'335'00);  // $2,500.00 + $435.00 + $400.00
  EXPECT_EQ(report.invoiced().minor_units(), 2'300'00);
  EXPECT_EQ(report.paid().minor_units(), 1'000'00);
  EXPECT_EQ(report.balance().minor_units(), 1'300'00);             // $2,300.00 − $1,000.00
  EXPECT_EQ(report.remaining_contract().minor_units(), 3'900'00);  // $6,200.00 − $2,300.00
  EXPECT_EQ(report.open_items(), 1);

  // Two days: the visit's (120 scheduled, 90 worked, 480 available: 90 × 100 / 480 = 18.75,
  // floored) and the next (nothing scheduled; 45 minutes worked without a visit: 9%).
  v1::UtilizationRequest utilization_request;
  *utilization_request.mutable_from() = Date(day);
  *utilization_request.mutable_to() = Date(day + 1);
  utilization_request.add_technician_ids("tom");
  v1::UtilizationResponse utilization;
  ASSERT_TRUE(
      IsOk(env_.reports().GetUtilization(Dispatcher().get(), utilization_request, &utilization)));
  ASSERT_THAT(utilization.days(), SizeIs(2));
  const v1::UtilizationDay& first = utilization.days(0);
  EXPECT_EQ(first.technician_id(), "tom");
  EXPECT_EQ(first.date().day(), Date(day).day());
  EXPECT_EQ(first.scheduled_minutes(), 120);
  EXPECT_EQ(first.worked_minutes(), 90);
  EXPECT_EQ(first.available_minutes(), 480);
  EXPECT_EQ(first.utilization_percent(), 18);
  const v1::UtilizationDay& second = utilization.days(1);
  EXPECT_EQ(second.date().day(), Date(day + 1).day());
  EXPECT_EQ(second.scheduled_minutes(), 0);
  EXPECT_EQ(second.worked_minutes(), 45);
  EXPECT_EQ(second.available_minutes(), 480);
  EXPECT_EQ(second.utilization_percent(), 9);
  // Naming nobody: every active technician, Tom being the only one.
  utilization_request.clear_technician_ids();
  v1::UtilizationResponse everyone;
  ASSERT_TRUE(
      IsOk(env_.reports().GetUtilization(Dispatcher().get(), utilization_request, &everyone)));
  EXPECT_EQ(projection::DeterministicBytes(everyone), projection::DeterministicBytes(utilization))
      << everyone.DebugString();
}

// ---- revenue through reversals

TEST_F(ReportingRecordsTest, RevenueReconcilesThroughReopeningVoidingAndRefunds) {
  system().billing_env().SetSettings();  // labour at $90.00 an hour
  env_.CatchUp();                        // reporting knows the price before the job completes
  const absl::CivilDay first_day = Today();
  const std::string job_id =
      NewJob("Boiler repair", "", {{job::v1::LINE_ITEM_KIND_SERVICE, "Repair", 1'000, 400'00}});
  LogWork(job_id, "sam", first_day, 60);

  Complete(job_id);  // completed: $400.00 + 60 min at $90.00 = $490.00
  const billing::v1::Invoice first = system().billing_env().IssuedInvoice(job_id);
  ASSERT_EQ(first.total().minor_units(), 400'00);  // the line items; labour is not invoiced
  Void(first.invoice_id(), "wrong customer");      // invoiced: −$400.00
  Reopen(job_id, "the boiler still leaks");        // completed: −$490.00
  AddLine(job_id, {job::v1::LINE_ITEM_KIND_MATERIAL, "Gasket", 2'000, 25'00});
  Complete(job_id);  // completed: $490.00 + 2 × $25.00 = $540.00
  const billing::v1::Invoice second = system().billing_env().IssuedInvoice(job_id);
  ASSERT_EQ(second.total().minor_units(), 450'00);
  Pay(second.invoice_id(), 300'00);
  Refund(second.invoice_id(), 100'00);
  const absl::CivilDay last_day = Today();
  env_.CatchUp();

  auto revenue = [&](const common::v1::LocalDate& from, const common::v1::LocalDate& to) {
    v1::RevenueRequest request;
    *request.mutable_from() = from;
    *request.mutable_to() = to;
    v1::RevenueReport report;
    EXPECT_TRUE(IsOk(env_.reports().GetRevenue(Dispatcher().get(), request, &report)));
    return report;
  };
  for (const v1::RevenueReport& report :
       {revenue({}, {}), revenue(Date(first_day), Date(last_day))}) {
    // $490.00 − $490.00 + $540.00; two completions (events, not jobs).
    EXPECT_EQ(report.completed_work_value().minor_units(), 540'00);
    EXPECT_EQ(report.completed_work_value().currency(), "USD");
    EXPECT_EQ(report.jobs_completed(), 2);
    // $400.00 − $400.00 + $450.00; two invoices issued (the void is no new invoice).
    EXPECT_EQ(report.invoiced().minor_units(), 450'00);
    EXPECT_EQ(report.invoices_issued(), 2);
    // $300.00 − $100.00; one payment (the refund is a correction, not a payment).
    EXPECT_EQ(report.collected().minor_units(), 200'00);
    EXPECT_EQ(report.payments(), 1);
  }
  // The day before: nothing happened.
  const v1::RevenueReport before = revenue(Date(first_day - 1), Date(first_day - 1));
  EXPECT_EQ(before.completed_work_value().minor_units(), 0);
  EXPECT_EQ(before.invoiced().minor_units(), 0);
  EXPECT_EQ(before.collected().minor_units(), 0);
  EXPECT_EQ(before.jobs_completed() + before.invoices_issued() + before.payments(), 0);
}

// A completed job's labour is priced by the billing settings on another topic, as they were when
// it was completed: a rebuild, which reads the topics in another order than they were written,
// must value it the same.
TEST_F(ReportingRecordsTest, CompletedWorkIsValuedAtCompletionByARebuildToo) {
  system().billing_env().SetSettings();  // labour at $90.00 an hour
  env_.CatchUp();
  const std::string job_id =
      NewJob("Boiler repair", "", {{job::v1::LINE_ITEM_KIND_SERVICE, "Repair", 1'000, 400'00}});
  LogWork(job_id, "sam", Today(), 60);
  Complete(job_id);  // $400.00 + 60 min at $90.00 = $490.00
  env_.CatchUp();
  // Labour costs more from now on: what was completed stays as it was.
  billing::v1::SetBillingSettingsRequest dearer;
  billing::v1::LaborRate& rate = *dearer.mutable_settings()->add_labor_rates();
  *rate.mutable_hourly_cost() = Usd(40'00);
  *rate.mutable_hourly_price() = Usd(120'00);
  dearer.add_update_fields("labor_rates");
  billing::v1::BillingSettingsReply changed;
  ASSERT_TRUE(IsOk(system().billing().SetBillingSettings(Clerk().get(), dearer, &changed)));
  env_.CatchUp();
  v1::RevenueReport live;
  ASSERT_TRUE(IsOk(env_.reports().GetRevenue(Dispatcher().get(), {}, &live)));
  EXPECT_EQ(live.completed_work_value().minor_units(), 490'00);

  VerifyThenRebuild();
  env_.CatchUp();
  v1::RevenueReport rebuilt;
  ASSERT_TRUE(IsOk(env_.reports().GetRevenue(Dispatcher().get(), {}, &rebuilt)));
  EXPECT_EQ(rebuilt.completed_work_value().minor_units(), 490'00);
}

// ---- Kafka

class KafkaRecordsTest : public ReportingRecordsTest {
 protected:
  KafkaRecordsTest()
      : ReportingRecordsTest(EnvOptions{.backend = Backend::kKafka,
                                        .smtp_args = {},
                                        .sms_args = {},
                                        .retry = EnvOptions().retry}) {}
};

TEST_F(KafkaRecordsTest, AJobScheduledTodayIsListedAndItsHistorySpansEveryTopicItTouched) {
  system().billing_env().SetSettings();
  system().RegisterTechnician("sam", "Sam Patel", kSamPhone);
  const std::string job_id =
      NewJob("Boiler service", "", {{job::v1::LINE_ITEM_KIND_SERVICE, "Service", 1'000, 180'00}});
  const absl::Time start = system().clock().Now() + absl::Minutes(5);
  const absl::CivilDay today = absl::ToCivilDay(start, absl::UTCTimeZone());
  ScheduleAndWait(job_id, start, 2, {"sam"});
  v1::ListJobsRequest request;
  request.set_view(v1::VIEW_SCHEDULED_TODAY);
  *request.mutable_day() = Date(today);
  v1::ListJobsResponse response;
  // The job becomes Scheduled when the job service reacts to the booking, a moment later.
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] {
        env_.CatchUp();
        return env_.reports().ListJobs(Dispatcher().get(), request, &response).ok() &&
               response.rows_size() == 1 &&
               response.rows(0).status() == job::v1::JOB_STATUS_SCHEDULED;
      },
      absl::Seconds(30)));
  ASSERT_THAT(response.rows(), SizeIs(1));
  EXPECT_EQ(response.rows(0).job_id(), job_id);
  EXPECT_EQ(response.rows(0).status(), job::v1::JOB_STATUS_SCHEDULED);
  EXPECT_EQ(response.rows(0).customer_name(), "Maria Gonzalez");
  EXPECT_THAT(response.rows(0).technician_ids(), ElementsAre("sam"));
  EXPECT_EQ(TimeFromProto(response.rows(0).scheduled_start()), start);

  // The booking texts, the completion and an invoice: all four topics.
  ASSERT_THAT(system().WaitForJobMessages(job_id, 1, Sent), Not(SizeIs(0)));
  Complete(job_id);
  system().billing_env().IssuedInvoice(job_id);
  env_.CatchUp();
  v1::JobHistoryRequest history_request;
  history_request.set_job_id(job_id);
  v1::JobHistory history;
  ASSERT_TRUE(IsOk(env_.reports().GetJobHistory(Dispatcher().get(), history_request, &history)));
  EXPECT_TRUE(history.chain_verified()) << history.DebugString();
  std::set<std::string> topics;
  std::set<std::string> types;
  for (const v1::HistoryEntry& entry : history.entries()) {
    topics.insert(entry.topic());
    types.insert(entry.envelope().type());
  }
  EXPECT_THAT(topics, ElementsAre("jobledger.billing.events", "jobledger.job.events",
                                  "jobledger.notification.events", "jobledger.scheduling.events"));
  EXPECT_TRUE(types.contains("jobledger.scheduling.v1.AppointmentScheduled"));
  EXPECT_TRUE(types.contains("jobledger.billing.v1.InvoiceIssued"));
  EXPECT_TRUE(types.contains("jobledger.notification.v1.MessageSent"));
}

// ---- refused requests, roles and tenants

TEST_F(ReportingRecordsTest, RefusedRequestsNameTheFieldAndRolesAndTenantsAreKeptApart) {
  system().billing_env().SetSettings();
  const std::string job_id = NewJob("Boiler service", "north",
                                    {{job::v1::LINE_ITEM_KIND_SERVICE, "Service", 1'000, 90'00}});
  NewJob("Valve check", "north", {});
  env_.CatchUp();
  using grpc::StatusCode;
  auto list = [&](const v1::ListJobsRequest& request, v1::ListJobsResponse* response,
                  const std::string& tenant = "acme") {
    return env_.reports().ListJobs(system().Dispatcher(tenant).get(), request, response);
  };

  // Lists.
  v1::ListJobsRequest request;
  v1::ListJobsResponse response;
  EXPECT_TRUE(Refused(list(request, &response), StatusCode::INVALID_ARGUMENT, "view"));
  request.set_view(v1::VIEW_BY_STATUS);
  EXPECT_TRUE(Refused(list(request, &response), StatusCode::INVALID_ARGUMENT, "status"));
  request.set_status(job::v1::JOB_STATUS_OPEN);
  request.set_page_size(1);
  ASSERT_TRUE(IsOk(list(request, &response)));
  ASSERT_THAT(response.rows(), SizeIs(1));
  const std::string token = response.next_page_token();
  ASSERT_FALSE(token.empty());
  request.set_page_token("not a token!");
  EXPECT_TRUE(Refused(list(request, &response), StatusCode::INVALID_ARGUMENT, "page_token"));
  // A token of another list, or of another tenant, is not one of this list's.
  request.set_page_token(token);
  request.set_view(v1::VIEW_DEFERRED);
  EXPECT_TRUE(Refused(list(request, &response), StatusCode::INVALID_ARGUMENT, "page_token"));
  request.set_view(v1::VIEW_BY_STATUS);
  EXPECT_TRUE(
      Refused(list(request, &response, "globex"), StatusCode::INVALID_ARGUMENT, "page_token"));
  request.clear_page_token();
  request.mutable_day()->set_year(2026);
  request.mutable_day()->set_month(2);
  request.mutable_day()->set_day(30);
  EXPECT_TRUE(Refused(list(request, &response), StatusCode::INVALID_ARGUMENT, "day"));

  // Time & materials.
  v1::TimeAndMaterialsRequest tm;
  v1::TimeAndMaterialsReport tm_report;
  EXPECT_TRUE(Refused(env_.reports().GetTimeAndMaterials(Dispatcher().get(), tm, &tm_report),
                      StatusCode::INVALID_ARGUMENT, "job_ids"));
  tm.add_job_ids(kUnknownId);
  tm.add_job_ids(job_id);
  EXPECT_TRUE(Refused(env_.reports().GetTimeAndMaterials(Dispatcher().get(), tm, &tm_report),
                      StatusCode::NOT_FOUND, "job_ids[0]"));

  // Utilization: `to` before `from`, or more than 62 days on.
  const absl::CivilDay from(2026, 11, 1);
  v1::UtilizationRequest utilization;
  *utilization.mutable_from() = Date(from);
  *utilization.mutable_to() = Date(from - 1);
  v1::UtilizationResponse days;
  EXPECT_TRUE(Refused(env_.reports().GetUtilization(Dispatcher().get(), utilization, &days),
                      StatusCode::INVALID_ARGUMENT, "to"));
  *utilization.mutable_to() = Date(from + 62);
  EXPECT_TRUE(Refused(env_.reports().GetUtilization(Dispatcher().get(), utilization, &days),
                      StatusCode::INVALID_ARGUMENT, "to"));
  *utilization.mutable_to() = Date(from + 61);  // 62 days
  EXPECT_TRUE(IsOk(env_.reports().GetUtilization(Dispatcher().get(), utilization, &days)));

  // Time travel needs its moment.
  v1::JobAsOfRequest as_of_request;
  as_of_request.set_job_id(job_id);
  v1::JobAsOf as_of;
  EXPECT_TRUE(Refused(env_.reports().GetJobAsOf(Dispatcher().get(), as_of_request, &as_of),
                      StatusCode::INVALID_ARGUMENT, "at"));

  // The money reports are the office's.
  const auto technician = [&] { return system().As("sam", auth::Role::kTechnician); };
  tm.clear_job_ids();
  tm.add_job_ids(job_id);
  EXPECT_EQ(env_.reports().GetTimeAndMaterials(technician().get(), tm, &tm_report).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::RevenueReport revenue;
  EXPECT_EQ(env_.reports().GetRevenue(technician().get(), {}, &revenue).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::ProjectReportRequest project_request;
  project_request.set_project_id("north");
  v1::ProjectReport project;
  EXPECT_EQ(
      env_.reports().GetProjectReport(technician().get(), project_request, &project).error_code(),
      StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(IsOk(env_.reports().GetTimeAndMaterials(
      system().As("analyst-1", auth::Role::kAnalyst).get(), tm, &tm_report)));

  // No token, no answer.
  grpc::ClientContext anonymous_list;
  request.set_view(v1::VIEW_BY_STATUS);
  request.clear_day();
  EXPECT_EQ(env_.reports().ListJobs(&anonymous_list, request, &response).error_code(),
            StatusCode::UNAUTHENTICATED);
  grpc::ClientContext anonymous_revenue;
  EXPECT_EQ(env_.reports().GetRevenue(&anonymous_revenue, {}, &revenue).error_code(),
            StatusCode::UNAUTHENTICATED);

  // Another tenant sees none of it.
  const auto globex = [&] { return system().Dispatcher("globex"); };
  request.set_page_size(100);
  ASSERT_TRUE(IsOk(list(request, &response, "globex")));
  EXPECT_THAT(response.rows(), SizeIs(0));
  v1::JobHistoryRequest history_request;
  history_request.set_job_id(job_id);
  v1::JobHistory history;
  EXPECT_TRUE(Refused(env_.reports().GetJobHistory(globex().get(), history_request, &history),
                      StatusCode::NOT_FOUND, job_id));
  *as_of_request.mutable_at() = ProtoFromTime(absl::Now());
  EXPECT_EQ(env_.reports().GetJobAsOf(globex().get(), as_of_request, &as_of).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_TRUE(Refused(env_.reports().GetTimeAndMaterials(globex().get(), tm, &tm_report),
                      StatusCode::NOT_FOUND, "job_ids[0]"));
  EXPECT_EQ(env_.reports().GetProjectReport(globex().get(), project_request, &project).error_code(),
            StatusCode::NOT_FOUND);
  v1::DispatchCounts counts;
  ASSERT_TRUE(IsOk(env_.reports().GetDispatchCounts(globex().get(), {}, &counts)));
  for (const v1::StatusCount& count : counts.by_status()) EXPECT_EQ(count.count(), 0);
  // The same questions in acme do find the job.
  ASSERT_TRUE(IsOk(env_.reports().GetJobHistory(Dispatcher().get(), history_request, &history)));
  EXPECT_THAT(history.entries(), Not(SizeIs(0)));
  ASSERT_TRUE(IsOk(env_.reports().GetDispatchCounts(Dispatcher().get(), {}, &counts)));
  int64_t acme_jobs = 0;
  for (const v1::StatusCount& count : counts.by_status()) acme_jobs += count.count();
  EXPECT_EQ(acme_jobs, 2);
}

}  // namespace
}  // namespace jobledger::reporting::testing
