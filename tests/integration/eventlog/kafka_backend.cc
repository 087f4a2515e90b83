// Kafka as a conformance backend: librdkafka's mock cluster (three brokers) over loopback TCP,
// with the writer and the reader as two separate clients.
#include <memory>

#include "gtest/gtest.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/kafka_log.h"
#include "log_backend.h"

namespace jobledger::eventlog {
namespace {

class KafkaBackend final : public LogBackend {
 public:
  explicit KafkaBackend(const std::vector<TopicSpec>& topics) {
    DevBrokerOptions options;
    options.brokers = 3;
    options.topics = topics;
    auto broker = DevBroker::Start(options);
    EXPECT_TRUE(broker.ok()) << broker.status();
    if (broker.ok()) broker_ = std::move(*broker);
  }

  std::unique_ptr<EventLog> Writer() override { return Client("conformance-writer"); }
  std::unique_ptr<EventLog> Reader() override { return Client("conformance-reader"); }

 private:
  std::unique_ptr<EventLog> Client(const std::string& client_id) {
    if (broker_ == nullptr) return nullptr;
    KafkaLogOptions options;
    options.bootstrap_servers = broker_->bootstrap_servers();
    options.client_id = client_id;
    auto log = KafkaLog::Create(options);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? std::move(*log) : nullptr;
  }

  std::unique_ptr<DevBroker> broker_;
};

}  // namespace

BackendFactory KafkaBackendFactory() {
  return {"kafka", [](const std::vector<TopicSpec>& topics) {
            return std::make_unique<KafkaBackend>(topics);
          }};
}

}  // namespace jobledger::eventlog
