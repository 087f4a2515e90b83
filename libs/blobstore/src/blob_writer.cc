// BlobWriter: streams an upload into a temp file, then verifies and publishes it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "internal/layout.h"
#include "internal/posix_file.h"
#include "jobledger/blobstore/content_store.h"
#include "jobledger/common/status.h"

namespace jobledger::blobstore {

using internal::ErrnoError;

BlobWriter::BlobWriter(int fd, std::string temp_path, std::string root, std::string space,
                       int64_t max_blob_bytes)
    : fd_(fd),
      temp_path_(std::move(temp_path)),
      root_(std::move(root)),
      space_(std::move(space)),
      max_blob_bytes_(max_blob_bytes) {}

BlobWriter::~BlobWriter() {
  if (state_ == State::kOpen) Discard();
}

void BlobWriter::Discard() {
  // Best effort on a path that is already failing: the temp file is only a leftover that the
  // next Open removes if this does not.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  // Once renamed, the temp name may already belong to another upload.
  if (!renamed_) ::unlink(temp_path_.c_str());
}

absl::Status BlobWriter::Fail(absl::Status status) {
  Discard();
  state_ = State::kFailed;
  return status;
}

absl::Status BlobWriter::Append(absl::string_view data) {
  if (state_ != State::kOpen) {
    return absl::FailedPreconditionError("upload is already finished or failed");
  }
  if (static_cast<int64_t>(data.size()) > max_blob_bytes_ - size_) {
    return Fail(absl::ResourceExhaustedError(
        absl::StrCat("blob is larger than the limit of ", max_blob_bytes_, " bytes")));
  }
  if (absl::Status status = internal::WriteAll(fd_, data, temp_path_); !status.ok()) {
    return Fail(std::move(status));
  }
  hasher_.Update(data);
  size_ += static_cast<int64_t>(data.size());
  return absl::OkStatus();
}

absl::StatusOr<BlobInfo> BlobWriter::Finish(int64_t expected_size,
                                            absl::string_view expected_sha256) {
  if (state_ != State::kOpen) {
    return absl::FailedPreconditionError("upload is already finished or failed");
  }
  absl::StatusOr<BlobInfo> info = Publish(expected_size, expected_sha256);
  if (!info.ok()) return Fail(info.status());
  state_ = State::kFinished;
  return info;
}

absl::StatusOr<BlobInfo> BlobWriter::Publish(int64_t expected_size,
                                             absl::string_view expected_sha256) {
  if (!expected_sha256.empty()) {
    JL_RETURN_IF_ERROR(Annotate(ValidateSha256Hex(expected_sha256), "expected sha256"));
  }
  if (expected_size != size_) {
    return absl::InvalidArgumentError(
        absl::StrCat("size mismatch: expected ", expected_size, " bytes, received ", size_));
  }
  BlobInfo info{absl::BytesToHexString(hasher_.Finish()), size_};
  if (!expected_sha256.empty() && absl::AsciiStrToLower(expected_sha256) != info.sha256) {
    return absl::DataLossError(absl::StrCat("content hashes to sha256 ", info.sha256,
                                            ", not the expected ", expected_sha256));
  }

  // Read-only marks the published file as immutable; fsync before rename so that a crash can
  // never leave the final name pointing at unwritten data.
  if (::fchmod(fd_, 0444) != 0) return ErrnoError(errno, "chmod", temp_path_);
  if (::fsync(fd_) != 0) return ErrnoError(errno, "fsync", temp_path_);
  const int fd = std::exchange(fd_, -1);
  JL_RETURN_IF_ERROR(internal::Close(fd, temp_path_));

  // New directories must reach the disk before the entry in them can be relied on.
  const std::string space_dir = internal::SpaceDir(root_, space_);
  JL_ASSIGN_OR_RETURN(const bool new_space, internal::MakeDir(space_dir));
  if (new_space) JL_RETURN_IF_ERROR(internal::SyncDir(root_));
  const std::string prefix_dir = internal::PrefixDir(root_, space_, info.sha256);
  JL_ASSIGN_OR_RETURN(const bool new_prefix, internal::MakeDir(prefix_dir));
  if (new_prefix) JL_RETURN_IF_ERROR(internal::SyncDir(space_dir));

  // rename() replaces an existing copy atomically; with identical bytes that is deduplication,
  // and it also repairs a copy that went bad on disk.
  const std::string final_path = internal::BlobFile(root_, space_, info.sha256);
  if (::rename(temp_path_.c_str(), final_path.c_str()) != 0) {
    return ErrnoError(errno, absl::StrCat("rename ", temp_path_, " to"), final_path);
  }
  renamed_ = true;
  // Past the rename the blob is visible and correct; if the fsync fails it is left in place
  // (another upload or an event may already rely on the same content) and the error returned.
  JL_RETURN_IF_ERROR(internal::SyncDir(prefix_dir));
  return info;
}

}  // namespace jobledger::blobstore
