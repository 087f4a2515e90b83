#include "process_control.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace jobledger::cli {
namespace {

struct ProcStat {
  char state = '?';
  uint64_t start_ticks = 0;
};

std::optional<ProcStat> ReadStat(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::stringstream contents;
  contents << in.rdbuf();
  const std::string stat = contents.str();
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const size_t end_of_name = stat.rfind(')');
  if (!in || end_of_name == std::string::npos) return std::nullopt;
  const std::vector<std::string> fields =
      absl::StrSplit(stat.substr(end_of_name + 2), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  ProcStat result;
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &result.start_ticks)) return std::nullopt;
  result.state = fields[0].empty() ? '?' : fields[0][0];
  return result;
}

}  // namespace

absl::StatusOr<ProcessRef> StartDetached(const std::vector<std::string>& argv,
                                         const std::string& output_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own session: a Ctrl-C in the terminal that ran `jl up` does not reach the services.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", argv[0], ": ", std::strerror(error)));
  }
  const std::optional<ProcStat> stat = ReadStat(pid);
  return ProcessRef{.pid = pid, .start_ticks = stat.has_value() ? stat->start_ticks : 0};
}

bool IsRunning(const ProcessRef& ref) {
  if (ref.pid <= 0) return false;
  // Our own children become zombies until reaped; reap them here so they read as gone.
  waitpid(ref.pid, nullptr, WNOHANG);
  const std::optional<ProcStat> stat = ReadStat(ref.pid);
  return stat.has_value() && stat->start_ticks == ref.start_ticks && stat->state != 'Z';
}

absl::Status Stop(const ProcessRef& ref, absl::Duration grace) {
  if (!IsRunning(ref)) return absl::OkStatus();
  if (kill(ref.pid, SIGTERM) != 0 && errno != ESRCH) {
    return absl::InternalError(absl::StrCat("kill ", ref.pid, ": ", std::strerror(errno)));
  }
  const absl::Time deadline = absl::Now() + grace;
  while (IsRunning(ref) && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  if (!IsRunning(ref)) return absl::OkStatus();
  kill(ref.pid, SIGKILL);
  while (IsRunning(ref)) absl::SleepFor(absl::Milliseconds(20));
  return absl::OkStatus();
}

}  // namespace jobledger::cli
