// Events as JSON.
#include "event_json.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "jobledger/common/proto_time.h"
#include "json_text.h"

namespace jobledger::cli {
namespace {

std::string JsonString(absl::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

// ,"key":"value"
void AppendStringField(std::string& out, absl::string_view key, absl::string_view value) {
  absl::StrAppend(&out, ",\"", key, "\":");
  AppendJsonString(out, value);
}

}  // namespace

std::string FormatEventTime(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", TimeFromProto(time), absl::UTCTimeZone());
}

std::string EnvelopeToJson(const events::v1::Envelope& envelope) {
  std::string out = "{\"event_id\":";
  AppendJsonString(out, envelope.event_id());
  AppendStringField(out, "type", envelope.type());
  AppendStringField(out, "source", envelope.source());
  AppendStringField(out, "tenant", envelope.tenant());
  AppendStringField(out, "aggregate_type", envelope.aggregate_type());
  AppendStringField(out, "aggregate_id", envelope.aggregate_id());
  absl::StrAppend(&out, ",\"sequence\":", envelope.sequence());
  AppendStringField(out, "occurred_at", FormatEventTime(envelope.occurred_at()));
  out.append(",\"actor\":{\"user_id\":");
  AppendJsonString(out, envelope.actor().user_id());
  AppendStringField(out, "role", envelope.actor().role());
  AppendStringField(out, "name", envelope.actor().name());
  out.push_back('}');
  AppendStringField(out, "correlation_id", envelope.correlation_id());
  AppendStringField(out, "causation_id", envelope.causation_id());
  AppendStringField(out, "idempotency_key", envelope.idempotency_key());
  AppendStringField(out, "traceparent", envelope.traceparent());
  AppendStringField(out, "previous_hash", absl::BytesToHexString(envelope.previous_hash()));
  AppendStringField(out, "hash", absl::BytesToHexString(envelope.hash()));
  out.push_back('}');
  return out;
}

absl::StatusOr<std::string> PayloadToJson(const events::v1::Event& event, PayloadDecoder& decoder) {
  return decoder.ToJson(event.envelope().type(), event.payload());
}

std::string UndecodedPayloadJson(const events::v1::Event& event, const absl::Status& error) {
  return absl::StrCat("{\"payload_base64\":", JsonString(absl::Base64Escape(event.payload())),
                      ",\"payload_error\":", JsonString(error.message()), "}");
}

std::string EventToJsonLine(const LocatedEvent& located, PayloadDecoder& decoder) {
  std::string line = absl::StrCat(
      "{\"topic\":", JsonString(located.topic), ",\"partition\":", located.partition,
      ",\"offset\":", located.offset, ",\"envelope\":", EnvelopeToJson(located.event.envelope()));
  const absl::StatusOr<std::string> payload = PayloadToJson(located.event, decoder);
  if (payload.ok()) {
    absl::StrAppend(&line, ",\"payload\":", *payload, "}");
  } else {
    absl::StrAppend(&line, ",\"payload\":null,\"payload_base64\":",
                    JsonString(absl::Base64Escape(located.event.payload())),
                    ",\"payload_error\":", JsonString(payload.status().message()), "}");
  }
  return line;
}

}  // namespace jobledger::cli
