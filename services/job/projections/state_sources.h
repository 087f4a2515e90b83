// The job projection as the command writers' source of committed aggregate state.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "jobledger/aggregate/state_source.h"
#include "jobledger/job/v1/rows.pb.h"
#include "jobledger/projection/runner.h"
#include "projections/job_tables.h"

namespace jobledger::job {

// Commands recorded under an idempotency key, as the projection keeps them.
absl::StatusOr<std::optional<aggregate::CommandRecord>> FindRecordedCommand(
    const projection::StateReader& state, absl::string_view tenant,
    absl::string_view idempotency_key);

// `State` is what the writer decides on (e.g. v1::Job); `Row` how the projection stores it with
// its chain head (e.g. v1::JobRow).
template <typename Row, typename State>
class RowStateSource final : public aggregate::StateSource<State> {
 public:
  using StateOf = std::function<const State&(const Row&)>;
  RowStateSource(const projection::ProjectionRunner* runner, const projection::Table<Row>* table,
                 StateOf state_of)
      : runner_(runner), table_(table), state_of_(std::move(state_of)) {}

  absl::StatusOr<aggregate::Head> Load(const aggregate::AggregateKey& key,
                                       State& state) const override {
    auto row = table_->Get(*runner_->store(), PrimaryKey(key.tenant, key.id));
    if (!row.ok()) return row.status();
    if (!row->has_value()) return aggregate::Head{};
    state = state_of_(**row);
    return aggregate::Head{state.version(), (*row)->last_hash()};
  }
  absl::StatusOr<std::optional<aggregate::CommandRecord>> FindCommand(
      absl::string_view tenant, absl::string_view idempotency_key) const override {
    return FindRecordedCommand(*runner_->store(), tenant, idempotency_key);
  }
  absl::Status WaitFor(const aggregate::LogPosition& position, absl::Time deadline) const override {
    return runner_->WaitFor(position, deadline);
  }
  bool caught_up() const override { return runner_->caught_up(); }

 private:
  const projection::ProjectionRunner* runner_;
  const projection::Table<Row>* table_;
  StateOf state_of_;
};

}  // namespace jobledger::job
