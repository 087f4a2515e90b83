// The projection directory layout.
#include "internal/layout.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace jobledger::projection::internal {

constexpr char kCurrentFile[] = "CURRENT";

std::string StoreName::ToString() const { return absl::StrFormat("v%d-%04d", version, generation); }

std::optional<StoreName> StoreName::Parse(absl::string_view name) {
  StoreName parsed;
  if (!absl::ConsumePrefix(&name, "v")) return std::nullopt;
  const size_t dash = name.find('-');
  if (dash == absl::string_view::npos || !absl::SimpleAtoi(name.substr(0, dash), &parsed.version) ||
      !absl::SimpleAtoi(name.substr(dash + 1), &parsed.generation)) {
    return std::nullopt;
  }
  return parsed;
}

std::optional<StoreName> ReadCurrent(const std::string& projection_root) {
  std::string content;
  std::ifstream(std::filesystem::path(projection_root) / kCurrentFile) >> content;
  std::optional<StoreName> current = StoreName::Parse(content);
  std::error_code error;
  if (!current.has_value() ||
      !std::filesystem::exists(std::filesystem::path(projection_root) / content, error)) {
    return std::nullopt;
  }
  return current;
}

absl::Status WriteCurrent(const std::string& projection_root, const StoreName& store) {
  const std::filesystem::path path = std::filesystem::path(projection_root) / kCurrentFile;
  const std::filesystem::path temporary = path.string() + ".tmp";
  const std::string content = store.ToString() + "\n";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot write ", temporary.string()));
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot replace ", path.string()));
  }
  const int dir = ::open(projection_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // makes the rename itself durable
    ::close(dir);
  }
  return absl::OkStatus();
}

}  // namespace jobledger::projection::internal
