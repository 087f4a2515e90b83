// The embedded log as a conformance backend: the reader is a second EmbeddedLog that follows the
// writer's directory, as a reader in another process does.
#include <memory>

#include "gtest/gtest.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/testing/temp_dir.h"
#include "log_backend.h"

namespace jobledger::eventlog {
namespace {

class EmbeddedBackend final : public LogBackend {
 public:
  explicit EmbeddedBackend(std::vector<TopicSpec> topics) : topics_(std::move(topics)) {}

  std::unique_ptr<EventLog> Writer() override {
    EmbeddedLogOptions options;
    options.directory = dir_.path();
    options.owned_topics = topics_;
    auto log = EmbeddedLog::Open(options);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? std::move(*log) : nullptr;
  }

  std::unique_ptr<EventLog> Reader() override {
    EmbeddedLogOptions options;
    options.directory = dir_.path();
    auto log = EmbeddedLog::Open(options);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? std::move(*log) : nullptr;
  }

 private:
  testing::TempDir dir_;
  std::vector<TopicSpec> topics_;
};

}  // namespace

BackendFactory EmbeddedBackendFactory() {
  return {"embedded", [](const std::vector<TopicSpec>& topics) {
            return std::make_unique<EmbeddedBackend>(topics);
          }};
}

}  // namespace jobledger::eventlog
