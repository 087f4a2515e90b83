// Which events `jl replay` and `jl export` print: by type, job, tenant and time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "payload_decoder.h"

namespace jobledger::cli {

struct EventFilterOptions {
  // Full ("jobledger.job.v1.JobCreated") or short ("JobCreated") type names; empty: any type.
  std::vector<std::string> types;
  // Events about this job: its aggregate id, or a payload naming it in a `job_id` field.
  std::string job_id;
  std::string tenant;
  // occurred_at in [from_time, until_time).
  std::optional<absl::Time> from_time;
  std::optional<absl::Time> until_time;
};

class EventFilter {
 public:
  explicit EventFilter(EventFilterOptions options) : options_(std::move(options)) {}

  // Decodes the payload (through `decoder`) only when the envelope alone cannot decide.
  bool Matches(const events::v1::Event& event, PayloadDecoder& decoder) const;

 private:
  EventFilterOptions options_;
};

// `wanted` is the full type name, or the part after its last dot.
bool TypeNameMatches(absl::string_view type, absl::string_view wanted);

// A string field named job_id equal to `job_id`, in the message or in any message it holds in a
// singular field (MessageQueued.message.job_id, InvoiceCreated.invoice.job_id, ...).
bool MentionsJob(const google::protobuf::Message& message, absl::string_view job_id);

// "2026-03-01T08:00:00Z", "2026-03-01T09:00:00.5+01:00" (RFC 3339) or "2026-03-01" (midnight
// UTC); false with `error` set otherwise.
bool ParseTimeFlag(absl::string_view text, absl::Time* time, std::string* error);

}  // namespace jobledger::cli
