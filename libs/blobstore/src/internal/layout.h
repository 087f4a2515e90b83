// Where things live under the store's directory (see content_store.h for the picture).
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jobledger::blobstore::internal {

inline constexpr char kTempPrefix[] = "upload-";

inline std::string SpaceDir(absl::string_view root, absl::string_view space) {
  return absl::StrCat(root, "/", space);
}

// `sha256` must already be validated and lower-case.
inline std::string PrefixDir(absl::string_view root, absl::string_view space,
                             absl::string_view sha256) {
  return absl::StrCat(root, "/", space, "/", sha256.substr(0, 2));
}

inline std::string BlobFile(absl::string_view root, absl::string_view space,
                            absl::string_view sha256) {
  return absl::StrCat(root, "/", space, "/", sha256.substr(0, 2), "/", sha256.substr(2));
}

}  // namespace jobledger::blobstore::internal
