// Thin POSIX file helpers that retry EINTR and turn errno into absl::Status naming the path.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::blobstore::internal {

// RESOURCE_EXHAUSTED for a full disk or quota, INTERNAL otherwise: "<action> <path>: <strerror>".
[[nodiscard]] absl::Status ErrnoError(int error, absl::string_view action, absl::string_view path);

// Writes all of `data` to `fd`.
[[nodiscard]] absl::Status WriteAll(int fd, absl::string_view data, absl::string_view path);

// Reads until `size` bytes are in `buffer` or the file ends; returns the count read.
absl::StatusOr<size_t> ReadUpTo(int fd, char* buffer, size_t size, absl::string_view path);

// Creates the directory `path` (its parent must exist); true when this call created it.
absl::StatusOr<bool> MakeDir(const std::string& path);

// Fsyncs a directory, making the entries created, renamed or removed in it durable.
[[nodiscard]] absl::Status SyncDir(const std::string& path);

// Closes `fd` (ignoring nothing: a close error after writes can mean lost data).
[[nodiscard]] absl::Status Close(int fd, absl::string_view path);

}  // namespace jobledger::blobstore::internal
