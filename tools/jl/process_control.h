// Processes `jl up` leaves running after it exits: started in their own session with output to a
// file, recognised later by pid and start time (a pid alone may have been reused since), stopped
// with SIGTERM and, after a grace period, SIGKILL.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jobledger::cli {

struct ProcessRef {
  pid_t pid = 0;
  uint64_t start_ticks = 0;  // /proc/<pid>/stat field 22: since boot, in clock ticks
};

// Starts argv[0] (a path) detached: new session, stdin from /dev/null, stdout and stderr appended
// to `output_path`.
absl::StatusOr<ProcessRef> StartDetached(const std::vector<std::string>& argv,
                                         const std::string& output_path);

// True while the process `ref` names is running (and is not a zombie).
bool IsRunning(const ProcessRef& ref);

// SIGTERM, then SIGKILL once `grace` has passed; returns when the process is gone. OK when it
// was not running.
absl::Status Stop(const ProcessRef& ref, absl::Duration grace);

}  // namespace jobledger::cli
