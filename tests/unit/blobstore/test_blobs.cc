// Helpers the blobstore tests share.
#include "test_blobs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/escaping.h"
#include "jobledger/common/sha256.h"
#include "jobledger/common/status.h"

namespace jobledger::blobstore::testing {

std::string Content(size_t size, uint32_t seed) {
  std::string content(size, '\0');
  uint32_t state = seed;
  for (size_t i = 0; i < size; ++i) {
    state = state * 1664525u + 1013904223u;
    content[i] = static_cast<char>(state >> 24);
  }
  return content;
}

std::string HexSha256(absl::string_view data) { return absl::BytesToHexString(Sha256(data)); }

absl::StatusOr<BlobInfo> Store(ContentStore& store, absl::string_view space,
                               absl::string_view content, size_t chunk) {
  JL_ASSIGN_OR_RETURN(std::unique_ptr<BlobWriter> writer, store.NewWriter(space));
  for (size_t offset = 0; offset < content.size(); offset += chunk) {
    JL_RETURN_IF_ERROR(writer->Append(content.substr(offset, chunk)));
  }
  return writer->Finish(static_cast<int64_t>(content.size()), "");
}

absl::Status ReadAll(BlobReader& reader, std::string& content, size_t chunk) {
  content.clear();
  while (true) {
    JL_ASSIGN_OR_RETURN(const std::string part, reader.Read(chunk));
    if (part.empty()) return absl::OkStatus();
    content += part;
  }
}

std::vector<std::string> ListDir(const std::string& directory) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace jobledger::blobstore::testing
