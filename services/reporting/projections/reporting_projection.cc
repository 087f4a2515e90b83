// Applying the four topics to the reporting read model.
#include "projections/reporting_projection.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/billing_evolve.h"  // the billing service's: invoices and settings
#include "domain/notification_evolve.h"
#include "domain/revenue.h"
#include "job/domain/evolve.h"  // the job service's: jobs and customers
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/projection/counter.h"
#include "jobledger/projection/key_codec.h"
#include "projections/reporting_tables.h"
#include "scheduling/domain/evolve.h"  // the scheduling service's: schedules and technicians

namespace jobledger::reporting {
namespace {

using aggregate::ApplyToRow;
using events::v1::Envelope;
using projection::EventPosition;
using projection::StateWriter;

void AddHistory(StateWriter& state, const Envelope& envelope, absl::string_view job_id,
                const EventPosition& position) {
  if (job_id.empty()) return;
  v1::EventRef ref;
  ref.set_topic(position.topic);
  ref.set_partition(position.partition);
  ref.set_offset(position.offset);
  state.Put(HistoryKey(envelope.tenant(), job_id, TimeFromProto(envelope.occurred_at()),
                       position.topic, position.partition, position.offset),
            projection::DeterministicBytes(ref));
}

common::v1::LocalDate LocalDateOf(const google::protobuf::Timestamp& at, absl::TimeZone zone) {
  common::v1::LocalDate date;
  LocalDateToProto(LocalDay(TimeFromProto(at), zone), &date);
  return date;
}

constexpr int kMaxJobInvoices = 1000;  // the invoices a job's row sums

// The job's invoices in number order (the order of the invoices' "job" index), at most
// kMaxJobInvoices.
absl::StatusOr<std::vector<v1::InvoiceCopyRow>> InvoicesOfJob(const StateWriter& state,
                                                              const std::string& tenant,
                                                              const std::string& job_id) {
  std::vector<v1::InvoiceCopyRow> invoices;
  auto ids = state.Get(JobInvoicesKey(tenant, job_id));
  if (!ids.ok()) return ids.status();
  if (!ids->has_value()) return invoices;
  for (projection::KeyReader reader(**ids); !reader.done();) {
    auto id = reader.String();
    if (!id.ok()) return absl::DataLossError("a job's invoice list does not decode");
    auto copy = InvoiceCopyTable().Get(state, PrimaryKey(tenant, *id));
    if (!copy.ok()) return copy.status();
    if (copy->has_value()) invoices.push_back(**std::move(copy));
  }
  std::sort(invoices.begin(), invoices.end(),
            [](const v1::InvoiceCopyRow& a, const v1::InvoiceCopyRow& b) {
              return std::pair(a.invoice().number(), a.invoice().invoice_id()) <
                     std::pair(b.invoice().number(), b.invoice().invoice_id());
            });
  if (invoices.size() > kMaxJobInvoices) invoices.resize(kMaxJobInvoices);
  return invoices;
}

// Adds an invoice to its job's list (an invoice's job never changes: EvolveInvoice keeps it). The
// list is kept sorted by id, so its bytes do not depend on the order the billing topic's partitions
// were read in: a rebuild reads them one after another, the live service interleaved.
absl::Status AddJobInvoice(StateWriter& state, const std::string& tenant, const std::string& job_id,
                           const std::string& invoice_id) {
  const std::string key = JobInvoicesKey(tenant, job_id);
  auto list = state.Get(key);
  if (!list.ok()) return list.status();
  std::vector<std::string> ids;
  if (list->has_value()) {
    for (projection::KeyReader reader(**list); !reader.done();) {
      auto id = reader.String();
      if (!id.ok()) return absl::DataLossError("a job's invoice list does not decode");
      ids.push_back(*std::move(id));
    }
  }
  const auto at = std::lower_bound(ids.begin(), ids.end(), invoice_id);
  if (at != ids.end() && *at == invoice_id) return absl::OkStatus();
  ids.insert(at, invoice_id);
  projection::KeyBuilder sorted;
  for (const std::string& id : ids) sorted.String(id);
  state.Put(key, sorted.key());
  return absl::OkStatus();
}

bool SameTimestamp(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

// Whether two rows agree on what RefreshJobView derives from the schedule and invoices.
bool SameDerivedFields(const v1::JobViewRow& a, const v1::JobViewRow& b) {
  auto same_ids = [](const auto& x, const auto& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end());
  };
  auto same_days = [](const auto& x, const auto& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                      [](const common::v1::LocalDate& d, const common::v1::LocalDate& e) {
                        return DateKey(d) == DateKey(e);
                      });
  };
  return same_ids(a.technician_ids(), b.technician_ids()) && same_ids(a.crew_ids(), b.crew_ids()) &&
         same_days(a.visit_days(), b.visit_days()) &&
         a.has_unassigned_visit() == b.has_unassigned_visit() &&
         a.has_planned_start() == b.has_planned_start() &&
         SameTimestamp(a.planned_start(), b.planned_start()) &&
         a.has_planned_end() == b.has_planned_end() &&
         SameTimestamp(a.planned_end(), b.planned_end()) &&
         a.has_live_invoice() == b.has_live_invoice() && a.has_balance() == b.has_balance() &&
         a.balance().minor_units() == b.balance().minor_units() &&
         a.balance().currency() == b.balance().currency();
}

// Keeps the job's board row equal to BoardRowOf(its row), writing it only when that changes: most
// of a job's events (its work log, materials, notes) leave the dispatch lists alone.
absl::Status UpdateBoard(StateWriter& state, const v1::JobViewRow* before,
                         const v1::JobViewRow& after) {
  v1::BoardRow next = BoardRowOf(after);
  if (before == nullptr) return BoardTable().Put(state, next, std::nullopt);
  std::optional<v1::BoardRow> previous = BoardRowOf(*before);
  if (projection::DeterministicBytes(*previous) == projection::DeterministicBytes(next)) {
    return absl::OkStatus();
  }
  return BoardTable().Put(state, next, previous);
}

// The job's row with what its schedule and invoices say; a job not seen yet is left alone (its
// row pulls them in when it comes). `known_row` and `known_schedule`: the job's row and schedule
// as the caller has just stored them, to save reading them again. A row whose schedule and
// invoices say nothing new is not written again: most events of a rebuild change neither.
absl::Status RefreshJobView(StateWriter& state, const std::string& tenant,
                            const std::string& job_id, absl::TimeZone zone,
                            const v1::JobViewRow* known_row = nullptr,
                            const v1::ScheduleCopyRow* known_schedule = nullptr) {
  std::optional<v1::JobViewRow> read_row;
  if (known_row == nullptr) {
    auto stored = JobViewTable().Get(state, PrimaryKey(tenant, job_id));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return absl::OkStatus();
    read_row = *std::move(stored);
  }
  const v1::JobViewRow& stored = known_row != nullptr ? *known_row : *read_row;
  v1::JobViewRow row = stored;
  row.clear_technician_ids();
  row.clear_crew_ids();
  row.clear_visit_days();
  row.set_has_unassigned_visit(false);
  row.clear_planned_start();
  row.clear_planned_end();
  std::optional<v1::ScheduleCopyRow> read_schedule;
  if (known_schedule == nullptr) {
    auto schedule = ScheduleCopyTable().Get(state, PrimaryKey(tenant, job_id));
    if (!schedule.ok()) return schedule.status();
    read_schedule = *std::move(schedule);
    if (read_schedule.has_value()) known_schedule = &*read_schedule;
  }
  if (known_schedule != nullptr) {
    std::set<std::string> technicians;
    std::set<std::string> crews;
    std::set<int64_t> days;
    for (const scheduling::v1::Appointment& visit : known_schedule->schedule().appointments()) {
      if (visit.status() == scheduling::v1::APPOINTMENT_STATUS_CANCELLED) continue;
      technicians.insert(visit.technician_ids().begin(), visit.technician_ids().end());
      technicians.insert(visit.crew_member_ids().begin(), visit.crew_member_ids().end());
      crews.insert(visit.crew_ids().begin(), visit.crew_ids().end());
      if (visit.technician_ids().empty() && visit.crew_ids().empty()) {
        row.set_has_unassigned_visit(true);
      }
      if (!row.has_planned_start() ||
          TimeFromProto(visit.window().start()) < TimeFromProto(row.planned_start())) {
        *row.mutable_planned_start() = visit.window().start();
      }
      if (!row.has_planned_end() ||
          TimeFromProto(visit.window().end()) > TimeFromProto(row.planned_end())) {
        *row.mutable_planned_end() = visit.window().end();
      }
      const common::v1::LocalDate day = LocalDateOf(visit.window().start(), zone);
      if (days.insert(DateKey(day)).second) *row.add_visit_days() = day;
    }
    for (const std::string& id : technicians) row.add_technician_ids(id);
    for (const std::string& id : crews) row.add_crew_ids(id);
  }
  auto invoices = InvoicesOfJob(state, tenant, job_id);
  if (!invoices.ok()) return invoices.status();
  row.set_has_live_invoice(false);
  int64_t owing = 0;
  std::string currency;
  for (const v1::InvoiceCopyRow& copy : *invoices) {
    const billing::v1::Invoice& invoice = copy.invoice();
    if (invoice.kind() == billing::v1::INVOICE_KIND_CREDIT_NOTE) continue;
    if (invoice.status() == billing::v1::INVOICE_STATUS_VOID) continue;
    row.set_has_live_invoice(true);
    if (invoice.status() == billing::v1::INVOICE_STATUS_ISSUED ||
        invoice.status() == billing::v1::INVOICE_STATUS_PARTIALLY_PAID) {
      owing += invoice.balance().minor_units();
      currency = invoice.balance().currency();
    }
  }
  row.clear_balance();
  if (owing != 0) {
    row.mutable_balance()->set_minor_units(owing);
    row.mutable_balance()->set_currency(currency);
  }
  if (SameDerivedFields(row, stored)) return absl::OkStatus();
  absl::Status put = read_row.has_value()
                         ? JobViewTable().Put(state, row, read_row)
                         : JobViewTable().Put(state, row, std::optional<v1::JobViewRow>(stored));
  if (!put.ok()) return put;
  return UpdateBoard(state, &stored, row);
}

v1::RevenueEntryRow ToRow(const RevenueEntry& entry) {
  v1::RevenueEntryRow row;
  row.set_kind(entry.kind);
  *row.mutable_date() = entry.date;
  row.mutable_amount()->set_minor_units(entry.minor_units);
  row.mutable_amount()->set_currency(entry.currency);
  row.set_counts(entry.counts);
  return row;
}

void PutRevenue(StateWriter& state, const Envelope& envelope, const RevenueEntry& entry, int n) {
  state.Put(RevenueKey(envelope.tenant(), entry.date, envelope.event_id(), n),
            projection::DeterministicBytes(ToRow(entry)));
}

// A job completed adds its work value to the revenue of that day; reopened, it takes it back.
// The job is kept as it was completed, and valued when the report is made with the settings in
// effect at its completion (report_queries.cc).
absl::Status RecordCompletion(StateWriter& state, const Envelope& envelope,
                              const job::v1::Job& before, const job::v1::Job& after,
                              absl::TimeZone zone) {
  const bool was = before.status() == job::v1::JOB_STATUS_COMPLETED;
  const bool is = after.status() == job::v1::JOB_STATUS_COMPLETED;
  if (was == is) return absl::OkStatus();
  const std::string last = LastCompletionKey(envelope.tenant(), after.job_id());
  v1::RevenueEntryRow row;
  row.set_kind(RevenueEntry::kCompletedWork);
  *row.mutable_date() = LocalDateOf(envelope.occurred_at(), zone);
  if (is) {
    row.set_counts(true);
    *row.mutable_completed_job() = after;
    *row.mutable_completed_at() = envelope.occurred_at();
    state.Put(last, projection::DeterministicBytes(row));
  } else {
    auto recorded = state.Get(last);
    if (!recorded.ok()) return recorded.status();
    if (!recorded->has_value()) return absl::OkStatus();
    v1::RevenueEntryRow completion;
    if (!completion.ParseFromString(**recorded)) {
      return absl::DataLossError("a revenue entry does not parse");
    }
    *row.mutable_completed_job() = completion.completed_job();
    *row.mutable_completed_at() = completion.completed_at();
    row.set_reversal(true);
    state.Delete(last);
  }
  state.Put(RevenueKey(envelope.tenant(), row.date(), envelope.event_id(), 0),
            projection::DeterministicBytes(row));
  return absl::OkStatus();
}

// Invoices issued and voided, payments and refunds: the invoiced and collected revenue.
void RecordInvoiceRevenue(StateWriter& state, const Envelope& envelope,
                          const billing::InvoiceEvent& event, const billing::v1::Invoice& before,
                          const billing::v1::Invoice& after, absl::TimeZone zone) {
  const common::v1::LocalDate day = LocalDateOf(envelope.occurred_at(), zone);
  if (std::holds_alternative<billing::v1::InvoiceIssued>(event)) {
    PutRevenue(state, envelope, InvoicedEntry(after, day), 0);
  } else if (std::holds_alternative<billing::v1::InvoiceVoided>(event) &&
             before.status() != billing::v1::INVOICE_STATUS_DRAFT) {
    PutRevenue(state, envelope, ReversalOf(InvoicedEntry(before, day), day), 0);
  } else if (const auto* paid = std::get_if<billing::v1::PaymentRecorded>(&event)) {
    const auto& at =
        paid->payment().has_received_at() ? paid->payment().received_at() : envelope.occurred_at();
    PutRevenue(state, envelope, CollectedEntry(paid->payment(), LocalDateOf(at, zone)), 0);
  } else if (const auto* refund = std::get_if<billing::v1::RefundRecorded>(&event)) {
    const auto& at = refund->refund().has_received_at() ? refund->refund().received_at()
                                                        : envelope.occurred_at();
    PutRevenue(state, envelope, CollectedEntry(refund->refund(), LocalDateOf(at, zone)), 0);
  }
}

absl::Status MoveStatusCount(StateWriter& state, const std::string& tenant, job::v1::JobStatus from,
                             job::v1::JobStatus to) {
  if (from == to) return absl::OkStatus();
  for (auto [status, delta] : {std::pair{from, int64_t{-1}}, std::pair{to, int64_t{1}}}) {
    if (status == job::v1::JOB_STATUS_UNSPECIFIED) continue;
    const std::string key = StatusCountKey(tenant, status);
    auto count = projection::ReadCounter(state, key);
    if (!count.ok()) return count.status();
    projection::WriteCounter(state, key, *count + delta);
  }
  return absl::OkStatus();
}

// ---- the job topic

absl::Status ApplyJobTopicEvent(const events::v1::Event& event, const EventPosition& position,
                                StateWriter& state, absl::TimeZone zone) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  if (envelope.aggregate_type() == "customer") {
    return ApplyToRow<job::CustomerEvent>(event, CustomerCopyTable(), key,
                                          &v1::CustomerCopyRow::mutable_customer,
                                          job::EvolveCustomer, state)
        .status();
  }
  if (envelope.aggregate_type() != "job") return absl::OkStatus();
  v1::JobViewRow before;
  v1::JobViewRow after;
  auto decoded = ApplyToRow<job::JobEvent>(event, JobViewTable(), key, &v1::JobViewRow::mutable_job,
                                           job::EvolveJob, state, &before, &after);
  if (!decoded.ok()) return decoded.status();
  const bool created = before.job().version() == 0;
  if (absl::Status s = UpdateBoard(state, created ? nullptr : &before, after); !s.ok()) return s;
  AddHistory(state, envelope, envelope.aggregate_id(), position);
  if (absl::Status s =
          MoveStatusCount(state, envelope.tenant(), before.job().status(), after.job().status());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RecordCompletion(state, envelope, before.job(), after.job(), zone);
      !s.ok()) {
    return s;
  }
  if (created) {
    return RefreshJobView(state, envelope.tenant(), envelope.aggregate_id(), zone, &after);
  }
  return absl::OkStatus();
}

// ---- the scheduling topic

absl::Status ApplySchedulingTopicEvent(const events::v1::Event& event,
                                       const EventPosition& position, StateWriter& state,
                                       absl::TimeZone zone) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  if (envelope.aggregate_type() == scheduling::kTechnicianAggregate) {
    return ApplyToRow<scheduling::TechnicianEvent>(event, TechnicianCopyTable(), key,
                                                   &v1::TechnicianCopyRow::mutable_technician,
                                                   scheduling::EvolveTechnician, state)
        .status();
  }
  if (envelope.aggregate_type() != scheduling::kScheduleAggregate) return absl::OkStatus();
  v1::ScheduleCopyRow schedule;
  auto decoded = ApplyToRow<scheduling::ScheduleEvent>(
      event, ScheduleCopyTable(), key, &v1::ScheduleCopyRow::mutable_schedule,
      scheduling::EvolveSchedule, state, static_cast<v1::ScheduleCopyRow*>(nullptr), &schedule);
  if (!decoded.ok()) return decoded.status();
  AddHistory(state, envelope, envelope.aggregate_id(), position);
  return RefreshJobView(state, envelope.tenant(), envelope.aggregate_id(), zone, nullptr,
                        &schedule);
}

// ---- the billing topic

absl::Status ApplyBillingTopicEvent(const events::v1::Event& event, const EventPosition& position,
                                    StateWriter& state, absl::TimeZone zone) {
  const Envelope& envelope = event.envelope();
  const std::string key = PrimaryKey(envelope.tenant(), envelope.aggregate_id());
  const std::string& type = envelope.aggregate_type();
  if (type == billing::kSettingsAggregate) {
    v1::SettingsCopyRow after;
    auto decoded = ApplyToRow<billing::SettingsEvent>(
        event, SettingsCopyTable(), key, &v1::SettingsCopyRow::mutable_settings,
        billing::EvolveSettings, state, static_cast<v1::SettingsCopyRow*>(nullptr), &after);
    if (!decoded.ok()) return decoded.status();
    state.Put(SettingsHistoryKey(envelope.tenant(), TimeFromProto(envelope.occurred_at()),
                                 envelope.sequence()),
              projection::DeterministicBytes(after.settings()));
    return absl::OkStatus();
  }
  if (type == billing::kJobBillingAggregate) {
    AddHistory(state, envelope, envelope.aggregate_id(), position);
    return absl::OkStatus();
  }
  if (type != billing::kInvoiceAggregate) return absl::OkStatus();
  v1::InvoiceCopyRow before;
  v1::InvoiceCopyRow after;
  auto decoded = ApplyToRow<billing::InvoiceEvent>(event, InvoiceCopyTable(), key,
                                                   &v1::InvoiceCopyRow::mutable_invoice,
                                                   billing::EvolveInvoice, state, &before, &after);
  if (!decoded.ok()) return decoded.status();
  RecordInvoiceRevenue(state, envelope, *decoded, before.invoice(), after.invoice(), zone);
  const std::string& job_id = after.invoice().job_id();
  AddHistory(state, envelope, job_id, position);
  if (job_id.empty()) return absl::OkStatus();
  if (before.invoice().version() == 0) {
    if (absl::Status s =
            AddJobInvoice(state, envelope.tenant(), job_id, after.invoice().invoice_id());
        !s.ok()) {
      return s;
    }
  }
  return RefreshJobView(state, envelope.tenant(), job_id, zone);
}

// ---- the notification topic

absl::Status ApplyNotificationTopicEvent(const events::v1::Event& event,
                                         const EventPosition& position, StateWriter& state) {
  const Envelope& envelope = event.envelope();
  if (envelope.aggregate_type() != notification::kMessageAggregate) return absl::OkStatus();
  v1::MessageCopyRow after;
  auto decoded = ApplyToRow<notification::MessageEvent>(
      event, MessageCopyTable(), PrimaryKey(envelope.tenant(), envelope.aggregate_id()),
      &v1::MessageCopyRow::mutable_message, notification::EvolveMessage, state,
      static_cast<v1::MessageCopyRow*>(nullptr), &after);
  if (!decoded.ok()) return decoded.status();
  AddHistory(state, envelope, after.message().job_id(), position);
  return absl::OkStatus();
}

}  // namespace

absl::Status ReportingProjection::Apply(const events::v1::Event& event,
                                        const EventPosition& position, StateWriter& state) const {
  if (position.topic == topics_.job) return ApplyJobTopicEvent(event, position, state, zone_);
  if (position.topic == topics_.scheduling) {
    return ApplySchedulingTopicEvent(event, position, state, zone_);
  }
  if (position.topic == topics_.billing) {
    return ApplyBillingTopicEvent(event, position, state, zone_);
  }
  if (position.topic == topics_.notification) {
    return ApplyNotificationTopicEvent(event, position, state);
  }
  return absl::OkStatus();
}

}  // namespace jobledger::reporting
