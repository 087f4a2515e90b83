// A dispatcher's day, end to end: the five service processes `jl up --no-demo` starts, on the
// embedded log and on a dev broker, driven only through their public gRPC APIs. The morning hot
// list, assignments (a double booking refused), an emergency, technicians en route (the customer
// texted once), clock-in, materials and time, a checklist that blocks completion, a 20/20/60
// progress billing with a partial payment, a reschedule that texts the customer, a recall with its
// chargeback, the T&M report and the job's verified history. Then every process is killed with
// SIGKILL and started again: every acknowledged change must still be there, every projection
// must equal a clean rebuild, and a deleted reporting store must rebuild to the same answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "e2e_system.h"
#include "google/protobuf/util/message_differencer.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"

namespace jobledger::e2e {
namespace {

using ::testing::HasSubstr;
using testing::WaitUntil;

constexpr char kUsd[] = "USD";

common::v1::Money Usd(int64_t cents) {
  common::v1::Money money;
  money.set_minor_units(cents);
  money.set_currency(kUsd);
  return money;
}

// A reserved offset for this process (jl_run.h), and 5 more for the Kafka system.
int PortOffset(Backend backend) {
  return cli::testing::ReservePortOffset() + (backend == Backend::kKafka ? 5 : 0);
}

// Appends what differs to `differences` (the differencer clears the string it reports to, so
// each comparison reports into its own).
bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b,
                 std::string* differences = nullptr) {
  google::protobuf::util::MessageDifferencer differencer;
  std::string reported;
  if (differences != nullptr) differencer.ReportDifferencesToString(&reported);
  const bool same = differencer.Compare(a, b);
  if (differences != nullptr && !same) {
    absl::StrAppend(differences, a.GetDescriptor()->name(), ":\n", reported);
  }
  return same;
}

class DispatcherDayTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    system_ = std::make_unique<System>(GetParam(), temp_.path() + "/data", PortOffset(GetParam()));
    today_ = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  }

  // Local (UTC, `jl up`'s default zone) time today.
  absl::Time At(int hour, int minute = 0) const {
    return AtLocalTime(absl::CivilSecond(today_) + (hour * 60 + minute) * 60, absl::UTCTimeZone());
  }
  static common::v1::CommandMeta Meta(const std::string& what,
                                      absl::Time occurred_at = absl::InfinitePast()) {
    common::v1::CommandMeta meta;
    meta.set_idempotency_key(absl::StrCat("e2e/", what));
    if (occurred_at != absl::InfinitePast()) {
      *meta.mutable_occurred_at() = ProtoFromTime(occurred_at);
    }
    return meta;
  }
  void SetWindow(scheduling::v1::ArrivalWindow* window, absl::Time start, absl::Time end) const {
    *window->mutable_start() = ProtoFromTime(start);
    *window->mutable_end() = ProtoFromTime(end);
  }

  std::string Dispatcher() const { return system_->Token(auth::Role::kDispatcher, "dispatcher"); }
  std::string Manager() const { return system_->Token(auth::Role::kManager, "manager"); }
  std::string Clerk() const { return system_->Token(auth::Role::kBilling, "billing-clerk"); }
  std::string Tech(const std::string& id) const {
    return system_->Token(auth::Role::kTechnician, id);
  }

  // A call that must succeed (a failure is recorded and an empty reply returned).
  template <typename Stub, typename Request, typename Reply>
  Reply Do(const std::string& what, const std::string& token, Stub& stub,
           grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
           const Request& request) {
    Reply reply;
    const grpc::Status status = Call(stub, method, token, request, &reply);
    EXPECT_TRUE(status.ok()) << what << ": " << Describe(status);
    return reply;
  }
  // A call whose status the test looks at.
  template <typename Stub, typename Request, typename Reply>
  grpc::Status Try(const std::string& token, Stub& stub,
                   grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                   const Request& request) {
    Reply reply;
    return Call(stub, method, token, request, &reply);
  }

  // ---- The office's setup: billing settings, price book, a zone, technicians, customers.

  void SetUpTheBusiness() {
    billing::v1::SetBillingSettingsRequest settings;
    *settings.mutable_meta() = Meta("billing-settings");
    settings.mutable_settings()->set_currency(kUsd);
    settings.mutable_settings()->set_jurisdiction("US-TX-AUSTIN");
    billing::v1::TaxRate& tax = *settings.mutable_settings()->add_tax_rates();
    tax.set_category("materials");
    tax.set_rate_ppm(82'500);
    billing::v1::LaborRate& labor = *settings.mutable_settings()->add_labor_rates();
    *labor.mutable_hourly_cost() = Usd(3'800);
    *labor.mutable_hourly_price() = Usd(11'500);
    settings.mutable_settings()->set_payment_terms_days(30);
    for (const char* field :
         {"currency", "jurisdiction", "tax_rates", "labor_rates", "payment_terms_days"}) {
      settings.add_update_fields(field);
    }
    Do("billing settings", Manager(), system_->billing(),
       &billing::v1::BillingService::Stub::SetBillingSettings, settings);

    billing::v1::CreatePriceItemRequest price;
    *price.mutable_meta() = Meta("price/valve");
    price.mutable_item()->set_code("VALVE-TP");
    price.mutable_item()->set_name("Temperature/pressure relief valve");
    price.mutable_item()->set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
    *price.mutable_item()->mutable_unit_price() = Usd(4'500);
    *price.mutable_item()->mutable_cost_price() = Usd(1'900);
    price.mutable_item()->set_tax_category("materials");
    valve_ = Do("price book", Manager(), system_->billing(),
                &billing::v1::BillingService::Stub::CreatePriceItem, price)
                 .item();

    scheduling::v1::SaveServiceZoneRequest zone;
    *zone.mutable_meta() = Meta("zone/central");
    zone.set_name("Central");
    zone.add_postal_codes("78701");
    const std::string zone_id = Do("zone", Manager(), system_->technicians(),
                                   &scheduling::v1::TechnicianService::Stub::SaveServiceZone, zone)
                                    .zone()
                                    .zone_id();
    for (const auto& [id, name, phone] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"tech-ana", "Ana Reyes", "+15125550201"},
             {"tech-ben", "Ben Okafor", "+15125550202"},
             {"tech-cy", "Cy Larsen", "+15125550203"}}) {
      scheduling::v1::RegisterTechnicianRequest technician;
      *technician.mutable_meta() = Meta(absl::StrCat("technician/", id));
      technician.set_technician_id(id);
      technician.set_name(name);
      technician.set_phone(phone);
      technician.set_home_zone_id(zone_id);
      for (int weekday = 1; weekday <= 7; ++weekday) {
        scheduling::v1::ShiftPeriod& shift = *technician.add_shifts();
        shift.set_weekday(weekday);
        shift.set_start_minute(7 * 60);
        shift.set_end_minute(19 * 60);
      }
      Do(absl::StrCat("register ", id), Manager(), system_->technicians(),
         &scheduling::v1::TechnicianService::Stub::RegisterTechnician, technician);
    }
    for (const auto& [key, name, phone] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"alice", "Alice Moreno", "+15125550101"},
             {"bob", "Bob Lindqvist", "+15125550102"},
             {"carol", "Carol Nakamura", "+15125550103"}}) {
      job::v1::CreateCustomerRequest customer;
      *customer.mutable_meta() = Meta(absl::StrCat("customer/", key));
      customer.set_name(name);
      job::v1::Contact& contact = *customer.add_contacts();
      contact.set_name(name);
      contact.set_phone(phone);
      contact.set_email(absl::StrCat(key, "@example.com"));
      contact.set_accepts_sms(true);
      contact.set_accepts_email(true);
      job::v1::Property& home = *customer.add_properties();
      home.set_name("Home");
      home.mutable_address()->set_line1(absl::StrCat(name, "'s house, Congress Ave"));
      home.mutable_address()->set_city("Austin");
      home.mutable_address()->set_region("TX");
      home.mutable_address()->set_postal_code("78701");
      home.mutable_address()->set_country("US");
      customers_[key] = Do(absl::StrCat("customer ", key), Dispatcher(), system_->customers(),
                           &job::v1::CustomerService::Stub::CreateCustomer, customer)
                            .customer()
                            .customer_id();
      phones_[key] = phone;
    }
  }

  job::v1::Job CreateJob(const std::string& key, const std::string& customer,
                         const std::string& title, job::v1::JobPriority priority,
                         int64_t contract_cents = 0,
                         const std::vector<std::string>& checklist = {}) {
    job::v1::CreateJobRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("job/", key));
    request.set_customer_id(customers_.at(customer));
    request.set_title(title);
    request.set_priority(priority);
    request.set_estimated_minutes(60);
    if (contract_cents > 0) *request.mutable_contract_amount() = Usd(contract_cents);
    for (const std::string& text : checklist) {
      job::v1::ChecklistItem& item = *request.add_checklist();
      item.set_text(text);
      item.set_required(true);
    }
    return Do(absl::StrCat("create job ", key), Dispatcher(), system_->jobs(),
              &job::v1::JobService::Stub::CreateJob, request)
        .job();
  }

  scheduling::v1::ScheduleReply Book(const std::string& what, const std::string& job_id,
                                     absl::Time start, absl::Time end, int64_t minutes,
                                     const std::vector<std::string>& technicians = {}) {
    scheduling::v1::ScheduleAppointmentRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("book/", what));
    request.set_job_id(job_id);
    SetWindow(request.mutable_window(), start, end);
    request.set_duration_minutes(minutes);
    for (const std::string& id : technicians) request.add_technician_ids(id);
    return Do(absl::StrCat("book ", what), Dispatcher(), system_->dispatch(),
              &scheduling::v1::DispatchService::Stub::ScheduleAppointment, request);
  }

  scheduling::v1::ReassignAppointmentRequest Assignment(const std::string& what,
                                                        const scheduling::v1::Appointment& visit,
                                                        const std::string& technician) {
    scheduling::v1::ReassignAppointmentRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("assign/", what, "/", technician));
    request.set_job_id(visit.job_id());
    request.set_appointment_id(visit.appointment_id());
    request.add_technician_ids(technician);
    request.set_reason("morning dispatch");
    return request;
  }

  job::v1::JobView GetJob(const std::string& job_id) {
    job::v1::GetJobRequest request;
    request.set_job_id(job_id);
    return Do(absl::StrCat("get job ", job_id), Dispatcher(), system_->jobs(),
              &job::v1::JobService::Stub::GetJob, request);
  }

  // The job service learns assignments and scheduling's status changes from scheduling's
  // events: waits until it shows `technician` on the job and the job in `status`.
  void WaitForJob(const std::string& job_id, const std::string& technician,
                  job::v1::JobStatus status) {
    job::v1::JobView last;
    const bool reached = WaitUntil(
        [&] {
          last = GetJob(job_id);
          const auto& on = last.assignment().technician_ids();
          return last.job().status() == status &&
                 (technician.empty() || std::find(on.begin(), on.end(), technician) != on.end());
        },
        absl::Seconds(60));
    ASSERT_TRUE(reached) << "job " << job_id << " never showed " << technician << " in "
                         << job::v1::JobStatus_Name(status) << ": " << last.ShortDebugString();
  }

  void Dispatch(const std::string& what, const scheduling::v1::Appointment& visit,
                const std::string& technician, scheduling::v1::DispatchState state, absl::Time at) {
    scheduling::v1::ChangeDispatchStateRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("dispatch/", what, "/", technician, "/",
                                                scheduling::v1::DispatchState_Name(state)),
                                   at);
    request.set_job_id(visit.job_id());
    request.set_appointment_id(visit.appointment_id());
    request.set_technician_id(technician);
    request.set_state(state);
    Do(absl::StrCat(technician, " ", scheduling::v1::DispatchState_Name(state), " on ", what),
       Tech(technician), system_->dispatch(),
       &scheduling::v1::DispatchService::Stub::ChangeDispatchState, request);
  }

  void Clock(const std::string& what, const std::string& job_id, const std::string& technician,
             absl::Time in, absl::Time out) {
    job::v1::ClockInRequest clock_in;
    *clock_in.mutable_meta() = Meta(absl::StrCat("clock-in/", what), in);
    clock_in.set_job_id(job_id);
    clock_in.set_employee_id(technician);
    clock_in.set_type("regular");
    Do(absl::StrCat(technician, " clocks in on ", what), Tech(technician), system_->jobs(),
       &job::v1::JobService::Stub::ClockIn, clock_in);
    if (out == absl::InfinitePast()) return;
    ClockOut(what, job_id, technician, out);
  }
  void ClockOut(const std::string& what, const std::string& job_id, const std::string& technician,
                absl::Time out) {
    job::v1::ClockOutRequest clock_out;
    *clock_out.mutable_meta() = Meta(absl::StrCat("clock-out/", what), out);
    clock_out.set_job_id(job_id);
    clock_out.set_employee_id(technician);
    Do(absl::StrCat(technician, " clocks out of ", what), Tech(technician), system_->jobs(),
       &job::v1::JobService::Stub::ClockOut, clock_out);
  }

  job::v1::ChangeJobStatusRequest Completion(const std::string& what, const std::string& job_id,
                                             absl::Time at) {
    job::v1::ChangeJobStatusRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("complete/", what), at);
    request.set_job_id(job_id);
    request.set_status(job::v1::JOB_STATUS_COMPLETED);
    return request;
  }

  // Texts the SMS provider accepted for `customer` whose body has `text`.
  std::vector<Sms> TextsTo(const std::string& customer, const std::string& text) const {
    std::vector<Sms> found;
    for (const Sms& sms : system_->SmsSent()) {
      if (sms.to == phones_.at(customer) && absl::StrContains(sms.body, text)) {
        found.push_back(sms);
      }
    }
    return found;
  }

  // ---- Reads compared before and after the crash.

  // At `min_position` or later (billing's reads catch up with its log asynchronously).
  billing::v1::JobFinancials Financials(const std::string& job_id,
                                        const common::v1::LogPosition& min_position = {}) {
    billing::v1::GetJobFinancialsRequest request;
    request.set_job_id(job_id);
    if (!min_position.topic().empty()) *request.mutable_min_position() = min_position;
    return Do(absl::StrCat("financials of ", job_id), Clerk(), system_->billing(),
              &billing::v1::BillingService::Stub::GetJobFinancials, request);
  }
  billing::v1::Invoice Invoice(const std::string& invoice_id) {
    billing::v1::GetInvoiceRequest request;
    request.set_invoice_id(invoice_id);
    return Do(absl::StrCat("invoice ", invoice_id), Clerk(), system_->billing(),
              &billing::v1::BillingService::Stub::GetInvoice, request);
  }
  reporting::v1::TimeAndMaterialsReport TimeAndMaterials(const std::string& job_id) {
    reporting::v1::TimeAndMaterialsRequest request;
    request.add_job_ids(job_id);
    return Do(absl::StrCat("T&M of ", job_id), Manager(), system_->reporting(),
              &reporting::v1::ReportingService::Stub::GetTimeAndMaterials, request);
  }
  reporting::v1::JobHistory History(const std::string& job_id) {
    reporting::v1::JobHistoryRequest request;
    request.set_job_id(job_id);
    return Do(absl::StrCat("history of ", job_id), Manager(), system_->reporting(),
              &reporting::v1::ReportingService::Stub::GetJobHistory, request);
  }
  scheduling::v1::JobSchedule Schedule(const std::string& job_id) {
    scheduling::v1::GetJobScheduleRequest request;
    request.set_job_id(job_id);
    return Do(absl::StrCat("schedule of ", job_id), Dispatcher(), system_->dispatch(),
              &scheduling::v1::DispatchService::Stub::GetJobSchedule, request);
  }

  // What the office saw acknowledged before the crash.
  struct Answers {
    std::map<std::string, job::v1::JobView> jobs;
    std::map<std::string, scheduling::v1::JobSchedule> schedules;
    billing::v1::JobFinancials financials;
    std::vector<billing::v1::Invoice> invoices;
    reporting::v1::TimeAndMaterialsReport time_and_materials;
    reporting::v1::JobHistory history;
  };

  Answers Capture() {
    Answers answers;
    for (const auto& [key, job_id] : jobs_) {
      answers.jobs[key] = GetJob(job_id);
      answers.schedules[key] = Schedule(job_id);
    }
    answers.financials = Financials(jobs_.at("heater"));
    for (const std::string& invoice_id : invoice_ids_) {
      answers.invoices.push_back(Invoice(invoice_id));
    }
    answers.time_and_materials = TimeAndMaterials(jobs_.at("heater"));
    answers.history = History(jobs_.at("heater"));
    return answers;
  }

  // Waits (a restarted service may still be catching up) until each answer is what it was, then
  // reports every difference left.
  void ExpectSameAnswers(const Answers& before, bool reporting_only) {
    // The history may have grown since: messages about the job are sent asynchronously, and one
    // whose send was cut off by the kill is recorded after the restart. Entries are in the order
    // of when they happened, and the day's work is dated by the technicians' clocks (possibly later
    // today than now), so a new entry may sit between old ones: every old entry must still be
    // there, in the same order, and the chain must still verify.
    const auto same_reporting = [&](std::string* differences) {
      const reporting::v1::JobHistory history = History(jobs_.at("heater"));
      int found = 0;
      for (int i = 0; i < history.entries_size() && found < before.history.entries_size(); ++i) {
        if (SameMessage(history.entries(i), before.history.entries(found))) ++found;
      }
      const bool same_history = history.chain_verified() == before.history.chain_verified() &&
                                found == before.history.entries_size();
      if (differences != nullptr && !same_history) {
        absl::StrAppend(differences, "history: ", history.entries_size(), " entries (was ",
                        before.history.entries_size(), "), the first ", found,
                        " old ones found in order; chain_verified ", history.chain_verified(),
                        "\n");
        if (found < before.history.entries_size()) {
          absl::StrAppend(differences,
                          "missing: ", before.history.entries(found).ShortDebugString(), "\n");
        }
      }
      return SameMessage(TimeAndMaterials(jobs_.at("heater")), before.time_and_materials,
                         differences) &&
             same_history;
    };
    const auto same_everything = [&](std::string* differences) {
      bool same = same_reporting(differences);
      if (reporting_only) return same;
      for (const auto& [key, job_id] : jobs_) {
        same = SameMessage(GetJob(job_id), before.jobs.at(key), differences) && same;
        same = SameMessage(Schedule(job_id), before.schedules.at(key), differences) && same;
      }
      same = SameMessage(Financials(jobs_.at("heater")), before.financials, differences) && same;
      for (const billing::v1::Invoice& invoice : before.invoices) {
        same = SameMessage(Invoice(invoice.invoice_id()), invoice, differences) && same;
      }
      return same;
    };
    WaitUntil([&] { return same_everything(nullptr); }, absl::Seconds(120));
    std::string differences;
    EXPECT_TRUE(same_everything(&differences)) << differences;
  }

  jobledger::testing::TempDir temp_;
  std::unique_ptr<System> system_;
  absl::CivilDay today_;
  billing::v1::PriceItem valve_;
  std::map<std::string, std::string> customers_;  // by key
  std::map<std::string, std::string> phones_;     // by customer key
  std::map<std::string, std::string> jobs_;       // by key
  std::vector<std::string> invoice_ids_;
};

TEST_P(DispatcherDayTest, WalksTheDayAndKeepsEveryAcknowledgedChangeThroughACrash) {
  const absl::Time started = absl::Now();
  const absl::Status up = system_->Up();
  ASSERT_TRUE(up.ok()) << up;
  SetUpTheBusiness();
  ASSERT_FALSE(HasFailure());

  // ---- 07:30, the hot list: this morning's calls, booked without a technician.
  const job::v1::Job heater =
      CreateJob("heater", "alice", "Water heater leaking", job::v1::JOB_PRIORITY_HIGH, 200'000,
                {"Test the relief valve"});
  const job::v1::Job tune_up =
      CreateJob("tune-up", "bob", "AC tune-up", job::v1::JOB_PRIORITY_NORMAL);
  const job::v1::Job panel =
      CreateJob("panel", "carol", "Panel inspection", job::v1::JOB_PRIORITY_NORMAL);
  ASSERT_FALSE(HasFailure());
  jobs_ = {{"heater", heater.job_id()}, {"tune-up", tune_up.job_id()}, {"panel", panel.job_id()}};
  const scheduling::v1::Appointment heater_visit =
      Book("heater", heater.job_id(), At(9), At(11), 110).appointment();
  const scheduling::v1::Appointment tune_up_visit =
      Book("tune-up", tune_up.job_id(), At(9), At(11), 90).appointment();
  const scheduling::v1::ScheduleReply panel_booked =
      Book("panel", panel.job_id(), At(10), At(12), 60);
  const scheduling::v1::Appointment panel_visit = panel_booked.appointment();
  ASSERT_FALSE(HasFailure());

  // The hot list reads scheduling's projection: on Kafka the three bookings may sit on
  // different partitions, which a single min_position cannot cover, so it is waited for.
  const auto hot_list = [&] {
    scheduling::v1::ListUnassignedRequest request;
    LocalDateToProto(today_, request.mutable_date());
    const scheduling::v1::AppointmentsResponse listed =
        Do("the hot list", Dispatcher(), system_->dispatch(),
           &scheduling::v1::DispatchService::Stub::ListUnassigned, request);
    std::vector<std::string> unassigned;
    for (const scheduling::v1::Appointment& visit : listed.appointments()) {
      unassigned.push_back(visit.job_id());
    }
    std::sort(unassigned.begin(), unassigned.end());
    return unassigned;
  };
  std::vector<std::string> expected_hot_list = {heater.job_id(), tune_up.job_id(), panel.job_id()};
  std::sort(expected_hot_list.begin(), expected_hot_list.end());
  EXPECT_TRUE(WaitUntil([&] { return hot_list() == expected_hot_list; }, absl::Seconds(60)));
  EXPECT_EQ(hot_list(), expected_hot_list);

  // ---- Assignment; a double booking is refused, naming the clash.
  const auto reassign = &scheduling::v1::DispatchService::Stub::ReassignAppointment;
  Do("assign the heater job", Dispatcher(), system_->dispatch(), reassign,
     Assignment("heater", heater_visit, "tech-ana"));
  Do("assign the tune-up", Dispatcher(), system_->dispatch(), reassign,
     Assignment("tune-up", tune_up_visit, "tech-ben"));
  const grpc::Status double_booked = Try(Dispatcher(), system_->dispatch(), reassign,
                                         Assignment("panel", panel_visit, "tech-ana"));
  EXPECT_EQ(double_booked.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << Describe(double_booked);
  EXPECT_THAT(double_booked.error_message(), HasSubstr("technician tech-ana is booked"));
  EXPECT_THAT(double_booked.error_message(), HasSubstr(heater.job_id()));
  Do("assign the panel to Cy", Dispatcher(), system_->dispatch(), reassign,
     Assignment("panel", panel_visit, "tech-cy"));
  ASSERT_FALSE(HasFailure());

  EXPECT_TRUE(WaitUntil([&] { return hot_list().empty(); }, absl::Seconds(60)))
      << "the hot list still has visits after dispatch";

  // ---- An emergency call, booked straight onto Ben after his tune-up.
  const job::v1::Job burst =
      CreateJob("burst", "bob", "Burst pipe under the sink", job::v1::JOB_PRIORITY_EMERGENCY);
  jobs_["burst"] = burst.job_id();
  Book("burst", burst.job_id(), At(11, 30), At(12, 30), 60, {"tech-ben"});
  ASSERT_FALSE(HasFailure());
  WaitForJob(burst.job_id(), "tech-ben", job::v1::JOB_STATUS_SCHEDULED);
  EXPECT_EQ(GetJob(burst.job_id()).job().priority(), job::v1::JOB_PRIORITY_EMERGENCY);

  // ---- Ana on her way: Alice gets one text saying so.
  WaitForJob(heater.job_id(), "tech-ana", job::v1::JOB_STATUS_SCHEDULED);
  ASSERT_FALSE(HasFailure());
  // Now rather than at 08:40: the notification service sends nothing for events older than
  // 12 hours, and the test may run late in the (UTC) day.
  Dispatch("heater", heater_visit, "tech-ana", scheduling::v1::DISPATCH_STATE_EN_ROUTE,
           absl::InfinitePast());
  const std::string heater_number = absl::StrCat("JOB-", heater.number());
  const std::string on_the_way = absl::StrCat("is on the way for ", heater_number);
  EXPECT_TRUE(WaitUntil([&] { return !TextsTo("alice", on_the_way).empty(); }, absl::Seconds(60)))
      << "no en-route text to Alice";
  EXPECT_EQ(TextsTo("alice", on_the_way).size(), 1u);

  // ---- On site: clock-in, the valve, travel time, and a checklist that blocks completion.
  Dispatch("heater", heater_visit, "tech-ana", scheduling::v1::DISPATCH_STATE_ARRIVED, At(9, 5));
  Dispatch("heater", heater_visit, "tech-ana", scheduling::v1::DISPATCH_STATE_WORKING, At(9, 10));
  Clock("heater", heater.job_id(), "tech-ana", At(9, 10), absl::InfinitePast());
  job::v1::AddLineItemRequest material;
  *material.mutable_meta() = Meta("heater/valve", At(9, 40));
  material.set_job_id(heater.job_id());
  job::v1::LineItem& line = *material.mutable_line_item();
  line.set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
  line.set_price_book_item_id(valve_.price_item_id());
  line.set_name(valve_.name());
  line.set_quantity_milli(1'000);
  *line.mutable_unit_price() = valve_.unit_price();
  line.set_billable(true);
  Do("add the valve", Tech("tech-ana"), system_->jobs(), &job::v1::JobService::Stub::AddLineItem,
     material);
  job::v1::LogWorkRequest travel;
  *travel.mutable_meta() = Meta("heater/travel", At(9, 45));
  travel.set_job_id(heater.job_id());
  travel.mutable_entry()->set_employee_id("tech-ana");
  LocalDateToProto(today_, travel.mutable_entry()->mutable_date());
  travel.mutable_entry()->set_type("travel");
  travel.mutable_entry()->set_minutes(30);
  travel.mutable_entry()->set_notes("supply house run for the valve");
  Do("log travel", Tech("tech-ana"), system_->jobs(), &job::v1::JobService::Stub::LogWork, travel);
  WaitForJob(heater.job_id(), "tech-ana", job::v1::JOB_STATUS_IN_PROGRESS);
  ASSERT_FALSE(HasFailure());

  const grpc::Status blocked =
      Try(Tech("tech-ana"), system_->jobs(), &job::v1::JobService::Stub::ChangeJobStatus,
          Completion("heater-too-early", heater.job_id(), At(10, 50)));
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(blocked);
  EXPECT_THAT(blocked.error_message(),
              HasSubstr("checklist item \"Test the relief valve\" is not done"));
  job::v1::SetChecklistItemDoneRequest tick;
  *tick.mutable_meta() = Meta("heater/checklist", At(10, 55));
  tick.set_job_id(heater.job_id());
  tick.set_item_id(heater.checklist(0).item_id());
  tick.set_done(true);
  Do("tick the checklist", Tech("tech-ana"), system_->jobs(),
     &job::v1::JobService::Stub::SetChecklistItemDone, tick);
  ClockOut("heater", heater.job_id(), "tech-ana", At(11));
  Dispatch("heater", heater_visit, "tech-ana", scheduling::v1::DISPATCH_STATE_COMPLETED, At(11, 5));
  Do("complete the heater job", Tech("tech-ana"), system_->jobs(),
     &job::v1::JobService::Stub::ChangeJobStatus, Completion("heater", heater.job_id(), At(11, 5)));
  ASSERT_FALSE(HasFailure());
  WaitForJob(heater.job_id(), "tech-ana", job::v1::JOB_STATUS_COMPLETED);

  // ---- Billing: 20 % deposit, 20 % rough-in, 60 % on completion of the $2,000 contract; the
  // customer pays $150 of the deposit.
  billing::v1::SetBillingScheduleRequest schedule;
  *schedule.mutable_meta() = Meta("heater/schedule");
  schedule.set_job_id(heater.job_id());
  for (const auto& [label, ppm] : std::vector<std::pair<std::string, int64_t>>{
           {"Deposit", 200'000}, {"Rough-in", 200'000}, {"Completion", 600'000}}) {
    billing::v1::BillingStage& stage = *schedule.add_stages();
    stage.set_label(label);
    stage.set_share_ppm(ppm);
  }
  Do("billing schedule", Clerk(), system_->billing(),
     &billing::v1::BillingService::Stub::SetBillingSchedule, schedule);
  const std::vector<int64_t> stage_totals = {40'000, 40'000, 120'000};
  for (int stage = 0; stage < 3; ++stage) {
    billing::v1::CreateProgressInvoiceRequest create;
    *create.mutable_meta() = Meta(absl::StrCat("heater/progress/", stage));
    create.set_job_id(heater.job_id());
    create.set_stage(stage);
    const billing::v1::Invoice draft =
        Do(absl::StrCat("progress invoice ", stage), Clerk(), system_->billing(),
           &billing::v1::BillingService::Stub::CreateProgressInvoice, create)
            .invoice();
    EXPECT_EQ(draft.kind(), billing::v1::INVOICE_KIND_PROGRESS);
    EXPECT_EQ(draft.total().minor_units(), stage_totals[static_cast<size_t>(stage)]);
    billing::v1::InvoiceActionRequest issue;
    *issue.mutable_meta() = Meta(absl::StrCat("heater/progress/", stage, "/issue"));
    issue.set_invoice_id(draft.invoice_id());
    Do(absl::StrCat("issue progress invoice ", stage), Clerk(), system_->billing(),
       &billing::v1::BillingService::Stub::IssueInvoice, issue);
    invoice_ids_.push_back(draft.invoice_id());
  }
  ASSERT_FALSE(HasFailure());
  billing::v1::RecordPaymentRequest payment;
  *payment.mutable_meta() = Meta("heater/payment");
  payment.set_invoice_id(invoice_ids_[0]);
  *payment.mutable_amount() = Usd(15'000);
  payment.set_method("check");
  payment.set_reference("check 1042");
  const billing::v1::InvoiceReply paid =
      Do("partial payment", Clerk(), system_->billing(),
         &billing::v1::BillingService::Stub::RecordPayment, payment);
  const billing::v1::Invoice& deposit = paid.invoice();
  EXPECT_EQ(deposit.status(), billing::v1::INVOICE_STATUS_PARTIALLY_PAID);
  EXPECT_EQ(deposit.balance().minor_units(), 25'000);
  // The three invoices may sit on different partitions (Kafka): the payment's position covers
  // only its own, so the job's totals are waited for.
  billing::v1::JobFinancials financials;
  EXPECT_TRUE(WaitUntil(
      [&] {
        financials = Financials(heater.job_id(), paid.result().position());
        return financials.invoiced().minor_units() == 200'000 &&
               financials.paid().minor_units() == 15'000;
      },
      absl::Seconds(60)))
      << financials.ShortDebugString();
  EXPECT_EQ(financials.invoiced().minor_units(), 200'000);
  EXPECT_EQ(financials.paid().minor_units(), 15'000);
  EXPECT_EQ(financials.balance().minor_units(), 185'000);

  // ---- Carol asks for the afternoon: her visit moves, and she is texted once about it.
  scheduling::v1::RescheduleAppointmentRequest move;
  *move.mutable_meta() = Meta("panel/reschedule");
  move.set_job_id(panel.job_id());
  move.set_appointment_id(panel_visit.appointment_id());
  SetWindow(move.mutable_window(), At(14), At(16));
  move.set_reason("customer asked for the afternoon");
  Do("reschedule the panel", Dispatcher(), system_->dispatch(),
     &scheduling::v1::DispatchService::Stub::RescheduleAppointment, move);
  const std::string moved = absl::StrCat("your visit for JOB-", panel.number(), " has moved");
  EXPECT_TRUE(WaitUntil([&] { return !TextsTo("carol", moved).empty(); }, absl::Seconds(60)))
      << "no reschedule text to Carol";
  EXPECT_EQ(TextsTo("carol", moved).size(), 1u);

  // ---- The valve drips again: a recall, fixed by Cy, charged back to Ana.
  const job::v1::Job recall =
      CreateJob("recall", "alice", "Relief valve dripping again", job::v1::JOB_PRIORITY_HIGH);
  jobs_["recall"] = recall.job_id();
  job::v1::LinkRecallRequest link;
  *link.mutable_meta() = Meta("recall/link");
  link.set_job_id(recall.job_id());
  link.set_original_job_id(heater.job_id());
  Do("link the recall", Dispatcher(), system_->jobs(), &job::v1::JobService::Stub::LinkRecall,
     link);
  const scheduling::v1::Appointment recall_visit =
      Book("recall", recall.job_id(), At(16, 30), At(17, 30), 30, {"tech-cy"}).appointment();
  ASSERT_FALSE(HasFailure());
  WaitForJob(recall.job_id(), "tech-cy", job::v1::JOB_STATUS_SCHEDULED);
  Dispatch("recall", recall_visit, "tech-cy", scheduling::v1::DISPATCH_STATE_EN_ROUTE, At(16, 15));
  Dispatch("recall", recall_visit, "tech-cy", scheduling::v1::DISPATCH_STATE_ARRIVED, At(16, 30));
  Dispatch("recall", recall_visit, "tech-cy", scheduling::v1::DISPATCH_STATE_WORKING, At(16, 35));
  Clock("recall", recall.job_id(), "tech-cy", At(16, 35), At(17, 5));
  Dispatch("recall", recall_visit, "tech-cy", scheduling::v1::DISPATCH_STATE_COMPLETED, At(17, 5));
  WaitForJob(recall.job_id(), "tech-cy", job::v1::JOB_STATUS_IN_PROGRESS);
  Do("complete the recall", Tech("tech-cy"), system_->jobs(),
     &job::v1::JobService::Stub::ChangeJobStatus, Completion("recall", recall.job_id(), At(17, 5)));
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(WaitUntil(
      [&] {
        const job::v1::JobView view = GetJob(heater.job_id());
        return view.recall_job_ids_size() == 1 && view.recall_job_ids(0) == recall.job_id();
      },
      absl::Seconds(60)))
      << "the original job does not list its recall";
  billing::v1::JobFinancials charged;
  EXPECT_TRUE(WaitUntil(
      [&] {
        charged = Financials(heater.job_id());
        return charged.billing().chargebacks_size() > 0;
      },
      absl::Seconds(60)))
      << "no chargeback on the original job";
  ASSERT_EQ(charged.billing().chargebacks_size(), 1);
  const billing::v1::Chargeback& chargeback = charged.billing().chargebacks(0);
  EXPECT_EQ(chargeback.recall_job_id(), recall.job_id());
  EXPECT_EQ(chargeback.original_job_id(), heater.job_id());
  EXPECT_EQ(chargeback.technician_id(), "tech-ana");
  EXPECT_EQ(chargeback.amount().minor_units(), 5'750);  // 30 minutes at $115/h, no materials

  // ---- The T&M report and the job's full history.
  reporting::v1::TimeAndMaterialsReport report;
  EXPECT_TRUE(WaitUntil(
      [&] {
        report = TimeAndMaterials(heater.job_id());
        int64_t minutes = 0;
        for (const reporting::v1::LaborLine& labor : report.labor()) minutes += labor.minutes();
        return minutes == 140 && report.materials_size() == 1;
      },
      absl::Seconds(60)))
      << report.ShortDebugString();
  std::map<std::string, int64_t> minutes_by_type;
  for (const reporting::v1::LaborLine& labor : report.labor()) {
    EXPECT_EQ(labor.employee_id(), "tech-ana");
    minutes_by_type[labor.work_type()] += labor.minutes();
  }
  EXPECT_EQ(minutes_by_type, (std::map<std::string, int64_t>{{"regular", 110}, {"travel", 30}}));
  EXPECT_EQ(report.materials_total().minor_units(), 4'500);
  reporting::v1::JobHistory history;
  EXPECT_TRUE(WaitUntil(
      [&] {
        history = History(heater.job_id());
        for (const reporting::v1::HistoryEntry& entry : history.entries()) {
          if (absl::StrContains(entry.summary(), "Completed")) return true;
        }
        return false;
      },
      absl::Seconds(60)))
      << history.ShortDebugString();
  EXPECT_TRUE(history.chain_verified()) << absl::StrJoin(history.chain_problems(), "; ");
  EXPECT_GE(history.entries_size(), 8);
  ASSERT_FALSE(HasFailure());
  const absl::Duration day_took = absl::Now() - started;

  // ---- Power cut: every process killed, then started again on the same data.
  const Answers before = Capture();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(system_->KillAll().ok());
  const absl::Status restarted = system_->Up();
  ASSERT_TRUE(restarted.ok()) << restarted;
  ExpectSameAnswers(before, /*reporting_only=*/false);
  // Nobody is texted twice after a restart.
  EXPECT_EQ(TextsTo("alice", on_the_way).size(), 1u);
  EXPECT_EQ(TextsTo("carol", moved).size(), 1u);

  // ---- Every projection equals a clean rebuild (`jl projections verify` reads the log from
  // disk or from the dev broker, which keeps running).
  const absl::Status down = system_->Down();
  ASSERT_TRUE(down.ok()) << down;
  const absl::Status verified = system_->VerifyProjections();
  EXPECT_TRUE(verified.ok()) << verified;

  // ---- Reporting's store lost while it is down: rebuilt from the log to the same answers.
  const std::string store = system_->data_dir() + "/reporting/projections";
  ASSERT_TRUE(std::filesystem::exists(store)) << store;
  std::filesystem::remove_all(store);
  const absl::Status again = system_->Up();
  ASSERT_TRUE(again.ok()) << again;
  ExpectSameAnswers(before, /*reporting_only=*/false);
  std::cout << "[ " << BackendName(GetParam()) << " ] the day took " << day_took << ", everything "
            << absl::Now() - started << "\n";
}

std::string BackendTestName(const ::testing::TestParamInfo<Backend>& param) {
  return param.param == Backend::kEmbedded ? "Embedded" : "Kafka";
}

INSTANTIATE_TEST_SUITE_P(Backends, DispatcherDayTest,
                         ::testing::Values(Backend::kEmbedded, Backend::kKafka), BackendTestName);

}  // namespace
}  // namespace jobledger::e2e
