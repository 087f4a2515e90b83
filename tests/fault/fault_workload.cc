// The fault-injection tests' command load and its checks.
#include "fault_workload.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "jl_run.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/wait.h"

namespace jobledger::fault {
namespace {

using e2e::Describe;

constexpr int kSlotsPerDay = 20;  // 30-minute visits from 08:00, inside the 07:00–19:00 shifts

std::string TechnicianId(int client) { return absl::StrCat("tech-", client); }

common::v1::CommandMeta Meta(const std::string& key) {
  common::v1::CommandMeta meta;
  meta.set_idempotency_key(absl::StrCat("fault/", key));
  return meta;
}

// Whether `text` names job `number` ("JOB-12" and not "JOB-123").
bool MentionsJob(const std::string& text, int64_t number) {
  const std::string name = absl::StrCat("JOB-", number);
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const size_t after = at + name.size();
    if (after == text.size() || !absl::ascii_isdigit(static_cast<unsigned char>(text[after]))) {
      return true;
    }
  }
  return false;
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC's codes are absl's numbers.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace

absl::Duration LoadDuration(absl::Duration fallback) {
  const char* seconds = std::getenv("JL_FAULT_SECONDS");
  int value = 0;
  if (seconds != nullptr && absl::SimpleAtoi(seconds, &value) && value > 0) {
    return absl::Seconds(value);
  }
  return fallback;
}

int PortOffset(int system) { return cli::testing::ReservePortOffset() + system * 5; }

Workload::Workload(e2e::System& system, WorkloadOptions options)
    : system_(system), options_(options) {}

Workload::~Workload() { Stop(); }

template <typename Stub, typename Request, typename Reply>
bool Workload::Command(const std::string& what, const std::string& token, Stub& stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                       const Request& request, Reply* reply) {
  const absl::Time give_up = absl::Now() + options_.give_up_after;
  absl::Duration backoff = absl::Milliseconds(50);
  while (true) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.attempt_deadline));
    // Waiting for the channel (until the attempt's deadline) keeps it reconnecting to a restarted
    // service at once; a fail-fast call on a broken channel fails without driving a reconnect,
    // which left the load idle for seconds after each restart (until gRPC's background poll).
    context.set_wait_for_ready(true);
    reply->Clear();
    const absl::Time sent = absl::Now();
    const grpc::Status status = (stub.*method)(&context, request, reply);
    if (status.ok()) {
      acknowledged_.fetch_add(1);
      absl::MutexLock lock(&mu_);
      slowest_ok_ = std::max(slowest_ok_, absl::Now() - sent);
      return true;
    }
    const bool retryable = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                           std::find(options_.also_retry.begin(), options_.also_retry.end(),
                                     status.error_code()) != options_.also_retry.end();
    if (!retryable || absl::Now() + backoff > give_up) {
      absl::MutexLock lock(&mu_);
      failures_.push_back(absl::StrCat(what, ": ", Describe(status)));
      return false;
    }
    {
      absl::MutexLock lock(&mu_);
      const std::string code = CodeName(status.error_code());
      if (++retried_[code] == 1) retried_examples_[code] = status.error_message();
    }
    absl::SleepFor(backoff);  // a retry's back-off, not a wait for a condition
    backoff = std::min(backoff * 2, absl::Milliseconds(500));
  }
}

absl::Status Workload::SetUpBusiness() {
  const std::string manager = system_.Token(auth::Role::kManager, "manager");
  const std::string dispatcher = system_.Token(auth::Role::kDispatcher, "dispatcher");
  scheduling::v1::SaveServiceZoneRequest zone;
  *zone.mutable_meta() = Meta("zone");
  zone.set_name("Central");
  zone.add_postal_codes("78701");
  scheduling::v1::ServiceZoneReply zone_reply;
  if (!Command("zone", manager, system_.technicians(),
               &scheduling::v1::TechnicianService::Stub::SaveServiceZone, zone, &zone_reply)) {
    return absl::InternalError(absl::StrJoin(Failures(), "; "));
  }
  for (int client = 0; client < options_.clients; ++client) {
    scheduling::v1::RegisterTechnicianRequest technician;
    *technician.mutable_meta() = Meta(absl::StrCat("technician/", client));
    technician.set_technician_id(TechnicianId(client));
    technician.set_name(absl::StrCat("Technician ", client));
    technician.set_phone(absl::StrCat("+1512555", 200 + client));
    technician.set_home_zone_id(zone_reply.zone().zone_id());
    for (int weekday = 1; weekday <= 7; ++weekday) {
      scheduling::v1::ShiftPeriod& shift = *technician.add_shifts();
      shift.set_weekday(weekday);
      shift.set_start_minute(7 * 60);
      shift.set_end_minute(19 * 60);
    }
    scheduling::v1::TechnicianReply technician_reply;
    if (!Command(absl::StrCat("technician ", client), manager, system_.technicians(),
                 &scheduling::v1::TechnicianService::Stub::RegisterTechnician, technician,
                 &technician_reply)) {
      return absl::InternalError(absl::StrJoin(Failures(), "; "));
    }

    const std::string name = absl::StrCat("Customer ", client);
    phones_.push_back(absl::StrCat("+1512555", 100 + client));
    emails_.push_back(absl::StrCat("customer-", client, "@example.com"));
    job::v1::CreateCustomerRequest customer;
    *customer.mutable_meta() = Meta(absl::StrCat("customer/", client));
    customer.set_name(name);
    job::v1::Contact& contact = *customer.add_contacts();
    contact.set_name(name);
    contact.set_phone(phones_.back());
    contact.set_email(emails_.back());
    contact.set_accepts_sms(true);
    contact.set_accepts_email(true);
    job::v1::Property& home = *customer.add_properties();
    home.set_name("Home");
    home.mutable_address()->set_line1(absl::StrCat(client, " Congress Ave"));
    home.mutable_address()->set_city("Austin");
    home.mutable_address()->set_region("TX");
    home.mutable_address()->set_postal_code("78701");
    home.mutable_address()->set_country("US");
    job::v1::CustomerReply customer_reply;
    if (!Command(absl::StrCat("customer ", client), dispatcher, system_.customers(),
                 &job::v1::CustomerService::Stub::CreateCustomer, customer, &customer_reply)) {
      return absl::InternalError(absl::StrJoin(Failures(), "; "));
    }
    customers_.push_back(customer_reply.customer().customer_id());
  }
  return absl::OkStatus();
}

void Workload::Start() {
  for (int client = 0; client < options_.clients; ++client) {
    threads_.emplace_back([this, client] { RunClient(client); });
  }
}

void Workload::Stop() {
  stopping_ = true;
  Wait();
}

void Workload::Wait() {
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void Workload::Record(const AckedJob& job) {
  absl::MutexLock lock(&mu_);
  acked_[job.key] = job;
}

void Workload::RunClient(int client) {
  const std::string dispatcher = system_.Token(auth::Role::kDispatcher, "dispatcher");
  const std::string technician = system_.Token(auth::Role::kTechnician, TechnicianId(client));
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1;
  int booked = 0;
  for (int n = 0;
       !stopping_ && (options_.max_jobs_per_client == 0 || n < options_.max_jobs_per_client); ++n) {
    if (n > 0) absl::SleepFor(options_.think_time);  // pacing, not a wait for a condition
    AckedJob job;
    job.key = absl::StrCat("c", client, "/", n);
    job.client = client;
    job::v1::CreateJobRequest create;
    *create.mutable_meta() = Meta(job.key + "/create");
    create.set_customer_id(customers_[client]);
    create.set_title(absl::StrCat("Fault ", job.key));
    create.set_priority(job::v1::JOB_PRIORITY_NORMAL);
    create.set_estimated_minutes(30);
    job::v1::JobReply created;
    if (!Command("create " + job.key, dispatcher, system_.jobs(),
                 &job::v1::JobService::Stub::CreateJob, create, &created)) {
      return;
    }
    job.job_id = created.job().job_id();
    job.number = created.job().number();
    Record(job);

    if (n % 2 == 0 || !options_.book) {
      job::v1::ChangeJobStatusRequest hold;
      *hold.mutable_meta() = Meta(job.key + "/hold");
      hold.set_job_id(job.job_id);
      hold.set_status(job::v1::JOB_STATUS_ON_HOLD);
      hold.set_reason("waiting for parts");
      job::v1::JobReply held;
      if (!Command("hold " + job.key, dispatcher, system_.jobs(),
                   &job::v1::JobService::Stub::ChangeJobStatus, hold, &held)) {
        return;
      }
      job.on_hold = true;
      Record(job);
      continue;
    }

    const absl::CivilMinute start =
        absl::CivilMinute(tomorrow + booked / kSlotsPerDay) + 8 * 60 + (booked % kSlotsPerDay) * 30;
    ++booked;
    scheduling::v1::ScheduleAppointmentRequest book;
    *book.mutable_meta() = Meta(job.key + "/book");
    book.set_job_id(job.job_id);
    *book.mutable_window()->mutable_start() =
        ProtoFromTime(absl::FromCivil(start, absl::UTCTimeZone()));
    *book.mutable_window()->mutable_end() =
        ProtoFromTime(absl::FromCivil(start + 30, absl::UTCTimeZone()));
    book.set_duration_minutes(30);
    book.add_technician_ids(TechnicianId(client));
    scheduling::v1::ScheduleReply booked_reply;
    if (!Command("book " + job.key, dispatcher, system_.dispatch(),
                 &scheduling::v1::DispatchService::Stub::ScheduleAppointment, book,
                 &booked_reply)) {
      return;
    }
    job.appointment_id = booked_reply.appointment().appointment_id();
    Record(job);
    if (!options_.en_route) continue;

    scheduling::v1::ChangeDispatchStateRequest en_route;
    *en_route.mutable_meta() = Meta(job.key + "/en-route");
    en_route.set_job_id(job.job_id);
    en_route.set_appointment_id(job.appointment_id);
    en_route.set_technician_id(TechnicianId(client));
    en_route.set_state(scheduling::v1::DISPATCH_STATE_EN_ROUTE);
    scheduling::v1::ScheduleReply en_route_reply;
    if (!Command("en route " + job.key, technician, system_.dispatch(),
                 &scheduling::v1::DispatchService::Stub::ChangeDispatchState, en_route,
                 &en_route_reply)) {
      return;
    }
    job.en_route = true;
    Record(job);
  }
}

std::vector<AckedJob> Workload::Acked() const {
  absl::MutexLock lock(&mu_);
  std::vector<AckedJob> jobs;
  for (const auto& [key, job] : acked_) jobs.push_back(job);
  return jobs;
}

std::vector<std::string> Workload::Failures() const {
  absl::MutexLock lock(&mu_);
  return failures_;
}

std::map<std::string, int> Workload::Retried() const {
  absl::MutexLock lock(&mu_);
  return retried_;
}

std::map<std::string, std::string> Workload::RetriedExamples() const {
  absl::MutexLock lock(&mu_);
  return retried_examples_;
}

absl::Duration Workload::SlowestOkAttempt() const {
  absl::MutexLock lock(&mu_);
  return slowest_ok_;
}

std::string Workload::CheckJobsAndSchedules(absl::Duration timeout) {
  const std::string dispatcher = system_.Token(auth::Role::kDispatcher, "dispatcher");
  const std::vector<AckedJob> acked = Acked();
  const auto problems = [&] {
    std::string found;
    // Exactly the acknowledged jobs: a retried create that made a second job shows here.
    std::set<std::string> expected;
    for (const AckedJob& job : acked) expected.insert(job.job_id);
    std::set<std::string> listed;
    for (const std::string& customer : customers_) {
      job::v1::ListJobsRequest list;
      list.set_customer_id(customer);
      list.set_page_size(500);
      do {
        job::v1::ListJobsResponse page;
        const grpc::Status status = e2e::Call(system_.jobs(), &job::v1::JobService::Stub::ListJobs,
                                              dispatcher, list, &page);
        if (!status.ok()) return absl::StrCat("list jobs: ", Describe(status), "\n");
        for (const job::v1::JobSummary& summary : page.jobs()) listed.insert(summary.job_id());
        list.set_page_token(page.next_page_token());
      } while (!list.page_token().empty());
    }
    if (listed != expected) {
      absl::StrAppend(&found, "the job service lists ", listed.size(), " jobs, ", expected.size(),
                      " were acknowledged\n");
    }
    for (const AckedJob& job : acked) {
      job::v1::GetJobRequest get;
      get.set_job_id(job.job_id);
      job::v1::JobView view;
      grpc::Status status =
          e2e::Call(system_.jobs(), &job::v1::JobService::Stub::GetJob, dispatcher, get, &view);
      if (!status.ok()) {
        absl::StrAppend(&found, job.key, ": get job: ", Describe(status), "\n");
        continue;
      }
      if (job.on_hold && view.job().status() != job::v1::JOB_STATUS_ON_HOLD) {
        absl::StrAppend(&found, job.key, ": acknowledged on hold, job service shows ",
                        job::v1::JobStatus_Name(view.job().status()), "\n");
      }
      if (job.appointment_id.empty()) continue;
      const auto& on = view.assignment().technician_ids();
      if (view.job().status() != job::v1::JOB_STATUS_SCHEDULED ||
          std::find(on.begin(), on.end(), TechnicianId(job.client)) == on.end()) {
        absl::StrAppend(&found, job.key, ": booked, job service shows ", view.ShortDebugString(),
                        "\n");
      }
      scheduling::v1::GetJobScheduleRequest schedule_request;
      schedule_request.set_job_id(job.job_id);
      scheduling::v1::JobSchedule schedule;
      status = e2e::Call(system_.dispatch(), &scheduling::v1::DispatchService::Stub::GetJobSchedule,
                         dispatcher, schedule_request, &schedule);
      bool seen = false;
      for (const scheduling::v1::Appointment& appointment : schedule.appointments()) {
        if (appointment.appointment_id() != job.appointment_id) continue;
        seen = !job.en_route;
        for (const scheduling::v1::TechnicianDispatch& dispatch : appointment.dispatch()) {
          seen = seen || (dispatch.technician_id() == TechnicianId(job.client) &&
                          dispatch.state() == scheduling::v1::DISPATCH_STATE_EN_ROUTE);
        }
      }
      if (!seen) {
        absl::StrAppend(&found, job.key, ": scheduling shows ", Describe(status), " ",
                        schedule.ShortDebugString(), "\n");
      }
    }
    return found;
  };
  std::string found;
  testing::WaitUntil([&] { return (found = problems()).empty(); }, timeout);
  return found;
}

std::string Workload::CheckReporting(absl::Duration timeout) {
  const std::string manager = system_.Token(auth::Role::kManager, "manager");
  std::set<std::string> on_hold;
  std::set<std::string> scheduled;
  for (const AckedJob& job : Acked()) {
    if (job.on_hold) on_hold.insert(job.job_id);
    if (!job.appointment_id.empty()) scheduled.insert(job.job_id);
  }
  const auto rows = [&](reporting::v1::ListJobsRequest list, std::string* error) {
    std::set<std::string> ids;
    list.set_page_size(500);
    do {
      reporting::v1::ListJobsResponse page;
      const grpc::Status status =
          e2e::Call(system_.reporting(), &reporting::v1::ReportingService::Stub::ListJobs, manager,
                    list, &page);
      if (!status.ok()) {
        *error = Describe(status);
        return ids;
      }
      for (const reporting::v1::JobRow& row : page.rows()) ids.insert(row.job_id());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    return ids;
  };
  const auto problems = [&] {
    std::string error;
    reporting::v1::ListJobsRequest held;
    held.set_view(reporting::v1::VIEW_ON_HOLD);
    const std::set<std::string> held_rows = rows(held, &error);
    reporting::v1::ListJobsRequest booked;
    booked.set_view(reporting::v1::VIEW_BY_STATUS);
    booked.set_status(job::v1::JOB_STATUS_SCHEDULED);
    const std::set<std::string> booked_rows = rows(booked, &error);
    std::string found;
    if (!error.empty()) absl::StrAppend(&found, "reporting: ", error, "\n");
    if (held_rows != on_hold) {
      absl::StrAppend(&found, "reporting lists ", held_rows.size(), " jobs on hold, ",
                      on_hold.size(), " were acknowledged\n");
    }
    if (booked_rows != scheduled) {
      absl::StrAppend(&found, "reporting lists ", booked_rows.size(), " scheduled jobs, ",
                      scheduled.size(), " were booked\n");
    }
    return found;
  };
  std::string found;
  testing::WaitUntil([&] { return (found = problems()).empty(); }, timeout);
  return found;
}

std::string Workload::CheckTexts(absl::Duration timeout) {
  const std::vector<AckedJob> acked = Acked();
  const auto on_the_way = [&](const std::vector<e2e::Sms>& sent, const AckedJob& job) {
    int count = 0;
    for (const e2e::Sms& sms : sent) {
      if (sms.to == phones_[job.client] && absl::StrContains(sms.body, "is on the way for") &&
          MentionsJob(sms.body, job.number)) {
        ++count;
      }
    }
    return count;
  };
  testing::WaitUntil(
      [&] {
        const std::vector<e2e::Sms> sent = system_.SmsSent();
        for (const AckedJob& job : acked) {
          if (job.en_route && on_the_way(sent, job) == 0) return false;
        }
        return true;
      },
      timeout);
  const std::vector<e2e::Sms> sent = system_.SmsSent();
  std::string found;
  for (const AckedJob& job : acked) {
    const int count = on_the_way(sent, job);
    if (count != (job.en_route ? 1 : 0)) {
      absl::StrAppend(&found, job.key, " (JOB-", job.number, "): ", count,
                      " on-the-way texts to the customer\n");
    }
  }
  std::set<std::string> keys;
  std::set<std::pair<std::string, std::string>> messages;
  for (const e2e::Sms& sms : sent) {
    if (!sms.key.empty() && !keys.insert(sms.key).second) {
      absl::StrAppend(&found, "idempotency key ", sms.key, " sent twice\n");
    }
    if (!messages.insert({sms.to, sms.body}).second) {
      absl::StrAppend(&found, "texted twice to ", sms.to, ": ", sms.body, "\n");
    }
  }
  return found;
}

std::string Workload::CheckEmails(absl::Duration timeout) {
  const std::vector<AckedJob> acked = Acked();
  const auto booked_mails = [&](const std::vector<e2e::Email>& sent, const AckedJob& job) {
    int count = 0;
    for (const e2e::Email& email : sent) {
      if (absl::StrContains(email.to, emails_[job.client]) &&
          absl::StrContains(email.body, "is booked for") && MentionsJob(email.body, job.number)) {
        ++count;
      }
    }
    return count;
  };
  testing::WaitUntil(
      [&] {
        const std::vector<e2e::Email> sent = system_.EmailsSent();
        for (const AckedJob& job : acked) {
          if (!job.appointment_id.empty() && booked_mails(sent, job) == 0) return false;
        }
        return true;
      },
      timeout);
  const std::vector<e2e::Email> sent = system_.EmailsSent();
  std::string found;
  for (const AckedJob& job : acked) {
    const int count = booked_mails(sent, job);
    if (count != (job.appointment_id.empty() ? 0 : 1)) {
      absl::StrAppend(&found, job.key, " (JOB-", job.number, "): ", count,
                      " booking emails to the customer\n");
    }
  }
  std::set<std::tuple<std::string, std::string, std::string>> messages;
  for (const e2e::Email& email : sent) {
    if (!messages.insert({email.to, email.subject, email.body}).second) {
      absl::StrAppend(&found, "emailed twice to ", email.to, ": ", email.subject, "\n");
    }
  }
  return found;
}

}  // namespace jobledger::fault
