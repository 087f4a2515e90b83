// Pieces shared by the Kafka backend's handles: configuration, error mapping, record conversion.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/eventlog/record.h"

namespace jobledger::eventlog::internal {

// What every librdkafka handle of one KafkaLog is configured from.
struct KafkaClientConfig {
  std::string bootstrap_servers;
  std::string client_id;
  std::map<std::string, std::string> properties;
  absl::Duration delivery_timeout;
  absl::Duration request_timeout;
};

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

using Properties = std::vector<std::pair<std::string, std::string>>;

// Rejects user properties that would break KafkaLog's guarantees or duplicate its options.
absl::Status ValidateUserProperties(const std::map<std::string, std::string>& properties);

// A configuration with bootstrap servers and client id, then `defaults`, then the user's
// properties (which win). INVALID_ARGUMENT names a property librdkafka refuses.
absl::StatusOr<ConfPtr> NewConf(const KafkaClientConfig& config, absl::string_view client_suffix,
                                const Properties& defaults);

// The absl code a caller can act on for a librdkafka error: broker down, transport and
// timeouts are UNAVAILABLE (and name the brokers), unknown topic or partition NOT_FOUND, too
// large INVALID_ARGUMENT, offset out of range OUT_OF_RANGE, authorization PERMISSION_DENIED.
absl::StatusCode KafkaCode(rd_kafka_resp_err_t err);

// "<context>: Kafka at <brokers>: <librdkafka's description> [(<detail>)]" with KafkaCode(err).
absl::Status KafkaStatus(rd_kafka_resp_err_t err, absl::string_view context,
                         absl::string_view brokers, absl::string_view detail = {});

// Consumer errors librdkafka recovers from by itself (reconnects, leader changes, group
// coordinator lookups that KafkaLog never needs): a reader waits instead of failing.
bool IsTransientConsumerError(rd_kafka_resp_err_t err);

// Copies a consumed message into a Record (key, value, headers, topic, partition, offset,
// timestamp).
Record ToRecord(rd_kafka_message_t* message);

// A timeout in whole milliseconds for librdkafka, rounded up and clamped to [0, INT_MAX].
int TimeoutMs(absl::Duration timeout);

}  // namespace jobledger::eventlog::internal
