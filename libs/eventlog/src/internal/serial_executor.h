// Runs tasks one after another, in order, on a thread of its own (started on first use).
#pragma once

#include <deque>
#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace jobledger::eventlog::internal {

class SerialExecutor {
 public:
  SerialExecutor() = default;
  // Stop()s.
  ~SerialExecutor();

  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // Queues `task`; false (and `task` dropped unrun) once Stop() has begun.
  bool Post(std::function<void()> task);
  // Runs every task already queued, then ends the thread.
  void Stop();

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::eventlog::internal
