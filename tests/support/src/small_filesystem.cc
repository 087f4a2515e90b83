#include "jobledger/testing/small_filesystem.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace jobledger::testing {

absl::StatusOr<std::unique_ptr<SmallFilesystem>> SmallFilesystem::Mount(const std::string& dir,
                                                                        int megabytes) {
  std::filesystem::create_directories(dir);
  const std::string size = absl::StrCat("size=", megabytes, "m");
  if (mount("tmpfs", dir.c_str(), "tmpfs", 0, size.c_str()) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("mount tmpfs on ", dir, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<SmallFilesystem>(new SmallFilesystem(dir));
}

SmallFilesystem::~SmallFilesystem() {
  Free();
  (void)umount2(dir_.c_str(), MNT_DETACH);  // best effort: the temporary directory goes too
}

absl::Status SmallFilesystem::Fill() {
  const int fd = open(filler().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("open filler: ", std::strerror(errno)));
  const std::string block(64 * 1024, 'x');
  while (write(fd, block.data(), block.size()) > 0) {
  }
  const int error = errno;
  close(fd);
  if (error != ENOSPC) return absl::InternalError(absl::StrCat("fill: ", std::strerror(error)));
  return absl::OkStatus();
}

void SmallFilesystem::Free() {
  std::error_code ignored;
  std::filesystem::remove(filler(), ignored);
}

}  // namespace jobledger::testing
