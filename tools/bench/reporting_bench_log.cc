// The reporting benchmarks' log. One tenant: billing settings with labour rates, 20,000
// customers and 500 technicians first, then jobs in waves of 10,000 (a few days' work each), every
// wave moving through the stages below one stage at a time, as a day's events interleave:
//
//   stage      events (topic)                                            jobs that get there
//   create     JobCreated: a labour line, a material line for half (job)  all
//   schedule   AppointmentScheduled, 1 or 2 technicians (scheduling);
//              JobStatusChanged → Scheduled (job); MessageQueued (notif.) 95%
//   confirm    MessageSent (notification); for 5%: cancelled instead
//              (AppointmentCancelled, JobStatusChanged → Cancelled)
//   work       JobStatusChanged → In progress, WorkEntryLogged (job);
//              ExpenseAdded for 30% (job)                                 80%
//   complete   JobStatusChanged → Completed (job)                         75%
//   invoice    InvoiceCreated (billing's BuildJobInvoice), InvoiceIssued  65%
//   pay        PaymentRecorded, the whole balance (billing)               50%
//
// About 10 events per job, so 10M events are about 1M jobs. One job in five belongs to a project
// of 1,000 jobs (ProjectId).
#include "reporting_bench_log.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "billing/domain/billing_events.h"
#include "billing/domain/invoicing.h"
#include "google/protobuf/util/time_util.h"
#include "job/domain/customer_decide.h"
#include "job/domain/decide.h"
#include "job/domain/evolve.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/billing/v1/events.pb.h"
#include "jobledger/common/local_time.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/notification/v1/events.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "notification/domain/notification_events.h"
#include "scheduling/domain/schedule_events.h"

namespace jobledger::reporting::bench {
namespace {

using aggregate::AggregateKey;
using aggregate::Head;
using google::protobuf::Timestamp;

constexpr int32_t kPartitions = eventlog::kDefaultPartitions;
constexpr size_t kBatchRecords = 2'000;
constexpr int64_t kWave = 10'000;
constexpr int kCustomers = 20'000;
constexpr int kTechnicians = 500;

// How far a job gets; later stages include the earlier ones.
enum class Reach { kOpen, kScheduled, kCancelled, kInProgress, kCompleted, kInvoiced, kPaid };

uint64_t Mix(uint64_t x) {  // splitmix64: the job's draws, independent of its index's residues
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

Reach ReachOf(int64_t job, bool completed_only) {
  const uint64_t roll = Mix(static_cast<uint64_t>(job)) % 20;
  if (completed_only) return roll < 7 ? Reach::kInvoiced : Reach::kPaid;
  if (roll < 1) return Reach::kOpen;
  if (roll < 3) return Reach::kScheduled;
  if (roll < 4) return Reach::kCancelled;
  if (roll < 5) return Reach::kInProgress;
  if (roll < 7) return Reach::kCompleted;
  if (roll < 10) return Reach::kInvoiced;
  return Reach::kPaid;
}

// Ids shaped like the services' UUIDv7s, distinct per kind.
std::string IdOf(uint32_t kind, int64_t n) {
  return absl::StrFormat("%08x-0000-7000-8000-%012x", kind, n);
}
std::string JobId(int64_t job) { return IdOf(0x0190a001, job); }
std::string CustomerId(int64_t customer) { return IdOf(0x0190a002, customer); }
std::string TechnicianId(int64_t technician) { return IdOf(0x0190a003, technician); }

Timestamp ToProto(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

common::v1::Money Usd(int64_t cents) {
  common::v1::Money money;
  money.set_minor_units(cents);
  money.set_currency("USD");
  return money;
}

aggregate::CommandMeta MetaOf(const std::string& user, const std::string& role) {
  aggregate::CommandMeta meta;
  meta.actor.set_user_id(user);
  meta.actor.set_role(role);
  return meta;
}

// What the generator remembers of a job of the current wave.
struct JobState {
  int64_t index = 0;
  Reach reach = Reach::kOpen;
  int64_t customer = 0;
  job::v1::Job job;  // as its events leave it
  Head job_head;
  Head schedule_head;
  Head message_head;
  Head invoice_head;
  std::string appointment_id;
  std::string message_id;
  billing::v1::Invoice invoice;
  std::vector<std::string> technicians;
  absl::Time created_at;
  absl::Time visit_start;
};

class Generator {
 public:
  Generator(eventlog::EventLog& log, const LogShape& shape) : log_(log), shape_(shape) {}

  absl::StatusOr<LogStats> Run() {
    Prologue();
    for (int64_t first = 0; ok_ && !Full(); first += kWave) {
      if (shape_.max_jobs > 0 && first >= shape_.max_jobs) break;
      const int64_t end =
          shape_.max_jobs > 0 ? std::min(first + kWave, shape_.max_jobs) : first + kWave;
      Wave(first, end);
    }
    for (auto& [where, batch] : pending_) Flush(where, batch);
    if (!status_.ok()) return status_;
    return stats_;
  }

 private:
  bool Full() const { return shape_.max_events > 0 && stats_.events >= shape_.max_events; }

  // Seals the next event of `key` and queues its record; nothing once the log is full.
  events::v1::Event Emit(absl::string_view topic, const AggregateKey& key,
                         const aggregate::CommandMeta& meta, absl::string_view source,
                         absl::Time at, const google::protobuf::Message& payload, Head& head) {
    Uuid::Bytes id{};
    const uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(at));
    for (int i = 0; i < 6; ++i) id[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
    const uint64_t n = static_cast<uint64_t>(stats_.events);
    for (int i = 0; i < 8; ++i) id[8 + i] = static_cast<uint8_t>(n >> (56 - 8 * i));
    id[6] = 0x70;
    id[8] = static_cast<uint8_t>((id[8] & 0x3F) | 0x80);
    events::v1::Event event = aggregate::MakeEvent(key, meta, source, at, Uuid(id), payload, head);
    const std::pair<std::string, int32_t> where{std::string(topic),
                                                eventlog::PartitionForKey(key.id, kPartitions)};
    std::vector<eventlog::Record>& batch = pending_[where];
    batch.push_back(eventlog::EncodeEvent(event));
    if (batch.size() >= kBatchRecords) Flush(where, batch);
    ++stats_.events;
    return event;
  }

  void Flush(const std::pair<std::string, int32_t>& where, std::vector<eventlog::Record>& batch) {
    if (batch.empty()) return;
    Check(log_.Append(where.first, where.second, std::move(batch)).status());
    batch.clear();
  }

  void Check(const absl::Status& status) {
    if (!status.ok() && status_.ok()) status_ = status;
    ok_ = status_.ok();
  }

  // A job-topic event of `state`'s job, applied to the generator's copy of the job too.
  void EmitJob(JobState& state, absl::Time at, const job::JobEvent& payload,
               const aggregate::CommandMeta& meta) {
    if (Full()) return;
    const events::v1::Event event = std::visit(
        [&](const auto& p) -> events::v1::Event {
          return Emit(eventlog::kJobTopic, {kTenant, "job", JobId(state.index)}, meta,
                      "/jobledger/job", at, p, state.job_head);
        },
        payload);
    Check(job::EvolveJob(state.job, event.envelope(), payload));
  }

  void EmitStatus(JobState& state, absl::Time at, job::v1::JobStatus to,
                  job::v1::StatusChangeCause cause, const std::string& reason = "") {
    job::v1::JobStatusChanged changed;
    changed.set_from(state.job.status());
    changed.set_to(to);
    changed.set_cause(cause);
    changed.set_reason(reason);
    EmitJob(state, at, changed,
            cause == job::v1::STATUS_CHANGE_CAUSE_DISPATCH ? scheduler_ : dispatcher_);
  }

  // Settings, customers and technicians.
  void Prologue() {
    const absl::Time at = start_ - absl::Hours(24 * 30);
    billing::v1::BillingSettingsChanged settings;
    settings_.set_currency("USD");
    settings_.set_jurisdiction("US-CA");
    settings_.set_payment_terms_days(30);
    for (const auto& [type, cents] : {std::pair{"", 9'500}, std::pair{"overtime", 14'000},
                                      std::pair{"regular", 9'500}, std::pair{"travel", 6'000}}) {
      billing::v1::LaborRate& rate = *settings_.add_labor_rates();
      rate.set_work_type(type);
      *rate.mutable_hourly_cost() = Usd(cents * 2 / 5);
      *rate.mutable_hourly_price() = Usd(cents);
    }
    *settings.mutable_settings() = settings_;
    Head settings_head;
    Emit(eventlog::kBillingTopic, {kTenant, billing::kSettingsAggregate, kTenant}, office_,
         "/jobledger/billing", at, settings, settings_head);

    customers_.reserve(kCustomers);
    for (int i = 0; i < kCustomers && !Full(); ++i) {
      job::v1::Customer customer;
      customer.set_customer_id(CustomerId(i));
      customer.set_name(absl::StrCat(kNames[i % 8], " ", kSurnames[(i / 8) % 8], " ", i));
      job::v1::Contact& contact = *customer.add_contacts();
      contact.set_contact_id(IdOf(0x0190a004, i));
      contact.set_name(kNames[i % 8]);
      contact.set_phone(absl::StrFormat("+1555%07d", i));
      contact.set_email(absl::StrCat("customer", i, "@example.com"));
      contact.set_accepts_sms(true);
      contact.set_accepts_email(true);
      job::v1::Property& property = *customer.add_properties();
      property.set_property_id(IdOf(0x0190a005, i));
      property.set_name("Home");
      property.mutable_address()->set_line1(absl::StrCat(100 + i % 900, " Elm Street"));
      property.mutable_address()->set_city("Springfield");
      property.mutable_address()->set_region("IL");
      property.mutable_address()->set_postal_code(absl::StrCat(62700 + i % 100));
      property.mutable_address()->set_country("US");
      customer.set_primary_property_id(property.property_id());
      Head head;
      auto decided = job::DecideCreateCustomer(job::v1::Customer(), head, customer);
      if (!decided.ok()) return Check(decided.status());
      std::visit(
          [&](const auto& p) {
            Emit(eventlog::kJobTopic, {kTenant, "customer", customer.customer_id()}, dispatcher_,
                 "/jobledger/job", at, p, head);
          },
          decided->front());
      customers_.push_back(std::move(customer));
    }
    for (int t = 0; t < kTechnicians && !Full(); ++t) {
      scheduling::v1::TechnicianRegistered registered;
      registered.set_technician_id(TechnicianId(t));
      registered.set_name(absl::StrCat(kNames[t % 8], " ", kSurnames[t % 7], " ", t));
      registered.set_phone(absl::StrFormat("+1556%07d", t));
      registered.set_email(absl::StrCat("tech", t, "@example.com"));
      scheduling::v1::Skill& skill = *registered.add_skills();
      skill.set_name(kSkills[t % 4]);
      skill.set_level(1 + t % 5);
      Head head;
      Emit(eventlog::kSchedulingTopic,
           {kTenant, scheduling::kTechnicianAggregate, registered.technician_id()}, office_,
           "/jobledger/scheduling", at, registered, head);
    }
  }

  void Wave(int64_t first, int64_t end) {
    const absl::Time day = start_ + absl::Hours(24) * (first / kWave);
    std::vector<JobState> jobs(static_cast<size_t>(end - first));
    for (int64_t i = first; i < end && ok_ && !Full(); ++i) {
      JobState& state = jobs[static_cast<size_t>(i - first)];
      Create(state, i, day + absl::Hours(7) + absl::Seconds(3 * (i - first)));
    }
    using Stage = void (Generator::*)(JobState&);
    for (Stage stage : {&Generator::Schedule, &Generator::Confirm, &Generator::Work,
                        &Generator::Complete, &Generator::Invoice, &Generator::Pay}) {
      for (JobState& state : jobs) {
        if (!ok_ || Full()) return;
        if (state.job.version() > 0) (this->*stage)(state);
      }
    }
  }

  void Create(JobState& state, int64_t index, absl::Time at) {
    state.index = index;
    state.reach = ReachOf(index, shape_.completed_only);
    state.customer =
        static_cast<int64_t>(Mix(static_cast<uint64_t>(index) + 1) % customers_.size());
    state.created_at = at;
    const uint64_t draw = Mix(static_cast<uint64_t>(index) + 2);
    job::v1::CreateJobRequest request;
    request.set_customer_id(CustomerId(state.customer));
    request.set_title(absl::StrCat(kVerbs[draw % 5], " ", kThings[(draw / 5) % 8]));
    request.set_description("Customer reports it stopped working after the storm; bring parts.");
    request.set_priority(static_cast<job::v1::JobPriority>(1 + (draw / 40) % 3));
    request.set_estimated_minutes(60 + 30 * static_cast<int64_t>((draw / 120) % 6));
    if (index % 5 == 0) request.set_project_id(ProjectId(index / 5 / kJobsPerProject));
    job::v1::LineItem& labour = *request.add_line_items();
    labour.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
    labour.set_name("Service call");
    labour.set_quantity_milli(1'000);
    *labour.mutable_unit_price() = Usd(8'900 + static_cast<int64_t>(draw % 7) * 1'000);
    labour.set_billable(true);
    if ((draw >> 20) % 2 == 0) {
      job::v1::LineItem& material = *request.add_line_items();
      material.set_kind(job::v1::LINE_ITEM_KIND_MATERIAL);
      material.set_name("Replacement part");
      material.set_quantity_milli(1'000 * (1 + static_cast<int64_t>((draw >> 24) % 3)));
      *material.mutable_unit_price() = Usd(1'250 + static_cast<int64_t>((draw >> 28) % 40) * 100);
      material.set_billable(true);
    }
    int64_t line = 0;
    auto new_id = [&] { return IdOf(0x0190a006, index * 8 + line++); };
    auto built = job::BuildNewJob(request, customers_[static_cast<size_t>(state.customer)], nullptr,
                                  JobId(index), index + 1, new_id);
    if (!built.ok()) return Check(built.status());
    job::v1::JobCreated created;
    *created.mutable_job() = *std::move(built);
    EmitJob(state, at, created, dispatcher_);
    ++stats_.jobs;
  }

  void Schedule(JobState& state) {
    if (state.reach == Reach::kOpen) return;
    const uint64_t draw = Mix(static_cast<uint64_t>(state.index) + 3);
    const absl::Time at = state.created_at + absl::Minutes(10);
    state.visit_start = state.created_at - absl::Hours(7) + absl::Hours(24 * (1 + draw % 3)) +
                        absl::Hours(8 + static_cast<int64_t>((draw / 3) % 9));
    state.technicians = {TechnicianId(static_cast<int64_t>((draw >> 8) % kTechnicians))};
    if ((draw >> 20) % 100 < 15) {
      state.technicians.push_back(TechnicianId(static_cast<int64_t>((draw >> 30) % kTechnicians)));
    }
    state.appointment_id = IdOf(0x0190a007, state.index);
    scheduling::v1::AppointmentScheduled appointment;
    appointment.set_appointment_id(state.appointment_id);
    appointment.set_job_id(state.job.job_id());
    LocalDateToProto(LocalDay(state.visit_start, absl::UTCTimeZone()), appointment.mutable_date());
    *appointment.mutable_window()->mutable_start() = ToProto(state.visit_start);
    *appointment.mutable_window()->mutable_end() = ToProto(state.visit_start + absl::Hours(2));
    appointment.set_duration_minutes(state.job.estimated_minutes());
    for (const std::string& technician : state.technicians) {
      appointment.add_technician_ids(technician);
    }
    Emit(eventlog::kSchedulingTopic, {kTenant, scheduling::kScheduleAggregate, state.job.job_id()},
         dispatcher_, "/jobledger/scheduling", at, appointment, state.schedule_head);
    if (Full()) return;
    EmitStatus(state, at + absl::Seconds(1), job::v1::JOB_STATUS_SCHEDULED,
               job::v1::STATUS_CHANGE_CAUSE_DISPATCH);
    if (Full()) return;
    const job::v1::Customer& customer = customers_[static_cast<size_t>(state.customer)];
    state.message_id = IdOf(0x0190a008, state.index);
    notification::v1::MessageQueued queued;
    notification::v1::Message& message = *queued.mutable_message();
    message.set_message_id(state.message_id);
    message.set_channel(notification::v1::CHANNEL_SMS);
    message.set_trigger(notification::v1::TRIGGER_APPOINTMENT_SCHEDULED);
    message.set_job_id(state.job.job_id());
    message.set_job_number(state.job.number());
    message.set_customer_id(customer.customer_id());
    message.mutable_recipient()->set_audience(notification::v1::AUDIENCE_CUSTOMER);
    message.mutable_recipient()->set_contact_id(customer.contacts(0).contact_id());
    message.mutable_recipient()->set_name(customer.contacts(0).name());
    message.mutable_recipient()->set_address(customer.contacts(0).phone());
    message.set_body(absl::StrCat(
        "Hi ", customer.contacts(0).name(), ", your visit for JOB-", state.job.number(),
        " is booked for ",
        absl::FormatTime("%a %d %b between %H:%M", state.visit_start, absl::UTCTimeZone()),
        " and two hours later. Reply STOP to opt out."));
    message.set_sms_segments(1);
    message.set_status(notification::v1::MESSAGE_STATUS_QUEUED);
    message.set_provider_key(IdOf(0x0190a009, state.index));
    *message.mutable_next_attempt_at() = ToProto(at + absl::Seconds(2));
    message.set_cause_type("jobledger.scheduling.v1.AppointmentScheduled");
    Emit(eventlog::kNotificationTopic, {kTenant, notification::kMessageAggregate, state.message_id},
         notifier_, "/jobledger/notification", at + absl::Seconds(2), queued, state.message_head);
  }

  void Confirm(JobState& state) {
    if (state.reach == Reach::kOpen) return;
    const absl::Time at = state.created_at + absl::Minutes(10) + absl::Seconds(5);
    notification::v1::MessageSent sent;
    notification::v1::DeliveryAttempt& attempt = *sent.mutable_attempt();
    attempt.set_attempt(1);
    *attempt.mutable_at() = ToProto(at);
    attempt.set_outcome(notification::v1::ATTEMPT_OUTCOME_ACCEPTED);
    attempt.set_provider_message_id(absl::StrFormat("SM%030x", state.index));
    sent.set_provider_key(IdOf(0x0190a009, state.index));
    Emit(eventlog::kNotificationTopic, {kTenant, notification::kMessageAggregate, state.message_id},
         notifier_, "/jobledger/notification", at, sent, state.message_head);
    if (state.reach != Reach::kCancelled || Full()) return;
    scheduling::v1::AppointmentCancelled cancelled;
    cancelled.set_appointment_id(state.appointment_id);
    cancelled.set_job_id(state.job.job_id());
    cancelled.set_reason("customer cancelled");
    Emit(eventlog::kSchedulingTopic, {kTenant, scheduling::kScheduleAggregate, state.job.job_id()},
         dispatcher_, "/jobledger/scheduling", at + absl::Hours(1), cancelled, state.schedule_head);
    if (Full()) return;
    EmitStatus(state, at + absl::Hours(1), job::v1::JOB_STATUS_CANCELLED,
               job::v1::STATUS_CHANGE_CAUSE_MANUAL, "customer cancelled");
  }

  void Work(JobState& state) {
    if (state.reach < Reach::kInProgress) return;
    const uint64_t draw = Mix(static_cast<uint64_t>(state.index) + 4);
    const aggregate::CommandMeta technician = MetaOf(state.technicians.front(), "technician");
    const absl::Time start = state.visit_start + absl::Minutes(20);
    EmitStatus(state, start, job::v1::JOB_STATUS_IN_PROGRESS,
               job::v1::STATUS_CHANGE_CAUSE_CLOCK_IN);
    job::v1::WorkEntryLogged logged;
    job::v1::WorkEntry& entry = *logged.mutable_entry();
    entry.set_entry_id(IdOf(0x0190a00a, state.index));
    entry.set_employee_id(state.technicians.front());
    LocalDateToProto(LocalDay(start, absl::UTCTimeZone()), entry.mutable_date());
    entry.set_type(draw % 10 == 0 ? "overtime" : "regular");
    entry.set_minutes(45 + static_cast<int64_t>((draw / 10) % 180));
    entry.set_notes("Replaced the part and tested.");
    EmitJob(state, start + absl::Minutes(entry.minutes()), logged, technician);
    if ((draw >> 16) % 10 >= 3) return;
    job::v1::ExpenseAdded added;
    job::v1::Expense& expense = *added.mutable_expense();
    expense.set_expense_id(IdOf(0x0190a00b, state.index));
    expense.set_description("Parts from the supplier");
    *expense.mutable_amount() = Usd(1'200 + static_cast<int64_t>((draw >> 24) % 70) * 100);
    expense.set_employee_id(state.technicians.front());
    *expense.mutable_date() = entry.date();
    EmitJob(state, start + absl::Minutes(entry.minutes() + 1), added, technician);
  }

  absl::Time CompletedAt(const JobState& state) const {
    return state.visit_start + absl::Minutes(30 + state.job.work_log(0).minutes());
  }

  void Complete(JobState& state) {
    if (state.reach < Reach::kCompleted) return;
    EmitStatus(state, CompletedAt(state), job::v1::JOB_STATUS_COMPLETED,
               job::v1::STATUS_CHANGE_CAUSE_MANUAL);
    ++stats_.completed_jobs;
  }

  void Invoice(JobState& state) {
    if (state.reach < Reach::kInvoiced) return;
    const absl::Time at = CompletedAt(state) + absl::Hours(2);
    int64_t line = 0;
    auto invoice = billing::BuildJobInvoice(
        state.job, settings_, [](const std::string&) { return std::string(); }, {},
        IdOf(0x0190a00c, state.index), ++invoice_number_,
        [&] { return IdOf(0x0190a00d, state.index * 8 + line++); });
    if (!invoice.ok()) return Check(invoice.status());
    billing::v1::InvoiceCreated created;
    *created.mutable_invoice() = *invoice;
    const AggregateKey key{kTenant, billing::kInvoiceAggregate, invoice->invoice_id()};
    Emit(eventlog::kBillingTopic, key, office_, "/jobledger/billing", at, created,
         state.invoice_head);
    state.invoice = *std::move(invoice);
    if (Full()) return;
    billing::v1::InvoiceIssued issued;
    LocalDateToProto(LocalDay(at, absl::UTCTimeZone()) + 30, issued.mutable_due_date());
    Emit(eventlog::kBillingTopic, key, office_, "/jobledger/billing", at + absl::Minutes(1), issued,
         state.invoice_head);
  }

  void Pay(JobState& state) {
    if (state.reach < Reach::kPaid) return;
    const absl::Time at = CompletedAt(state) + absl::Hours(24 * (3 + state.index % 10));
    billing::v1::PaymentRecorded paid;
    billing::v1::Payment& payment = *paid.mutable_payment();
    payment.set_payment_id(IdOf(0x0190a00e, state.index));
    payment.set_kind(billing::v1::PAYMENT_KIND_PAYMENT);
    *payment.mutable_amount() = state.invoice.total();
    payment.set_method("card");
    payment.set_reference(absl::StrFormat("ch_%024x", state.index));
    *payment.mutable_received_at() = ToProto(at);
    *paid.mutable_balance_after() = Usd(0);
    Emit(eventlog::kBillingTopic, {kTenant, billing::kInvoiceAggregate, state.invoice.invoice_id()},
         office_, "/jobledger/billing", at, paid, state.invoice_head);
  }

  static constexpr const char* kNames[] = {"Ana",   "Sam",  "Ria",   "Lee",
                                           "Maria", "Omar", "Priya", "Jon"};
  static constexpr const char* kSurnames[] = {"Harper",   "Okafor",   "Lindqvist", "Moreau",
                                              "Castillo", "Nakamura", "Brennan",   "Adeyemi"};
  static constexpr const char* kSkills[] = {"electrical", "hvac", "plumbing", "roofing"};
  static constexpr const char* kVerbs[] = {"Repair", "Replace", "Inspect", "Service", "Install"};
  static constexpr const char* kThings[] = {"furnace", "boiler", "water heater", "thermostat",
                                            "panel",   "outlet", "drain",        "gutter"};

  eventlog::EventLog& log_;
  const LogShape shape_;
  const absl::Time start_ = absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone());
  const aggregate::CommandMeta dispatcher_ = MetaOf("dispatcher-1", "dispatcher");
  const aggregate::CommandMeta scheduler_ = MetaOf("service:scheduling", "service");
  const aggregate::CommandMeta notifier_ = MetaOf("service:notification", "service");
  const aggregate::CommandMeta office_ = MetaOf("billing-1", "billing");
  billing::v1::BillingSettings settings_;
  std::vector<job::v1::Customer> customers_;
  int64_t invoice_number_ = 0;
  std::map<std::pair<std::string, int32_t>, std::vector<eventlog::Record>> pending_;
  LogStats stats_;
  absl::Status status_;
  bool ok_ = true;
};

}  // namespace

ReportingTopics BenchTopics() {
  return {std::string(eventlog::kJobTopic), std::string(eventlog::kSchedulingTopic),
          std::string(eventlog::kBillingTopic), std::string(eventlog::kNotificationTopic)};
}

std::unique_ptr<eventlog::EmbeddedLog> OpenBenchLog(const std::string& directory) {
  eventlog::EmbeddedLogOptions options;
  options.directory = directory;
  for (absl::string_view topic : eventlog::kAllTopics) {
    options.owned_topics.push_back({std::string(topic), kPartitions});
  }
  auto log = eventlog::EmbeddedLog::Open(options);
  if (!log.ok()) std::abort();
  return *std::move(log);
}

absl::StatusOr<LogStats> FillLog(eventlog::EventLog& log, const LogShape& shape) {
  return Generator(log, shape).Run();
}

std::string ProjectId(int64_t k) { return IdOf(0x0190a00f, k); }

}  // namespace jobledger::reporting::bench
