// Chain checks and command records in a service's projection.
#include "jobledger/aggregate/projected_state.h"

#include "absl/strings/str_cat.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/projection/v1/projection.pb.h"

namespace jobledger::aggregate {

absl::Status CheckChain(const events::v1::Envelope& envelope, int64_t version,
                        absl::string_view last_hash) {
  if (envelope.sequence() != version + 1) {
    return absl::DataLossError(absl::StrCat(envelope.aggregate_type(), " ", envelope.aggregate_id(),
                                            ": sequence ", envelope.sequence(), " after ",
                                            version));
  }
  if (envelope.previous_hash() != last_hash) {
    return absl::DataLossError(absl::StrCat(envelope.aggregate_type(), " ", envelope.aggregate_id(),
                                            ": sequence ", envelope.sequence(),
                                            " does not link to the previous"));
  }
  return absl::OkStatus();
}

std::string CommandRecordKey(absl::string_view tenant, absl::string_view idempotency_key) {
  return projection::KeyBuilder().String("cmd").String(tenant).String(idempotency_key).key();
}

void RecordCommand(const events::v1::Envelope& envelope, const projection::EventPosition& position,
                   projection::StateWriter& state) {
  if (envelope.idempotency_key().empty()) return;
  projection::v1::CommandRecordRow command;
  command.set_aggregate_type(envelope.aggregate_type());
  command.set_aggregate_id(envelope.aggregate_id());
  command.set_version(envelope.sequence());
  command.mutable_position()->set_topic(position.topic);
  command.mutable_position()->set_partition(position.partition);
  command.mutable_position()->set_offset(position.offset);
  state.Put(CommandRecordKey(envelope.tenant(), envelope.idempotency_key()),
            projection::DeterministicBytes(command));
}

absl::StatusOr<std::optional<CommandRecord>> FindRecordedCommand(
    const projection::StateReader& state, absl::string_view tenant,
    absl::string_view idempotency_key) {
  auto bytes = state.Get(CommandRecordKey(tenant, idempotency_key));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<CommandRecord>();
  projection::v1::CommandRecordRow row;
  if (!row.ParseFromString(**bytes)) return absl::DataLossError("a command record is corrupt");
  CommandRecord record;
  record.aggregate = {std::string(tenant), row.aggregate_type(), row.aggregate_id()};
  record.version = row.version();
  record.position = {row.position().topic(), row.position().partition(), row.position().offset()};
  return std::optional<CommandRecord>(std::move(record));
}

}  // namespace jobledger::aggregate
