// The load generator's customer-text probe against the real job and notification services and the
// local SMS provider: every acknowledged text is found at the provider, once, and timed.
#include "jobledger/loadgen/sms_propagation.h"

#include <gtest/gtest.h>

#include "notification_test_env.h"

namespace jobledger::notification::testing {
namespace {

TEST(SmsPropagationTest, EveryAcknowledgedTextIsFoundAtTheProviderOnceAndTimed) {
  NotificationEnv env;
  loadgen::SmsPropagationOptions options;
  options.job_target = env.jobs_env().address();
  options.notification_target = env.notification_address();
  options.token = env.jobs_env().Token("dispatcher-1", auth::Role::kDispatcher);
  options.sms_record_file = env.sms_record_file();
  options.messages = 10;
  options.rate = 50;
  options.wait = absl::Seconds(30);

  auto stats = loadgen::MeasureSmsPropagation(options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->name, loadgen::kSmsPropagation);
  EXPECT_EQ(stats->ok, 10);
  EXPECT_TRUE(stats->errors.empty());
  EXPECT_LE(stats->latency.PercentileMicros(0.5), stats->latency.max_micros());
  // The warm-up text and the ten, each accepted once.
  const std::vector<nlohmann::json> texts = env.Texts();
  EXPECT_EQ(texts.size(), 11u);
  EXPECT_EQ(env.TextRepeats(), 0);
  for (const nlohmann::json& text : texts) {
    EXPECT_EQ(text.value("to", ""), "+15550100100");
    EXPECT_TRUE(text.contains("received_at")) << text.dump();
  }
}

TEST(SmsPropagationTest, TextsThatNeverArriveAreCountedNotDelivered) {
  NotificationEnv env;
  loadgen::SmsPropagationOptions options;
  options.job_target = env.jobs_env().address();
  options.notification_target = env.notification_address();
  options.token = env.jobs_env().Token("dispatcher-1", auth::Role::kDispatcher);
  // A record nobody writes: the texts are acknowledged, but none is seen at "the provider".
  options.sms_record_file = env.data_dir() + "/no-such-record.jsonl";
  options.messages = 3;
  options.rate = 50;
  options.wait = absl::Milliseconds(300);

  auto stats = loadgen::MeasureSmsPropagation(options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->ok, 0);
  EXPECT_EQ(stats->errors.at("NOT_DELIVERED"), 3);
}

}  // namespace
}  // namespace jobledger::notification::testing
