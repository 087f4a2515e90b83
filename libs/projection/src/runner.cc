// The projection runtime: one thread per projection applies polled batches to the serving store
// (and to a store being rebuilt), each batch committed with its offsets in one write.
#include "jobledger/projection/runner.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "internal/apply.h"
#include "internal/layout.h"
#include "jobledger/common/status.h"
#include "jobledger/projection/store.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace jobledger::projection {
namespace {

bool IsValidName(absl::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

int64_t Sum(const std::map<TopicPartition, int64_t>& offsets) {
  int64_t sum = 0;
  for (const auto& [partition, offset] : offsets) sum += offset;
  return sum;
}

}  // namespace

struct ProjectionRunner::Target {
  std::string store_name;
  std::shared_ptr<ProjectionStore> store;
  // Only the runner thread touches the subscription; applied is read by others under mu_.
  std::unique_ptr<eventlog::MultiSubscription> subscription;
  std::map<TopicPartition, int64_t> applied;
  bool applying = true;  // false: an older version's store, kept serving until its replacement
  // Runner thread only: the polled records (their storage reused from poll to poll), the event
  // decoder, and a transaction a rebuild keeps open across polls with what it has applied.
  std::vector<eventlog::Record> records;
  internal::RecordApplier applier;
  std::unique_ptr<Transaction> transaction;
  internal::AppliedBatch pending;
  int64_t pending_events = 0;
};

struct ProjectionRunner::Metrics {
  prometheus::Counter* applied = nullptr;
  prometheus::Counter* errors = nullptr;
  prometheus::Counter* dead_letters = nullptr;
  prometheus::Gauge* lag = nullptr;
  prometheus::Gauge* rebuild_progress = nullptr;
  prometheus::Family<prometheus::Gauge>* last_offset_family = nullptr;
  std::map<TopicPartition, prometheus::Gauge*> last_offset;
  std::string projection;

  void SetLastOffset(const TopicPartition& partition, int64_t next_offset) {
    auto [it, added] = last_offset.try_emplace(partition, nullptr);
    if (added) {
      it->second = &last_offset_family->Add({{"projection", projection},
                                             {"topic", partition.first},
                                             {"partition", absl::StrCat(partition.second)}});
    }
    it->second->Set(static_cast<double>(next_offset - 1));
  }
};

ProjectionRunner::ProjectionRunner(const Projection& projection, RunnerOptions options)
    : projection_(projection),
      options_(std::move(options)),
      root_((std::filesystem::path(options_.directory) / projection.name()).string()) {}

absl::StatusOr<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Start(
    const Projection& projection, RunnerOptions options) {
  if (!IsValidName(projection.name())) {
    return absl::InvalidArgumentError(
        absl::StrCat("projection name \"", projection.name(), "\" must be [a-z0-9_]+"));
  }
  if (projection.version() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("projection ", projection.name(), " needs a version of at least 1"));
  }
  if (projection.topics().empty() || options.log == nullptr || options.directory.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("projection ", projection.name(), " needs topics, a log and a directory"));
  }
  std::unique_ptr<ProjectionRunner> runner(new ProjectionRunner(projection, std::move(options)));
  JL_RETURN_IF_ERROR(runner->Open());
  runner->thread_ = std::thread([raw = runner.get()] { raw->Loop(); });
  return runner;
}

ProjectionRunner::~ProjectionRunner() { Stop().IgnoreError(); }

absl::Status ProjectionRunner::Open() {
  std::error_code error;
  std::filesystem::create_directories(root_, error);
  if (error) return absl::UnavailableError(absl::StrCat("cannot create ", root_));

  const std::optional<internal::StoreName> current = internal::ReadCurrent(root_);
  // Anything else here is a rebuild that a crash interrupted: start over rather than resume.
  for (const auto& entry : std::filesystem::directory_iterator(root_, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && (!current.has_value() || name != current->ToString())) {
      std::filesystem::remove_all(entry.path(), error);
    }
  }

  absl::MutexLock lock(&mu_);
  generation_ = current.has_value() ? current->generation : 0;
  if (!current.has_value()) {
    const std::string name = NextStoreName();
    JL_ASSIGN_OR_RETURN(live_, OpenTarget(name, /*remove_on_failure=*/true));
    JL_RETURN_IF_ERROR(WriteCurrent(name));
  } else {
    JL_ASSIGN_OR_RETURN(live_, OpenTarget(current->ToString(), /*remove_on_failure=*/false));
    if (current->version != projection_.version()) {
      live_->applying = false;  // its writer code is gone; it only serves until replaced
      JL_ASSIGN_OR_RETURN(building_, OpenTarget(NextStoreName(), /*remove_on_failure=*/true,
                                                /*rebuild=*/true));
    }
  }

  if (options_.metrics != nullptr) {
    metrics_ = std::make_unique<Metrics>();
    metrics_->projection = projection_.name();
    const prometheus::Labels labels = {{"projection", projection_.name()}};
    auto& registry = *options_.metrics;
    metrics_->applied = &prometheus::BuildCounter()
                             .Name("jobledger_projection_events_applied_total")
                             .Help("Events applied to a projection")
                             .Register(registry)
                             .Add(labels);
    metrics_->errors = &prometheus::BuildCounter()
                            .Name("jobledger_projection_errors_total")
                            .Help("Failed polls, commits and handler calls of a projection")
                            .Register(registry)
                            .Add(labels);
    metrics_->dead_letters = &prometheus::BuildCounter()
                                  .Name("jobledger_projection_dead_letters_total")
                                  .Help("Events a projection could not apply, kept as dead letters")
                                  .Register(registry)
                                  .Add(labels);
    metrics_->lag = &prometheus::BuildGauge()
                         .Name("jobledger_projection_lag_events")
                         .Help("Records in the log not yet applied to the serving store")
                         .Register(registry)
                         .Add(labels);
    metrics_->rebuild_progress = &prometheus::BuildGauge()
                                      .Name("jobledger_projection_rebuild_progress_ratio")
                                      .Help("Share of the log a running rebuild has applied")
                                      .Register(registry)
                                      .Add(labels);
    metrics_->last_offset_family = &prometheus::BuildGauge()
                                        .Name("jobledger_projection_last_applied_offset")
                                        .Help("Offset of the last record applied, per partition")
                                        .Register(registry);
  }
  return absl::OkStatus();
}

std::string ProjectionRunner::NextStoreName() const {
  // Every caller holds mu_; OpenTarget then advances generation_ past the name it opens.
  return internal::StoreName{projection_.version(), generation_ + 1}.ToString();
}

absl::StatusOr<std::unique_ptr<ProjectionRunner::Target>> ProjectionRunner::OpenTarget(
    const std::string& store_name, bool remove_on_failure, bool rebuild) {
  if (const auto parsed = internal::StoreName::Parse(store_name); parsed.has_value()) {
    generation_ = std::max(generation_, parsed->generation);
  }
  auto target = std::make_unique<Target>();
  target->store_name = store_name;
  StoreOptions store_options;
  store_options.path = (std::filesystem::path(root_) / store_name).string();
  store_options.block_cache = options_.block_cache;
  auto store = ProjectionStore::Open(store_options);
  if (!store.ok()) {
    if (remove_on_failure) {
      std::error_code ignored;
      std::filesystem::remove_all(store_options.path, ignored);
    }
    return store.status();
  }
  target->store = std::move(*store);
  // A crash during a rebuild starts it over (see Open), so its writes need no WAL.
  if (rebuild) target->store->BeginBulkLoad();
  JL_ASSIGN_OR_RETURN(target->applied, target->store->CommittedOffsets());
  return target;
}

absl::Status ProjectionRunner::WriteCurrent(const std::string& store_name) const {
  const std::optional<internal::StoreName> parsed = internal::StoreName::Parse(store_name);
  if (!parsed.has_value()) return absl::InternalError("bad store name " + store_name);
  return internal::WriteCurrent(root_, *parsed);
}

absl::StatusOr<std::map<TopicPartition, int64_t>> ProjectionRunner::HighWatermarks() const {
  std::map<TopicPartition, int64_t> watermarks;
  for (const std::string& topic : projection_.topics()) {
    JL_ASSIGN_OR_RETURN(const int32_t partitions, options_.log->PartitionCount(topic));
    for (int32_t partition = 0; partition < partitions; ++partition) {
      const TopicPartition key{topic, partition};
      JL_ASSIGN_OR_RETURN(watermarks[key], options_.log->HighWatermark(topic, partition));
    }
  }
  return watermarks;
}

absl::Status ProjectionRunner::EnsureSubscribed(Target& target, bool live) {
  if (target.subscription != nullptr) return absl::OkStatus();
  // Topics may not exist yet when their owning service starts later: this is retried.
  JL_ASSIGN_OR_RETURN(const auto watermarks, HighWatermarks());
  std::vector<eventlog::StartPosition> starts;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [partition, high_watermark] : watermarks) {
      const int64_t offset = target.applied.try_emplace(partition, 0).first->second;
      starts.push_back({partition.first, partition.second, offset});
    }
    high_watermarks_ = watermarks;
    if (live && start_watermarks_.empty()) start_watermarks_ = watermarks;
    if (!live) rebuild_total_ = Sum(watermarks);
  }
  JL_ASSIGN_OR_RETURN(target.subscription, options_.log->SubscribeMany(std::move(starts)));
  return absl::OkStatus();
}

void ProjectionRunner::Loop() {
  while (true) {
    Target* live = nullptr;
    Target* building = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      if (rebuild_requested_ && building_ == nullptr) {
        auto target = OpenTarget(NextStoreName(), /*remove_on_failure=*/true, /*rebuild=*/true);
        if (target.ok()) building_ = std::move(*target);
        last_error_ = target.status();
      }
      rebuild_requested_ = false;
      live = live_.get();  // only this thread replaces the targets, so the pointers stay valid
      building = building_.get();
    }
    bool worked = false;
    if (live->applying)
      worked |= StepOrReset(*live, /*live=*/true,
                            building != nullptr ? absl::ZeroDuration() : options_.idle_wait);
    if (building != nullptr) {
      const bool built = StepOrReset(*building, /*live=*/false, absl::ZeroDuration());
      worked |= built;
      if (!built) {
        const absl::Status finished = FinishRebuildIfCaughtUp();
        if (!finished.ok()) RecordError(finished);
      }
    }
    // A live poll that found nothing has already waited; otherwise wait here, so that an idle
    // rebuild or an unsubscribed log does not spin (Stop and Rebuild end the wait at once).
    const bool poll_waited = building == nullptr && live->applying && live->subscription != nullptr;
    if (!worked && !poll_waited) {
      absl::MutexLock lock(&mu_);
      const auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || rebuild_requested_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&woken), options_.idle_wait);
    }
    if (absl::Now() - last_lag_refresh_ >= options_.lag_interval) RefreshLag();
  }
}

bool ProjectionRunner::StepOrReset(Target& target, bool live, absl::Duration wait) {
  absl::Status status = EnsureSubscribed(target, live);
  if (status.ok()) {
    auto worked = Step(target, live, wait);
    if (worked.ok()) return *worked;
    status = worked.status();
  }
  // The subscription may have moved past records that were not committed: start it again from
  // what the store holds.
  target.subscription.reset();
  target.transaction.reset();
  target.pending = {};
  target.pending_events = 0;
  RecordError(status);
  return false;
}

void ProjectionRunner::RecordError(const absl::Status& status) {
  if (status.ok()) return;
  if (metrics_ != nullptr) metrics_->errors->Increment();
  absl::MutexLock lock(&mu_);
  last_error_ = status;
}

absl::StatusOr<bool> ProjectionRunner::Step(Target& target, bool live, absl::Duration wait) {
  JL_RETURN_IF_ERROR(
      target.subscription->PollInto(options_.max_batch_events, wait, target.records));
  if (target.records.empty()) {
    if (target.transaction != nullptr) JL_RETURN_IF_ERROR(CommitOpen(target, live));
    return false;
  }
  if (target.transaction == nullptr) target.transaction = target.store->Begin();
  internal::AppliedBatch applied =
      target.applier.Apply(projection_, target.records, *target.transaction);
  for (const auto& [partition, next_offset] : applied.next_offsets) {
    target.pending.next_offsets[partition] = next_offset;
  }
  target.pending.dead_letters += applied.dead_letters;
  if (!applied.retry_later.ok()) {
    // Keep what was applied before the event that must wait; read again from there.
    JL_RETURN_IF_ERROR(CommitOpen(target, live));
    return applied.retry_later;
  }
  target.pending_events += static_cast<int64_t>(target.records.size());
  // The serving store commits every poll (its readers wait for it); a rebuild gathers polls
  // until its transaction is large or it has caught up with the log.
  const bool reached_end = target.records.size() < options_.max_batch_events;
  if (live || reached_end ||
      target.transaction->ApproximateBytes() >= options_.rebuild_batch_bytes) {
    JL_RETURN_IF_ERROR(CommitOpen(target, live));
  }
  return true;
}

absl::Status ProjectionRunner::CommitOpen(Target& target, bool live) {
  JL_RETURN_IF_ERROR(target.store->Commit(*target.transaction));
  target.transaction.reset();
  const internal::AppliedBatch applied = std::exchange(target.pending, {});
  const int64_t events = std::exchange(target.pending_events, 0);
  if (metrics_ != nullptr) {
    metrics_->applied->Increment(static_cast<double>(events));
    metrics_->dead_letters->Increment(static_cast<double>(applied.dead_letters));
    if (live) {
      for (const auto& [partition, next_offset] : applied.next_offsets) {
        metrics_->SetLastOffset(partition, next_offset);
      }
    }
  }
  absl::MutexLock lock(&mu_);  // waiters in WaitFor re-check when this is released
  for (const auto& [partition, next_offset] : applied.next_offsets) {
    target.applied[partition] = next_offset;
  }
  if (live) dead_letters_ += applied.dead_letters;
  return absl::OkStatus();
}

absl::Status ProjectionRunner::FinishRebuildIfCaughtUp() {
  Target* building = nullptr;
  {
    absl::MutexLock lock(&mu_);
    building = building_.get();
  }
  if (building == nullptr || building->subscription == nullptr ||
      building->transaction != nullptr) {
    return absl::OkStatus();
  }
  JL_ASSIGN_OR_RETURN(const auto watermarks, HighWatermarks());
  {
    absl::MutexLock lock(&mu_);
    high_watermarks_ = watermarks;
    for (const auto& [partition, high_watermark] : watermarks) {
      const auto it = building->applied.find(partition);
      if (it == building->applied.end() || it->second < high_watermark) return absl::OkStatus();
    }
  }
  // Caught up: everything on disk (the rebuild wrote no WAL), then make the new store the current
  // one on disk, then in memory; from here on its commits are logged.
  JL_RETURN_IF_ERROR(building->store->EndBulkLoad());
  JL_RETURN_IF_ERROR(WriteCurrent(building->store_name));
  absl::MutexLock lock(&mu_);
  live_->store->RemoveWhenClosed();  // closed and deleted once no query holds it any more
  live_ = std::move(building_);
  live_->applying = true;
  start_watermarks_ = watermarks;
  if (metrics_ != nullptr) metrics_->rebuild_progress->Set(0);
  return absl::OkStatus();
}

void ProjectionRunner::RefreshLag() {
  last_lag_refresh_ = absl::Now();
  auto watermarks = HighWatermarks();
  if (!watermarks.ok()) return RecordError(watermarks.status());
  absl::MutexLock lock(&mu_);
  high_watermarks_ = *watermarks;
  if (metrics_ == nullptr) return;
  int64_t lag = 0;
  for (const auto& [partition, high_watermark] : *watermarks) {
    const auto it = live_->applied.find(partition);
    lag += high_watermark - (it == live_->applied.end() ? 0 : it->second);
  }
  metrics_->lag->Set(static_cast<double>(lag));
  if (building_ != nullptr && rebuild_total_ > 0) {
    metrics_->rebuild_progress->Set(static_cast<double>(Sum(building_->applied)) /
                                    static_cast<double>(rebuild_total_));
  }
}

absl::Status ProjectionRunner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return absl::OkStatus();
    stopped_ = true;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  absl::Status status;
  if (building_ != nullptr) {
    building_->store->RemoveWhenClosed();  // an unfinished rebuild is started over next time
    building_->transaction.reset();        // uncommitted: dropped with the store
    building_->subscription.reset();
    building_->store.reset();
    building_.reset();
  }
  if (live_ != nullptr) {
    live_->subscription.reset();
    // Queries still holding the store keep it open; the last one closes it.
    live_->store.reset();
  }
  return status;
}

bool ProjectionRunner::caught_up() const {
  absl::MutexLock lock(&mu_);
  if (!live_->applying || start_watermarks_.empty()) return false;
  for (const auto& [partition, high_watermark] : start_watermarks_) {
    const auto it = live_->applied.find(partition);
    if (it == live_->applied.end() || it->second < high_watermark) return false;
  }
  return true;
}

absl::Status ProjectionRunner::WaitFor(const LogPosition& position, absl::Time deadline) const {
  const std::vector<std::string> topics = projection_.topics();
  if (std::find(topics.begin(), topics.end(), position.topic) == topics.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("projection ", projection_.name(), " does not read topic ", position.topic));
  }
  const TopicPartition partition{position.topic, position.partition};
  absl::MutexLock lock(&mu_);
  const auto applied = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (stopping_) return true;
    const auto it = live_->applied.find(partition);
    return live_->applying && it != live_->applied.end() && it->second > position.offset;
  };
  mu_.AwaitWithDeadline(absl::Condition(&applied), deadline);
  if (stopping_) return absl::UnavailableError("projection is stopping");
  if (!applied()) {
    const auto it = live_->applied.find(partition);
    return absl::DeadlineExceededError(absl::StrCat(
        "projection ", projection_.name(), " has applied ", position.topic, "/", position.partition,
        " up to offset ", it == live_->applied.end() ? -1 : it->second - 1, "; offset ",
        position.offset, " not yet"));
  }
  return absl::OkStatus();
}

std::shared_ptr<const ProjectionStore> ProjectionRunner::store() const {
  absl::MutexLock lock(&mu_);
  return live_->store;
}

absl::Status ProjectionRunner::Rebuild() {
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::FailedPreconditionError("projection is stopping");
  if (building_ != nullptr || rebuild_requested_) {
    return absl::FailedPreconditionError(
        absl::StrCat("projection ", projection_.name(), " is already rebuilding"));
  }
  rebuild_requested_ = true;
  return absl::OkStatus();
}

ProjectionStatus ProjectionRunner::status() const {
  ProjectionStatus status;
  status.name = projection_.name();
  status.version = projection_.version();
  status.caught_up = caught_up();
  absl::MutexLock lock(&mu_);
  status.store_path = live_->store != nullptr ? live_->store->path() : "";
  status.applied = live_->applied;
  status.high_watermarks = high_watermarks_;
  for (const auto& [partition, high_watermark] : high_watermarks_) {
    const auto it = live_->applied.find(partition);
    status.lag += high_watermark - (it == live_->applied.end() ? 0 : it->second);
  }
  status.rebuilding = building_ != nullptr || rebuild_requested_;
  if (building_ != nullptr && rebuild_total_ > 0) {
    status.rebuild_progress =
        static_cast<double>(Sum(building_->applied)) / static_cast<double>(rebuild_total_);
  }
  status.dead_letters = dead_letters_;
  status.last_error = last_error_;
  return status;
}

RunnerOptions ServiceRunnerOptions(const std::string& data_dir, eventlog::EventLog* log,
                                   prometheus::Registry* metrics, size_t cache_bytes) {
  RunnerOptions options;
  options.directory = (std::filesystem::path(data_dir) / "projections").string();
  options.log = log;
  options.metrics = metrics;
  options.idle_wait = absl::Milliseconds(5);
  options.block_cache = NewBlockCache(cache_bytes);
  return options;
}

}  // namespace jobledger::projection
