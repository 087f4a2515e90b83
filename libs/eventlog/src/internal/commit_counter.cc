// The topic's change counter: an 8-byte file mapped shared.
#include "internal/commit_counter.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace jobledger::eventlog::internal {
namespace {

constexpr size_t kSize = sizeof(uint64_t);

std::string PathIn(const std::string& directory) {
  return (std::filesystem::path(directory) / CommitCounter::kFileName).string();
}

absl::Status Failed(const char* what, const std::string& path) {
  const int error = errno;
  const std::string message = absl::StrCat(what, " ", path, ": ", std::strerror(error));
  return error == ENOENT ? absl::NotFoundError(message) : absl::UnavailableError(message);
}

}  // namespace

absl::StatusOr<std::unique_ptr<CommitCounter>> CommitCounter::OpenForOwner(
    const std::string& directory) {
  const std::string path = PathIn(directory);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Failed("cannot open", path);
  struct stat file {};
  if (::fstat(fd, &file) != 0) {
    const absl::Status failed = Failed("cannot stat", path);
    ::close(fd);
    return failed;
  }
  // Written, not truncated to size: on a full disk the write fails here, where a store through
  // the mapping into an unbacked page would kill the process with SIGBUS.
  if (file.st_size < static_cast<off_t>(kSize)) {
    const uint64_t zero = 0;
    if (::pwrite(fd, &zero, kSize, 0) != static_cast<ssize_t>(kSize)) {
      const absl::Status failed = Failed("cannot write", path);
      ::close(fd);
      return failed;
    }
  }
  void* mapping = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const absl::Status map_failed =
      mapping == MAP_FAILED ? Failed("cannot map", path) : absl::OkStatus();
  ::close(fd);  // the mapping keeps the file
  if (!map_failed.ok()) return map_failed;
  return std::unique_ptr<CommitCounter>(new CommitCounter(mapping));
}

absl::StatusOr<std::unique_ptr<CommitCounter>> CommitCounter::OpenForFollower(
    const std::string& directory) {
  const std::string path = PathIn(directory);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Failed("cannot open", path);
  struct stat file {};
  if (::fstat(fd, &file) != 0 || file.st_size < static_cast<off_t>(kSize)) {
    ::close(fd);
    return absl::NotFoundError(absl::StrCat(path, " is not written yet"));
  }
  void* mapping = ::mmap(nullptr, kSize, PROT_READ, MAP_SHARED, fd, 0);
  const absl::Status map_failed =
      mapping == MAP_FAILED ? Failed("cannot map", path) : absl::OkStatus();
  ::close(fd);
  if (!map_failed.ok()) return map_failed;
  return std::unique_ptr<CommitCounter>(new CommitCounter(mapping));
}

CommitCounter::~CommitCounter() { ::munmap(static_cast<void*>(value_), kSize); }

}  // namespace jobledger::eventlog::internal
