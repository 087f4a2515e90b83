// Building, sharing and keeping past boards.
#include "board_snapshots.h"

#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jobledger/common/status.h"
#include "jobledger/projection/tools.h"

namespace jobledger::reporting {

absl::Time SnapshotInstant(absl::Time at) {
  return absl::FromUnixMillis(absl::ToUnixMillis(at));  // rounds towards the past
}

absl::StatusOr<std::unique_ptr<BoardSnapshots>> BoardSnapshots::Open(BoardSnapshotOptions options) {
  if (options.projection == nullptr || options.log == nullptr || options.directory.empty()) {
    return absl::InvalidArgumentError("board snapshots need a projection, a log and a directory");
  }
  std::error_code error;
  std::filesystem::remove_all(options.directory, error);
  if (!error) std::filesystem::create_directories(options.directory, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("prepare ", options.directory, ": ", error.message()));
  }
  return std::unique_ptr<BoardSnapshots>(new BoardSnapshots(std::move(options)));
}

absl::StatusOr<BoardSnapshots::Snapshot> BoardSnapshots::At(absl::Time at) {
  const absl::Time instant = SnapshotInstant(at);
  const bool settled = instant <= absl::Now() - options_.limits.settle;
  int64_t id = 0;
  {
    absl::MutexLock lock(&mu_);
    // One build per settled instant: whoever asks while it runs waits and shares it.
    while (settled && building_.count(instant) > 0) built_.Wait(&mu_);
    if (settled) {
      if (std::optional<Snapshot> kept = cache_.Find(instant)) return *std::move(kept);
    }
    if (building_.size() >= static_cast<size_t>(options_.limits.concurrent_builds)) {
      return absl::ResourceExhaustedError(
          absl::StrCat("as_of: ", building_.size(),
                       " past boards are being built, the most at once; try again shortly"));
    }
    building_.insert(instant);
    id = ++next_id_;
  }
  absl::StatusOr<Snapshot> built = Build(instant, id);
  std::vector<Snapshot> dropped;  // closed outside the lock
  absl::MutexLock lock(&mu_);
  building_.erase(building_.find(instant));
  if (built.ok() && settled) dropped = cache_.Put(instant, *built);
  built_.SignalAll();
  return built;
}

absl::StatusOr<BoardSnapshots::Snapshot> BoardSnapshots::Build(absl::Time instant,
                                                               int64_t id) const {
  projection::StoreOptions store_options;
  store_options.path = (std::filesystem::path(options_.directory) / absl::StrCat(id)).string();
  store_options.block_cache = options_.block_cache;
  JL_ASSIGN_OR_RETURN(std::unique_ptr<projection::ProjectionStore> store,
                      projection::ProjectionStore::Open(store_options));
  store->RemoveWhenClosed();
  store->BeginBulkLoad();  // a scratch store: nothing to recover after a crash
  JL_ASSIGN_OR_RETURN(const auto ends,
                      projection::LogEnds(*options_.log, options_.projection->topics()));
  int64_t taken = 0;
  bool too_many = false;
  auto appended_by_instant = [&](const eventlog::Record& record) {
    if (record.timestamp > instant) return false;
    if (++taken > options_.limits.max_events) {
      too_many = true;
      return false;
    }
    return true;
  };
  JL_RETURN_IF_ERROR(projection::ApplyUntil(*options_.projection, *options_.log, *store, ends,
                                            nullptr, appended_by_instant)
                         .status());
  if (too_many) {
    return absl::ResourceExhaustedError(
        absl::StrCat("as_of: the board at that instant needs more than ",
                     options_.limits.max_events, " events replayed, the most a past board may"));
  }
  return Snapshot(std::move(store));
}

}  // namespace jobledger::reporting
