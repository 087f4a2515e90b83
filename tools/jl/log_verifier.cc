// The verification pass over whole topics.
#include "log_verifier.h"

#include "absl/strings/str_cat.h"
#include "chain_checker.h"
#include "jobledger/common/status.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"
#include "partition_cursor.h"

namespace jobledger::cli {

absl::StatusOr<VerifySummary> VerifyLog(eventlog::EventLog& log,
                                        const std::vector<eventlog::TopicSpec>& topics,
                                        const ProblemHandler& on_problem,
                                        const VerifyProgressHandler& on_progress) {
  struct Planned {
    const eventlog::TopicSpec* topic;
    int32_t partition;
    int64_t end;
  };
  std::vector<Planned> partitions;
  int64_t planned = 0;
  for (const eventlog::TopicSpec& topic : topics) {
    for (int32_t partition = 0; partition < topic.partitions; ++partition) {
      JL_ASSIGN_OR_RETURN(const int64_t end, log.HighWatermark(topic.name, partition));
      partitions.push_back({&topic, partition, end});
      planned += end;
    }
  }

  VerifySummary summary;
  ChainChecker chains;
  events::v1::Event event;
  int64_t read = 0;
  // ChainChecker recomputes every hash itself and reports a mismatch as one of its problems.
  const eventlog::DecodeOptions decode_options{.verify_hash = false};
  for (const Planned& planned_partition : partitions) {
    const eventlog::TopicSpec& topic = *planned_partition.topic;
    PartitionCursor cursor(log, topic.name, planned_partition.partition, 0, planned_partition.end);
    while (true) {
      JL_ASSIGN_OR_RETURN(const eventlog::Record* record, cursor.Next());
      if (record == nullptr) break;
      if (on_progress) on_progress(++read, planned);
      const auto report = [&](std::string aggregate, std::string what) {
        ++summary.problems;
        on_problem(LogProblem{topic.name, cursor.partition(), record->offset, std::move(aggregate),
                              std::move(what)});
      };
      const absl::Status decoded = eventlog::DecodeEventInto(*record, event, decode_options);
      if (!decoded.ok()) {
        report("?", std::string(decoded.message()));
        continue;
      }
      ++summary.events;
      const std::string aggregate = ChainChecker::AggregateName(event.envelope());
      const int32_t home =
          eventlog::PartitionForKey(event.envelope().aggregate_id(), topic.partitions);
      if (home != cursor.partition()) {
        // Readers of the key's partition never see it, and it is out of order with its aggregate.
        report(aggregate, absl::StrCat("on partition ", cursor.partition(),
                                       ", but its key belongs on partition ", home));
      }
      for (std::string& what : chains.Check(event.envelope(), event.payload())) {
        report(aggregate, std::move(what));
      }
    }
  }
  summary.aggregates = chains.aggregates();
  return summary;
}

}  // namespace jobledger::cli
