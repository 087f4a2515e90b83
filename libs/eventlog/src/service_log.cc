// Opening a service's log.
#include "jobledger/eventlog/service_log.h"

#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/kafka_log.h"

namespace jobledger::eventlog {

absl::StatusOr<std::unique_ptr<EventLog>> OpenServiceLog(const ServiceLogOptions& options) {
  if (!options.kafka_bootstrap.empty()) {
    KafkaLogOptions kafka;
    kafka.bootstrap_servers = options.kafka_bootstrap;
    kafka.client_id = options.client_id;
    kafka.properties = options.kafka_properties;
    auto opened = KafkaLog::Create(kafka);
    if (!opened.ok()) return opened.status();
    return std::unique_ptr<EventLog>(*std::move(opened));
  }
  EmbeddedLogOptions embedded;
  embedded.directory = options.log_dir;
  // A service that writes no topic of its own (reporting) only reads.
  if (!options.owned_topic.empty()) {
    embedded.owned_topics = {{options.owned_topic, options.partitions}};
  }
  auto opened = EmbeddedLog::Open(embedded);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<EventLog>(*std::move(opened));
}

}  // namespace jobledger::eventlog
