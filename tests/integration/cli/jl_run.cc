// Running `jl` as a child process.
#include "jl_run.h"

#include <gtest/gtest.h>

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

}  // namespace jobledger::cli::testing
