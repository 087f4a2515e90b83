// A content-addressed store on local disk for job attachments: blobs are keyed by the SHA-256 of
// their bytes, published atomically and durably, and checked against that hash when read back.
//
// Layout under ContentStoreOptions::directory:
//   <space>/<first 2 hex>/<remaining 62 hex>   published blobs, read-only files
//   tmp~/upload-XXXXXX                         uploads in progress, removed by Open after a crash
// The temp directory's name contains '~', which no space may contain, so no tenant can collide
// with it. Hex digests are accepted in either case and stored, compared and returned lower-case.
// One ContentStore (one process) owns a directory at a time: Open removes every temp file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/common/sha256.h"

namespace jobledger::blobstore {

inline constexpr char kTempDirName[] = "tmp~";
inline constexpr size_t kMaxSpaceLength = 64;
inline constexpr size_t kSha256HexLength = 64;

struct BlobInfo {
  std::string sha256;  // lower-case hex
  int64_t size_bytes = 0;

  friend bool operator==(const BlobInfo&, const BlobInfo&) = default;
};

struct ContentStoreOptions {
  std::string directory;
  int64_t max_blob_bytes = int64_t{100} << 20;
};

// OK when `space` is 1-64 characters of [A-Za-z0-9_.-] and not "." or ".."; INVALID_ARGUMENT
// naming the problem otherwise.
[[nodiscard]] absl::Status ValidateSpace(absl::string_view space);
// OK when `sha256` is 64 hex digits (either case); INVALID_ARGUMENT otherwise.
[[nodiscard]] absl::Status ValidateSha256Hex(absl::string_view sha256);

// One upload into a temp file. Not thread-safe. Any error discards the upload: the temp file is
// removed and later calls return FAILED_PRECONDITION.
class BlobWriter {
 public:
  ~BlobWriter();  // without a successful Finish, removes the temp file
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  // RESOURCE_EXHAUSTED once more than max_blob_bytes would have been appended.
  [[nodiscard]] absl::Status Append(absl::string_view data);

  // Fsyncs, checks the size and, when `expected_sha256` is not empty, the hash, then publishes
  // the blob atomically (rename, then fsync of its directory). INVALID_ARGUMENT on a size
  // mismatch or a malformed `expected_sha256`, DATA_LOSS when the content does not hash to it.
  // Content that is already stored is simply replaced by the identical bytes.
  [[nodiscard]] absl::StatusOr<BlobInfo> Finish(int64_t expected_size,
                                                absl::string_view expected_sha256);

  int64_t size_bytes() const { return size_; }

 private:
  friend class ContentStore;
  enum class State { kOpen, kFinished, kFailed };

  BlobWriter(int fd, std::string temp_path, std::string root, std::string space,
             int64_t max_blob_bytes);
  absl::StatusOr<BlobInfo> Publish(int64_t expected_size, absl::string_view expected_sha256);
  absl::Status Fail(absl::Status status);  // discards the upload and returns `status`
  void Discard();

  int fd_;
  const std::string temp_path_;
  const std::string root_;
  const std::string space_;
  const int64_t max_blob_bytes_;
  int64_t size_ = 0;
  Sha256Hasher hasher_;
  State state_ = State::kOpen;
  bool renamed_ = false;
};

// Streams one blob back, hashing it as it goes. Not thread-safe.
class BlobReader {
 public:
  ~BlobReader();
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;

  // The next up to `max_bytes` (> 0) bytes; an empty string at the end. When the bytes on disk no
  // longer hash to the blob's name, the end is DATA_LOSS instead of the empty string (and stays
  // so). INVALID_ARGUMENT for max_bytes == 0.
  [[nodiscard]] absl::StatusOr<std::string> Read(size_t max_bytes);

  // The size on disk when the blob was opened.
  int64_t size_bytes() const { return size_; }
  const std::string& sha256() const { return sha256_; }

 private:
  friend class ContentStore;
  BlobReader(int fd, std::string path, std::string sha256, int64_t size);
  absl::Status CheckAtEnd();

  int fd_;
  const std::string path_;
  const std::string sha256_;
  const int64_t size_;
  int64_t offset_ = 0;
  Sha256Hasher hasher_;
  bool at_end_ = false;
  absl::Status end_status_;
};

// Thread-safe: immutable after Open; concurrent calls meet only in the file system, where
// uploads go to distinct temp files and publishing is an atomic rename.
class ContentStore {
 public:
  // Creates the directory if needed and removes temp files left by a crash. INVALID_ARGUMENT for
  // an empty directory or a negative max_blob_bytes.
  static absl::StatusOr<std::unique_ptr<ContentStore>> Open(ContentStoreOptions options);

  ContentStore(const ContentStore&) = delete;
  ContentStore& operator=(const ContentStore&) = delete;

  // `space` keeps tenants' blobs apart (see ValidateSpace).
  absl::StatusOr<std::unique_ptr<BlobWriter>> NewWriter(absl::string_view space);
  // NOT_FOUND when absent; INVALID_ARGUMENT for a bad space or digest.
  absl::StatusOr<std::unique_ptr<BlobReader>> OpenReader(absl::string_view space,
                                                         absl::string_view sha256) const;
  // Whether the blob exists; does not read or verify it.
  absl::StatusOr<bool> Contains(absl::string_view space, absl::string_view sha256) const;

  const ContentStoreOptions& options() const { return options_; }

 private:
  explicit ContentStore(ContentStoreOptions options);
  absl::StatusOr<std::string> BlobPath(absl::string_view space, absl::string_view sha256) const;

  const ContentStoreOptions options_;
  const std::string temp_dir_;
};

}  // namespace jobledger::blobstore
