// Where a command writer reads committed aggregate state: the owning service's projection.
#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/aggregate/aggregate.h"

namespace jobledger::aggregate {

template <typename State>
class StateSource {
 public:
  virtual ~StateSource() = default;
  // The committed state and head of `key`; head.version 0 (and `state` untouched) when it has no
  // events yet.
  virtual absl::StatusOr<Head> Load(const AggregateKey& key, State& state) const = 0;
  // The command recorded under this tenant's idempotency key, if any.
  virtual absl::StatusOr<std::optional<CommandRecord>> FindCommand(
      absl::string_view tenant, absl::string_view idempotency_key) const = 0;
  // Waits until the record at `position` is in what Load reads; DEADLINE_EXCEEDED after
  // `deadline` (a deadline in the past just asks).
  virtual absl::Status WaitFor(const LogPosition& position, absl::Time deadline) const = 0;
  // True once everything in the log when the service started has been applied.
  virtual bool caught_up() const = 0;
};

}  // namespace jobledger::aggregate
