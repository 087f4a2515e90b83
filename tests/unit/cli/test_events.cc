// Sealed events for the analyst CLI's tests.
#include "test_events.h"

#include "absl/strings/str_cat.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/common/status.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"

namespace jobledger::cli::testing {

events::v1::Event EventChains::Next(const std::string& tenant, const std::string& aggregate_type,
                                    const std::string& aggregate_id,
                                    const google::protobuf::Message& payload,
                                    absl::Time occurred_at) {
  auto& [sequence, hash] = last_[absl::StrCat(tenant, "/", aggregate_type, "/", aggregate_id)];
  events::v1::Event event;
  events::v1::Envelope& envelope = *event.mutable_envelope();
  envelope.set_event_id(ids_.NewId().ToString());
  envelope.set_type(payload.GetTypeName());
  envelope.set_source("/jobledger/test");
  envelope.set_tenant(tenant);
  envelope.set_aggregate_type(aggregate_type);
  envelope.set_aggregate_id(aggregate_id);
  envelope.set_sequence(++sequence);
  *envelope.mutable_occurred_at() = ProtoFromTime(occurred_at);
  envelope.mutable_actor()->set_user_id("dispatcher-1");
  envelope.mutable_actor()->set_role("dispatcher");
  envelope.mutable_actor()->set_name("Dana Dispatcher");
  envelope.set_previous_hash(hash);
  event.set_payload(payload.SerializeAsString());
  eventlog::SealEvent(event);
  hash = envelope.hash();
  return event;
}

absl::StatusOr<int64_t> AppendEvent(eventlog::EventLog& log, absl::string_view topic,
                                    int32_t partitions, const events::v1::Event& event) {
  JL_ASSIGN_OR_RETURN(
      const eventlog::AppendResult appended,
      log.Append(topic, eventlog::PartitionForKey(event.envelope().aggregate_id(), partitions),
                 {eventlog::EncodeEvent(event)}));
  return appended.first_offset;
}

}  // namespace jobledger::cli::testing
