// A test peer written in Python (a local SMTP server, an HTTP sink) run as a child process: it
// prints "listening <port>" once it accepts connections, and exits 0 on SIGTERM.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/testing/child_process.h"

namespace jobledger::testing {

struct PythonPeer {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
};

// Runs `python3 -u script_path args...` and waits up to `timeout` for its "listening <port>"
// line. The interpreter is $JL_PYTHON3 if set, else Debian's /usr/bin/python3: the one the
// python3-* packages (python3-aiosmtpd) install into, whatever python3 comes first on PATH.
absl::StatusOr<PythonPeer> StartPythonPeer(const std::string& script_path,
                                           const std::vector<std::string>& args,
                                           absl::Duration timeout = absl::Seconds(20));

}  // namespace jobledger::testing
