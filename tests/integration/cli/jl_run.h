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

}  // namespace jobledger::cli::testing
