// Reading recorded commands from the job projection.
#include "projections/state_sources.h"

namespace jobledger::job {

absl::StatusOr<std::optional<aggregate::CommandRecord>> FindRecordedCommand(
    const projection::StateReader& state, absl::string_view tenant,
    absl::string_view idempotency_key) {
  auto bytes = state.Get(CommandKey(tenant, idempotency_key));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<aggregate::CommandRecord>();
  v1::CommandRow row;
  if (!row.ParseFromString(**bytes)) return absl::DataLossError("a command record is corrupt");
  aggregate::CommandRecord record;
  record.aggregate = {std::string(tenant), row.aggregate_type(), row.aggregate_id()};
  record.version = row.version();
  record.position = {row.position().topic(), row.position().partition(), row.position().offset()};
  return std::optional<aggregate::CommandRecord>(std::move(record));
}

}  // namespace jobledger::job
