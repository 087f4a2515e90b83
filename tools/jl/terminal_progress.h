// Progress of a long analyst command on stderr, only when stderr is a terminal: piped or
// redirected runs (scripts, jq, tests) get their output and nothing else.
#pragma once

#include <cstdint>
#include <optional>

#include "progress.h"

namespace jobledger::cli {

class TerminalProgress {
 public:
  TerminalProgress();
  void Update(int64_t done, int64_t total);
  void Finish(int64_t done, int64_t total);
  // Erases the bar before a message goes to the same terminal; the next Update draws it again.
  void Clear();

 private:
  std::optional<ProgressBar> bar_;
};

}  // namespace jobledger::cli
