// The ways a projection gets rebuilt, timed for the benchmarks: a runner catching up, a runner
// rebuilding after a version bump, and the offline rebuild of `jl projections rebuild`.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/projection/runner.h"
#include "jobledger/projection/tools.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::bench {

// Another projection under a different version number: what a deployment bumping the version
// runs, without changing the projection's own code.
class AtVersion final : public projection::Projection {
 public:
  AtVersion(const projection::Projection& projection, int32_t version)
      : projection_(projection), version_(version) {}
  std::string name() const override { return projection_.name(); }
  int32_t version() const override { return version_; }
  std::vector<std::string> topics() const override { return projection_.topics(); }
  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override {
    return projection_.Apply(event, position, state);
  }

 private:
  const projection::Projection& projection_;
  const int32_t version_;
};

// Starts a runner and waits until it has caught up (after a version bump: until the rebuilt store
// is swapped in); how long that took.
inline absl::Duration RunUntilCaughtUp(const projection::Projection& projection,
                                       const projection::RunnerOptions& options) {
  const absl::Time start = absl::Now();
  auto runner = projection::ProjectionRunner::Start(projection, options);
  if (!runner.ok()) std::abort();
  while (!(*runner)->caught_up()) absl::SleepFor(absl::Milliseconds(1));
  const absl::Duration took = absl::Now() - start;
  (*runner)->Stop().IgnoreError();
  return took;
}

// Leaves `projection`'s store in `options.directory`, caught up with an empty log of the same
// topics (`partitions` each): what a version bump finds.
inline void PrepareStore(const projection::Projection& projection, int32_t partitions,
                         projection::RunnerOptions options) {
  jobledger::testing::TempDir empty;
  eventlog::EmbeddedLogOptions log_options;
  log_options.directory = empty.path();
  for (const std::string& topic : projection.topics()) {
    log_options.owned_topics.push_back({topic, partitions});
  }
  auto log = eventlog::EmbeddedLog::Open(log_options);
  if (!log.ok()) std::abort();
  options.log = log->get();
  RunUntilCaughtUp(projection, options);
}

// The rebuild of a version bump: `projection` (version 2 of it) rebuilt by the runner beside a
// version 1 store, until the swap.
inline absl::Duration RebuildAfterVersionBump(const projection::Projection& projection,
                                              int32_t partitions,
                                              const projection::RunnerOptions& options) {
  PrepareStore(AtVersion(projection, 1), partitions, options);
  return RunUntilCaughtUp(AtVersion(projection, 2), options);
}

// The offline rebuild (`jl projections rebuild`): one thread, partition after partition.
inline absl::Duration OfflineRebuild(const projection::Projection& projection,
                                     const std::string& directory, eventlog::EventLog& log) {
  const absl::Time start = absl::Now();
  if (!projection::RebuildProjection(projection, directory, log, nullptr).ok()) std::abort();
  return absl::Now() - start;
}

// Fails the benchmark process when a projection under `directory` dead-lettered events (naming a
// few): a rebuild whose events fail does less work than it should.
inline void ExpectNoDeadLetters(const std::string& directory) {
  auto listed = projection::ListProjections(directory, nullptr);
  if (!listed.ok()) std::abort();
  for (const projection::StoredProjection& stored : *listed) {
    if (stored.dead_letters == 0) continue;
    projection::StoreOptions options;
    options.path = directory + "/" + stored.name + "/" + stored.store_name;
    options.read_only = true;
    auto store = projection::ProjectionStore::Open(options);
    if (store.ok()) {
      std::set<std::string> types;  // the first of each type
      for (const auto& letter :
           (*store)->DeadLetters(10'000).value_or(std::vector<projection::v1::DeadLetter>())) {
        if (!types.insert(letter.event_type()).second) continue;
        std::fprintf(stderr, "dead letter %s: %s\n", letter.event_type().c_str(),
                     letter.reason().c_str());
      }
    }
    std::fprintf(stderr, "%s: %zu dead letters\n", stored.name.c_str(), stored.dead_letters);
    std::abort();
  }
}

// `--checksum STORE_PATH`: prints the checksum of a store a rebuild left behind, to compare the
// state two builds of a projection produce.
inline int PrintChecksum(const std::string& path) {
  projection::StoreOptions options;
  options.path = path;
  options.read_only = true;
  auto store = projection::ProjectionStore::Open(options);
  if (!store.ok()) return 2;
  std::printf("%s\n", (*store)->Checksum().value_or("error").c_str());
  return 0;
}

}  // namespace jobledger::bench
