// Offline projection work: list, verify against a rebuild, rebuild and swap.
#include "jobledger/projection/tools.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "internal/apply.h"
#include "internal/layout.h"
#include "jobledger/common/status.h"

namespace jobledger::projection {
namespace {

constexpr size_t kReadEvents = 5000;
// Reads are applied to one transaction until its coalesced writes reach this size (see
// RunnerOptions::rebuild_batch_bytes).
constexpr size_t kBatchBytes = 16 << 20;

std::string Root(const std::string& directory, const std::string& name) {
  return (std::filesystem::path(directory) / name).string();
}

absl::StatusOr<std::unique_ptr<ProjectionStore>> OpenStore(const std::string& path,
                                                           bool read_only) {
  StoreOptions options;
  options.path = path;
  options.read_only = read_only;
  return ProjectionStore::Open(options);
}

}  // namespace

absl::StatusOr<std::map<TopicPartition, int64_t>> LogEnds(eventlog::EventLog& log,
                                                          const std::vector<std::string>& topics) {
  std::map<TopicPartition, int64_t> watermarks;
  for (const std::string& topic : topics) {
    JL_ASSIGN_OR_RETURN(const int32_t partitions, log.PartitionCount(topic));
    for (int32_t partition = 0; partition < partitions; ++partition) {
      const TopicPartition key{topic, partition};
      JL_ASSIGN_OR_RETURN(watermarks[key], log.HighWatermark(topic, partition));
    }
  }
  return watermarks;
}

absl::StatusOr<int64_t> ApplyUntil(const Projection& projection, eventlog::EventLog& log,
                                   ProjectionStore& store,
                                   const std::map<TopicPartition, int64_t>& until,
                                   const ProgressCallback& progress, const RecordFilter& take) {
  JL_ASSIGN_OR_RETURN(const auto committed, store.CommittedOffsets());
  const auto start_of = [&](const TopicPartition& partition) {
    const auto it = committed.find(partition);
    return it == committed.end() ? int64_t{0} : it->second;
  };
  int64_t total = 0;
  for (const auto& [partition, end] : until)
    total += std::max<int64_t>(0, end - start_of(partition));
  int64_t done = 0;
  if (progress) progress(done, total);
  // Partition after partition: allowed, since each partition's order is all a projection relies on.
  std::vector<eventlog::Record> records;  // storage reused from read to read
  internal::RecordApplier applier;
  std::unique_ptr<Transaction> transaction;
  for (const auto& [partition, end] : until) {
    for (int64_t offset = start_of(partition); offset < end;) {
      const size_t wanted = static_cast<size_t>(std::min<int64_t>(kReadEvents, end - offset));
      JL_RETURN_IF_ERROR(log.ReadInto(partition.first, partition.second, offset, wanted, records));
      if (records.empty()) {
        return absl::DataLossError(absl::StrCat("log ", partition.first, "/", partition.second,
                                                " ends at offset ", offset, ", before ", end));
      }
      // The partition ends at the first refused record, even if later ones would pass.
      bool refused = false;
      if (take) {
        const auto first_refused = std::find_if_not(records.begin(), records.end(), take);
        refused = first_refused != records.end();
        records.erase(first_refused, records.end());
      }
      if (!records.empty()) {
        if (transaction == nullptr) transaction = store.Begin();
        const internal::AppliedBatch applied = applier.Apply(projection, records, *transaction);
        if (!applied.retry_later.ok()) return applied.retry_later;
        if (transaction->ApproximateBytes() >= kBatchBytes) {
          JL_RETURN_IF_ERROR(store.Commit(*transaction));
          transaction.reset();
        }
      }
      offset += static_cast<int64_t>(records.size());
      done += static_cast<int64_t>(records.size());
      if (progress) progress(done, total);
      if (refused) break;
    }
  }
  if (transaction != nullptr) JL_RETURN_IF_ERROR(store.Commit(*transaction));
  return done;
}

absl::StatusOr<std::vector<StoredProjection>> ListProjections(const std::string& directory,
                                                              eventlog::EventLog* log) {
  std::vector<StoredProjection> projections;
  std::error_code error;
  std::vector<std::filesystem::path> roots;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_directory()) roots.push_back(entry.path());
  }
  if (error) {
    return absl::NotFoundError(absl::StrCat("cannot read ", directory, ": ", error.message()));
  }
  std::sort(roots.begin(), roots.end());
  for (const std::filesystem::path& root : roots) {
    const std::optional<internal::StoreName> current = internal::ReadCurrent(root.string());
    if (!current.has_value()) continue;
    StoredProjection listed;
    listed.name = root.filename().string();
    listed.store_name = current->ToString();
    listed.version = current->version;
    JL_ASSIGN_OR_RETURN(auto store, OpenStore((root / listed.store_name).string(), true));
    JL_ASSIGN_OR_RETURN(listed.applied, store->CommittedOffsets());
    JL_ASSIGN_OR_RETURN(const auto dead_letters, store->DeadLetters(SIZE_MAX));
    listed.dead_letters = dead_letters.size();
    if (log != nullptr) {
      std::set<std::string> topics;
      for (const auto& [partition, offset] : listed.applied) topics.insert(partition.first);
      auto watermarks = LogEnds(*log, {topics.begin(), topics.end()});
      if (watermarks.ok()) {
        listed.lag = 0;
        for (const auto& [partition, high_watermark] : *watermarks) {
          const auto it = listed.applied.find(partition);
          listed.lag += high_watermark - (it == listed.applied.end() ? 0 : it->second);
        }
      }
    }
    projections.push_back(std::move(listed));
  }
  return projections;
}

absl::StatusOr<VerifyResult> VerifyProjection(const Projection& projection,
                                              const std::string& directory, eventlog::EventLog& log,
                                              const ProgressCallback& progress) {
  const std::string root = Root(directory, projection.name());
  const std::optional<internal::StoreName> current = internal::ReadCurrent(root);
  if (!current.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("projection ", projection.name(), " has no store in ", directory));
  }
  if (current->version != projection.version()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the store of ", projection.name(), " is version ", current->version,
                     "; this build's is ", projection.version(), ": rebuild it first"));
  }
  JL_ASSIGN_OR_RETURN(auto live,
                      OpenStore((std::filesystem::path(root) / current->ToString()).string(),
                                /*read_only=*/true));
  JL_ASSIGN_OR_RETURN(const auto until, live->CommittedOffsets());

  const std::string scratch = (std::filesystem::path(root) / ".verify").string();
  std::error_code error;
  std::filesystem::remove_all(scratch, error);
  VerifyResult result;
  {
    JL_ASSIGN_OR_RETURN(auto rebuilt, OpenStore(scratch, /*read_only=*/false));
    rebuilt->RemoveWhenClosed();
    rebuilt->BeginBulkLoad();  // a scratch store: nothing to recover after a crash
    JL_ASSIGN_OR_RETURN(result.events, ApplyUntil(projection, log, *rebuilt, until, progress));
    JL_ASSIGN_OR_RETURN(result.rebuilt_checksum, rebuilt->Checksum());
  }
  JL_ASSIGN_OR_RETURN(result.live_checksum, live->Checksum());
  return result;
}

absl::StatusOr<int64_t> RebuildProjection(const Projection& projection,
                                          const std::string& directory, eventlog::EventLog& log,
                                          const ProgressCallback& progress) {
  const std::string root = Root(directory, projection.name());
  std::error_code error;
  std::filesystem::create_directories(root, error);
  const std::optional<internal::StoreName> current = internal::ReadCurrent(root);
  std::unique_ptr<ProjectionStore> old;
  if (current.has_value()) {
    // Holding the old store's write lock proves its service is not running, and keeps it so.
    auto opened = OpenStore((std::filesystem::path(root) / current->ToString()).string(), false);
    if (!opened.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "projection ", projection.name(),
          " is in use (is its service running? stop it, or ask the service to rebuild): ",
          opened.status().message()));
    }
    old = std::move(*opened);
  }
  const internal::StoreName next{projection.version(),
                                 current.has_value() ? current->generation + 1 : 1};
  const std::string path = (std::filesystem::path(root) / next.ToString()).string();
  std::filesystem::remove_all(path, error);
  JL_ASSIGN_OR_RETURN(auto rebuilt, OpenStore(path, /*read_only=*/false));
  // Not current until complete, and removed when unfinished: it needs no WAL.
  rebuilt->BeginBulkLoad();
  bool complete = false;
  absl::Cleanup remove_unfinished = [&] {
    if (complete) return;
    rebuilt.reset();
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  };
  JL_ASSIGN_OR_RETURN(const auto until, LogEnds(log, projection.topics()));
  JL_ASSIGN_OR_RETURN(const int64_t events, ApplyUntil(projection, log, *rebuilt, until, progress));
  JL_RETURN_IF_ERROR(rebuilt->EndBulkLoad());  // everything on disk before it becomes current
  JL_RETURN_IF_ERROR(rebuilt->Close());
  JL_RETURN_IF_ERROR(internal::WriteCurrent(root, next));
  complete = true;
  if (old != nullptr) {
    old->RemoveWhenClosed();
    JL_RETURN_IF_ERROR(old->Close());
  }
  return events;
}

}  // namespace jobledger::projection
