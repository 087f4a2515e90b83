// Gapless numbers per tenant (JOB-1, JOB-2, …; INV-1, …), assigned by the service's single writer.
// The service's projection keeps the highest number it applied under a counter key; creates of one
// tenant take turns, and the next number is known once the previous create's append has an
// answer. An append that fails may still have landed: the next create then first lets the
// projection read the topic to its end.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/aggregate/command_writer.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/runner.h"

namespace jobledger::aggregate {

struct NumberingOptions {
  eventlog::EventLog* log = nullptr;
  std::string topic;  // where the numbered creates are appended
  const projection::ProjectionRunner* projection = nullptr;
  const Clock* clock = &SystemClock();
  // The projection's counter (projection::ReadCounter) of the tenant's highest number.
  std::function<std::string(absl::string_view tenant)> counter_key;
  absl::Duration catch_up_timeout = absl::Seconds(10);
};

class TenantNumbering {
 public:
  explicit TenantNumbering(NumberingOptions options) : options_(std::move(options)) {}

  // Gives `submit` the tenant's next number under the tenant's numbering lock: it prepares the
  // create that uses the number and submits its append (without waiting for it), returning
  // whether it appended anything (false: a replayed create, the number stays free). `wait` then
  // runs outside the lock and returns the append's outcome, so creates of one tenant share group
  // commits while reaching the log in number order.
  absl::Status Number(const std::string& tenant,
                      absl::FunctionRef<absl::StatusOr<bool>(int64_t next)> submit,
                      absl::FunctionRef<absl::Status()> wait);

 private:
  struct Tenant {
    absl::Mutex mu;
    std::optional<int64_t> last ABSL_GUARDED_BY(mu);  // unknown until read from the projection
    bool uncertain ABSL_GUARDED_BY(mu) = false;       // an append failed: it may have landed
    int in_flight ABSL_GUARDED_BY(mu) = 0;            // submitted, not yet answered
  };
  Tenant& TenantOf(const std::string& tenant) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int64_t> LastNumber(const std::string& tenant, Tenant& numbers)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(numbers.mu);

  NumberingOptions options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Tenant>> tenants_ ABSL_GUARDED_BY(mu_);
};

// A create that takes the tenant's next number: `decide(state, head, number)` decides it under the
// tenant's numbering lock (it is not called for a retried create, which takes no number); its
// append is submitted there and waited for outside the lock.
template <typename State, typename Event, typename Decide>
absl::StatusOr<Outcome<State>> CreateNumbered(TenantNumbering& numbering,
                                              CommandWriter<State, Event>& writer,
                                              const AggregateKey& key, const CommandMeta& meta,
                                              Decide decide) {
  std::unique_ptr<typename CommandWriter<State, Event>::Prepared> prepared;
  absl::StatusOr<Outcome<State>> outcome = absl::UnknownError("not created");
  absl::Status numbered = numbering.Number(
      key.tenant,
      [&](int64_t number) -> absl::StatusOr<bool> {
        auto decided = writer.Prepare(
            key, meta,
            [&](const State& state, const Head& head) -> absl::StatusOr<std::vector<Event>> {
              return decide(state, head, number);
            });
        if (!decided.ok()) return decided.status();
        prepared = *std::move(decided);
        prepared->Submit();
        return prepared->appends();
      },
      [&] {
        outcome = prepared->Wait();
        return outcome.status();
      });
  if (!numbered.ok()) return numbered;
  return outcome;
}

}  // namespace jobledger::aggregate
