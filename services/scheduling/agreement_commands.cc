// Agreements and the planning of their visits.
#include "agreement_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/decide.h"
#include "domain/recurrence.h"
#include "domain/validate.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/server/log.h"
#include "projections/scheduling_tables.h"

namespace jobledger::scheduling {
namespace {

using server::Caller;

constexpr int kDefaultWindowStart = 8 * 60;
constexpr int kDefaultWindowEnd = 17 * 60;

v1::AgreementReply AgreementReplyOf(const aggregate::Outcome<v1::Agreement>& outcome) {
  v1::AgreementReply reply;
  aggregate::FillCommandResult(outcome.state.agreement_id(), outcome.version, outcome.position,
                               outcome.replayed, reply.mutable_result());
  *reply.mutable_agreement() = outcome.state;
  return reply;
}

// Keys of one occurrence's three steps.
std::string StepKey(const v1::Agreement& agreement, int n, absl::string_view step) {
  return absl::StrCat("agreement/", agreement.agreement_id(), "/", n, "/", step);
}

}  // namespace

absl::StatusOr<v1::AgreementReply> AgreementCommands::CreateAgreement(
    const Caller& caller, const v1::CreateAgreementRequest& request) {
  if (absl::Status s = ValidateCreateAgreement(request); !s.ok()) return s;
  v1::Agreement agreement = request.agreement();
  agreement.set_agreement_id(request.meta().idempotency_key().empty()
                                 ? options_.ids->NewId().ToString()
                                 : aggregate::DerivedAggregateId(caller.tenant, kAgreementAggregate,
                                                                 request.meta().idempotency_key())
                                       .ToString());
  if (agreement.window_start_minute() == 0 && agreement.window_end_minute() == 0) {
    agreement.set_window_start_minute(kDefaultWindowStart);
    agreement.set_window_end_minute(kDefaultWindowEnd);
  }
  auto outcome = options_.agreements->Execute(
      options_.agreements->Key(caller.tenant, agreement.agreement_id()),
      server::CommandMetaOf(caller, request.meta()), [&](const v1::Agreement&, const Head& head) {
        return DecideCreateAgreement(head, agreement);
      });
  if (!outcome.ok()) return outcome.status();
  return AgreementReplyOf(*outcome);
}

absl::StatusOr<v1::AgreementReply> AgreementCommands::EndAgreement(
    const Caller& caller, const v1::EndAgreementRequest& request) {
  if (absl::Status s = ValidateEndAgreement(request); !s.ok()) return s;
  auto outcome =
      options_.agreements->Execute(options_.agreements->Key(caller.tenant, request.agreement_id()),
                                   server::CommandMetaOf(caller, request.meta()),
                                   [&](const v1::Agreement& agreement, const Head& head) {
                                     return DecideEndAgreement(agreement, head, request.reason());
                                   });
  if (!outcome.ok()) return outcome.status();
  return AgreementReplyOf(*outcome);
}

absl::Status AgreementCommands::CreateVisit(const std::string& tenant,
                                            const v1::Agreement& agreement, int n,
                                            absl::CivilDay date) {
  const Caller caller = server::ServiceCaller("scheduling", tenant, "");
  job::v1::CreateJobRequest create;
  create.mutable_meta()->set_idempotency_key(StepKey(agreement, n, "job"));
  create.set_customer_id(agreement.customer_id());
  create.set_property_id(agreement.property_id());
  create.set_title(agreement.title());
  create.set_description(agreement.description());
  create.set_job_type(agreement.job_type());
  *create.mutable_required_skills() = agreement.required_skills();
  create.set_estimated_minutes(agreement.estimated_minutes());
  auto job = options_.jobs->CreateJob(tenant, create, caller.traceparent);
  if (!job.ok()) return job.status();
  const std::string& job_id = job->result().aggregate_id();

  v1::ScheduleAppointmentRequest visit;
  visit.mutable_meta()->set_idempotency_key(StepKey(agreement, n, "visit"));
  visit.set_job_id(job_id);
  const absl::CivilMinute midnight(date);
  *visit.mutable_window()->mutable_start() =
      ProtoFromTime(AtLocalTime(midnight + agreement.window_start_minute(), options_.zone));
  *visit.mutable_window()->mutable_end() =
      ProtoFromTime(AtLocalTime(midnight + agreement.window_end_minute(), options_.zone));
  visit.set_notes(absl::StrCat("Agreement visit: ", agreement.title()));
  if (auto scheduled = options_.appointments->Schedule(caller, visit); !scheduled.ok()) {
    return scheduled.status();
  }

  v1::AgreementVisit record;
  record.set_occurrence(n);
  LocalDateToProto(date, record.mutable_date());
  record.set_job_id(job_id);
  common::v1::CommandMeta meta;
  meta.set_idempotency_key(StepKey(agreement, n, "recorded"));
  auto recorded = options_.agreements->Execute(
      options_.agreements->Key(tenant, agreement.agreement_id()),
      server::CommandMetaOf(caller, meta), [&](const v1::Agreement& current, const Head& head) {
        return DecideRecordVisit(current, head, record);
      });
  return recorded.status();
}

absl::StatusOr<int> AgreementCommands::PlanAgreement(const std::string& tenant,
                                                     const v1::Agreement& agreement) {
  if (!agreement.active()) return 0;
  auto start = LocalDateFromProto(agreement.start_date());
  if (!start.ok()) return start.status();
  std::optional<absl::CivilDay> end;
  if (agreement.has_end_date()) {
    auto last = LocalDateFromProto(agreement.end_date());
    if (!last.ok()) return last.status();
    end = *last;
  }
  int first_n = 0;
  for (const v1::AgreementVisit& visit : agreement.visits()) {
    first_n = std::max(first_n, visit.occurrence() + 1);
  }
  const absl::CivilDay until =
      LocalDay(options_.clock->Now(), options_.zone) + agreement.lead_days();
  int created = 0;
  for (const DatedOccurrence& occurrence : OccurrencesThrough(
           agreement.rule(), *start, end, first_n, until, options_.max_visits_per_run)) {
    if (absl::Status s = CreateVisit(tenant, agreement, occurrence.n, occurrence.date); !s.ok()) {
      return s;
    }
    ++created;
  }
  return created;
}

absl::StatusOr<int> AgreementCommands::PlanDueVisits() {
  // Active agreements of every tenant, page by page.
  int created = 0;
  projection::PageRequest page{.cursor = "", .limit = 100};
  while (true) {
    auto rows = AgreementTable().ScanIndex(*options_.projection->store(), "active", "", page);
    if (!rows.ok()) return rows.status();
    for (const v1::AgreementRow& row : rows->rows) {
      auto planned = PlanAgreement(row.tenant(), row.agreement());
      if (!planned.ok()) {
        server::Log(server::Level::kWarning, "agreement planning postponed",
                    {{"agreement_id", row.agreement().agreement_id()},
                     {"error", planned.status().ToString()}});
        continue;
      }
      created += *planned;
    }
    if (rows->next_cursor.empty()) return created;
    page.cursor = rows->next_cursor;
  }
}

AgreementPlanner::AgreementPlanner(AgreementCommands* commands, absl::Duration interval)
    : commands_(commands), interval_(interval), thread_([this] { Loop(); }) {}

AgreementPlanner::~AgreementPlanner() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void AgreementPlanner::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void AgreementPlanner::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&ready), interval_);
      if (stopping_) return;
      if (!commands_->ready()) {  // try again in a second
        woken_ = true;
        mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(1));
        continue;
      }
      woken_ = false;
    }
    auto created = commands_->PlanDueVisits();
    if (!created.ok()) {
      server::Log(server::Level::kWarning, "agreement planning failed",
                  {{"error", created.status().ToString()}});
    } else if (*created > 0) {
      server::Log(server::Level::kInfo, "agreement visits planned",
                  {{"visits", absl::StrCat(*created)}});
    }
  }
}

}  // namespace jobledger::scheduling
