// Aggregates kept in a service's projection: the chain check every applied event passes, the
// idempotency records of commands, and the projection as a command writer's StateSource.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/aggregate/event_variant.h"
#include "jobledger/aggregate/state_source.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/state.h"
#include "jobledger/projection/table.h"

namespace jobledger::aggregate {

// An event of an aggregate must continue its chain (next sequence, previous hash = the stored
// head): DATA_LOSS otherwise, so the projection dead-letters it rather than build on a broken
// history.
absl::Status CheckChain(const events::v1::Envelope& envelope, int64_t version,
                        absl::string_view last_hash);

// Where a command with an idempotency key is recorded: (tenant, key).
std::string CommandRecordKey(absl::string_view tenant, absl::string_view idempotency_key);

// Records the event's command when it carries an idempotency key (a later event of the same
// command overwrites it: the record names the command's last event).
void RecordCommand(const events::v1::Envelope& envelope, const projection::EventPosition& position,
                   projection::StateWriter& state);

absl::StatusOr<std::optional<CommandRecord>> FindRecordedCommand(
    const projection::StateReader& state, absl::string_view tenant,
    absl::string_view idempotency_key);

// `State` is what the writer decides on (e.g. job::v1::Job); `Row` how the projection stores it
// with its chain head in a `last_hash` field. Rows are found by `key(tenant, id)`.
template <typename Row, typename State>
class RowStateSource final : public StateSource<State> {
 public:
  using StateOf = std::function<const State&(const Row&)>;
  using KeyOf = std::function<std::string(absl::string_view tenant, absl::string_view id)>;
  RowStateSource(const projection::ProjectionRunner* runner, const projection::Table<Row>* table,
                 KeyOf key_of, StateOf state_of)
      : runner_(runner),
        table_(table),
        key_of_(std::move(key_of)),
        state_of_(std::move(state_of)) {}

  absl::StatusOr<Head> Load(const AggregateKey& key, State& state) const override {
    auto row = table_->Get(*runner_->store(), key_of_(key.tenant, key.id));
    if (!row.ok()) return row.status();
    if (!row->has_value()) return Head{};
    state = state_of_(**row);
    return Head{state.version(), (*row)->last_hash()};
  }
  absl::StatusOr<std::optional<CommandRecord>> FindCommand(
      absl::string_view tenant, absl::string_view idempotency_key) const override {
    return FindRecordedCommand(*runner_->store(), tenant, idempotency_key);
  }
  absl::Status WaitFor(const LogPosition& position, absl::Time deadline) const override {
    return runner_->WaitFor(position, deadline);
  }
  bool caught_up() const override { return runner_->caught_up(); }

 private:
  const projection::ProjectionRunner* runner_;
  const projection::Table<Row>* table_;
  KeyOf key_of_;
  StateOf state_of_;
};

// A RowStateSource of `table`'s rows (found by `key_of`), their state read by `state_of`.
template <typename Row, typename State>
std::unique_ptr<RowStateSource<Row, State>> MakeRowStateSource(
    const projection::ProjectionRunner* runner, const projection::Table<Row>& table,
    typename RowStateSource<Row, State>::KeyOf key_of, const State& (Row::*state_of)() const) {
  return std::make_unique<RowStateSource<Row, State>>(
      runner, &table, std::move(key_of),
      [state_of](const Row& row) -> const State& { return (row.*state_of)(); });
}

// Decodes the event as one of `Variant`'s, checks it continues the chain of the aggregate stored
// at `primary_key`, evolves the row's state (`state_of`) and stores the row; returns the decoded
// event, and the row before and after when asked for.
template <typename Variant, typename Row, typename State>
absl::StatusOr<Variant> ApplyToRow(
    const events::v1::Event& event, const projection::Table<Row>& table,
    absl::string_view primary_key, State* (Row::*state_of)(),
    absl::Status (*evolve)(State&, const events::v1::Envelope&, const Variant&),
    projection::StateWriter& state, Row* before = nullptr, Row* after = nullptr) {
  const events::v1::Envelope& envelope = event.envelope();
  auto decoded = DecodeEventAs<Variant>(envelope.type(), event.payload());
  if (!decoded.ok()) return decoded.status();
  auto stored = table.Get(state, primary_key);
  if (!stored.ok()) return stored.status();
  Row row = stored->value_or(Row());
  if (before != nullptr) *before = row;
  State& current = *(row.*state_of)();
  if (absl::Status s = CheckChain(envelope, current.version(), row.last_hash()); !s.ok()) {
    return s;
  }
  if (absl::Status s = evolve(current, envelope, *decoded); !s.ok()) return s;
  row.set_tenant(envelope.tenant());
  row.set_last_hash(envelope.hash());
  if (absl::Status s = table.Put(state, row, *stored); !s.ok()) return s;
  if (after != nullptr) *after = std::move(row);
  return *std::move(decoded);
}

}  // namespace jobledger::aggregate
