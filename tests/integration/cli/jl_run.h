// Runs the built `jl` (or a shell pipeline around it) and collects its stdout and exit code.
#pragma once

#include <string>
#include <vector>

namespace jobledger::cli::testing {

struct JlRun {
  int exit_code = -1;
  std::string out;                 // all of stdout
  std::vector<std::string> lines;  // stdout split at LF (a CRLF line keeps its CR)
};

// `jl` with these arguments.
JlRun RunJl(const std::vector<std::string>& args);
// `/bin/sh -c script`; "$JL" in the script is the built jl.
JlRun RunShell(const std::string& script);

// `text` in single quotes for /bin/sh.
std::string ShellQuote(const std::string& text);

// The `--port-offset` for the systems this test process starts with `jl up` (each uses offset +
// 2525, 7101..7105, 8025 and 9101..9105; offset + 5 is free for a second one). No other test
// process holds it: each of the 90 offsets 10000, 10010, …, 10890 is reserved with a lock file
// (flock, held until the process exits), so tests running in parallel (ctest -j) never start
// two systems on the same ports. The offsets stay within 900 of each other, and no two base
// ports are closer than 920 apart across services and providers (7101 and 8025 are 924 apart),
// so no port of one system can be a port of another. The same value for every call.
int ReservePortOffset();

}  // namespace jobledger::cli::testing
