// Running `jl` as a child process.
#include "jl_run.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "jobledger/testing/child_process.h"

namespace jobledger::cli::testing {
namespace {

JlRun Run(const std::vector<std::string>& argv) {
  JlRun run;
  auto child = jobledger::testing::ChildProcess::Spawn(argv);
  if (!child.ok()) {
    ADD_FAILURE() << child.status();
    return run;
  }
  while (auto line = (*child)->ReadLine(absl::Seconds(60))) {
    absl::StrAppend(&run.out, *line, "\n");
    run.lines.push_back(*std::move(line));
  }
  run.exit_code = (*child)->Wait();
  return run;
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\\''"}}), "'");
}

JlRun RunJl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {JL_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

JlRun RunShell(const std::string& script) {
  return Run({"/bin/sh", "-c", absl::StrCat("JL=", ShellQuote(JL_CLI_PATH), "; ", script)});
}

int ReservePortOffset() {
  static const int offset = [] {
    constexpr int kSlots = 90;
    const int first = static_cast<int>(getpid() % kSlots);
    for (int i = 0; i < kSlots; ++i) {
      const int candidate = 10'000 + (first + i) % kSlots * 10;
      const std::string path = absl::StrCat("/tmp/jobledger-test-ports-", candidate, ".lock");
      // Close-on-exec: the services `jl up` starts must not inherit the lock and keep it.
      const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (fd < 0) continue;
      if (flock(fd, LOCK_EX | LOCK_NB) == 0) return candidate;  // held until this process exits
      close(fd);
    }
    return 10'000 + first * 10;  // every slot taken: the pid's, as before
  }();
  return offset;
}

}  // namespace jobledger::cli::testing
