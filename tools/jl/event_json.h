// Events as JSON, for `jl replay` and `jl export`: one object per event, readable by jq and
// DuckDB's read_json_auto.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "located_event.h"
#include "payload_decoder.h"

namespace jobledger::cli {

// "2026-11-18T11:06:40.123456789Z": RFC 3339 in UTC with as many fraction digits as needed.
std::string FormatEventTime(const google::protobuf::Timestamp& time);

// Every envelope field by its .proto name (the layout docs/events.md gives, which the hash covers,
// so a new field is added here with it), with the hashes as lower-case hex like the ce_hash
// header and the sequence as a number, so jq and DuckDB compare and sort it as one.
std::string EnvelopeToJson(const events::v1::Envelope& envelope);

// The payload decoded by its type and printed as JSON (see PayloadDecoder::ToJson).
absl::StatusOr<std::string> PayloadToJson(const events::v1::Event& event, PayloadDecoder& decoder);

// One JSON Lines record, without the newline:
//   {"topic":…,"partition":…,"offset":…,"envelope":{…},"payload":{…}}
// A payload this build cannot decode is null, followed by "payload_base64" (its bytes) and
// "payload_error" (why), so nothing is lost and the line is still valid JSON.
std::string EventToJsonLine(const LocatedEvent& located, PayloadDecoder& decoder);

// A payload that cannot be decoded, as the JSON object {"payload_base64":…,"payload_error":…}.
std::string UndecodedPayloadJson(const events::v1::Event& event, const absl::Status& error);

}  // namespace jobledger::cli
