// Reading a selection of events.
#include "event_selection.h"

#include <iostream>

#include "jobledger/common/status.h"
#include "log_source.h"
#include "merged_event_reader.h"
#include "terminal_progress.h"

namespace jobledger::cli {

absl::StatusOr<SelectionSummary> ForEachSelectedEvent(eventlog::EventLog& log,
                                                      const SelectionOptions& options,
                                                      PayloadDecoder& decoder,
                                                      const EventSink& sink) {
  JL_ASSIGN_OR_RETURN(const std::vector<eventlog::TopicSpec> topics,
                      SelectTopics(log, options.topics));
  std::vector<PartitionCursor> cursors;
  for (const eventlog::TopicSpec& topic : topics) {
    for (int32_t partition = 0; partition < topic.partitions; ++partition) {
      JL_ASSIGN_OR_RETURN(const int64_t end, log.HighWatermark(topic.name, partition));
      cursors.emplace_back(log, topic.name, partition, options.from_offset, end);
    }
  }
  SelectionSummary summary;
  TerminalProgress progress;
  MergedEventReader reader(
      std::move(cursors), EventFilter(options.filter), decoder,
      [&summary, &progress](const eventlog::Record& record, const absl::Status& error) {
        ++summary.bad_records;
        progress.Clear();
        std::cerr << "jl: skipped a record of " << record.topic << " partition " << record.partition
                  << ": " << error.message() << "\n";
      },
      [&progress](int64_t read, int64_t planned) { progress.Update(read, planned); });
  while (options.limit == 0 || summary.events < options.limit) {
    JL_ASSIGN_OR_RETURN(const LocatedEvent* event, reader.Next());
    if (event == nullptr) break;
    JL_RETURN_IF_ERROR(sink(*event));
    ++summary.events;
  }
  progress.Finish(reader.records_read(), reader.records_planned());
  return summary;
}

}  // namespace jobledger::cli
