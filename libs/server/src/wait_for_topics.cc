// Waiting for other services' topics.
#include "jobledger/server/wait_for_topics.h"

#include "absl/strings/str_cat.h"
#include "jobledger/server/log.h"

namespace jobledger::server {

absl::Status WaitForTopics(eventlog::EventLog& log, const std::vector<std::string>& topics,
                           absl::Duration wait) {
  const absl::Time deadline = absl::Now() + wait;
  absl::Time next_log = absl::Now();
  while (true) {
    std::string missing;
    for (const std::string& topic : topics) {
      if (!log.PartitionCount(topic).ok()) missing = topic;
    }
    if (missing.empty()) return absl::OkStatus();
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat("topic ", missing, " does not exist"));
    }
    if (absl::Now() >= next_log) {
      Log(Level::kInfo, "waiting for a topic to be created by its owning service",
          {{"topic", missing}});
      next_log = absl::Now() + absl::Seconds(5);
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
}

}  // namespace jobledger::server
