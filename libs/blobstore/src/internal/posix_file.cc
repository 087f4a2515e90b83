// POSIX file helpers.
#include "internal/posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace jobledger::blobstore::internal {

absl::Status ErrnoError(int error, absl::string_view action, absl::string_view path) {
  std::string message = absl::StrCat(action, " ", path, ": ", std::strerror(error));
  if (error == ENOSPC || error == EDQUOT) return absl::ResourceExhaustedError(std::move(message));
  return absl::InternalError(std::move(message));
}

absl::Status WriteAll(int fd, absl::string_view data, absl::string_view path) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> ReadUpTo(int fd, char* buffer, size_t size, absl::string_view path) {
  size_t total = 0;
  while (total < size) {
    const ssize_t got = ::read(fd, buffer + total, size - total);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "read", path);
    }
    if (got == 0) break;
    total += static_cast<size_t>(got);
  }
  return total;
}

absl::StatusOr<bool> MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0) return true;
  if (errno != EEXIST) return ErrnoError(errno, "create directory", path);
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return ErrnoError(errno, "stat", path);
  if (!S_ISDIR(info.st_mode)) return ErrnoError(ENOTDIR, "create directory", path);
  return false;
}

absl::Status SyncDir(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "open directory", path);
  absl::Status status;
  if (::fsync(fd) != 0) status = ErrnoError(errno, "fsync directory", path);
  ::close(fd);  // read-only: nothing to lose on close
  return status;
}

absl::Status Close(int fd, absl::string_view path) {
  // Linux releases the descriptor even when close fails, so it must not be retried on EINTR.
  if (::close(fd) != 0 && errno != EINTR) return ErrnoError(errno, "close", path);
  return absl::OkStatus();
}

}  // namespace jobledger::blobstore::internal
