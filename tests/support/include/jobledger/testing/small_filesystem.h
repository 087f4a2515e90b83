// A tmpfs mounted over a directory for the life of a test (root with CAP_SYS_ADMIN only): a small
// filesystem that a filler file fills, since root writes through chmod and read-only remounts
// fail while files are open for writing.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jobledger::testing {

class SmallFilesystem {
 public:
  // PERMISSION_DENIED when this process may not mount (tests then skip).
  static absl::StatusOr<std::unique_ptr<SmallFilesystem>> Mount(const std::string& dir,
                                                                int megabytes);
  ~SmallFilesystem();  // frees and unmounts (lazily: files may still be open)
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  // Writes a filler file until the filesystem is full.
  absl::Status Fill();
  // Removes the filler file.
  void Free();

 private:
  explicit SmallFilesystem(std::string dir) : dir_(std::move(dir)) {}
  std::string filler() const { return dir_ + "/filler"; }

  const std::string dir_;
};

}  // namespace jobledger::testing
