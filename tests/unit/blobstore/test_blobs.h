// Helpers the blobstore tests share: deterministic content, whole-blob I/O, directory listings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/blobstore/content_store.h"

namespace jobledger::blobstore::testing {

// `size` bytes that differ with `seed` and cover every byte value.
std::string Content(size_t size, uint32_t seed = 1);

// Lower-case hex SHA-256 computed in one shot, independently of the writer's streaming hash.
std::string HexSha256(absl::string_view data);

// Writes `content` in `chunk`-sized appends and finishes with its true size and no hash check.
absl::StatusOr<BlobInfo> Store(ContentStore& store, absl::string_view space,
                               absl::string_view content, size_t chunk = 64 * 1024);

// Reads a blob to the end in `chunk`-sized reads; `content` gets what was read even on error.
absl::Status ReadAll(BlobReader& reader, std::string& content, size_t chunk = 64 * 1024);

// Names in `directory` (not recursive), sorted; empty when it does not exist.
std::vector<std::string> ListDir(const std::string& directory);

}  // namespace jobledger::blobstore::testing
