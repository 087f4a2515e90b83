// The other process of the checkpoint crash test: runs the counting projection over a log that
// another process owns, printing its progress, until it has caught up.
//   projection_child LOG_DIR PROJECTIONS_DIR
#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/projection/runner.h"
#include "test_projection.h"

int main(int argc, char** argv) {
  using namespace jobledger;
  if (argc != 3) {
    std::fprintf(stderr, "usage: projection_child LOG_DIR PROJECTIONS_DIR\n");
    return 1;
  }
  eventlog::EmbeddedLogOptions log_options;
  log_options.directory = argv[1];
  auto log = eventlog::EmbeddedLog::Open(log_options);
  if (!log.ok()) return 2;
  projection::testing::CountingProjection projection;
  projection::RunnerOptions options;
  options.directory = argv[2];
  options.log = log->get();
  options.max_batch_events = 37;  // many small checkpoints: many places to be killed between
  auto runner = projection::ProjectionRunner::Start(projection, options);
  if (!runner.ok()) {
    std::fprintf(stderr, "start: %s\n", runner.status().ToString().c_str());
    return 3;
  }
  int64_t last = -1;
  while (!(*runner)->caught_up()) {
    int64_t applied = 0;
    for (const auto& [partition, offset] : (*runner)->status().applied) applied += offset;
    if (applied != last) {
      std::printf("applied %ld\n", static_cast<long>(applied));
      std::fflush(stdout);
      last = applied;
    }
    absl::SleepFor(absl::Microseconds(200));  // progress reporting, not synchronisation
  }
  std::printf("done\n");
  std::fflush(stdout);
  return (*runner)->Stop().ok() ? 0 : 4;
}
