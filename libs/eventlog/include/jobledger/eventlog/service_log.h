// The log a service process runs on: Kafka when bootstrap servers are given, otherwise the
// embedded log, where the service is the one writer of its own topic.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/eventlog/topics.h"

namespace jobledger::eventlog {

struct ServiceLogOptions {
  std::string kafka_bootstrap;                          // non-empty: Kafka
  std::string client_id;                                // Kafka's client.id, e.g. "jobledger-job"
  std::map<std::string, std::string> kafka_properties;  // librdkafka's: TLS, SASL, …
  std::string log_dir;                  // the embedded log's directory, shared by the services
  std::string owned_topic;              // the topic this service writes; empty: none
  int partitions = kDefaultPartitions;  // of owned_topic, when the embedded log creates it
};

absl::StatusOr<std::unique_ptr<EventLog>> OpenServiceLog(const ServiceLogOptions& options);

}  // namespace jobledger::eventlog
