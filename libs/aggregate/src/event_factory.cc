// Sealed, chained events from a command's payloads.
#include "jobledger/aggregate/event_factory.h"

#include <array>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/common/sha256.h"
#include "jobledger/eventlog/envelope_codec.h"

namespace jobledger::aggregate {
namespace {

std::string DeterministicPayload(const google::protobuf::Message& payload) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream output(&stream);
  output.SetSerializationDeterministic(true);
  payload.SerializeToCodedStream(&output);
  output.Trim();
  return bytes;
}

}  // namespace

events::v1::Event MakeEvent(const AggregateKey& key, const CommandMeta& meta,
                            absl::string_view source, absl::Time occurred_at, const Uuid& event_id,
                            const google::protobuf::Message& payload, Head& head) {
  events::v1::Event event;
  events::v1::Envelope& envelope = *event.mutable_envelope();
  envelope.set_event_id(event_id.ToString());
  envelope.set_type(payload.GetTypeName());
  envelope.set_source(std::string(source));
  envelope.set_tenant(key.tenant);
  envelope.set_aggregate_type(key.type);
  envelope.set_aggregate_id(key.id);
  envelope.set_sequence(head.version + 1);
  *envelope.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(occurred_at));
  *envelope.mutable_actor() = meta.actor;
  envelope.set_correlation_id(meta.correlation_id);
  envelope.set_causation_id(meta.causation_id);
  envelope.set_idempotency_key(meta.idempotency_key);
  envelope.set_traceparent(meta.traceparent);
  envelope.set_previous_hash(head.hash);
  event.set_payload(DeterministicPayload(payload));
  eventlog::SealEvent(event);
  head.version = envelope.sequence();
  head.hash = envelope.hash();
  return event;
}

Uuid DerivedAggregateId(absl::string_view tenant, absl::string_view type,
                        absl::string_view idempotency_key) {
  // Length-prefixed so that ("a/b", "c") and ("a", "b/c") differ.
  const std::string digest = Sha256(absl::StrCat(tenant.size(), ":", tenant, type.size(), ":", type,
                                                 idempotency_key.size(), ":", idempotency_key));
  Uuid::Bytes bytes;
  std::memcpy(bytes.data(), digest.data(), bytes.size());
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x80);  // version 8
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 9562 variant
  return Uuid(bytes);
}

}  // namespace jobledger::aggregate
