// How many times the owner of a topic changed its store (commits, flushes, compactions, reopens),
// readable by other processes without a system call: a small file in the topic's directory that
// the owner and its followers map shared. A follower pulls the owner's changes (RocksDB's
// TryCatchUpWithPrimary, which reads the MANIFEST and lists the directory) only when the count
// moved, instead of every follow interval whether or not anything was written.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jobledger::eventlog::internal {

class CommitCounter {
 public:
  // The file's name in the topic's directory (RocksDB leaves files it does not know alone).
  static constexpr char kFileName[] = "JOBLEDGER-CHANGES";

  // Maps the counter of the topic in `directory` (which must exist) for writing, creating it at 0
  // if missing; an existing count goes on from where it is.
  static absl::StatusOr<std::unique_ptr<CommitCounter>> OpenForOwner(const std::string& directory);
  // Maps it for reading; NOT_FOUND while the owner has not created it.
  static absl::StatusOr<std::unique_ptr<CommitCounter>> OpenForFollower(
      const std::string& directory);

  ~CommitCounter();
  CommitCounter(const CommitCounter&) = delete;
  CommitCounter& operator=(const CommitCounter&) = delete;

  // Owner: after a change is durable and visible to a follower's catch-up.
  void Increment() { value_->fetch_add(1, std::memory_order_release); }
  uint64_t Load() const { return value_->load(std::memory_order_acquire); }

 private:
  explicit CommitCounter(void* mapping) : value_(static_cast<std::atomic<uint64_t>*>(mapping)) {}

  // Shared between processes: must not hide a lock.
  static_assert(std::atomic<uint64_t>::is_always_lock_free);
  std::atomic<uint64_t>* const value_;
};

}  // namespace jobledger::eventlog::internal
