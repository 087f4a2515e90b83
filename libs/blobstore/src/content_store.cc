// ContentStore: validation of names, the directory layout, crash cleanup and opening blobs.
#include "jobledger/blobstore/content_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "internal/layout.h"
#include "internal/posix_file.h"
#include "jobledger/common/status.h"

namespace jobledger::blobstore {
namespace {

using internal::ErrnoError;

bool IsSpaceChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '-'; }

// Removes every upload left in the temp directory by a process that died mid-upload.
absl::Status RemoveLeftovers(const std::string& temp_dir) {
  DIR* dir = ::opendir(temp_dir.c_str());
  if (dir == nullptr) return ErrnoError(errno, "open directory", temp_dir);
  absl::Status status;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const absl::string_view name = entry->d_name;
    if (!absl::StartsWith(name, internal::kTempPrefix)) continue;
    if (::unlinkat(::dirfd(dir), entry->d_name, 0) != 0 && errno != ENOENT) {
      status = ErrnoError(errno, "remove", absl::StrCat(temp_dir, "/", name));
      break;
    }
    errno = 0;
  }
  if (status.ok() && errno != 0) status = ErrnoError(errno, "read directory", temp_dir);
  ::closedir(dir);
  return status;
}

}  // namespace

absl::Status ValidateSpace(absl::string_view space) {
  if (space.empty() || space.size() > kMaxSpaceLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("space must be 1-", kMaxSpaceLength, " characters, got ", space.size()));
  }
  if (space == "." || space == "..") {
    return absl::InvalidArgumentError(absl::StrCat("space must not be \"", space, "\""));
  }
  for (const char c : space) {
    if (!IsSpaceChar(c)) {
      return absl::InvalidArgumentError("space may only contain letters, digits, '_', '.' and '-'");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSha256Hex(absl::string_view sha256) {
  if (sha256.size() != kSha256HexLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sha256 must be ", kSha256HexLength, " hex digits, got ", sha256.size(), " characters"));
  }
  for (const char c : sha256) {
    if (!absl::ascii_isxdigit(c)) return absl::InvalidArgumentError("sha256 must be hex digits");
  }
  return absl::OkStatus();
}

ContentStore::ContentStore(ContentStoreOptions options)
    : options_(std::move(options)),
      temp_dir_(absl::StrCat(options_.directory, "/", kTempDirName)) {}

absl::StatusOr<std::unique_ptr<ContentStore>> ContentStore::Open(ContentStoreOptions options) {
  if (options.directory.empty()) return absl::InvalidArgumentError("directory must not be empty");
  if (options.max_blob_bytes < 0) {
    return absl::InvalidArgumentError("max_blob_bytes must not be negative");
  }
  while (options.directory.size() > 1 && options.directory.back() == '/') {
    options.directory.pop_back();
  }
  // The root is created once, at deployment, so mkdir -p without fsyncs is enough here.
  std::error_code error;
  std::filesystem::create_directories(options.directory, error);
  if (error) return ErrnoError(error.value(), "create directory", options.directory);
  JL_RETURN_IF_ERROR(internal::MakeDir(options.directory));  // refuses a file in the way

  auto store = std::unique_ptr<ContentStore>(new ContentStore(std::move(options)));
  JL_ASSIGN_OR_RETURN(const bool new_temp_dir, internal::MakeDir(store->temp_dir_));
  if (new_temp_dir) JL_RETURN_IF_ERROR(internal::SyncDir(store->options_.directory));
  JL_RETURN_IF_ERROR(RemoveLeftovers(store->temp_dir_));
  return store;
}

absl::StatusOr<std::unique_ptr<BlobWriter>> ContentStore::NewWriter(absl::string_view space) {
  JL_RETURN_IF_ERROR(ValidateSpace(space));
  std::string temp_path = absl::StrCat(temp_dir_, "/", internal::kTempPrefix, "XXXXXX");
  const int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "create temp file in", temp_dir_);
  return std::unique_ptr<BlobWriter>(new BlobWriter(fd, std::move(temp_path), options_.directory,
                                                    std::string(space), options_.max_blob_bytes));
}

absl::StatusOr<std::string> ContentStore::BlobPath(absl::string_view space,
                                                   absl::string_view sha256) const {
  JL_RETURN_IF_ERROR(ValidateSpace(space));
  JL_RETURN_IF_ERROR(ValidateSha256Hex(sha256));
  return internal::BlobFile(options_.directory, space, absl::AsciiStrToLower(sha256));
}

absl::StatusOr<std::unique_ptr<BlobReader>> ContentStore::OpenReader(
    absl::string_view space, absl::string_view sha256) const {
  JL_ASSIGN_OR_RETURN(std::string path, BlobPath(space, sha256));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no blob ", sha256, " in space ", space));
    }
    return ErrnoError(errno, "open", path);
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoError(error, "stat", path);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return absl::DataLossError(absl::StrCat(path, " is not a regular file"));
  }
  return std::unique_ptr<BlobReader>(
      new BlobReader(fd, std::move(path), absl::AsciiStrToLower(sha256), info.st_size));
}

absl::StatusOr<bool> ContentStore::Contains(absl::string_view space,
                                            absl::string_view sha256) const {
  JL_ASSIGN_OR_RETURN(const std::string path, BlobPath(space, sha256));
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) return true;
  if (errno == ENOENT) return false;
  return ErrnoError(errno, "stat", path);
}

}  // namespace jobledger::blobstore
