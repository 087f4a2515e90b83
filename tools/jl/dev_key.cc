#include "dev_key.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace jobledger::cli {

absl::StatusOr<std::string> EnsureDevKey(const std::string& path) {
  if (std::ifstream in(path); in) {
    std::stringstream contents;
    contents << in.rdbuf();
    std::string key(absl::StripTrailingAsciiWhitespace(contents.str()));
    if (key.size() < 32) return absl::DataLossError(absl::StrCat(path, " holds no usable key"));
    return key;
  }
  char random[32];
  if (getrandom(random, sizeof(random), 0) != static_cast<ssize_t>(sizeof(random))) {
    return absl::InternalError(absl::StrCat("getrandom: ", std::strerror(errno)));
  }
  const std::string key = absl::BytesToHexString(absl::string_view(random, sizeof(random)));
  // O_EXCL: two `jl up` racing on a fresh directory must not end with different keys.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return EnsureDevKey(path);
    return absl::InternalError(absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  const std::string line = key + "\n";
  const bool written =
      write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && fsync(fd) == 0;
  close(fd);
  if (!written) return absl::InternalError(absl::StrCat("cannot write ", path));
  return key;
}

}  // namespace jobledger::cli
