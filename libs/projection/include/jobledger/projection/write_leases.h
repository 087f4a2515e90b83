// Locks for commands that decide on the projection beyond their own aggregate (a technician's
// calendar, a job's invoices, a tenant's price codes). A command locks its keys (in one order, so
// two commands never deadlock) and keeps them until its append is durable; the next command on
// any of them first waits until the projection has that append, so it decides on every earlier
// write. Two concurrent commands on one key therefore run one after the other, and the second
// sees the first.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/projection/runner.h"

namespace jobledger::projection {

class WriteLeases {
  // One key's lock and the last append made under it.
  struct Slot {
    std::string key;
    absl::Mutex mu;
    std::optional<LogPosition> last_write ABSL_GUARDED_BY(mu);
  };

 public:
  explicit WriteLeases(const ProjectionRunner* projection) : projection_(projection) {}

  // Exclusive use of some keys until destroyed.
  class Lease {
   public:
    Lease(Lease&&) = default;
    ~Lease();
    // The durable append made under these keys: the next lease of any of them waits for it.
    void Wrote(const LogPosition& position);

   private:
    friend class WriteLeases;
    explicit Lease(std::vector<Slot*> slots) : slots_(std::move(slots)) {}
    std::vector<Slot*> slots_;  // locked, in lock order
  };

  // Locks the keys (any order, repeats allowed) and waits until the projection has the last write
  // made under each; DEADLINE_EXCEEDED (nothing held) when it does not have it by `deadline`.
  absl::StatusOr<Lease> Acquire(std::vector<std::string> keys, absl::Time deadline);

 private:
  Slot& SlotOf(std::string key) ABSL_LOCKS_EXCLUDED(mu_);

  const ProjectionRunner* projection_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Slot>> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::projection
