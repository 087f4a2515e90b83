// The in-process Kafka cluster for tests and `jl devbroker`, on librdkafka's mock cluster.
#include "jobledger/eventlog/dev_broker.h"

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h needs the declarations of rdkafka.h before it.
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "jobledger/common/status.h"

namespace jobledger::eventlog {
namespace {

// Kafka's topic name rules: 1..249 characters of [a-zA-Z0-9._-], and not "." or "..".
bool IsValidTopicName(const std::string& name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

// Large enough for any local setup; each broker is a listening socket and some state.
constexpr int32_t kMaxBrokers = 64;

}  // namespace

absl::StatusOr<std::unique_ptr<DevBroker>> DevBroker::Start(DevBrokerOptions options) {
  if (options.brokers < 1 || options.brokers > kMaxBrokers) {
    return absl::InvalidArgumentError(
        absl::StrCat("the dev broker needs 1 to ", kMaxBrokers, " brokers, not ", options.brokers));
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  // The host handle never connects anywhere (it has no bootstrap servers), so its only
  // messages would be a warning about exactly that.
  if (rd_kafka_conf_set(conf, "log_level", "3", error, sizeof(error)) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("configure the dev broker host: ", error));
  }
  std::unique_ptr<DevBroker> broker(new DevBroker());
  broker->host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (broker->host_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("create the dev broker host handle: ", error));
  }
  broker->cluster_ = rd_kafka_mock_cluster_new(broker->host_, options.brokers);
  if (broker->cluster_ == nullptr) {
    return absl::UnavailableError(
        "start the dev broker: librdkafka could not create the mock cluster (no free loopback "
        "port?)");
  }
  broker->bootstrap_servers_ = rd_kafka_mock_cluster_bootstraps(broker->cluster_);
  broker->broker_count_ = options.brokers;
  for (const TopicSpec& topic : options.topics) {
    JL_RETURN_IF_ERROR(broker->CreateTopic(topic));
  }
  return broker;
}

DevBroker::~DevBroker() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
  if (host_ != nullptr) rd_kafka_destroy(host_);
}

std::vector<TopicSpec> DevBroker::topics() const {
  absl::MutexLock lock(&mu_);
  return topics_;
}

absl::Status DevBroker::CreateTopic(const TopicSpec& topic) {
  if (!IsValidTopicName(topic.name)) {
    return absl::InvalidArgumentError(absl::StrCat("topic name \"", topic.name, "\" is invalid"));
  }
  if (topic.partitions < 1) {
    return absl::InvalidArgumentError(absl::StrCat("topic ", topic.name, " needs at least one ",
                                                   "partition, not ", topic.partitions));
  }
  const int replication_factor = std::min(3, broker_count_);
  absl::MutexLock lock(&mu_);
  const rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster_, topic.name.c_str(),
                                                             topic.partitions, replication_factor);
  if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    return absl::AlreadyExistsError(absl::StrCat("topic ", topic.name, " already exists"));
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("create topic ", topic.name, " on the dev broker: ", rd_kafka_err2str(err)));
  }
  topics_.push_back(topic);
  return absl::OkStatus();
}

absl::Status DevBroker::SetBrokerState(int32_t broker_id, bool up) {
  if (broker_id < 1 || broker_id > broker_count_) {
    return absl::NotFoundError(
        absl::StrCat("broker ", broker_id, " does not exist: the ids are 1 to ", broker_count_));
  }
  const rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(cluster_, broker_id)
                                     : rd_kafka_mock_broker_set_down(cluster_, broker_id);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("set broker ", broker_id, up ? " up: " : " down: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::Status DevBroker::SetBrokerDown(int32_t broker_id) {
  return SetBrokerState(broker_id, false);
}

absl::Status DevBroker::SetBrokerUp(int32_t broker_id) { return SetBrokerState(broker_id, true); }

absl::Status DevBroker::SetAllBrokersDown() {
  for (int32_t id = 1; id <= broker_count_; ++id) JL_RETURN_IF_ERROR(SetBrokerState(id, false));
  return absl::OkStatus();
}

absl::Status DevBroker::SetAllBrokersUp() {
  for (int32_t id = 1; id <= broker_count_; ++id) JL_RETURN_IF_ERROR(SetBrokerState(id, true));
  return absl::OkStatus();
}

}  // namespace jobledger::eventlog
