// A progress bar that appears only on a terminal.
#include "terminal_progress.h"

#include <unistd.h>

#include <cstdio>

namespace jobledger::cli {

TerminalProgress::TerminalProgress() {
  if (isatty(STDERR_FILENO) == 1) bar_.emplace(stderr);
}

void TerminalProgress::Update(int64_t done, int64_t total) {
  if (bar_.has_value()) bar_->Update(done, total);
}

void TerminalProgress::Finish(int64_t done, int64_t total) {
  if (bar_.has_value()) bar_->Finish(done, total);
}

void TerminalProgress::Clear() {
  if (bar_.has_value()) std::fputs("\r\x1b[K", stderr);  // to the line's start, erase to its end
}

}  // namespace jobledger::cli
