// Python test peers as child processes.
#include "jobledger/testing/python_peer.h"

#include <cstdlib>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jobledger::testing {
namespace {

constexpr char kListening[] = "listening ";

std::string PythonInterpreter() {
  const char* configured = std::getenv("JL_PYTHON3");
  return configured != nullptr && configured[0] != '\0' ? configured : "/usr/bin/python3";
}

}  // namespace

absl::StatusOr<PythonPeer> StartPythonPeer(const std::string& script_path,
                                           const std::vector<std::string>& args,
                                           absl::Duration timeout) {
  std::vector<std::string> argv = {PythonInterpreter(), "-u", script_path};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(argv);
  if (!process.ok()) return process.status();
  PythonPeer peer{.process = *std::move(process), .port = 0};
  const std::optional<std::string> line = peer.process->ReadLine(timeout);
  if (!line.has_value()) {
    // Its traceback, if any, went to stderr, which the child shares with the test.
    return absl::DeadlineExceededError(
        absl::StrCat(script_path, ": no \"listening <port>\" line within ",
                     absl::FormatDuration(timeout), " (see its stderr above)"));
  }
  if (!absl::StartsWith(*line, kListening) ||
      !absl::SimpleAtoi(absl::string_view(*line).substr(sizeof(kListening) - 1), &peer.port) ||
      peer.port <= 0) {
    return absl::InternalError(
        absl::StrCat(script_path, ": expected \"listening <port>\", got \"", *line, "\""));
  }
  return peer;
}

}  // namespace jobledger::testing
