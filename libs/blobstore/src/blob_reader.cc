// BlobReader: streams a blob back and checks it against its name at the end.
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "internal/posix_file.h"
#include "jobledger/blobstore/content_store.h"

namespace jobledger::blobstore {

BlobReader::BlobReader(int fd, std::string path, std::string sha256, int64_t size)
    : fd_(fd), path_(std::move(path)), sha256_(std::move(sha256)), size_(size) {}

BlobReader::~BlobReader() { ::close(fd_); }  // read-only: nothing to lose on close

absl::StatusOr<std::string> BlobReader::Read(size_t max_bytes) {
  if (max_bytes == 0) return absl::InvalidArgumentError("max_bytes must be positive");
  if (at_end_) return end_status_.ok() ? absl::StatusOr<std::string>("") : end_status_;
  // Past the expected size, one more byte is still asked for: a file that grew is found out.
  const size_t remaining = static_cast<size_t>(std::max<int64_t>(size_ - offset_, 0));
  std::string chunk(std::min(max_bytes, std::max<size_t>(remaining, 1)), '\0');
  absl::StatusOr<size_t> got = internal::ReadUpTo(fd_, chunk.data(), chunk.size(), path_);
  if (!got.ok()) return got.status();
  if (*got > 0) {
    chunk.resize(*got);
    hasher_.Update(chunk);
    offset_ += static_cast<int64_t>(*got);
    return chunk;
  }
  at_end_ = true;
  end_status_ = CheckAtEnd();
  if (!end_status_.ok()) return end_status_;
  return std::string();
}

absl::Status BlobReader::CheckAtEnd() {
  const std::string actual = absl::BytesToHexString(hasher_.Finish());
  if (actual == sha256_ && offset_ == size_) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("blob ", path_, " is corrupt: read ", offset_,
                                          " bytes hashing to ", actual, ", expected ", size_,
                                          " bytes hashing to ", sha256_));
}

}  // namespace jobledger::blobstore
