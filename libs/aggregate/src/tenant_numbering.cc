#include "jobledger/aggregate/tenant_numbering.h"

#include "jobledger/projection/catch_up.h"
#include "jobledger/projection/counter.h"

namespace jobledger::aggregate {

TenantNumbering::Tenant& TenantNumbering::TenantOf(const std::string& tenant) {
  absl::MutexLock lock(&mu_);
  auto& numbers = tenants_[tenant];
  if (numbers == nullptr) numbers = std::make_unique<Tenant>();
  return *numbers;
}

absl::StatusOr<int64_t> TenantNumbering::LastNumber(const std::string& tenant, Tenant& numbers) {
  if (numbers.last.has_value()) return *numbers.last;
  if (numbers.uncertain) {
    // Creates still in flight land (or not) before the log's end is read.
    numbers.mu.Await(absl::Condition(
        +[](Tenant* n) ABSL_NO_THREAD_SAFETY_ANALYSIS { return n->in_flight == 0; }, &numbers));
    if (numbers.last.has_value()) return *numbers.last;
    // Let the projection read the topic to its end: the failed create is there or nowhere.
    if (absl::Status s =
            projection::WaitForTopicEnd(*options_.projection, *options_.log, options_.topic,
                                        options_.clock->Now() + options_.catch_up_timeout);
        !s.ok()) {
      return absl::UnavailableError(s.message());
    }
    numbers.uncertain = false;
  }
  auto highest =
      projection::ReadCounter(*options_.projection->store(), options_.counter_key(tenant));
  if (!highest.ok()) return highest.status();
  numbers.last = *highest;
  return *highest;
}

absl::Status TenantNumbering::Number(const std::string& tenant,
                                     absl::FunctionRef<absl::StatusOr<bool>(int64_t next)> submit,
                                     absl::FunctionRef<absl::Status()> wait) {
  Tenant& numbers = TenantOf(tenant);
  bool appended = false;
  {
    absl::MutexLock numbering(&numbers.mu);
    auto last = LastNumber(tenant, numbers);
    if (!last.ok()) return last.status();
    auto submitted = submit(*last + 1);
    if (!submitted.ok()) return submitted.status();
    appended = *submitted;
    if (appended) {
      numbers.last = *last + 1;
      ++numbers.in_flight;
    }
  }
  absl::Status outcome = wait();
  if (appended) {
    absl::MutexLock numbering(&numbers.mu);
    --numbers.in_flight;
    if (!outcome.ok()) {
      // It may have landed, and later numbers may have: learn the last one from the log.
      numbers.last.reset();
      numbers.uncertain = true;
    }
  }
  return outcome;
}

}  // namespace jobledger::aggregate
