// Reading a selection of events for `jl replay` and `jl export`: topics, start offsets and
// filters, merged by occurred_at, with progress on a terminal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "event_filter.h"
#include "jobledger/eventlog/event_log.h"
#include "located_event.h"
#include "payload_decoder.h"

namespace jobledger::cli {

struct SelectionOptions {
  // Empty: every jobledger topic the log has.
  std::vector<std::string> topics;
  // Where every partition starts.
  int64_t from_offset = 0;
  EventFilterOptions filter;
  // At most this many events; 0: all.
  int64_t limit = 0;
};

struct SelectionSummary {
  int64_t events = 0;       // handed to the caller
  int64_t bad_records = 0;  // records that are not valid events, each reported on stderr
};

using EventSink = std::function<absl::Status(const LocatedEvent&)>;

// Reads the selection from `log` up to the high watermarks at the start and hands each selected
// event to `sink`, in merge order (MergedEventReader). Stops at the first error from the log or
// the sink. `decoder` is the one the filter uses, and the sink may use it too.
absl::StatusOr<SelectionSummary> ForEachSelectedEvent(eventlog::EventLog& log,
                                                      const SelectionOptions& options,
                                                      PayloadDecoder& decoder,
                                                      const EventSink& sink);

}  // namespace jobledger::cli
