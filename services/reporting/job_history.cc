// Reading a job's events back from the logs: history and time travel.
#include "job_history.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/billing_evolve.h"
#include "domain/notification_evolve.h"
#include "job/domain/evolve.h"
#include "job/domain/history.h"
#include "jobledger/aggregate/event_variant.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/server/read_your_writes.h"
#include "projections/reporting_tables.h"
#include "scheduling/domain/evolve.h"

namespace jobledger::reporting {
namespace {

using server::Caller;

// "jobledger.scheduling.v1.AppointmentScheduled" → "Appointment scheduled".
std::string Humanize(absl::string_view type) {
  const size_t dot = type.rfind('.');
  const absl::string_view name = dot == absl::string_view::npos ? type : type.substr(dot + 1);
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (i > 0 && absl::ascii_isupper(static_cast<unsigned char>(c))) {
      out.push_back(' ');
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string AggregateKey(const events::v1::Envelope& envelope) {
  return absl::StrCat(envelope.tenant(), "/", envelope.aggregate_type(), "/",
                      envelope.aggregate_id());
}

// Whether `earlier` must come before `later`: it caused it, or it is an earlier event of the
// same aggregate (times from devices and other services' clocks may disagree; these may not).
bool MustPrecede(const events::v1::Envelope& earlier, const events::v1::Envelope& later) {
  if (later.causation_id() == earlier.event_id()) return true;
  return earlier.aggregate_id() == later.aggregate_id() &&
         earlier.aggregate_type() == later.aggregate_type() &&
         earlier.sequence() < later.sequence();
}

// Moves each event after the last event listed after it that must precede it.
void KeepCausesFirst(std::vector<std::pair<v1::EventRef, events::v1::Event>>& events) {
  // A damaged log could hold a cycle; more moves than this cannot be an order.
  size_t moves_left = events.size() * events.size();
  for (size_t i = 0; i < events.size() && moves_left > 0; ++i) {
    size_t last = i;
    for (size_t j = i + 1; j < events.size(); ++j) {
      if (MustPrecede(events[j].second.envelope(), events[i].second.envelope())) last = j;
    }
    if (last == i) continue;
    --moves_left;
    auto moved = std::move(events[i]);
    events.erase(events.begin() + static_cast<std::ptrdiff_t>(i));
    events.insert(events.begin() + static_cast<std::ptrdiff_t>(last), std::move(moved));
    --i;  // what is at i now has not been looked at
  }
}

// Chain problems of the events, each aggregate's taken in sequence order.
std::vector<std::string> ChainProblems(
    const std::vector<std::pair<v1::EventRef, events::v1::Event>>& events) {
  std::vector<const events::v1::Event*> ordered;
  for (const auto& [ref, event] : events) ordered.push_back(&event);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    const std::string ka = AggregateKey(a->envelope());
    const std::string kb = AggregateKey(b->envelope());
    if (ka != kb) return ka < kb;
    return a->envelope().sequence() < b->envelope().sequence();
  });
  std::vector<std::string> problems;
  eventlog::HashChainVerifier chains;
  for (const events::v1::Event* event : ordered) {
    if (eventlog::ComputeEventHash(event->envelope(), event->payload()) !=
        event->envelope().hash()) {
      problems.push_back(absl::StrCat(AggregateKey(event->envelope()), " event ",
                                      event->envelope().sequence(),
                                      ": the hash does not match its content"));
    }
    if (absl::Status s = chains.Check(event->envelope()); !s.ok()) {
      problems.push_back(std::string(s.message()));
    }
  }
  return problems;
}

}  // namespace

absl::Status JobHistoryReader::CheckVisible(const Caller& caller, const std::string& job_id) const {
  auto row = JobViewTable().Get(*options_.projection->store(), PrimaryKey(caller.tenant, job_id));
  if (!row.ok()) return row.status();
  const bool sees = row->has_value() &&
                    (caller.sees_everything() ||
                     std::find((*row)->technician_ids().begin(), (*row)->technician_ids().end(),
                               caller.user_id) != (*row)->technician_ids().end());
  if (!sees) return absl::NotFoundError(absl::StrCat("job ", job_id, " not found"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<JobHistoryReader::Located>> JobHistoryReader::EventsOf(
    const std::string& tenant, const std::string& job_id) const {
  std::vector<Located> located;
  const std::string prefix = HistoryPrefix(tenant, job_id);
  const auto store = options_.projection->store();
  auto it = store->NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    Located entry;
    if (!entry.ref.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a history index entry does not parse");
    }
    located.push_back(std::move(entry));
  }
  if (absl::Status s = it->status(); !s.ok()) return s;
  for (Located& entry : located) {
    auto records =
        options_.log->Read(entry.ref.topic(), entry.ref.partition(), entry.ref.offset(), 1);
    if (!records.ok()) return records.status();
    if (records->empty()) return absl::DataLossError("a history entry points past the log");
    // The hash is checked below with the chain, so a damaged event is reported, not refused.
    absl::Status decoded =
        eventlog::DecodeEventInto(records->front(), entry.event, {.verify_hash = false});
    if (!decoded.ok()) return decoded;
  }
  return located;
}

absl::StatusOr<v1::JobHistory> JobHistoryReader::History(
    const Caller& caller, const v1::JobHistoryRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s =
          server::WaitForMinPosition(*options_.projection, caller, request.min_position(),
                                     absl::Now(), options_.max_wait, "the job history");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckVisible(caller, request.job_id()); !s.ok()) return s;
  auto located = EventsOf(caller.tenant, request.job_id());
  if (!located.ok()) return located.status();
  std::vector<std::pair<v1::EventRef, events::v1::Event>> events;
  for (Located& entry : *located) events.emplace_back(std::move(entry.ref), std::move(entry.event));
  KeepCausesFirst(events);

  v1::JobHistory history;
  history.set_job_id(request.job_id());
  const std::vector<std::string> problems = ChainProblems(events);
  history.set_chain_verified(problems.empty());
  for (const std::string& problem : problems) history.add_chain_problems(problem);
  job::v1::Job state;
  for (const auto& [ref, event] : events) {
    v1::HistoryEntry& entry = *history.add_entries();
    entry.set_topic(ref.topic());
    entry.set_partition(ref.partition());
    entry.set_offset(ref.offset());
    *entry.mutable_envelope() = event.envelope();
    entry.set_payload(event.payload());
    entry.set_summary(Humanize(event.envelope().type()));
    if (event.envelope().aggregate_type() != "job") continue;
    auto decoded = DecodeEventAs<job::JobEvent>(event.envelope().type(), event.payload());
    if (!decoded.ok()) continue;
    const job::v1::Job before = state;
    if (!job::EvolveJob(state, event.envelope(), *decoded).ok()) continue;
    job::HistoryDescription description = job::DescribeJobEvent(before, state, *decoded);
    entry.set_summary(std::move(description.summary));
    for (job::v1::FieldChange& change : description.changes) {
      *entry.add_changes() = std::move(change);
    }
  }
  return history;
}

absl::StatusOr<v1::JobAsOf> JobHistoryReader::AsOf(const Caller& caller,
                                                   const v1::JobAsOfRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (!request.has_at()) return Invalid("at", "required: the moment to see the job at");
  if (absl::Status s = ValidateTimestamp("at", request.at()); !s.ok()) return s;
  if (absl::Status s = CheckVisible(caller, request.job_id()); !s.ok()) return s;
  auto located = EventsOf(caller.tenant, request.job_id());
  if (!located.ok()) return located.status();
  const absl::Time at = TimeFromProto(request.at());
  v1::JobAsOf result;
  *result.mutable_at() = request.at();
  scheduling::v1::JobSchedule schedule;
  std::map<std::string, billing::v1::Invoice> invoices;
  std::map<std::string, notification::v1::Message> messages;
  for (const Located& entry : *located) {
    const events::v1::Envelope& envelope = entry.event.envelope();
    if (TimeFromProto(envelope.occurred_at()) > at) break;  // the index is in time order
    const std::string& type = envelope.type();
    const std::string& payload = entry.event.payload();
    absl::Status applied = absl::OkStatus();
    if (envelope.aggregate_type() == "job") {
      auto e = DecodeEventAs<job::JobEvent>(type, payload);
      applied = e.ok() ? job::EvolveJob(*result.mutable_job(), envelope, *e) : e.status();
    } else if (envelope.aggregate_type() == scheduling::kScheduleAggregate) {
      auto e = DecodeEventAs<scheduling::ScheduleEvent>(type, payload);
      applied = e.ok() ? scheduling::EvolveSchedule(schedule, envelope, *e) : e.status();
    } else if (envelope.aggregate_type() == billing::kInvoiceAggregate) {
      auto e = DecodeEventAs<billing::InvoiceEvent>(type, payload);
      applied = e.ok() ? billing::EvolveInvoice(invoices[envelope.aggregate_id()], envelope, *e)
                       : e.status();
    } else if (envelope.aggregate_type() == notification::kMessageAggregate) {
      auto e = DecodeEventAs<notification::MessageEvent>(type, payload);
      applied = e.ok()
                    ? notification::EvolveMessage(messages[envelope.aggregate_id()], envelope, *e)
                    : e.status();
    } else {
      continue;  // the job's billing record: not part of this view
    }
    if (!applied.ok()) {
      return absl::DataLossError(absl::StrCat("event ", envelope.event_id(), " (", type,
                                              ") does not apply: ", applied.message()));
    }
    result.set_events_applied(result.events_applied() + 1);
  }
  if (result.job().version() == 0) {
    return absl::NotFoundError(
        absl::StrCat("job ", request.job_id(), " did not exist yet at that moment"));
  }
  *result.mutable_appointments() = schedule.appointments();
  for (auto& [id, invoice] : invoices) *result.add_invoices() = std::move(invoice);
  for (auto& [id, message] : messages) *result.add_messages() = std::move(message);
  return result;
}

}  // namespace jobledger::reporting
