// A Kafka cluster in this process for tests and `jl devbroker`: librdkafka's mock cluster.
//
// It speaks the real Kafka protocol over TCP on 127.0.0.1, so any Kafka client (KafkaLog, kcat,
// another process) can use it. Its limits: everything is in memory and lost when it stops; each
// partition keeps about 5 MiB or 100k message sets, dropping the oldest; transactions write no
// commit markers; there is no offset-for-timestamp lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/eventlog/event_log.h"

// librdkafka's handle types, declared as in <librdkafka/rdkafka.h> and <rdkafka_mock.h>.
typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace jobledger::eventlog {

struct DevBrokerOptions {
  // Broker ids are 1 .. brokers; each listens on its own loopback port.
  int32_t brokers = 1;
  // Created at start with replication factor min(3, brokers).
  std::vector<TopicSpec> topics;
};

class DevBroker {
 public:
  static absl::StatusOr<std::unique_ptr<DevBroker>> Start(DevBrokerOptions options);
  // Stops the brokers; their data is gone.
  ~DevBroker();

  DevBroker(const DevBroker&) = delete;
  DevBroker& operator=(const DevBroker&) = delete;

  // "127.0.0.1:PORT[,127.0.0.1:PORT...]", one address per broker.
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }
  int32_t broker_count() const { return broker_count_; }
  std::vector<TopicSpec> topics() const;

  // ALREADY_EXISTS if the topic exists, INVALID_ARGUMENT for a bad name or partition count.
  absl::Status CreateTopic(const TopicSpec& topic);

  // A down broker closes its connections and refuses new ones, keeping its port and data.
  absl::Status SetBrokerDown(int32_t broker_id);
  absl::Status SetBrokerUp(int32_t broker_id);
  absl::Status SetAllBrokersDown();
  absl::Status SetAllBrokersUp();

  // For fault injection beyond up/down (<librdkafka/rdkafka_mock.h>: request errors, RTTs).
  rd_kafka_mock_cluster_t* mock_cluster() const { return cluster_; }

 private:
  DevBroker() = default;
  absl::Status SetBrokerState(int32_t broker_id, bool up);

  rd_kafka_t* host_ = nullptr;  // the handle that owns the mock cluster
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_servers_;
  int32_t broker_count_ = 0;

  mutable absl::Mutex mu_;
  std::vector<TopicSpec> topics_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::eventlog
