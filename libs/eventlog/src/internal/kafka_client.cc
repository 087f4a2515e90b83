// Configuration, error mapping and record conversion shared by the Kafka backend's handles.
#include "internal/kafka_client.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace jobledger::eventlog::internal {

absl::Status ValidateUserProperties(const std::map<std::string, std::string>& properties) {
  // Each of these either has its own KafkaLogOptions field or carries a guarantee KafkaLog
  // relies on (durable, non-duplicated appends; offsets owned by the projections).
  static const auto* const kReserved = new absl::flat_hash_set<std::string>{
      "bootstrap.servers",
      "metadata.broker.list",
      "client.id",
      "enable.idempotence",
      "acks",
      "request.required.acks",
      "message.timeout.ms",
      "delivery.timeout.ms",
      "transactional.id",
      "enable.auto.commit",
      "enable.auto.offset.store",
      "auto.offset.reset",
      "enable.partition.eof",
      "dr_cb",
      "dr_msg_cb",
      "background_event_cb",
      "error_cb",
      "opaque",
  };
  for (const auto& [name, value] : properties) {
    if (kReserved->contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Kafka property ", name, " is set by KafkaLog itself and cannot be overridden"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ConfPtr> NewConf(const KafkaClientConfig& config, absl::string_view client_suffix,
                                const Properties& defaults) {
  ConfPtr conf(rd_kafka_conf_new());
  char error[512];
  auto set = [&](const std::string& name, const std::string& value) -> absl::Status {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("Kafka property ", name, "=", value, " is invalid: ", error));
    }
    return absl::OkStatus();
  };
  absl::Status status = set("bootstrap.servers", config.bootstrap_servers);
  if (status.ok()) status = set("client.id", absl::StrCat(config.client_id, client_suffix));
  // Bounds every request: librdkafka's watermark query, for one, waits for its ListOffsets
  // responses without a deadline of its own (up to the 60 s default while a broker is down).
  if (status.ok()) {
    status =
        set("socket.timeout.ms", absl::StrCat(std::max(10, TimeoutMs(config.request_timeout))));
  }
  for (const auto& [name, value] : defaults) {
    if (!status.ok()) break;
    status = set(name, value);
  }
  for (const auto& [name, value] : config.properties) {
    if (!status.ok()) break;
    status = set(name, value);
  }
  if (!status.ok()) return status;
  return conf;
}

absl::StatusCode KafkaCode(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return absl::StatusCode::kOk;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
    case RD_KAFKA_RESP_ERR__DESTROY:
    case RD_KAFKA_RESP_ERR__NODE_UPDATE:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED:
      return absl::StatusCode::kUnavailable;
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return absl::StatusCode::kNotFound;
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__BAD_MSG:
      return absl::StatusCode::kInvalidArgument;
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR__OUTDATED:
      return absl::StatusCode::kOutOfRange;
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
      return absl::StatusCode::kPermissionDenied;
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR__SSL:
      return absl::StatusCode::kUnauthenticated;
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR_INVALID_MSG:  // the broker found a corrupt record (CRC)
    case RD_KAFKA_RESP_ERR__INCONSISTENT:
    case RD_KAFKA_RESP_ERR__GAPLESS_GUARANTEE:
    case RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
    case RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID:
      return absl::StatusCode::kInternal;
    default:
      return absl::StatusCode::kUnknown;
  }
}

absl::Status KafkaStatus(rd_kafka_resp_err_t err, absl::string_view context,
                         absl::string_view brokers, absl::string_view detail) {
  const absl::StatusCode code = KafkaCode(err);
  if (code == absl::StatusCode::kOk) return absl::OkStatus();
  std::string message =
      absl::StrCat(context, ": Kafka at ", brokers,
                   code == absl::StatusCode::kUnavailable ? " is unavailable: " : ": ",
                   rd_kafka_err2str(err), " (", rd_kafka_err2name(err), ")");
  if (!detail.empty()) absl::StrAppend(&message, " (", detail, ")");
  return absl::Status(code, message);
}

bool IsTransientConsumerError(rd_kafka_resp_err_t err) {
  switch (err) {
    // The reader's group id exists only because librdkafka's assign() needs one; nothing is
    // joined or committed, so coordinator and group errors do not affect reading.
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
      return true;
    default:
      return KafkaCode(err) == absl::StatusCode::kUnavailable;
  }
}

Record ToRecord(rd_kafka_message_t* message) {
  Record record;
  if (message->key != nullptr) {
    record.key.assign(static_cast<const char*>(message->key), message->key_len);
  }
  if (message->payload != nullptr) {
    record.value.assign(static_cast<const char*>(message->payload), message->len);
  }
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const size_t count = rd_kafka_header_cnt(headers);
    record.headers.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const char* name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      if (rd_kafka_header_get_all(headers, i, &name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        break;
      }
      // A null header value (possible from other producers) reads as empty.
      record.headers.push_back({name, value == nullptr
                                          ? std::string()
                                          : std::string(static_cast<const char*>(value), size)});
    }
  }
  if (message->rkt != nullptr) record.topic = rd_kafka_topic_name(message->rkt);
  record.partition = message->partition;
  record.offset = message->offset;
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const int64_t millis = rd_kafka_message_timestamp(message, &type);
  if (type != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE && millis >= 0) {
    record.timestamp = absl::FromUnixMillis(millis);
  }
  return record;
}

int TimeoutMs(absl::Duration timeout) {
  if (timeout <= absl::ZeroDuration()) return 0;
  const double millis = std::ceil(absl::ToDoubleMilliseconds(timeout));
  return millis >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(millis);
}

}  // namespace jobledger::eventlog::internal
