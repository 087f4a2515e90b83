// Events as CSV rows, for `jl export --format csv`: the envelope's columns and the payload as JSON.
#pragma once

#include <string>
#include <vector>

#include "located_event.h"
#include "payload_decoder.h"

namespace jobledger::cli {

// topic, partition, offset, event_id, type, tenant, aggregate_type, aggregate_id, sequence,
// occurred_at, actor_id, actor_role, payload_json
const std::vector<std::string>& EventCsvHeader();

// One event's fields in EventCsvHeader's order, unquoted (CsvWriter quotes). payload_json is the
// payload as `jl replay` prints it, or {"payload_base64":…,"payload_error":…} when it cannot be
// decoded.
std::vector<std::string> EventToCsvFields(const LocatedEvent& located, PayloadDecoder& decoder);

}  // namespace jobledger::cli
