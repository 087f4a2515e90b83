// The vocabulary of the write path: which aggregate, its head, and what a command brings along.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/projection/runner.h"

namespace jobledger::aggregate {

using projection::LogPosition;

struct AggregateKey {
  std::string tenant;
  std::string type;  // e.g. "job", "customer"
  std::string id;

  friend bool operator==(const AggregateKey&, const AggregateKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const AggregateKey& key) {
    return H::combine(std::move(h), key.tenant, key.type, key.id);
  }
};

// Where an aggregate's chain ends: its version (the last sequence; 0 for none yet) and the hash
// of its last event, which the next event links to.
struct Head {
  int64_t version = 0;
  std::string hash;
};

// The first result of a command with an idempotency key, which a retry gets back.
struct CommandRecord {
  AggregateKey aggregate;
  int64_t version = 0;  // after the command
  LogPosition position;
};

// Who asks, in which trace, and under which idempotency key. Most of it ends up in the envelope.
struct CommandMeta {
  events::v1::Actor actor;
  std::string traceparent;
  std::string correlation_id;
  std::string causation_id;
  std::string idempotency_key;
  std::optional<absl::Time> occurred_at;    // the device's time; the server's when unset
  std::optional<int64_t> expected_version;  // optimistic concurrency; unset: no check
};

}  // namespace jobledger::aggregate
