// The seeder: customers, jobs, status changes and appointments, appended as sealed events; with
// scheduling technicians, their profiles and shifts and calendars filled without overlaps.
#include "jobledger/loadgen/seed.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "domain/customer_decide.h"
#include "domain/decide.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"

namespace jobledger::loadgen {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kBatchRecords = 2'000;
constexpr absl::Duration kYear = absl::Hours(24 * 365);
// The scheduling seed: the share of calendar slots its appointments fill.
constexpr double kCalendarFill = 0.75;
// Technicians per scheduling appointment: 5% none, 80% one, 15% two.
constexpr double kTechniciansPerAppointment = 0.80 + 2 * 0.15;

const std::vector<std::string>& Surnames() {
  static const auto* names = new std::vector<std::string>{
      "Harper",   "Okafor", "Lindqvist", "Moreau", "Castillo", "Nakamura", "Brennan",   "Adeyemi",
      "Kowalski", "Santos", "Whitfield", "Dubois", "Haddad",   "Petrov",   "Gallagher", "Mendes"};
  return *names;
}

const std::vector<std::string>& Verbs() {
  static const auto* verbs =
      new std::vector<std::string>{"Repair", "Replace", "Inspect", "Service", "Install"};
  return *verbs;
}

// The title words (SeededTitleWords) of each skill's jobs, in SeededSkills' order.
const std::vector<std::vector<std::string>>& SkillWords() {
  static const auto* words = new std::vector<std::vector<std::string>>{
      {"panel", "outlet", "breaker"},
      {"furnace", "boiler", "heater", "thermostat", "compressor"},
      {"drain", "faucet", "toilet"},
      {"roof", "gutter", "window"}};
  return *words;
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// Buffers encoded records per topic and partition and appends them in large batches, in order.
class BatchAppender {
 public:
  explicit BatchAppender(eventlog::EventLog& log) : log_(log) {}

  absl::Status Add(absl::string_view topic, int32_t partition, const events::v1::Event& event) {
    std::vector<eventlog::Record>& batch = pending_[{std::string(topic), partition}];
    batch.push_back(eventlog::EncodeEvent(event));
    if (batch.size() >= kBatchRecords) return Flush(std::string(topic), partition, batch);
    return absl::OkStatus();
  }

  absl::Status FlushAll() {
    for (auto& [where, batch] : pending_) {
      if (absl::Status s = Flush(where.first, where.second, batch); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Flush(const std::string& topic, int32_t partition,
                     std::vector<eventlog::Record>& batch) {
    if (batch.empty()) return absl::OkStatus();
    auto appended = log_.Append(topic, partition, std::move(batch));
    batch.clear();
    return appended.status();
  }

  eventlog::EventLog& log_;
  std::map<std::pair<std::string, int32_t>, std::vector<eventlog::Record>> pending_;
};

// The status a seeded job ends in, and whether it has a schedule and an appointment.
struct JobPlan {
  job::v1::JobStatus status = job::v1::JOB_STATUS_OPEN;
  bool scheduled = false;
  int technicians = 0;  // 0: unassigned
};

JobPlan PlanJob(std::mt19937_64& random) {
  JobPlan plan;
  const int roll = static_cast<int>(random() % 100);
  if (roll < 10) return plan;  // Open: no date, nobody assigned
  plan.scheduled = true;
  if (roll < 30) {
    plan.status = job::v1::JOB_STATUS_SCHEDULED;
  } else if (roll < 40) {
    plan.status = job::v1::JOB_STATUS_IN_PROGRESS;
  } else if (roll < 45) {
    plan.status = job::v1::JOB_STATUS_ON_HOLD;
  } else if (roll < 95) {
    plan.status = job::v1::JOB_STATUS_COMPLETED;
  } else {
    plan.status = job::v1::JOB_STATUS_CANCELLED;
  }
  const int assigned = static_cast<int>(random() % 100);
  plan.technicians = assigned < 8 ? 0 : (assigned < 85 ? 1 : 2);
  return plan;
}

// One labour line of one to four hours.
void AddLabourLine(std::mt19937_64& random, job::v1::CreateJobRequest& request) {
  job::v1::LineItem& line = *request.add_line_items();
  line.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
  line.set_name("Labour");
  line.set_quantity_milli(1000 * (1 + static_cast<int64_t>(random() % 4)));
  line.mutable_unit_price()->set_minor_units(5'000 + static_cast<int64_t>(random() % 20'000));
  line.mutable_unit_price()->set_currency("USD");
  line.set_billable(true);
}

// A technician of the scheduling seed: skills follow from the index so that every skill has
// about as many technicians.
std::vector<int> TechnicianSkills(int64_t index) {
  const int count = static_cast<int>(SeededSkills().size());
  std::vector<int> skills = {static_cast<int>(index % count)};
  if (index % 3 == 0) {
    const int second = static_cast<int>((index / 3 + 1) % count);
    if (second != skills[0]) skills.push_back(second);
  }
  std::sort(skills.begin(), skills.end());
  return skills;
}

// Which technician-slots of the calendar are taken.
class SlotBook {
 public:
  SlotBook(int technicians, int64_t slots)
      : slots_(slots), taken_(static_cast<size_t>(technicians) * slots, false) {}

  bool Free(int technician, int64_t slot) const { return !taken_[Index(technician, slot)]; }
  void Take(int technician, int64_t slot) { taken_[Index(technician, slot)] = true; }

  // A slot free for all of `technicians`: random draws first, then a scan from a random start.
  std::optional<int64_t> FindFree(const std::vector<int>& technicians, std::mt19937_64& random) {
    auto free_for_all = [&](int64_t slot) {
      return std::all_of(technicians.begin(), technicians.end(),
                         [&](int t) { return Free(t, slot); });
    };
    for (int attempt = 0; attempt < 32; ++attempt) {
      const auto slot = static_cast<int64_t>(random() % slots_);
      if (free_for_all(slot)) return slot;
    }
    const auto start = static_cast<int64_t>(random() % slots_);
    for (int64_t i = 0; i < slots_; ++i) {
      if (free_for_all((start + i) % slots_)) return (start + i) % slots_;
    }
    return std::nullopt;
  }

 private:
  size_t Index(int technician, int64_t slot) const {
    return static_cast<size_t>(technician) * slots_ + static_cast<size_t>(slot);
  }
  int64_t slots_;
  std::vector<bool> taken_;
};

class Seeder {
 public:
  Seeder(const SeedOptions& options, eventlog::EventLog& log)
      : options_(options),
        appender_(log),
        random_(options.random_seed),
        history_start_(options.now - kYear),
        step_(kYear / std::max<int64_t>(options.jobs, 1)) {
    meta_.actor.set_user_id("dispatcher-0");
    meta_.actor.set_role("dispatcher");
    meta_.actor.set_name("Seeder");
  }

  absl::StatusOr<SeedResult> Run() {
    const absl::Time started = absl::Now();
    if (absl::Status s = SeedCustomers(); !s.ok()) return s;
    if (options_.customers == 0 && options_.jobs > 0) {
      return absl::InvalidArgumentError("--customers: jobs need at least one customer");
    }
    if (options_.scheduling_technicians > 0) {
      if (absl::Status s = SeedTechnicians(); !s.ok()) return s;
    }
    for (int64_t i = 0; i < options_.jobs; ++i) {
      absl::Status seeded = options_.scheduling_technicians > 0 ? SeedSchedulingJob(i) : SeedJob(i);
      if (!seeded.ok()) return seeded;
      ++result_.jobs;
      if (options_.progress && (i + 1) % 10'000 == 0) options_.progress(i + 1, options_.jobs);
    }
    if (absl::Status s = appender_.FlushAll(); !s.ok()) return s;
    if (options_.progress) options_.progress(options_.jobs, options_.jobs);
    result_.elapsed = absl::Now() - started;
    return result_;
  }

 private:
  const std::string& Pick(const std::vector<std::string>& from) {
    return from[random_() % from.size()];
  }
  int32_t Partition(const std::string& id) const {
    return eventlog::PartitionForKey(id, options_.partitions);
  }

  absl::Status Append(absl::string_view topic, const aggregate::AggregateKey& key,
                      const aggregate::CommandMeta& meta, absl::string_view source,
                      absl::Time occurred_at, const google::protobuf::Message& payload,
                      aggregate::Head& head) {
    return appender_.Add(
        topic, Partition(key.id),
        aggregate::MakeEvent(key, meta, source, occurred_at, event_ids_.NewId(), payload, head));
  }

  // Each with one or two tags and a primary property.
  absl::Status SeedCustomers() {
    customers_.reserve(options_.customers);
    for (int i = 0; i < options_.customers; ++i) {
      job::v1::Customer customer;
      customer.set_customer_id(SeededCustomerId(i));
      customer.set_name(absl::StrCat(Pick(Surnames()), " ", Pick(Surnames()), " ", i));
      customer.add_tags(SeededTags()[i % SeededTags().size()]);
      if (i % 3 == 0) customer.add_tags(SeededTags()[(i / 3 + 1) % SeededTags().size()]);
      std::sort(customer.mutable_tags()->begin(), customer.mutable_tags()->end());
      customer.mutable_tags()->erase(
          std::unique(customer.mutable_tags()->begin(), customer.mutable_tags()->end()),
          customer.mutable_tags()->end());
      job::v1::Property& property = *customer.add_properties();
      property.set_property_id(absl::StrFormat("00000004-0000-7000-8000-%012x", i));
      property.set_name("Main");
      property.mutable_address()->set_line1(absl::StrCat(100 + i % 900, " Elm Street"));
      property.mutable_address()->set_city("Springfield");
      property.mutable_address()->set_country("US");
      customer.set_primary_property_id(property.property_id());
      aggregate::Head head;
      auto decided = job::DecideCreateCustomer(job::v1::Customer(), head, customer);
      if (!decided.ok()) return decided.status();
      const aggregate::AggregateKey key{options_.tenant, "customer", customer.customer_id()};
      const auto& created = std::get<job::v1::CustomerCreated>(decided->front());
      if (absl::Status s = Append(eventlog::kJobTopic, key, meta_, "/jobledger/job", history_start_,
                                  created, head);
          !s.ok()) {
        return s;
      }
      customers_.push_back(std::move(customer));
      ++result_.customers;
      ++result_.job_events;
    }
    return absl::OkStatus();
  }

  static aggregate::CommandMeta JobMeta(int64_t i) {
    aggregate::CommandMeta meta;
    meta.actor.set_user_id(absl::StrCat("dispatcher-", i % 10));
    meta.actor.set_role("dispatcher");
    meta.actor.set_name(absl::StrCat("Dispatcher ", i % 10));
    return meta;
  }

  // JobCreated, then a JobStatusChanged at `changed_at` when `status` is not the initial one.
  absl::Status AppendJob(int64_t i, const job::v1::CreateJobRequest& request,
                         const job::v1::Customer& customer, absl::Time created_at,
                         job::v1::JobStatus status, absl::Time changed_at) {
    const std::string job_id = SeededJobId(i);
    auto new_id = [&] { return absl::StrFormat("00000005-0000-7000-8000-%012x", ++id_counter_); };
    auto job = job::BuildNewJob(request, customer, nullptr, job_id, i + 1, new_id);
    if (!job.ok()) return job.status();
    const aggregate::CommandMeta job_meta = JobMeta(i);
    const aggregate::AggregateKey key{options_.tenant, "job", job_id};
    aggregate::Head head;
    job::v1::JobCreated created;
    *created.mutable_job() = *std::move(job);
    const job::v1::JobStatus initial = created.job().status();
    if (absl::Status s =
            Append(eventlog::kJobTopic, key, job_meta, "/jobledger/job", created_at, created, head);
        !s.ok()) {
      return s;
    }
    ++result_.job_events;
    if (status == initial) return absl::OkStatus();
    job::v1::JobStatusChanged changed;
    changed.set_from(initial);
    changed.set_to(status);
    changed.set_cause(job::v1::STATUS_CHANGE_CAUSE_MANUAL);
    if (status == job::v1::JOB_STATUS_ON_HOLD) changed.set_reason("waiting for parts");
    if (status == job::v1::JOB_STATUS_CANCELLED) changed.set_reason("customer cancelled");
    if (absl::Status s =
            Append(eventlog::kJobTopic, key, job_meta, "/jobledger/job", changed_at, changed, head);
        !s.ok()) {
      return s;
    }
    ++result_.job_events;
    return absl::OkStatus();
  }

  // An AppointmentScheduled of job `i`'s schedule: a two-hour arrival window from `start`.
  absl::Status AppendAppointment(int64_t i, absl::Time start, int64_t duration_minutes,
                                 std::vector<std::string> technicians, absl::Time occurred_at) {
    const std::string job_id = SeededJobId(i);
    scheduling::v1::AppointmentScheduled appointment;
    appointment.set_appointment_id(absl::StrFormat("00000003-0000-7000-8000-%012x", i));
    appointment.set_job_id(job_id);
    const absl::CivilDay day = absl::ToCivilDay(start, absl::UTCTimeZone());
    appointment.mutable_date()->set_year(static_cast<int32_t>(day.year()));
    appointment.mutable_date()->set_month(day.month());
    appointment.mutable_date()->set_day(day.day());
    *appointment.mutable_window()->mutable_start() = ToProto(start);
    *appointment.mutable_window()->mutable_end() = ToProto(start + absl::Hours(2));
    appointment.set_duration_minutes(duration_minutes);
    for (std::string& technician : technicians) {
      appointment.add_technician_ids(std::move(technician));
    }
    aggregate::Head head;
    const aggregate::AggregateKey key{options_.tenant, "job_schedule", job_id};
    if (absl::Status s = Append(eventlog::kSchedulingTopic, key, JobMeta(i),
                                "/jobledger/scheduling", occurred_at, appointment, head);
        !s.ok()) {
      return s;
    }
    ++result_.scheduling_events;
    ++result_.appointments;
    return absl::OkStatus();
  }

  // Job `i` without scheduling technicians: a status from PlanJob, a date within
  // schedule_spread_days of now, technicians drawn from `technicians`.
  absl::Status SeedJob(int64_t i) {
    const job::v1::Customer& customer = customers_[random_() % customers_.size()];
    const JobPlan plan = PlanJob(random_);
    const absl::Time created_at = history_start_ + step_ * i;
    job::v1::CreateJobRequest request;
    request.set_customer_id(customer.customer_id());
    request.set_title(absl::StrCat(Pick(Verbs()), " ", Pick(SeededTitleWords())));
    request.set_priority(static_cast<job::v1::JobPriority>(1 + random_() % 3));
    request.set_estimated_minutes(30 + 30 * static_cast<int64_t>(random_() % 8));
    AddLabourLine(random_, request);
    absl::Time scheduled_start;
    if (plan.scheduled) {
      // Around the creation date, on a working hour, up to schedule_spread_days either side.
      const int64_t spread_hours = int64_t{24} * options_.schedule_spread_days;
      const absl::Time day = absl::FromUnixSeconds(
          (absl::ToUnixSeconds(options_.now) / 86400 +
           static_cast<int64_t>(random_() % (2 * spread_hours / 24 + 1)) - spread_hours / 24) *
          86400);
      scheduled_start = day + absl::Hours(8 + static_cast<int64_t>(random_() % 9));
      *request.mutable_scheduled_start() = ToProto(scheduled_start);
      *request.mutable_scheduled_end() =
          ToProto(scheduled_start + absl::Minutes(request.estimated_minutes()));
    }
    if (absl::Status s =
            AppendJob(i, request, customer, created_at, plan.status, created_at + absl::Minutes(5));
        !s.ok()) {
      return s;
    }
    if (!plan.scheduled) return absl::OkStatus();
    std::vector<std::string> technicians;
    for (int t = 0; t < plan.technicians; ++t) {
      technicians.push_back(
          SeededTechnicianId(static_cast<int64_t>(random_() % options_.technicians)));
    }
    return AppendAppointment(i, scheduled_start, request.estimated_minutes(),
                             std::move(technicians), created_at + absl::Minutes(1));
  }

  // TechnicianRegistered and ShiftsSet for each, and the calendar their appointments will fill.
  absl::Status SeedTechnicians() {
    calendar_ =
        SeededSchedulingCalendar(options_.jobs, options_.scheduling_technicians, options_.now);
    slots_.emplace(options_.scheduling_technicians, calendar_.slots());
    skill_holders_.assign(SeededSkills().size(), {});
    for (int t = 0; t < options_.scheduling_technicians; ++t) {
      const std::string id = SeededTechnicianId(t);
      scheduling::v1::TechnicianRegistered registered;
      registered.set_technician_id(id);
      registered.set_name(absl::StrCat(Pick(Surnames()), " ", Pick(Surnames()), " ", t));
      registered.set_phone(absl::StrFormat("+1555%07d", t));
      registered.set_email(absl::StrCat(id, "@loadgen.example"));
      for (int skill : TechnicianSkills(t)) {
        scheduling::v1::Skill& held = *registered.add_skills();
        held.set_name(SeededSkills()[skill]);
        held.set_level(1 + static_cast<int32_t>(random_() % 5));
        skill_holders_[skill].push_back(t);
      }
      scheduling::v1::ShiftsSet shifts;
      shifts.set_technician_id(id);
      for (int weekday = 1; weekday <= 6; ++weekday) {  // Monday to Saturday
        scheduling::v1::ShiftPeriod& period = *shifts.add_shifts();
        period.set_weekday(weekday);
        period.set_start_minute(SeededCalendar::kFirstSlotHour * 60);
        period.set_end_minute((SeededCalendar::kFirstSlotHour +
                               SeededCalendar::kSlotsPerDay * SeededCalendar::kSlotHours) *
                              60);
      }
      const aggregate::AggregateKey key{options_.tenant, "technician", id};
      aggregate::Head head;
      for (const google::protobuf::Message* event :
           std::initializer_list<const google::protobuf::Message*>{&registered, &shifts}) {
        if (absl::Status s = Append(eventlog::kSchedulingTopic, key, meta_, "/jobledger/scheduling",
                                    history_start_, *event, head);
            !s.ok()) {
          return s;
        }
        ++result_.scheduling_events;
      }
      ++result_.technicians;
    }
    return absl::OkStatus();
  }

  // Job `i` of the scheduling seed: Open without a date (every tenth), or booked into a free
  // slot of its technicians, its status following from when that slot is.
  absl::Status SeedSchedulingJob(int64_t i) {
    const job::v1::Customer& customer = customers_[random_() % customers_.size()];
    job::v1::CreateJobRequest request;
    request.set_customer_id(customer.customer_id());
    request.set_priority(static_cast<job::v1::JobPriority>(1 + random_() % 3));
    request.set_estimated_minutes(30 + 30 * static_cast<int64_t>(random_() % 4));  // ≤ the window
    AddLabourLine(random_, request);
    auto set_skill = [&](int skill) {
      request.add_required_skills(SeededSkills()[skill]);
      request.set_title(absl::StrCat(Pick(Verbs()), " ", Pick(SkillWords()[skill])));
    };
    if (i % 10 == 9) {  // the backlog: created in the last two weeks, waiting for a date
      set_skill(static_cast<int>(random_() % SeededSkills().size()));
      const absl::Time created_at =
          options_.now - absl::Minutes(1 + static_cast<int64_t>(random_() % (14 * 24 * 60)));
      return AppendJob(i, request, customer, created_at, job::v1::JOB_STATUS_OPEN, created_at);
    }
    // Who goes: a technician drawn evenly (so calendars fill evenly), the job needing one of
    // their skills, sometimes with a second technician who has it too.
    std::vector<int> people;
    const int roll = static_cast<int>(random_() % 100);
    const int first = static_cast<int>(random_() % options_.scheduling_technicians);
    const std::vector<int> first_skills = TechnicianSkills(first);
    const int skill = first_skills[random_() % first_skills.size()];
    set_skill(skill);
    if (roll >= 5) people.push_back(first);
    const std::vector<int>& holders = skill_holders_[skill];
    if (roll >= 85 && holders.size() > 1) {
      int second = first;
      while (second == first) second = holders[random_() % holders.size()];
      people.push_back(second);
    }
    int64_t slot = static_cast<int64_t>(random_() % calendar_.slots());  // unassigned: anywhere
    if (!people.empty()) {
      std::optional<int64_t> free = slots_->FindFree(people, random_);
      if (!free.has_value() && people.size() > 1) {
        people.pop_back();  // the pair has no common free slot left: the first goes alone
        free = slots_->FindFree(people, random_);
      }
      if (!free.has_value()) {
        return absl::ResourceExhaustedError(
            absl::StrCat("technician ", SeededTechnicianId(first), "'s calendar is full"));
      }
      slot = *free;
      for (int t : people) slots_->Take(t, slot);
      result_.booked_slots += static_cast<int64_t>(people.size());
    }
    const absl::Time start = calendar_.SlotStart(slot);
    const absl::Time end = start + absl::Hours(SeededCalendar::kSlotHours);
    *request.mutable_scheduled_start() = ToProto(start);
    *request.mutable_scheduled_end() = ToProto(end);
    // Booked one to thirty days ahead of the visit; a status change after a past visit comes
    // after it, so that no reaction takes it for a visit still ahead.
    const absl::Time created_at =
        std::min(start - absl::Hours(24 * (1 + static_cast<int64_t>(random_() % 30))),
                 options_.now - absl::Hours(1));
    job::v1::JobStatus status = job::v1::JOB_STATUS_SCHEDULED;
    absl::Time changed_at = created_at + absl::Minutes(5);
    const int outcome = static_cast<int>(random_() % 100);
    if (end <= options_.now) {
      status = outcome < 92 ? job::v1::JOB_STATUS_COMPLETED : job::v1::JOB_STATUS_CANCELLED;
      changed_at = std::min(end + absl::Minutes(30), options_.now);
    } else if (start <= options_.now) {
      status = job::v1::JOB_STATUS_IN_PROGRESS;
      changed_at = start;
    } else if (outcome < 5) {
      status = job::v1::JOB_STATUS_ON_HOLD;
    }
    if (absl::Status s = AppendJob(i, request, customer, created_at, status, changed_at); !s.ok()) {
      return s;
    }
    std::vector<std::string> technicians;
    for (int t : people) technicians.push_back(SeededTechnicianId(t));
    std::sort(technicians.begin(), technicians.end());
    return AppendAppointment(i, start, request.estimated_minutes(), std::move(technicians),
                             created_at + absl::Minutes(1));
  }

  const SeedOptions& options_;
  BatchAppender appender_;
  std::mt19937_64 random_;
  UuidV7Generator event_ids_;
  aggregate::CommandMeta meta_;
  const absl::Time history_start_;
  const absl::Duration step_;
  std::vector<job::v1::Customer> customers_;
  int64_t id_counter_ = 0;  // line items' ids, across jobs
  SeedResult result_;
  // The scheduling seed's calendar and who holds which slot and skill.
  SeededCalendar calendar_;
  std::optional<SlotBook> slots_;
  std::vector<std::vector<int>> skill_holders_;
};

}  // namespace

std::string SeededCustomerId(int64_t index) {
  return absl::StrFormat("00000001-0000-7000-8000-%012x", index);
}
std::string SeededJobId(int64_t index) {
  return absl::StrFormat("00000002-0000-7000-8000-%012x", index);
}
std::string SeededTechnicianId(int64_t index) { return absl::StrCat("tech-", index); }

const std::vector<std::string>& SeededTags() {
  static const auto* tags = new std::vector<std::string>{
      "residential", "commercial", "vip", "warranty", "hoa", "industrial", "property-manager"};
  return *tags;
}

const std::vector<std::string>& SeededTitleWords() {
  static const auto* words = new std::vector<std::string>{
      "furnace", "boiler", "heater", "thermostat", "compressor", "drain",  "faucet",
      "toilet",  "panel",  "outlet", "breaker",    "roof",       "gutter", "window"};
  return *words;
}

const std::vector<std::string>& SeededSkills() {
  static const auto* skills =
      new std::vector<std::string>{"electrical", "hvac", "plumbing", "roofing"};
  return *skills;
}

int64_t SeededBacklogJobs(int64_t jobs) { return jobs / 10; }
std::string SeededBacklogJobId(int64_t k) { return SeededJobId(10 * k + 9); }

absl::Time SeededCalendar::SlotStart(int64_t slot) const {
  const absl::CivilDay day = working_days[static_cast<size_t>(slot / kSlotsPerDay)];
  const absl::CivilHour hour = absl::CivilHour(day) + kFirstSlotHour +
                               static_cast<int64_t>(slot % kSlotsPerDay) * kSlotHours;
  return absl::FromCivil(hour, absl::UTCTimeZone());
}

SeededCalendar SeededSchedulingCalendar(int64_t jobs, int technicians, absl::Time now) {
  const double appointments = static_cast<double>(jobs - SeededBacklogJobs(jobs));
  const double per_technician =
      appointments * kTechniciansPerAppointment / std::max(technicians, 1);
  const auto days =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(per_technician / kCalendarFill /
                                                          SeededCalendar::kSlotsPerDay)));
  SeededCalendar calendar;
  // Six working days in seven: start half the stretch's calendar days before today.
  absl::CivilDay day = absl::ToCivilDay(now, absl::UTCTimeZone()) - days * 7 / 6 / 2;
  while (static_cast<int64_t>(calendar.working_days.size()) < days) {
    if (absl::GetWeekday(day) != absl::Weekday::sunday) calendar.working_days.push_back(day);
    ++day;
  }
  return calendar;
}

absl::StatusOr<SeedResult> SeedJobs(const SeedOptions& options) {
  eventlog::EmbeddedLogOptions log_options;
  log_options.directory = options.log_dir;
  log_options.owned_topics = {{std::string(eventlog::kJobTopic), options.partitions},
                              {std::string(eventlog::kSchedulingTopic), options.partitions}};
  auto log = eventlog::EmbeddedLog::Open(log_options);
  if (!log.ok()) return log.status();
  if (options.scheduling_technicians < 0) {
    return absl::InvalidArgumentError("--scheduling-technicians: not negative");
  }
  return Seeder(options, **log).Run();
}

}  // namespace jobledger::loadgen
