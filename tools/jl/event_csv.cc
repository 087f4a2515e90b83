// Events as CSV rows.
#include "event_csv.h"

#include "absl/strings/str_cat.h"
#include "event_json.h"

namespace jobledger::cli {

const std::vector<std::string>& EventCsvHeader() {
  static const auto* const header = new std::vector<std::string>{
      "topic",    "partition",      "offset",       "event_id", "type",
      "tenant",   "aggregate_type", "aggregate_id", "sequence", "occurred_at",
      "actor_id", "actor_role",     "payload_json"};
  return *header;
}

std::vector<std::string> EventToCsvFields(const LocatedEvent& located, PayloadDecoder& decoder) {
  const events::v1::Envelope& envelope = located.event.envelope();
  absl::StatusOr<std::string> payload = PayloadToJson(located.event, decoder);
  return {
      located.topic,
      absl::StrCat(located.partition),
      absl::StrCat(located.offset),
      envelope.event_id(),
      envelope.type(),
      envelope.tenant(),
      envelope.aggregate_type(),
      envelope.aggregate_id(),
      absl::StrCat(envelope.sequence()),
      FormatEventTime(envelope.occurred_at()),
      envelope.actor().user_id(),
      envelope.actor().role(),
      payload.ok() ? *std::move(payload) : UndecodedPayloadJson(located.event, payload.status())};
}

}  // namespace jobledger::cli
