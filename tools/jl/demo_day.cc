// The demo's working day, seeded through the job, scheduling and billing APIs.
#include "demo_day.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "demo_catalog.h"
#include "domain/calendar.h"  // the scheduling service's PeopleOf
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::cli::demo {
namespace {

using job::v1::JobStatus;
using scheduling::v1::Appointment;
using scheduling::v1::DispatchState;

// The status a planned outcome leaves the job in.
JobStatus StatusOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOpen:
      return job::v1::JOB_STATUS_OPEN;
    case Outcome::kHotList:
    case Outcome::kScheduled:
    case Outcome::kEnRoute:
      return job::v1::JOB_STATUS_SCHEDULED;
    case Outcome::kInProgress:
    case Outcome::kUnderway:
      return job::v1::JOB_STATUS_IN_PROGRESS;
    case Outcome::kOnHold:
      return job::v1::JOB_STATUS_ON_HOLD;
    case Outcome::kCompleted:
    case Outcome::kInvoiced:
    case Outcome::kPaid:
      return job::v1::JOB_STATUS_COMPLETED;
    case Outcome::kCancelled:
      return job::v1::JOB_STATUS_CANCELLED;
    case Outcome::kDeferred:
      return job::v1::JOB_STATUS_DEFERRED;
  }
  return job::v1::JOB_STATUS_UNSPECIFIED;
}

class DaySeeder {
 public:
  DaySeeder(DemoClient& client, const Roster& roster, absl::CivilDay today, absl::TimeZone zone)
      : client_(client), roster_(roster), today_(today), zone_(zone) {}

  absl::StatusOr<DayResult> Run() {
    for (const Job& plan : DayOfJobs()) {
      absl::StatusOr<job::v1::Job> job = Create(plan);
      if (!job.ok()) return job.status();
      job_ids_[plan.key] = job->job_id();
      ++result_.jobs;
      ++result_.by_status[StatusOf(plan.outcome)];
      if (plan.has_visit) ++result_.appointments;
      if (absl::Status s = Advance(plan, *job); !s.ok()) return s;
    }
    return std::move(result_);
  }

 private:
  // The instant of a local time today, in minutes after midnight.
  absl::Time At(int minute) const {
    return AtLocalTime(absl::CivilSecond(today_) + int64_t{minute} * 60, zone_);
  }

  absl::StatusOr<std::string> PropertyId(const Job& plan, const job::v1::Customer& customer) const {
    if (plan.property.empty()) return customer.primary_property_id();
    for (const job::v1::Property& property : customer.properties()) {
      if (property.name() == plan.property) return property.property_id();
    }
    return absl::InternalError(
        absl::StrCat("demo job ", plan.key, ": no property \"", plan.property, "\""));
  }

  absl::StatusOr<job::v1::Job> Create(const Job& plan) {
    const auto customer = roster_.customers.find(plan.customer_key);
    if (customer == roster_.customers.end()) {
      return absl::InternalError(
          absl::StrCat("demo job ", plan.key, ": no customer ", plan.customer_key));
    }
    job::v1::CreateJobRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("job/", plan.key));
    request.set_customer_id(customer->second.customer_id());
    absl::StatusOr<std::string> property_id = PropertyId(plan, customer->second);
    if (!property_id.ok()) return property_id.status();
    request.set_property_id(*property_id);
    request.set_title(plan.title);
    request.set_description(plan.description);
    request.set_job_type(plan.job_type);
    request.set_priority(plan.priority);
    for (const std::string& skill : plan.skills) request.add_required_skills(skill);
    request.set_estimated_minutes(plan.estimated_minutes);
    for (const Line& line : plan.lines) {
      const auto price = roster_.prices.find(line.code);
      if (price == roster_.prices.end()) {
        return absl::InternalError(absl::StrCat("demo job ", plan.key, ": no price ", line.code));
      }
      job::v1::LineItem& item = *request.add_line_items();
      item.set_kind(price->second.kind());
      item.set_price_book_item_id(price->second.price_item_id());
      item.set_name(price->second.name());
      item.set_description(price->second.description());
      item.set_quantity_milli(line.quantity_milli);
      *item.mutable_unit_price() = price->second.unit_price();
      item.set_billable(true);
    }
    for (const ChecklistItem& check : plan.checklist) {
      job::v1::ChecklistItem& item = *request.add_checklist();
      item.set_text(check.text);
      item.set_required(check.required);
    }
    request.set_notes(plan.internal_note);
    if (!plan.parent_key.empty()) {
      request.set_parent_job_id(job_ids_.at(plan.parent_key));
      request.set_progress_share_percent(plan.progress_share_percent);
    }
    request.set_project_id(plan.project_id);
    if (plan.contract_cents > 0) {
      request.mutable_contract_amount()->set_minor_units(plan.contract_cents);
      request.mutable_contract_amount()->set_currency(kCurrency);
    }
    // A booked visit's job is Scheduled from the start; a hot-list job is Open until its
    // unassigned visit is booked (scheduling then moves it to Scheduled).
    if (plan.has_visit && plan.outcome != Outcome::kHotList) {
      const Visit& visit = plan.visit;
      *request.mutable_scheduled_start() = ProtoFromTime(At(visit.window_start));
      *request.mutable_scheduled_end() = ProtoFromTime(
          At(std::max(visit.window_end, visit.window_start + visit.duration_minutes)));
    }
    auto reply = client_.Call(absl::StrCat("create job ", plan.key), Dispatcher(), client_.jobs(),
                              &job::v1::JobService::Stub::CreateJob, request);
    if (!reply.ok()) return reply.status();
    return reply->job();
  }

  absl::StatusOr<scheduling::v1::ScheduleReply> Book(const Job& plan, const std::string& job_id) {
    scheduling::v1::ScheduleAppointmentRequest request;
    *request.mutable_meta() = Meta(absl::StrCat("visit/", plan.key));
    request.set_job_id(job_id);
    *request.mutable_window()->mutable_start() = ProtoFromTime(At(plan.visit.window_start));
    *request.mutable_window()->mutable_end() = ProtoFromTime(At(plan.visit.window_end));
    request.set_duration_minutes(plan.visit.duration_minutes);
    for (const std::string& id : plan.visit.technician_ids) request.add_technician_ids(id);
    for (const std::string& key : plan.visit.crew_keys) {
      request.add_crew_ids(roster_.crew_ids.at(key));
    }
    auto reply = client_.Call(absl::StrCat("book the visit of job ", plan.key), Dispatcher(),
                              client_.dispatch(),
                              &scheduling::v1::DispatchService::Stub::ScheduleAppointment, request);
    return reply;
  }

  // Technicians act on a job once both services know they are on it: scheduling (its schedule)
  // and the job service (which learns assignments from scheduling's events).
  absl::Status WaitUntilAssigned(const Job& plan, const scheduling::v1::ScheduleReply& booked) {
    scheduling::v1::GetJobScheduleRequest schedule;
    schedule.set_job_id(booked.appointment().job_id());
    *schedule.mutable_min_position() = booked.result().position();
    auto got_schedule = client_.Call(
        absl::StrCat("read the schedule of job ", plan.key), Dispatcher(), client_.dispatch(),
        &scheduling::v1::DispatchService::Stub::GetJobSchedule, schedule);
    if (!got_schedule.ok()) return got_schedule.status();
    job::v1::GetJobRequest job;
    job.set_job_id(booked.appointment().job_id());
    *job.mutable_min_position() = booked.result().position();
    return client_
        .Call(absl::StrCat("read job ", plan.key, " after booking"), Dispatcher(), client_.jobs(),
              &job::v1::JobService::Stub::GetJob, job)
        .status();
  }

  absl::Status Dispatch(const Job& plan, const Appointment& visit, const std::string& technician,
                        DispatchState state, int minute) {
    scheduling::v1::ChangeDispatchStateRequest request;
    const std::string what = absl::StrCat(
        technician, " ", scheduling::v1::DispatchState_Name(state), " on job ", plan.key);
    *request.mutable_meta() = Meta(absl::StrCat("dispatch/", plan.key, "/", technician, "/",
                                                scheduling::v1::DispatchState_Name(state)),
                                   At(minute));
    request.set_job_id(visit.job_id());
    request.set_appointment_id(visit.appointment_id());
    request.set_technician_id(technician);
    request.set_state(state);
    return client_
        .Call(what, TechnicianActor(technician), client_.dispatch(),
              &scheduling::v1::DispatchService::Stub::ChangeDispatchState, request)
        .status();
  }

  absl::Status ClockIn(const Job& plan, const std::string& job_id, const std::string& technician,
                       int minute) {
    job::v1::ClockInRequest request;
    *request.mutable_meta() =
        Meta(absl::StrCat("clock-in/", plan.key, "/", technician), At(minute));
    request.set_job_id(job_id);
    request.set_employee_id(technician);
    request.set_type("regular");
    return client_
        .Call(absl::StrCat(technician, " clocks in on job ", plan.key), TechnicianActor(technician),
              client_.jobs(), &job::v1::JobService::Stub::ClockIn, request)
        .status();
  }

  absl::Status ClockOut(const Job& plan, const std::string& job_id, const std::string& technician,
                        int minute) {
    job::v1::ClockOutRequest request;
    *request.mutable_meta() =
        Meta(absl::StrCat("clock-out/", plan.key, "/", technician), At(minute));
    request.set_job_id(job_id);
    request.set_employee_id(technician);
    return client_
        .Call(absl::StrCat(technician, " clocks out of job ", plan.key),
              TechnicianActor(technician), client_.jobs(), &job::v1::JobService::Stub::ClockOut,
              request)
        .status();
  }

  absl::Status ChangeStatus(const Job& plan, const std::string& job_id, JobStatus status,
                            const Actor& actor, absl::Time at = absl::InfinitePast()) {
    job::v1::ChangeJobStatusRequest request;
    *request.mutable_meta() =
        Meta(absl::StrCat("status/", plan.key, "/", job::v1::JobStatus_Name(status)), at);
    request.set_job_id(job_id);
    request.set_status(status);
    request.set_reason(plan.reason);
    return client_
        .Call(absl::StrCat("move job ", plan.key, " to ", job::v1::JobStatus_Name(status)), actor,
              client_.jobs(), &job::v1::JobService::Stub::ChangeJobStatus, request)
        .status();
  }

  // On site: the technician ticks the required checklist items and leaves a note for the customer.
  absl::Status FinishWork(const Job& plan, const job::v1::Job& job, const std::string& technician,
                          int minute) {
    for (const job::v1::ChecklistItem& item : job.checklist()) {
      if (!item.required()) continue;
      job::v1::SetChecklistItemDoneRequest request;
      *request.mutable_meta() =
          Meta(absl::StrCat("checklist/", plan.key, "/", item.item_id()), At(minute));
      request.set_job_id(job.job_id());
      request.set_item_id(item.item_id());
      request.set_done(true);
      auto done = client_.Call(absl::StrCat("tick \"", item.text(), "\" on job ", plan.key),
                               TechnicianActor(technician), client_.jobs(),
                               &job::v1::JobService::Stub::SetChecklistItemDone, request);
      if (!done.ok()) return done.status();
    }
    if (plan.public_note.empty()) return absl::OkStatus();
    job::v1::AddNoteRequest note;
    *note.mutable_meta() = Meta(absl::StrCat("note/", plan.key), At(minute));
    note.set_job_id(job.job_id());
    note.set_text(plan.public_note);
    note.set_visibility(job::v1::NOTE_VISIBILITY_PUBLIC);
    return client_
        .Call(absl::StrCat("add the customer note of job ", plan.key), TechnicianActor(technician),
              client_.jobs(), &job::v1::JobService::Stub::AddNote, note)
        .status();
  }

  absl::Status Invoice(const Job& plan, const std::string& job_id) {
    billing::v1::CreateInvoiceRequest create;
    *create.mutable_meta() = Meta(absl::StrCat("invoice/", plan.key));
    create.set_job_id(job_id);
    auto draft =
        client_.Call(absl::StrCat("invoice job ", plan.key), BillingClerk(), client_.billing(),
                     &billing::v1::BillingService::Stub::CreateInvoice, create);
    if (!draft.ok()) return draft.status();
    billing::v1::InvoiceActionRequest issue;
    *issue.mutable_meta() = Meta(absl::StrCat("invoice/", plan.key, "/issue"));
    issue.set_invoice_id(draft->invoice().invoice_id());
    auto issued =
        client_.Call(absl::StrCat("issue the invoice of job ", plan.key), BillingClerk(),
                     client_.billing(), &billing::v1::BillingService::Stub::IssueInvoice, issue);
    if (!issued.ok()) return issued.status();
    ++result_.invoices;
    if (plan.outcome == Outcome::kPaid) result_.to_pay.push_back(issued->invoice());
    return absl::OkStatus();
  }

  // Takes a created job to where the plan leaves it at midday.
  absl::Status Advance(const Job& plan, const job::v1::Job& job) {
    switch (plan.outcome) {
      case Outcome::kOpen:
        return absl::OkStatus();
      case Outcome::kCancelled:
      case Outcome::kDeferred:
      case Outcome::kUnderway:
        return ChangeStatus(plan, job.job_id(), StatusOf(plan.outcome), Dispatcher());
      default:
        break;
    }
    if (!plan.has_visit) {
      return absl::InternalError(absl::StrCat("demo job ", plan.key, " needs a visit"));
    }
    if (job.status() == job::v1::JOB_STATUS_COMPLETED) {
      // An earlier run stopped after the field work (scheduling takes no visits for a completed
      // job, not even a retried one): only the billing may be left.
      return plan.outcome == Outcome::kCompleted ? absl::OkStatus() : Invoice(plan, job.job_id());
    }
    absl::StatusOr<scheduling::v1::ScheduleReply> booked = Book(plan, job.job_id());
    if (!booked.ok()) return booked.status();
    if (plan.outcome == Outcome::kHotList || plan.outcome == Outcome::kScheduled) {
      return absl::OkStatus();
    }
    if (absl::Status s = WaitUntilAssigned(plan, *booked); !s.ok()) return s;
    const Appointment& visit = booked->appointment();
    const int start = plan.visit.window_start;
    const std::vector<std::string> people = scheduling::PeopleOf(visit);
    if (plan.outcome == Outcome::kEnRoute) {
      for (const std::string& person : people) {
        if (absl::Status s =
                Dispatch(plan, visit, person, scheduling::v1::DISPATCH_STATE_EN_ROUTE, start - 15);
            !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    }
    const int clock_in = start + 10;
    const int clock_out = clock_in + plan.worked_minutes;
    for (const std::string& person : people) {
      for (const auto& [state, minute] : std::vector<std::pair<DispatchState, int>>{
               {scheduling::v1::DISPATCH_STATE_EN_ROUTE, start - 20},
               {scheduling::v1::DISPATCH_STATE_ARRIVED, start + 5}}) {
        if (absl::Status s = Dispatch(plan, visit, person, state, minute); !s.ok()) return s;
      }
      // Not for a job that will be put on hold: scheduling reacts to "working" by moving the job
      // to In progress, and that reaction could land after the hold.
      if (plan.outcome != Outcome::kOnHold) {
        if (absl::Status s =
                Dispatch(plan, visit, person, scheduling::v1::DISPATCH_STATE_WORKING, clock_in);
            !s.ok()) {
          return s;
        }
      }
      if (absl::Status s = ClockIn(plan, job.job_id(), person, clock_in); !s.ok()) return s;
    }
    if (plan.outcome == Outcome::kInProgress) return absl::OkStatus();

    if (absl::Status s = FinishWork(plan, job, people.front(), clock_out - 5); !s.ok()) return s;
    for (const std::string& person : people) {
      if (absl::Status s = ClockOut(plan, job.job_id(), person, clock_out); !s.ok()) return s;
      const DispatchState leaving = plan.outcome == Outcome::kOnHold
                                        ? scheduling::v1::DISPATCH_STATE_DEPARTED
                                        : scheduling::v1::DISPATCH_STATE_COMPLETED;
      if (absl::Status s = Dispatch(plan, visit, person, leaving, clock_out + 5); !s.ok()) {
        return s;
      }
    }
    if (plan.outcome == Outcome::kOnHold) {
      return ChangeStatus(plan, job.job_id(), job::v1::JOB_STATUS_ON_HOLD,
                          TechnicianActor(people.front()), At(clock_out + 5));
    }
    if (absl::Status s = ChangeStatus(plan, job.job_id(), job::v1::JOB_STATUS_COMPLETED,
                                      TechnicianActor(people.front()), At(clock_out + 5));
        !s.ok()) {
      return s;
    }
    if (plan.outcome == Outcome::kInvoiced || plan.outcome == Outcome::kPaid) {
      return Invoice(plan, job.job_id());
    }
    return absl::OkStatus();
  }

  DemoClient& client_;
  const Roster& roster_;
  const absl::CivilDay today_;
  const absl::TimeZone zone_;
  std::map<std::string, std::string> job_ids_;  // by plan key
  DayResult result_;
};

}  // namespace

absl::StatusOr<DayResult> SeedDay(DemoClient& client, const Roster& roster, absl::CivilDay today,
                                  absl::TimeZone zone) {
  return DaySeeder(client, roster, today, zone).Run();
}

}  // namespace jobledger::cli::demo
