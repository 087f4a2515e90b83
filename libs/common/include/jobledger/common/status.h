// Status helpers: early-return macros and conversion of third-party error codes to absl::Status.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rocksdb {
class Status;
}  // namespace rocksdb

namespace jobledger {

// Converts a RocksDB status to the absl code a caller can act on, keeping RocksDB's message.
// `context` says what was being done ("open job store") and prefixes the message.
[[nodiscard]] absl::Status FromRocksDb(const rocksdb::Status& status,
                                       absl::string_view context = {});

// Returns `status` with `context + ": "` put in front of its message; OK stays OK.
[[nodiscard]] absl::Status Annotate(const absl::Status& status, absl::string_view context);

namespace internal_status {
inline absl::Status AsStatus(absl::Status status) { return status; }
template <typename T>
absl::Status AsStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
}  // namespace internal_status

}  // namespace jobledger

#define JL_STATUS_CONCAT_INNER_(a, b) a##b
#define JL_STATUS_CONCAT_(a, b) JL_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status or absl::StatusOr) once and returns its status if not OK.
#define JL_RETURN_IF_ERROR(expr)                                                \
  do {                                                                          \
    ::absl::Status jl_status_ = ::jobledger::internal_status::AsStatus((expr)); \
    if (!jl_status_.ok()) return jl_status_;                                    \
  } while (false)

// `JL_ASSIGN_OR_RETURN(auto x, MakeX());` declares or assigns `x` from an absl::StatusOr,
// or returns its status from the enclosing function.
#define JL_ASSIGN_OR_RETURN(lhs, expr) \
  JL_ASSIGN_OR_RETURN_IMPL_(JL_STATUS_CONCAT_(jl_status_or_, __LINE__), lhs, expr)

#define JL_ASSIGN_OR_RETURN_IMPL_(status_or, lhs, expr)      \
  auto status_or = (expr);                                   \
  if (!status_or.ok()) return std::move(status_or).status(); \
  lhs = std::move(status_or).value()
