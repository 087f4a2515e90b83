// Temporary directories for tests.
#include "jobledger/testing/temp_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace jobledger::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "jobledger-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();  // a test cannot go on without it
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace jobledger::testing
