#include "jobledger/projection/write_leases.h"

#include <algorithm>

namespace jobledger::projection {

WriteLeases::Lease::~Lease() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) (*it)->mu.Unlock();
}

void WriteLeases::Lease::Wrote(const LogPosition& position) {
  for (Slot* slot : slots_) {
    slot->mu.AssertHeld();
    slot->last_write = position;
  }
}

WriteLeases::Slot& WriteLeases::SlotOf(std::string key) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Slot>& slot = slots_[key];
  if (slot == nullptr) {
    slot = std::make_unique<Slot>();
    slot->key = std::move(key);
  }
  return *slot;
}

absl::StatusOr<WriteLeases::Lease> WriteLeases::Acquire(
    std::vector<std::string> keys, absl::Time deadline) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::vector<Slot*> slots;
  for (std::string& key : keys) slots.push_back(&SlotOf(std::move(key)));
  std::sort(slots.begin(), slots.end(),
            [](const Slot* a, const Slot* b) { return a->key < b->key; });
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  Lease lease({});
  for (Slot* slot : slots) {
    slot->mu.Lock();  // held only for one durable append
    lease.slots_.push_back(slot);
  }
  for (Slot* slot : lease.slots_) {
    slot->mu.AssertHeld();
    if (!slot->last_write.has_value()) continue;
    if (absl::Status s = projection_->WaitFor(*slot->last_write, deadline); !s.ok()) return s;
  }
  return lease;
}

}  // namespace jobledger::projection
