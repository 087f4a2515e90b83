// A child process for multi-process tests: spawned with a pipe on its stdout, read line by line,
// signalled, and reaped.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jobledger::testing {

class ChildProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Spawn(const std::vector<std::string>& argv);
  ~ChildProcess();  // kills (SIGKILL) and reaps a child still running

  // The next complete line of stdout without its newline; nullopt at end of output or timeout.
  // A last line cut short by the child's death is not returned.
  std::optional<std::string> ReadLine(absl::Duration timeout);
  void Signal(int signal);
  // Waits for exit; returns the exit code, or 128 + signal number if killed by a signal.
  int Wait();
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> exit_code_;
};

}  // namespace jobledger::testing
