// The seeder: customers, jobs, status changes and appointments, appended as sealed events.
#include "jobledger/loadgen/seed.h"

#include <map>
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

const std::vector<std::string>& Surnames() {
  static const auto* names = new std::vector<std::string>{
      "Harper",   "Okafor", "Lindqvist", "Moreau", "Castillo", "Nakamura", "Brennan",   "Adeyemi",
      "Kowalski", "Santos", "Whitfield", "Dubois", "Haddad",   "Petrov",   "Gallagher", "Mendes"};
  return *names;
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

absl::StatusOr<SeedResult> SeedJobs(const SeedOptions& options) {
  const absl::Time started = absl::Now();
  eventlog::EmbeddedLogOptions log_options;
  log_options.directory = options.log_dir;
  log_options.owned_topics = {{std::string(eventlog::kJobTopic), options.partitions},
                              {std::string(eventlog::kSchedulingTopic), options.partitions}};
  auto log = eventlog::EmbeddedLog::Open(log_options);
  if (!log.ok()) return log.status();
  SeedResult result;
  BatchAppender appender(**log);
  std::mt19937_64 random(options.random_seed);
  UuidV7Generator event_ids;
  auto pick = [&](const std::vector<std::string>& from) -> const std::string& {
    return from[random() % from.size()];
  };
  auto job_partition = [&](const std::string& id) {
    return eventlog::PartitionForKey(id, options.partitions);
  };

  // Customers first: each with one or two tags and a primary property.
  std::vector<job::v1::Customer> customers;
  customers.reserve(options.customers);
  aggregate::CommandMeta meta;
  meta.actor.set_user_id("dispatcher-0");
  meta.actor.set_role("dispatcher");
  meta.actor.set_name("Seeder");
  const absl::Time history_start = options.now - absl::Hours(24 * 365);
  for (int i = 0; i < options.customers; ++i) {
    job::v1::Customer customer;
    customer.set_customer_id(SeededCustomerId(i));
    customer.set_name(absl::StrCat(pick(Surnames()), " ", pick(Surnames()), " ", i));
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
    const aggregate::AggregateKey key{options.tenant, "customer", customer.customer_id()};
    const auto& created = std::get<job::v1::CustomerCreated>(decided->front());
    const events::v1::Event event = aggregate::MakeEvent(key, meta, "/jobledger/job", history_start,
                                                         event_ids.NewId(), created, head);
    if (absl::Status s =
            appender.Add(eventlog::kJobTopic, job_partition(customer.customer_id()), event);
        !s.ok()) {
      return s;
    }
    customers.push_back(std::move(customer));
    ++result.customers;
    ++result.job_events;
  }
  if (options.customers == 0 && options.jobs > 0) {
    return absl::InvalidArgumentError("--customers: jobs need at least one customer");
  }

  static const std::vector<std::string> kVerbs = {"Repair", "Replace", "Inspect", "Service",
                                                  "Install"};
  const absl::Duration step = absl::Hours(24 * 365) / std::max<int64_t>(options.jobs, 1);
  int64_t id_counter = 0;
  auto new_id = [&] { return absl::StrFormat("00000005-0000-7000-8000-%012x", ++id_counter); };
  for (int64_t i = 0; i < options.jobs; ++i) {
    const job::v1::Customer& customer = customers[random() % customers.size()];
    const JobPlan plan = PlanJob(random);
    const absl::Time created_at = history_start + step * i;
    job::v1::CreateJobRequest request;
    request.set_customer_id(customer.customer_id());
    request.set_title(absl::StrCat(pick(kVerbs), " ", pick(SeededTitleWords())));
    request.set_priority(static_cast<job::v1::JobPriority>(1 + random() % 3));
    request.set_estimated_minutes(30 + 30 * static_cast<int64_t>(random() % 8));
    job::v1::LineItem& line = *request.add_line_items();
    line.set_kind(job::v1::LINE_ITEM_KIND_SERVICE);
    line.set_name("Labour");
    line.set_quantity_milli(1000 * (1 + static_cast<int64_t>(random() % 4)));
    line.mutable_unit_price()->set_minor_units(5'000 + static_cast<int64_t>(random() % 20'000));
    line.mutable_unit_price()->set_currency("USD");
    line.set_billable(true);
    absl::Time scheduled_start;
    if (plan.scheduled) {
      // Around the creation date, on a working hour, up to schedule_spread_days either side.
      const int64_t spread_hours = int64_t{24} * options.schedule_spread_days;
      const absl::Time day = absl::FromUnixSeconds(
          (absl::ToUnixSeconds(options.now) / 86400 +
           static_cast<int64_t>(random() % (2 * spread_hours / 24 + 1)) - spread_hours / 24) *
          86400);
      scheduled_start = day + absl::Hours(8 + static_cast<int64_t>(random() % 9));
      *request.mutable_scheduled_start() = ToProto(scheduled_start);
      *request.mutable_scheduled_end() =
          ToProto(scheduled_start + absl::Minutes(request.estimated_minutes()));
    }
    const std::string job_id = SeededJobId(i);
    auto job = job::BuildNewJob(request, customer, nullptr, job_id, i + 1, new_id);
    if (!job.ok()) return job.status();
    aggregate::CommandMeta job_meta;
    job_meta.actor.set_user_id(absl::StrCat("dispatcher-", i % 10));
    job_meta.actor.set_role("dispatcher");
    job_meta.actor.set_name(absl::StrCat("Dispatcher ", i % 10));
    const aggregate::AggregateKey key{options.tenant, "job", job_id};
    aggregate::Head head;
    const int32_t partition = job_partition(job_id);
    job::v1::JobCreated created;
    *created.mutable_job() = *std::move(job);
    const job::v1::JobStatus initial = created.job().status();
    if (absl::Status s =
            appender.Add(eventlog::kJobTopic, partition,
                         aggregate::MakeEvent(key, job_meta, "/jobledger/job", created_at,
                                              event_ids.NewId(), created, head));
        !s.ok()) {
      return s;
    }
    ++result.job_events;
    if (plan.status != initial) {
      job::v1::JobStatusChanged changed;
      changed.set_from(initial);
      changed.set_to(plan.status);
      changed.set_cause(job::v1::STATUS_CHANGE_CAUSE_MANUAL);
      if (plan.status == job::v1::JOB_STATUS_ON_HOLD) changed.set_reason("waiting for parts");
      if (plan.status == job::v1::JOB_STATUS_CANCELLED) changed.set_reason("customer cancelled");
      if (absl::Status s = appender.Add(
              eventlog::kJobTopic, partition,
              aggregate::MakeEvent(key, job_meta, "/jobledger/job", created_at + absl::Minutes(5),
                                   event_ids.NewId(), changed, head));
          !s.ok()) {
        return s;
      }
      ++result.job_events;
    }
    if (plan.scheduled) {
      scheduling::v1::AppointmentScheduled appointment;
      appointment.set_appointment_id(absl::StrFormat("00000003-0000-7000-8000-%012x", i));
      appointment.set_job_id(job_id);
      const absl::CivilDay day = absl::ToCivilDay(scheduled_start, absl::UTCTimeZone());
      appointment.mutable_date()->set_year(static_cast<int32_t>(day.year()));
      appointment.mutable_date()->set_month(day.month());
      appointment.mutable_date()->set_day(day.day());
      *appointment.mutable_window()->mutable_start() = ToProto(scheduled_start);
      *appointment.mutable_window()->mutable_end() = ToProto(scheduled_start + absl::Hours(2));
      appointment.set_duration_minutes(request.estimated_minutes());
      for (int t = 0; t < plan.technicians; ++t) {
        appointment.add_technician_ids(
            SeededTechnicianId(static_cast<int64_t>(random() % options.technicians)));
      }
      aggregate::Head schedule_head;
      const aggregate::AggregateKey schedule_key{options.tenant, "job_schedule", job_id};
      if (absl::Status s =
              appender.Add(eventlog::kSchedulingTopic, partition,
                           aggregate::MakeEvent(schedule_key, job_meta, "/jobledger/scheduling",
                                                created_at + absl::Minutes(1), event_ids.NewId(),
                                                appointment, schedule_head));
          !s.ok()) {
        return s;
      }
      ++result.scheduling_events;
    }
    ++result.jobs;
    if (options.progress && (i + 1) % 10'000 == 0) options.progress(i + 1, options.jobs);
  }
  if (absl::Status s = appender.FlushAll(); !s.ok()) return s;
  if (options.progress) options.progress(options.jobs, options.jobs);
  result.elapsed = absl::Now() - started;
  return result;
}

}  // namespace jobledger::loadgen
