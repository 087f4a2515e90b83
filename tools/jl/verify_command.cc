// `jl verify`: checks every aggregate's sequence numbers and hash chain across whole topics.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyst_flags.h"
#include "commands.h"
#include "log_source.h"
#include "log_verifier.h"
#include "terminal_progress.h"

namespace jobledger::cli {
namespace {

struct VerifyFlags {
  LogSourceFlags source;
  std::vector<std::string> topics;
  int64_t max_problems = 1000;
};

std::string Plural(int64_t count, const std::string& noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

int Verify(const VerifyFlags& flags) {
  auto log = OpenLogSource(ToLogSourceOptions(flags.source));
  if (!log.ok()) {
    std::cerr << "jl verify: " << log.status().message() << "\n";
    return EXIT_FAILURE;
  }
  auto topics = SelectTopics(**log, flags.topics);
  if (!topics.ok()) {
    std::cerr << "jl verify: " << topics.status().message() << "\n";
    return EXIT_FAILURE;
  }
  TerminalProgress progress;
  int64_t last_read = 0;
  int64_t last_planned = 0;
  int64_t listed = 0;
  auto summary = VerifyLog(
      **log, *topics,
      [&](const LogProblem& problem) {
        if (flags.max_problems != 0 && listed >= flags.max_problems) return;
        ++listed;
        progress.Clear();
        std::cout << "PROBLEM topic=" << problem.topic << " partition=" << problem.partition
                  << " offset=" << problem.offset << " aggregate=" << problem.aggregate << ": "
                  << problem.what << "\n";
      },
      [&](int64_t read, int64_t planned) {
        last_read = read;
        last_planned = planned;
        progress.Update(read, planned);
      });
  progress.Finish(last_read, last_planned);
  if (!summary.ok()) {
    std::cerr << "jl verify: " << summary.status().message() << "\n";
    return EXIT_FAILURE;
  }
  std::cout << "verified " << Plural(static_cast<int64_t>(topics->size()), "topic") << ": "
            << Plural(summary->events, "event") << ", " << Plural(summary->aggregates, "aggregate")
            << ", " << Plural(summary->problems, "problem");
  if (listed < summary->problems) std::cout << " (the first " << listed << " listed)";
  std::cout << "\n"
            << (summary->problems == 0 ? "OK: every aggregate's sequence and hash chain is intact\n"
                                       : "FAILED: the log has problems (above)\n");
  return summary->problems == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* command = app.add_subcommand(
      "verify",
      "Check whole topics: per aggregate, sequences 1, 2, 3 ... without gaps or repeats, each "
      "previous_hash equal to the previous event's hash, each hash recomputing over its event");
  AddLogSourceFlags(*command, flags->source);
  AddTopicFlag(*command, flags->topics);
  command
      ->add_option("--max-problems", flags->max_problems,
                   "List at most N problems (all are counted); 0: list all")
      ->check(NotNegative())
      ->capture_default_str();
  command->footer(
      "Exit status: 0 when the log is intact, 1 when it has problems (each listed on stdout) or "
      "cannot be read.");
  command->callback([flags] {
    if (const int code = Verify(*flags); code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
