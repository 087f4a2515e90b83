// The embedded log: topic stores by name, owned or followed, behind the EventLog interface.
#include "jobledger/eventlog/embedded_log.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "internal/activity.h"
#include "internal/topic_store.h"
#include "jobledger/common/status.h"

namespace jobledger::eventlog {
namespace {

using internal::TopicStore;

class EmbeddedSubscription final : public Subscription {
 public:
  EmbeddedSubscription(std::shared_ptr<TopicStore> store, int32_t partition, int64_t position)
      : store_(std::move(store)), partition_(partition), position_(position) {}

  absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) override {
    const absl::Time deadline = absl::Now() + timeout;
    JL_ASSIGN_OR_RETURN(std::vector<Record> records,
                        store_->Read(partition_, position_, max_records));
    if (records.empty()) {
      JL_ASSIGN_OR_RETURN(const int64_t high_watermark,
                          store_->WaitBeyond(partition_, position_, deadline));
      if (high_watermark <= position_) return records;
      JL_ASSIGN_OR_RETURN(records, store_->Read(partition_, position_, max_records));
    }
    position_ += static_cast<int64_t>(records.size());
    return records;
  }

  int64_t position() const override { return position_; }

 private:
  const std::shared_ptr<TopicStore> store_;
  const int32_t partition_;
  int64_t position_;
};

class EmbeddedMultiSubscription final : public MultiSubscription {
 public:
  struct Part {
    std::shared_ptr<TopicStore> store;
    int32_t partition;
    int64_t position;
  };

  EmbeddedMultiSubscription(std::vector<Part> parts, std::shared_ptr<internal::Activity> activity,
                            absl::Duration follow_interval)
      : parts_(std::move(parts)),
        activity_(std::move(activity)),
        follow_interval_(follow_interval),
        follows_another_process_(std::any_of(
            parts_.begin(), parts_.end(), [](const Part& part) { return !part.store->owned(); })) {}

  absl::StatusOr<std::vector<Record>> Poll(size_t max_records, absl::Duration timeout) override {
    std::vector<Record> records;
    JL_RETURN_IF_ERROR(PollInto(max_records, timeout, records));
    return records;
  }

  absl::Status PollInto(size_t max_records, absl::Duration timeout,
                        std::vector<Record>& records) override {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      const uint64_t seen = activity_->generation();  // taken first, so no commit slips by
      size_t used = 0;
      for (size_t i = 0; i < parts_.size() && used < max_records; ++i) {
        Part& part = parts_[(next_ + i) % parts_.size()];
        const size_t before = used;
        const absl::Status read =
            part.store->ReadInto(part.partition, part.position, max_records - used, records, used);
        if (!read.ok()) {
          records.clear();
          return read;
        }
        part.position += static_cast<int64_t>(used - before);
      }
      records.resize(used);
      next_ = (next_ + 1) % parts_.size();  // start each round one partition further on
      const absl::Time now = absl::Now();
      if (!records.empty() || now >= deadline) return absl::OkStatus();
      activity_->WaitForChange(
          seen, follows_another_process_ ? std::min(deadline, now + follow_interval_) : deadline);
    }
  }

 private:
  std::vector<Part> parts_;
  const std::shared_ptr<internal::Activity> activity_;
  const absl::Duration follow_interval_;
  const bool follows_another_process_;
  size_t next_ = 0;
};

bool IsValidTopicName(absl::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedLog>> EmbeddedLog::Open(EmbeddedLogOptions options) {
  if (options.directory.empty()) return absl::InvalidArgumentError("log directory is empty");
  std::error_code error;
  std::filesystem::create_directories(options.directory, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create log directory ", options.directory, ": ", error.message()));
  }
  std::unique_ptr<EmbeddedLog> log(new EmbeddedLog(options));
  absl::MutexLock lock(&log->mu_);
  for (const TopicSpec& spec : options.owned_topics) {
    if (!IsValidTopicName(spec.name)) {
      return absl::InvalidArgumentError(absl::StrCat("topic name \"", spec.name, "\" is invalid"));
    }
    const std::string path = (std::filesystem::path(options.directory) / spec.name).string();
    JL_ASSIGN_OR_RETURN(
        auto store, TopicStore::OpenOwned(path, spec, options.max_record_bytes, log->activity_));
    log->stores_[spec.name] = std::move(store);
  }
  return log;
}

EmbeddedLog::EmbeddedLog(EmbeddedLogOptions options)
    : options_(std::move(options)), activity_(std::make_shared<internal::Activity>()) {}

EmbeddedLog::~EmbeddedLog() = default;

absl::StatusOr<std::shared_ptr<internal::TopicStore>> EmbeddedLog::Store(absl::string_view topic) {
  absl::MutexLock lock(&mu_);
  if (auto it = stores_.find(topic); it != stores_.end()) return it->second;
  if (!IsValidTopicName(topic)) {
    return absl::InvalidArgumentError(absl::StrCat("topic name \"", topic, "\" is invalid"));
  }
  const std::string path =
      (std::filesystem::path(options_.directory) / std::string(topic)).string();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(
        absl::StrCat("topic ", topic, " does not exist in ", options_.directory));
  }
  JL_ASSIGN_OR_RETURN(auto store,
                      TopicStore::OpenFollower(path, std::string(topic), options_.follow_interval));
  stores_[topic] = store;
  return store;
}

absl::StatusOr<std::vector<TopicSpec>> EmbeddedLog::ListTopics() {
  std::vector<TopicSpec> topics;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(options_.directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !std::filesystem::exists(entry.path() / "CURRENT")) continue;
    auto store = Store(name);
    if (!store.ok()) continue;  // a topic still being created by its owner
    topics.push_back({name, (*store)->partitions()});
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot list ", options_.directory, ": ", error.message()));
  }
  std::sort(topics.begin(), topics.end(),
            [](const TopicSpec& a, const TopicSpec& b) { return a.name < b.name; });
  return topics;
}

absl::StatusOr<int32_t> EmbeddedLog::PartitionCount(absl::string_view topic) {
  JL_ASSIGN_OR_RETURN(auto store, Store(topic));
  return store->partitions();
}

absl::StatusOr<AppendResult> EmbeddedLog::Append(absl::string_view topic, int32_t partition,
                                                 std::vector<Record> records) {
  JL_ASSIGN_OR_RETURN(auto store, Store(topic));
  return store->Append(partition, std::move(records));
}

void EmbeddedLog::AppendAsync(absl::string_view topic, int32_t partition,
                              std::vector<Record> records, AppendCallback done) {
  auto store = Store(topic);
  if (!store.ok()) return done(store.status());
  (*store)->AppendAsync(partition, std::move(records), std::move(done));
}

absl::StatusOr<std::vector<Record>> EmbeddedLog::Read(absl::string_view topic, int32_t partition,
                                                      int64_t from_offset, size_t max_records) {
  JL_ASSIGN_OR_RETURN(auto store, Store(topic));
  return store->Read(partition, from_offset, max_records);
}

absl::Status EmbeddedLog::ReadInto(absl::string_view topic, int32_t partition, int64_t from_offset,
                                   size_t max_records, std::vector<Record>& records) {
  JL_ASSIGN_OR_RETURN(auto store, Store(topic));
  size_t used = 0;
  const absl::Status read = store->ReadInto(partition, from_offset, max_records, records, used);
  records.resize(read.ok() ? used : 0);
  return read;
}

absl::StatusOr<int64_t> EmbeddedLog::HighWatermark(absl::string_view topic, int32_t partition) {
  JL_ASSIGN_OR_RETURN(auto store, Store(topic));
  return store->HighWatermark(partition);
}

absl::StatusOr<std::unique_ptr<Subscription>> EmbeddedLog::Subscribe(absl::string_view topic,
                                                                     int32_t partition,
                                                                     int64_t from_offset) {
  JL_ASSIGN_OR_RETURN(auto store, Store(topic));
  if (partition < 0 || partition >= store->partitions()) {
    return absl::InvalidArgumentError(absl::StrCat("partition ", partition,
                                                   " does not exist: topic ", topic, " has ",
                                                   store->partitions(), " partitions"));
  }
  if (from_offset < 0) {
    return absl::InvalidArgumentError(absl::StrCat("offset ", from_offset, " is negative"));
  }
  return std::unique_ptr<Subscription>(
      new EmbeddedSubscription(std::move(store), partition, from_offset));
}

}  // namespace jobledger::eventlog

namespace jobledger::eventlog {

absl::StatusOr<std::unique_ptr<MultiSubscription>> EmbeddedLog::SubscribeMany(
    std::vector<StartPosition> starts) {
  if (starts.empty()) return absl::InvalidArgumentError("subscribe to at least one partition");
  std::vector<EmbeddedMultiSubscription::Part> parts;
  for (const StartPosition& start : starts) {
    JL_ASSIGN_OR_RETURN(auto store, Store(start.topic));
    if (start.partition < 0 || start.partition >= store->partitions()) {
      return absl::InvalidArgumentError(absl::StrCat("partition ", start.partition,
                                                     " does not exist: topic ", start.topic,
                                                     " has ", store->partitions(), " partitions"));
    }
    if (start.offset < 0) {
      return absl::InvalidArgumentError(absl::StrCat("offset ", start.offset, " is negative"));
    }
    parts.push_back({std::move(store), start.partition, start.offset});
  }
  return std::unique_ptr<MultiSubscription>(
      new EmbeddedMultiSubscription(std::move(parts), activity_, options_.follow_interval));
}

}  // namespace jobledger::eventlog
