// The single writer of one kind of aggregate on its service's topic: the write path of
// ARCHITECTURE.md §5. For each command it loads the aggregate, runs the pure decision, appends
// the resulting events durably with the next sequence numbers and chained hashes, and evolves the
// state with the same code replay uses.
//
// Commands on one aggregate run one at a time; commands on different aggregates run concurrently
// and their appends share the log's group commit. State written but not yet applied by the
// service's projection is kept in memory until the projection has it, so a command never decides
// on stale state. An append whose outcome is unknown (an error from the log) makes the next command
// on that aggregate first wait until the projection has read the partition to its end.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/aggregate/state_source.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/eventlog/partitioner.h"

namespace jobledger::aggregate {

struct WriterOptions {
  eventlog::EventLog* log = nullptr;
  std::string topic;
  std::string source;  // the envelope's source, e.g. "/jobledger/job"
  const Clock* clock = &SystemClock();
  IdGenerator* ids = nullptr;
  // How long a command waits for the projection after an uncertain append.
  absl::Duration catch_up_timeout = absl::Seconds(10);
};

template <typename State>
struct Outcome {
  State state;  // after the command (the current state for a replayed retry)
  int64_t version = 0;
  std::optional<LogPosition> position;    // the last appended event; none when nothing changed
  bool replayed = false;                  // answered from the first attempt of this command
  std::vector<events::v1::Event> events;  // what was appended
};

// `Event` is a std::variant of the aggregate's event messages.
template <typename State, typename Event>
class CommandWriter {
 public:
  using Evolve =
      std::function<absl::Status(State&, const events::v1::Envelope&, const Event& event)>;
  // The events a command produces from the current state (head.version 0: the aggregate does not
  // exist yet), or the error that refuses it. Pure: no I/O, no clock, no ids of its own.
  using Decide =
      absl::FunctionRef<absl::StatusOr<std::vector<Event>>(const State&, const Head& head)>;

  static absl::StatusOr<std::unique_ptr<CommandWriter>> Create(WriterOptions options,
                                                               std::string aggregate_type,
                                                               const StateSource<State>* source,
                                                               Evolve evolve) {
    if (options.log == nullptr || options.ids == nullptr || source == nullptr) {
      return absl::InvalidArgumentError("a command writer needs a log, ids and a state source");
    }
    auto partitions = options.log->PartitionCount(options.topic);
    if (!partitions.ok()) return partitions.status();
    return std::unique_ptr<CommandWriter>(new CommandWriter(
        std::move(options), std::move(aggregate_type), *partitions, source, std::move(evolve)));
  }

  const std::string& aggregate_type() const { return type_; }
  AggregateKey Key(absl::string_view tenant, absl::string_view id) const {
    return {std::string(tenant), type_, std::string(id)};
  }

  // The current state of `key` (including what was appended but is not projected yet), for
  // commands that consult another aggregate. Not locked: it may be overtaken at once. UNAVAILABLE
  // while the projection is still being rebuilt, as for a command: an aggregate it has not
  // reached yet would look as if it did not exist.
  absl::StatusOr<std::pair<State, Head>> Read(const AggregateKey& key)
      ABSL_LOCKS_EXCLUDED(pending_mu_) {
    if (!source_->caught_up()) return StillRebuilding();
    std::pair<State, Head> current;
    if (absl::Status loaded = LoadCurrent(key, current.first, current.second); !loaded.ok()) {
      return loaded;
    }
    return current;
  }

  class Prepared;

  // Runs one command. Errors: the decision's own; ABORTED when meta.expected_version is stale;
  // ALREADY_EXISTS when the idempotency key was used for another aggregate; UNAVAILABLE while the
  // projection catches up or when the log refuses the append (nothing is then acknowledged).
  absl::StatusOr<Outcome<State>> Execute(const AggregateKey& key, const CommandMeta& meta,
                                         Decide decide) {
    auto prepared = Prepare(key, meta, decide);
    if (!prepared.ok()) return prepared.status();
    (*prepared)->Submit();
    return (*prepared)->Wait();
  }

  // Execute in three steps, for callers that must order appends without waiting for each one's
  // fsync (gapless numbers: submit in number order, wait outside the numbering lock). Prepare
  // locks the aggregate and decides; Submit starts the append; Wait returns when it is durable
  // and unlocks. Submit calls on one thread reach each partition in that order.
  absl::StatusOr<std::unique_ptr<Prepared>> Prepare(const AggregateKey& key,
                                                    const CommandMeta& meta, Decide decide) {
    if (!source_->caught_up()) return StillRebuilding();
    auto prepared = std::unique_ptr<Prepared>(new Prepared(this, key, meta));
    if (absl::Status s = prepared->Decide(decide); !s.ok()) return s;
    return prepared;
  }

  // A decided command holding its aggregate's lock until Wait (or destruction).
  class Prepared {
   public:
    ~Prepared() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      if (submitted_ && !finished_) {
        (void)Wait();  // the append's callback must not outlive this
      } else if (locked_) {
        lock_.Unlock();
      }
    }
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;

    // Whether Submit appends anything (false for a replay or a command that changes nothing).
    bool appends() const { return appends_; }

    void Submit() {
      if (submitted_) return;
      submitted_ = true;
      if (records_.empty()) return;
      writer_->options_.log->AppendAsync(writer_->options_.topic, partition_, std::move(records_),
                                         [this](absl::StatusOr<eventlog::AppendResult> result) {
                                           absl::MutexLock lock(&done_mu_);
                                           appended_ = std::move(result);
                                           done_ = true;
                                         });
    }

    absl::StatusOr<Outcome<State>> Wait() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      if (!submitted_) Submit();
      if (finished_) return result_;
      finished_ = true;
      if (!outcome_.events.empty()) {
        absl::MutexLock lock(&done_mu_);
        done_mu_.Await(absl::Condition(&done_));
      }
      result_ = Finish();
      if (locked_) {
        locked_ = false;
        lock_.Unlock();
      }
      return result_;
    }

   private:
    friend class CommandWriter;
    Prepared(CommandWriter* writer, const AggregateKey& key,
             const CommandMeta& meta) ABSL_NO_THREAD_SAFETY_ANALYSIS : writer_(writer),
                                                                       key_(key),
                                                                       meta_(meta),
                                                                       lock_(writer->LockFor(key)) {
      lock_.Lock();
      locked_ = true;
    }

    absl::Status Decide(CommandWriter::Decide decide) ABSL_NO_THREAD_SAFETY_ANALYSIS {
      if (absl::Status settled = writer_->SettleUncertainAppend(key_); !settled.ok()) {
        return settled;
      }
      if (absl::Status loaded = writer_->LoadCurrent(key_, outcome_.state, head_); !loaded.ok()) {
        return loaded;
      }
      if (!meta_.idempotency_key.empty()) {
        auto first = writer_->FindCommand(key_.tenant, meta_.idempotency_key);
        if (!first.ok()) return first.status();
        if (first->has_value()) {
          auto replay = writer_->Replay(key_, **first, outcome_.state);
          if (!replay.ok()) return replay.status();
          outcome_ = *std::move(replay);
          done_ = true;
          return absl::OkStatus();
        }
      }
      if (meta_.expected_version.has_value() && *meta_.expected_version != head_.version) {
        return absl::AbortedError(absl::StrCat(writer_->type_, " ", key_.id, " is at version ",
                                               head_.version, ", not the expected ",
                                               *meta_.expected_version, ": reload it and retry"));
      }
      auto decided = decide(outcome_.state, head_);
      if (!decided.ok()) return decided.status();
      outcome_.version = head_.version;
      if (decided->empty()) {
        done_ = true;
        return absl::OkStatus();
      }
      const absl::Time occurred_at = meta_.occurred_at.value_or(writer_->options_.clock->Now());
      for (const Event& event : *decided) {
        const auto& payload = std::visit(
            [](const auto& message) -> const google::protobuf::Message& { return message; }, event);
        outcome_.events.push_back(MakeEvent(key_, meta_, writer_->options_.source, occurred_at,
                                            writer_->options_.ids->NewId(), payload, head_));
        if (absl::Status evolved =
                writer_->evolve_(outcome_.state, outcome_.events.back().envelope(), event);
            !evolved.ok()) {
          return absl::InternalError(absl::StrCat("a decided ", payload.GetTypeName(),
                                                  " does not apply: ", evolved.message()));
        }
        records_.push_back(eventlog::EncodeEvent(outcome_.events.back()));
        appends_ = true;
      }
      partition_ = eventlog::PartitionForKey(key_.id, writer_->partitions_);
      return absl::OkStatus();
    }

    absl::StatusOr<Outcome<State>> Finish() {
      if (outcome_.events.empty()) return std::move(outcome_);  // replay or no change
      absl::StatusOr<eventlog::AppendResult> appended = absl::UnknownError("no append");
      {
        absl::MutexLock lock(&done_mu_);
        appended = *std::move(appended_);
      }
      if (!appended.ok()) {
        writer_->MarkUncertain(key_);
        return absl::UnavailableError(
            absl::StrCat("the event log did not take the change: ", appended.status().message()));
      }
      outcome_.version = head_.version;
      outcome_.position = LogPosition{writer_->options_.topic, partition_, appended->last_offset()};
      writer_->Remember(key_, meta_, outcome_, head_);
      return std::move(outcome_);
    }

    CommandWriter* const writer_;
    const AggregateKey key_;
    const CommandMeta meta_;
    absl::Mutex& lock_;
    bool locked_ = false;
    bool submitted_ = false;
    bool finished_ = false;
    Outcome<State> outcome_;
    Head head_;
    int32_t partition_ = 0;
    std::vector<eventlog::Record> records_;  // handed to the log by Submit
    bool appends_ = false;
    absl::Mutex done_mu_;
    bool done_ ABSL_GUARDED_BY(done_mu_) = false;
    std::optional<absl::StatusOr<eventlog::AppendResult>> appended_ ABSL_GUARDED_BY(done_mu_);
    absl::StatusOr<Outcome<State>> result_ = absl::UnknownError("not finished");
  };

  // Forgets state the projection already has; returns how much is still pending. Execute calls it
  // now and then; tests call it to check what is kept.
  size_t SweepPending() ABSL_LOCKS_EXCLUDED(pending_mu_) {
    absl::MutexLock lock(&pending_mu_);
    auto applied = [&](const LogPosition& position) {
      return source_->WaitFor(position, absl::InfinitePast()).ok();
    };
    absl::erase_if(pending_, [&](const auto& entry) { return applied(entry.second.position); });
    absl::erase_if(pending_commands_,
                   [&](const auto& entry) { return applied(entry.second.position); });
    since_sweep_ = 0;
    return pending_.size() + pending_commands_.size();
  }

 private:
  struct Pending {
    State state;
    Head head;
    LogPosition position;
  };
  static constexpr size_t kLockStripes = 1024;
  static constexpr int kSweepEvery = 256;

  CommandWriter(WriterOptions options, std::string type, int32_t partitions,
                const StateSource<State>* source, Evolve evolve)
      : options_(std::move(options)),
        type_(std::move(type)),
        partitions_(partitions),
        source_(source),
        evolve_(std::move(evolve)) {}

  absl::Mutex& LockFor(const AggregateKey& key) {
    return locks_[absl::HashOf(key.tenant, key.id) % kLockStripes];
  }

  absl::Status StillRebuilding() const {
    return absl::UnavailableError(
        absl::StrCat("the ", type_, " state is still being rebuilt from the log; retry shortly"));
  }

  absl::Status LoadCurrent(const AggregateKey& key, State& state, Head& head)
      ABSL_LOCKS_EXCLUDED(pending_mu_) {
    {
      absl::MutexLock lock(&pending_mu_);
      if (auto it = pending_.find(key); it != pending_.end()) {
        state = it->second.state;
        head = it->second.head;
        return absl::OkStatus();
      }
    }
    auto loaded = source_->Load(key, state);
    if (!loaded.ok()) return loaded.status();
    head = *std::move(loaded);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<CommandRecord>> FindCommand(absl::string_view tenant,
                                                           absl::string_view idempotency_key)
      ABSL_LOCKS_EXCLUDED(pending_mu_) {
    {
      absl::MutexLock lock(&pending_mu_);
      auto it =
          pending_commands_.find(std::make_pair(std::string(tenant), std::string(idempotency_key)));
      if (it != pending_commands_.end()) return std::optional<CommandRecord>(it->second);
    }
    return source_->FindCommand(tenant, idempotency_key);
  }

  absl::StatusOr<Outcome<State>> Replay(const AggregateKey& key, const CommandRecord& first,
                                        State current) const {
    if (!(first.aggregate == key)) {
      return absl::AlreadyExistsError(absl::StrCat("idempotency key already used for ",
                                                   first.aggregate.type, " ", first.aggregate.id,
                                                   ": use a new key for a different command"));
    }
    Outcome<State> outcome;
    outcome.state = std::move(current);
    outcome.version = first.version;
    outcome.position = first.position;
    outcome.replayed = true;
    return outcome;
  }

  void Remember(const AggregateKey& key, const CommandMeta& meta, const Outcome<State>& outcome,
                const Head& head) ABSL_LOCKS_EXCLUDED(pending_mu_) {
    bool sweep = false;
    {
      absl::MutexLock lock(&pending_mu_);
      pending_[key] = Pending{outcome.state, head, *outcome.position};
      if (!meta.idempotency_key.empty()) {
        pending_commands_[{key.tenant, meta.idempotency_key}] =
            CommandRecord{key, outcome.version, *outcome.position};
      }
      sweep = ++since_sweep_ >= kSweepEvery;
    }
    if (sweep) SweepPending();
  }

  void MarkUncertain(const AggregateKey& key) ABSL_LOCKS_EXCLUDED(pending_mu_) {
    absl::MutexLock lock(&pending_mu_);
    pending_.erase(key);
    uncertain_.insert(key);
  }

  // After an append that may or may not have landed, the projection is the only truth: wait until
  // it has read the partition to its current end, then read from it.
  absl::Status SettleUncertainAppend(const AggregateKey& key) ABSL_LOCKS_EXCLUDED(pending_mu_) {
    {
      absl::MutexLock lock(&pending_mu_);
      if (!uncertain_.contains(key)) return absl::OkStatus();
    }
    const int32_t partition = eventlog::PartitionForKey(key.id, partitions_);
    auto end = options_.log->HighWatermark(options_.topic, partition);
    if (!end.ok()) {
      return absl::UnavailableError(
          absl::StrCat("the event log is not reachable: ", end.status().message()));
    }
    if (*end > 0) {
      absl::Status caught_up = source_->WaitFor(LogPosition{options_.topic, partition, *end - 1},
                                                options_.clock->Now() + options_.catch_up_timeout);
      if (!caught_up.ok()) {
        return absl::UnavailableError(absl::StrCat(
            "waiting for the projection after a failed append: ", caught_up.message()));
      }
    }
    absl::MutexLock lock(&pending_mu_);
    // Pending commands of this aggregate are in the projection too by now.
    absl::erase_if(pending_commands_,
                   [&](const auto& entry) { return entry.second.aggregate == key; });
    uncertain_.erase(key);
    return absl::OkStatus();
  }

  const WriterOptions options_;
  const std::string type_;
  const int32_t partitions_;
  const StateSource<State>* const source_;
  const Evolve evolve_;
  std::array<absl::Mutex, kLockStripes> locks_;

  absl::Mutex pending_mu_;
  absl::flat_hash_map<AggregateKey, Pending> pending_ ABSL_GUARDED_BY(pending_mu_);
  absl::flat_hash_map<std::pair<std::string, std::string>, CommandRecord> pending_commands_
      ABSL_GUARDED_BY(pending_mu_);
  absl::flat_hash_set<AggregateKey> uncertain_ ABSL_GUARDED_BY(pending_mu_);
  int since_sweep_ ABSL_GUARDED_BY(pending_mu_) = 0;
};

// Makes a writer into `out`: for wiring code that makes several in a row, e.g.
//   absl::Status made = CreateWriter(p.jobs, options, "job", p.job_source.get(), EvolveJob);
//   if (made.ok()) made = CreateWriter(p.customers, ...);
template <typename State, typename Event>
absl::Status CreateWriter(std::unique_ptr<CommandWriter<State, Event>>& out, WriterOptions options,
                          std::string aggregate_type, const StateSource<State>* source,
                          typename CommandWriter<State, Event>::Evolve evolve) {
  auto writer = CommandWriter<State, Event>::Create(std::move(options), std::move(aggregate_type),
                                                    source, std::move(evolve));
  if (!writer.ok()) return writer.status();
  out = *std::move(writer);
  return absl::OkStatus();
}

}  // namespace jobledger::aggregate
