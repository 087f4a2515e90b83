// Reading and writing a projection's rows: the committed state, or one batch being applied.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::projection {

// Iterates keys in [lower, upper) in order, over one consistent view.
class StateIterator {
 public:
  virtual ~StateIterator() = default;
  virtual void Seek(absl::string_view key) = 0;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual absl::string_view key() const = 0;
  virtual absl::string_view value() const = 0;
  virtual absl::Status status() const = 0;
};

class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) const = 0;
  // `lower` is where Seek usually starts; `upper` is exclusive ("" for no bound).
  virtual std::unique_ptr<StateIterator> NewIterator(absl::string_view lower,
                                                     absl::string_view upper) const = 0;
};

// Writes are collected and committed atomically with the offsets they came from; reads through
// the writer see its own uncommitted writes.
class StateWriter : public StateReader {
 public:
  virtual void Put(absl::string_view key, absl::string_view value) = 0;
  virtual void Delete(absl::string_view key) = 0;
  // Put, for a caller that knows `key` is absent (as a new index entry is): a writer may then
  // forget the key altogether when it is deleted again before the commit, instead of carrying a
  // deletion to the store.
  virtual void Insert(absl::string_view key, absl::string_view value) { Put(key, value); }
};

}  // namespace jobledger::projection
