// `jl verify`'s check of every aggregate's hash chain, reporting each break and going on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::cli {

// eventlog::HashChainVerifier stops following an aggregate at its first break (its state stays
// put), so every later event of that aggregate would fail too. An audit wants each break once:
// after a gap the chain continues from the event after it, and a repeated sequence is reported
// without becoming the aggregate's latest event.
class ChainChecker {
 public:
  // Checks one event, in log order, and returns what is wrong with it (empty: nothing):
  // a hash that does not recompute over its contents (eventlog::ComputeEventHash), a sequence
  // that is not the aggregate's next, a previous_hash that is not the previous event's hash.
  std::vector<std::string> Check(const events::v1::Envelope& envelope, absl::string_view payload);

  int64_t aggregates() const { return static_cast<int64_t>(last_.size()); }

  // "tenant/aggregate_type/aggregate_id", how problems name an aggregate.
  static std::string AggregateName(const events::v1::Envelope& envelope);

 private:
  struct Link {
    int64_t sequence = 0;
    std::string hash;
  };
  absl::flat_hash_map<std::string, Link> last_;
};

}  // namespace jobledger::cli
