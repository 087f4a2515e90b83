// Applying the job and scheduling topics to the job service's read model.
#include "projections/job_projection.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "domain/evolve.h"
#include "domain/job_events.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/money.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "projections/job_tables.h"

namespace jobledger::job {
namespace {

using aggregate::CheckChain;
using events::v1::Envelope;
using projection::StateWriter;

// Rewrites the list row of `job` (its current state) with its index entries and counts.
absl::Status RefreshListRowOf(StateWriter& state, const std::string& tenant, const v1::Job& job);

void AddLink(StateWriter& state, const std::string& key) { state.Put(key, ""); }

absl::Status ApplyJobEvent(const events::v1::Event& event,
                           const projection::EventPosition& position, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  auto decoded = DecodeEventAs<JobEvent>(envelope.type(), event.payload());
  if (!decoded.ok()) return decoded.status();
  const std::string& tenant = envelope.tenant();
  auto stored = JobTable().Get(state, PrimaryKey(tenant, envelope.aggregate_id()));
  if (!stored.ok()) return stored.status();
  v1::JobRow row = stored->value_or(v1::JobRow());
  if (absl::Status s = CheckChain(envelope, row.job().version(), row.last_hash()); !s.ok()) {
    return s;
  }
  if (absl::Status s = EvolveJob(*row.mutable_job(), envelope, *decoded); !s.ok()) return s;
  if (row.job().job_id() != envelope.aggregate_id()) {
    return absl::DataLossError("a job event names another job than its aggregate");
  }
  row.set_tenant(tenant);
  row.set_last_hash(envelope.hash());
  if (absl::Status s = JobTable().Put(state, row, *stored); !s.ok()) return s;

  v1::HistoryRow history;
  history.mutable_position()->set_topic(position.topic);
  history.mutable_position()->set_partition(position.partition);
  history.mutable_position()->set_offset(position.offset);
  state.Put(HistoryKey(tenant, envelope.aggregate_id(), envelope.sequence()),
            projection::DeterministicBytes(history));

  const v1::Job& job = row.job();
  if (std::holds_alternative<v1::JobCreated>(*decoded)) {
    auto highest = ReadCounter(state, JobNumberKey(tenant));
    if (!highest.ok()) return highest.status();
    if (job.number() > *highest) WriteCounter(state, JobNumberKey(tenant), job.number());
    AddLink(state, CustomerJobKey(tenant, job.customer_id(), job.job_id()));
    if (!job.parent_job_id().empty()) {
      AddLink(state, SubjobKey(tenant, job.parent_job_id(), job.job_id()));
    }
  }
  if (const auto* changed = std::get_if<v1::JobDetailsChanged>(&*decoded)) {
    const auto& fields = changed->changed_fields();
    if (std::find(fields.begin(), fields.end(), "customer_id") != fields.end()) {
      const std::string& previous = stored->value_or(v1::JobRow()).job().customer_id();
      state.Delete(CustomerJobKey(tenant, previous, job.job_id()));
      AddLink(state, CustomerJobKey(tenant, job.customer_id(), job.job_id()));
    }
  }
  if (const auto* linked = std::get_if<v1::RecallLinked>(&*decoded)) {
    AddLink(state, RecallKey(tenant, linked->original_job_id(), job.job_id()));
  }
  return RefreshListRowOf(state, tenant, job);
}

// Calls `visit(suffix)` for each key under `prefix` (the part after the prefix).
template <typename Visit>
absl::Status ForEachKey(const projection::StateReader& state, const std::string& prefix,
                        Visit visit) {
  std::vector<std::string> keys;
  {
    auto it = state.NewIterator(prefix, projection::PrefixEnd(prefix));
    for (it->Seek(prefix); it->Valid(); it->Next()) keys.emplace_back(it->key());
    if (absl::Status s = it->status(); !s.ok()) return s;
  }
  // Visited after the scan: visits write through the same state.
  for (const std::string& key : keys) {
    if (absl::Status s = visit(absl::string_view(key).substr(prefix.size())); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status RefreshJobsOfPrefix(StateWriter& state, const std::string& tenant,
                                 const std::string& prefix) {
  return ForEachKey(state, prefix, [&](absl::string_view suffix) -> absl::Status {
    projection::KeyReader reader(suffix);
    auto job_id = reader.String();
    if (!job_id.ok()) return job_id.status();
    return RefreshJobListRow(state, tenant, *job_id);
  });
}

absl::Status ApplyCustomerEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  auto decoded = DecodeEventAs<CustomerEvent>(envelope.type(), event.payload());
  if (!decoded.ok()) return decoded.status();
  const std::string& tenant = envelope.tenant();
  auto stored = CustomerTable().Get(state, PrimaryKey(tenant, envelope.aggregate_id()));
  if (!stored.ok()) return stored.status();
  v1::CustomerRow row = stored->value_or(v1::CustomerRow());
  if (absl::Status s = CheckChain(envelope, row.customer().version(), row.last_hash()); !s.ok()) {
    return s;
  }
  if (absl::Status s = EvolveCustomer(*row.mutable_customer(), envelope, *decoded); !s.ok()) {
    return s;
  }
  row.set_tenant(tenant);
  row.set_last_hash(envelope.hash());
  if (absl::Status s = CustomerTable().Put(state, row, *stored); !s.ok()) return s;
  // The job list shows the customer's name and filters by its tags. A job can be applied
  // before its customer's creation (another partition), so creation refreshes too.
  if (std::holds_alternative<v1::CustomerCreated>(*decoded) ||
      std::holds_alternative<v1::CustomerDetailsChanged>(*decoded)) {
    return RefreshJobsOfPrefix(state, tenant,
                               CustomerJobPrefix(tenant, row.customer().customer_id()));
  }
  return absl::OkStatus();
}

absl::Status ApplyRequestEvent(const events::v1::Event& event, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  auto decoded = DecodeEventAs<RequestEvent>(envelope.type(), event.payload());
  if (!decoded.ok()) return decoded.status();
  auto stored = RequestTable().Get(state, PrimaryKey(envelope.tenant(), envelope.aggregate_id()));
  if (!stored.ok()) return stored.status();
  v1::RequestRow row = stored->value_or(v1::RequestRow());
  if (absl::Status s = CheckChain(envelope, row.request().version(), row.last_hash()); !s.ok()) {
    return s;
  }
  if (absl::Status s = EvolveRequest(*row.mutable_request(), envelope, *decoded); !s.ok()) {
    return s;
  }
  row.set_tenant(envelope.tenant());
  row.set_last_hash(envelope.hash());
  return RequestTable().Put(state, row, *stored);
}

template <typename Row>
absl::StatusOr<Row> GetRow(const projection::StateReader& state, const std::string& key) {
  Row row;
  auto bytes = state.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (bytes->has_value() && !row.ParseFromString(**bytes)) {
    return absl::DataLossError(absl::StrCat("a ", Row::descriptor()->name(), " is corrupt"));
  }
  return row;
}

absl::Status ApplyVisit(StateWriter& state, const std::string& tenant, const std::string& job_id,
                        const std::string& appointment_id,
                        const google::protobuf::RepeatedPtrField<std::string>* technicians,
                        const google::protobuf::RepeatedPtrField<std::string>* crews) {
  auto schedule = GetRow<v1::ScheduleRow>(state, ScheduleKey(tenant, job_id));
  if (!schedule.ok()) return schedule.status();
  schedule->set_job_id(job_id);
  auto* visits = schedule->mutable_visits();
  auto it = std::find_if(visits->begin(), visits->end(), [&](const v1::ScheduleRow::Visit& v) {
    return v.appointment_id() == appointment_id;
  });
  if (technicians == nullptr) {  // cancelled
    if (it != visits->end()) visits->erase(it);
  } else {
    v1::ScheduleRow::Visit* visit = it != visits->end() ? &*it : visits->Add();
    visit->set_appointment_id(appointment_id);
    *visit->mutable_technician_ids() = *technicians;
    *visit->mutable_crew_ids() = *crews;
  }
  // Keep crew → job links for every crew on any visit.
  std::set<std::string> crews_now;
  for (const auto& visit : schedule->visits()) {
    crews_now.insert(visit.crew_ids().begin(), visit.crew_ids().end());
  }
  auto before = GetRow<v1::ScheduleRow>(state, ScheduleKey(tenant, job_id));
  if (!before.ok()) return before.status();
  for (const auto& visit : before->visits()) {
    for (const std::string& crew : visit.crew_ids()) {
      if (!crews_now.contains(crew)) state.Delete(CrewJobKey(tenant, crew, job_id));
    }
  }
  for (const std::string& crew : crews_now) AddLink(state, CrewJobKey(tenant, crew, job_id));
  state.Put(ScheduleKey(tenant, job_id), projection::DeterministicBytes(*schedule));
  return RefreshJobListRow(state, tenant, job_id);
}

absl::Status ApplyCrewMember(StateWriter& state, const std::string& tenant,
                             const std::string& crew_id, const std::string& technician_id,
                             bool added) {
  auto crew = GetRow<v1::CrewRow>(state, CrewKey(tenant, crew_id));
  if (!crew.ok()) return crew.status();
  crew->set_crew_id(crew_id);
  std::set<std::string> members(crew->technician_ids().begin(), crew->technician_ids().end());
  if (added) {
    members.insert(technician_id);
  } else {
    members.erase(technician_id);
  }
  crew->mutable_technician_ids()->Assign(members.begin(), members.end());
  state.Put(CrewKey(tenant, crew_id), projection::DeterministicBytes(*crew));
  return RefreshJobsOfPrefix(state, tenant, CrewJobPrefix(tenant, crew_id));
}

absl::Status ApplySchedulingEvent(const events::v1::Event& event, StateWriter& state) {
  namespace s1 = scheduling::v1;
  const Envelope& envelope = event.envelope();
  const std::string& tenant = envelope.tenant();
  const std::string& type = envelope.type();
  const std::string& payload = event.payload();
  auto parse = [&](google::protobuf::Message& message) -> absl::Status {
    if (!message.ParseFromString(payload)) {
      return absl::DataLossError(absl::StrCat("a ", type, " payload does not parse"));
    }
    return absl::OkStatus();
  };
  if (type == s1::AppointmentScheduled::descriptor()->full_name()) {
    s1::AppointmentScheduled e;
    if (absl::Status s = parse(e); !s.ok()) return s;
    return ApplyVisit(state, tenant, e.job_id(), e.appointment_id(), &e.technician_ids(),
                      &e.crew_ids());
  }
  if (type == s1::AppointmentReassigned::descriptor()->full_name()) {
    s1::AppointmentReassigned e;
    if (absl::Status s = parse(e); !s.ok()) return s;
    return ApplyVisit(state, tenant, e.job_id(), e.appointment_id(), &e.technician_ids(),
                      &e.crew_ids());
  }
  if (type == s1::AppointmentCancelled::descriptor()->full_name()) {
    s1::AppointmentCancelled e;
    if (absl::Status s = parse(e); !s.ok()) return s;
    return ApplyVisit(state, tenant, e.job_id(), e.appointment_id(), nullptr, nullptr);
  }
  if (type == s1::CrewMemberAdded::descriptor()->full_name()) {
    s1::CrewMemberAdded e;
    if (absl::Status s = parse(e); !s.ok()) return s;
    return ApplyCrewMember(state, tenant, e.crew_id(), e.technician_id(), true);
  }
  if (type == s1::CrewMemberRemoved::descriptor()->full_name()) {
    s1::CrewMemberRemoved e;
    if (absl::Status s = parse(e); !s.ok()) return s;
    return ApplyCrewMember(state, tenant, e.crew_id(), e.technician_id(), false);
  }
  return absl::OkStatus();  // the rest of scheduling's events do not concern the job record
}

absl::Status AdjustCounts(StateWriter& state, const std::string& tenant, const v1::JobListRow& row,
                          int64_t delta) {
  std::vector<std::string> scopes = {""};
  scopes.insert(scopes.end(), row.visible_to().begin(), row.visible_to().end());
  for (const std::string& scope : scopes) {
    const std::string key = StatusCountKey(tenant, scope, row.summary().status());
    auto count = ReadCounter(state, key);
    if (!count.ok()) return count.status();
    if (*count + delta == 0) {
      state.Delete(key);
    } else {
      WriteCounter(state, key, *count + delta);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::JobListRow> BuildListRow(const projection::StateReader& state,
                                            const std::string& tenant, const v1::Job& job) {
  v1::JobListRow row;
  v1::JobSummary& summary = *row.mutable_summary();
  summary.set_job_id(job.job_id());
  summary.set_number(job.number());
  summary.set_title(job.title());
  summary.set_status(job.status());
  summary.set_status_reason(job.status_reason());
  summary.set_customer_id(job.customer_id());
  if (job.has_scheduled_start()) *summary.mutable_scheduled_start() = job.scheduled_start();
  if (job.has_scheduled_end()) *summary.mutable_scheduled_end() = job.scheduled_end();
  summary.set_priority(job.priority());
  summary.set_project_id(job.project_id());
  *summary.mutable_created_at() = job.created_at();
  summary.set_version(job.version());
  if (!job.line_items().empty()) {
    auto total = Money::Zero(job.line_items(0).unit_price().currency());
    for (const v1::LineItem& item : job.line_items()) {
      auto line = Money::FromProto(item.total());
      if (total.ok() && line.ok()) total = total->Plus(*line);
    }
    if (total.ok()) total->ToProto(summary.mutable_total());
  }
  row.set_created_by(job.created_by());
  row.set_parent_job_id(job.parent_job_id());

  auto customer = CustomerTable().Get(state, PrimaryKey(tenant, job.customer_id()));
  if (!customer.ok()) return customer.status();
  if (customer->has_value()) {
    summary.set_customer_name((*customer)->customer().name());
    *row.mutable_customer_tags() = (*customer)->customer().tags();
  }

  auto schedule = GetRow<v1::ScheduleRow>(state, ScheduleKey(tenant, job.job_id()));
  if (!schedule.ok()) return schedule.status();
  std::set<std::string> technicians;
  std::set<std::string> crews;
  for (const auto& visit : schedule->visits()) {
    technicians.insert(visit.technician_ids().begin(), visit.technician_ids().end());
    crews.insert(visit.crew_ids().begin(), visit.crew_ids().end());
  }
  summary.mutable_technician_ids()->Assign(technicians.begin(), technicians.end());
  row.mutable_crew_ids()->Assign(crews.begin(), crews.end());
  std::set<std::string> visible = technicians;
  if (!job.created_by().empty()) visible.insert(job.created_by());
  for (const std::string& crew_id : crews) {
    auto crew = GetRow<v1::CrewRow>(state, CrewKey(tenant, crew_id));
    if (!crew.ok()) return crew.status();
    visible.insert(crew->technician_ids().begin(), crew->technician_ids().end());
  }
  row.mutable_visible_to()->Assign(visible.begin(), visible.end());
  const std::vector<std::string> tokens = SearchTokens(row);
  row.mutable_search_tokens()->Assign(tokens.begin(), tokens.end());
  return row;
}

// Whether a job keeps its place in every list it is in: its entries are ordered by number and
// scheduled start (then the job id, which never changes).
bool SameListPlace(const v1::JobSummary& before, const v1::JobSummary& after) {
  return before.number() == after.number() &&
         before.has_scheduled_start() == after.has_scheduled_start() &&
         before.scheduled_start().seconds() == after.scheduled_start().seconds() &&
         before.scheduled_start().nanos() == after.scheduled_start().nanos();
}

// Removes the dimensions `before` and `after` share from both (as sets: a dimension may be
// listed twice, e.g. two tags that differ only in case).
void DropCommonDimensions(std::vector<ListDimension>& before, std::vector<ListDimension>& after) {
  auto only_in = [](const std::vector<ListDimension>& these,
                    const std::vector<ListDimension>& not_these) {
    std::vector<ListDimension> only;
    for (const ListDimension& dimension : these) {
      if (std::find(not_these.begin(), not_these.end(), dimension) == not_these.end()) {
        only.push_back(dimension);
      }
    }
    return only;
  };
  std::vector<ListDimension> only_before = only_in(before, after);
  after = only_in(after, before);
  before = std::move(only_before);
}

absl::Status RefreshListRowOf(StateWriter& state, const std::string& tenant, const v1::Job& job) {
  auto row = BuildListRow(state, tenant, job);
  if (!row.ok()) return row.status();
  const std::string row_key = ListRowKey(tenant, job.job_id());
  auto stored = state.Get(row_key);
  if (!stored.ok()) return stored.status();
  thread_local std::string bytes;
  projection::SerializeDeterministically(*row, bytes);
  // Rows are written deterministically, so equal bytes are an unchanged row.
  if (stored->has_value() && **stored == bytes) return absl::OkStatus();
  v1::JobListRow previous;
  if (stored->has_value() && !previous.ParseFromString(**stored)) {
    return absl::DataLossError("a JobListRow is corrupt");
  }
  const bool existed = previous.has_summary();
  // Index entries hold only the job id (the row is read from row_key), so a change rewrites
  // just the entries whose keys changed: a status change touches its two status entries.
  std::vector<ListDimension> old_dimensions;
  if (existed) old_dimensions = ListDimensionsOf(previous);
  std::vector<ListDimension> new_dimensions = ListDimensionsOf(*row);
  if (existed && SameListPlace(previous.summary(), row->summary())) {
    DropCommonDimensions(old_dimensions, new_dimensions);  // their entries stay as they are
  }
  std::set<std::string> old_keys;
  for (std::string& key : ListIndexKeys(tenant, previous.summary(), old_dimensions)) {
    old_keys.insert(std::move(key));
  }
  std::set<std::string> new_keys;
  for (std::string& key : ListIndexKeys(tenant, row->summary(), new_dimensions)) {
    new_keys.insert(std::move(key));
  }
  for (const std::string& key : old_keys) {
    if (!new_keys.contains(key)) state.Delete(key);
  }
  for (const std::string& key : new_keys) {
    if (!old_keys.contains(key)) state.Put(key, job.job_id());
  }
  state.Put(row_key, bytes);
  // Counts are by status and by who sees the job: most changes (a note, a line, the version)
  // leave both alone.
  const bool counted_alike = existed && previous.summary().status() == row->summary().status() &&
                             std::equal(previous.visible_to().begin(), previous.visible_to().end(),
                                        row->visible_to().begin(), row->visible_to().end());
  if (counted_alike) return absl::OkStatus();
  if (existed) {
    if (absl::Status s = AdjustCounts(state, tenant, previous, -1); !s.ok()) return s;
  }
  return AdjustCounts(state, tenant, *row, +1);
}

}  // namespace

absl::Status RefreshJobListRow(StateWriter& state, absl::string_view tenant_view,
                               absl::string_view job_id) {
  const std::string tenant(tenant_view);
  auto job = JobTable().Get(state, PrimaryKey(tenant, job_id));
  if (!job.ok()) return job.status();
  if (!job->has_value()) return absl::OkStatus();  // scheduling knew of it first
  return RefreshListRowOf(state, tenant, (*job)->job());
}

absl::Status JobProjection::Apply(const events::v1::Event& event,
                                  const projection::EventPosition& position,
                                  StateWriter& state) const {
  const Envelope& envelope = event.envelope();
  if (position.topic == scheduling_topic_) return ApplySchedulingEvent(event, state);
  if (position.topic != job_topic_) return absl::OkStatus();
  absl::Status applied;
  if (envelope.aggregate_type() == "job") {
    applied = ApplyJobEvent(event, position, state);
  } else if (envelope.aggregate_type() == "customer") {
    applied = ApplyCustomerEvent(event, state);
  } else if (envelope.aggregate_type() == "customer_request") {
    applied = ApplyRequestEvent(event, state);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown aggregate type on the job topic: ", envelope.aggregate_type()));
  }
  if (!applied.ok()) return applied;
  aggregate::RecordCommand(envelope, position, state);
  return absl::OkStatus();
}

}  // namespace jobledger::job
