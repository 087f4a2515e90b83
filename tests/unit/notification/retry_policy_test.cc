// Retry backoff: growth, cap, attempt limit, deterministic equal jitter, validation.
#include "domain/retry_policy.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::notification {
namespace {

using ::testing::HasSubstr;

std::vector<absl::Duration> Schedule(const RetryPolicy& policy, absl::string_view key) {
  std::vector<absl::Duration> delays;
  for (int attempt = 1; attempt < policy.max_attempts; ++attempt) {
    delays.push_back(*NextRetryDelay(policy, attempt, key));
  }
  return delays;
}

// Equal jitter keeps each wait in [base / 2, base].
void ExpectWithinJitter(std::optional<absl::Duration> delay, absl::Duration base) {
  ASSERT_TRUE(delay.has_value());
  EXPECT_GE(*delay, base / 2);
  EXPECT_LE(*delay, base);
}

TEST(NextRetryDelayTest, GrowsByTheMultiplier) {
  const RetryPolicy policy;  // 30 s, x2, capped at 1 h
  ExpectWithinJitter(NextRetryDelay(policy, 1, "msg-1"), absl::Seconds(30));
  ExpectWithinJitter(NextRetryDelay(policy, 2, "msg-1"), absl::Seconds(60));
  ExpectWithinJitter(NextRetryDelay(policy, 3, "msg-1"), absl::Seconds(120));
  ExpectWithinJitter(NextRetryDelay(policy, 5, "msg-1"), absl::Seconds(480));
}

TEST(NextRetryDelayTest, IsCappedAtMaxDelay) {
  const RetryPolicy policy{.max_attempts = 100};
  // 30 s * 2^7 = 64 min, past the 1 h cap.
  for (int attempt = 8; attempt < 100; ++attempt) {
    ExpectWithinJitter(NextRetryDelay(policy, attempt, "msg-1"), absl::Hours(1));
  }
}

TEST(NextRetryDelayTest, NoDelayOnceAttemptsRunOut) {
  const RetryPolicy policy{.max_attempts = 3};
  EXPECT_TRUE(NextRetryDelay(policy, 1, "k").has_value());
  EXPECT_TRUE(NextRetryDelay(policy, 2, "k").has_value());
  EXPECT_EQ(NextRetryDelay(policy, 3, "k"), std::nullopt);
  EXPECT_EQ(NextRetryDelay(policy, 4, "k"), std::nullopt);
  EXPECT_EQ(NextRetryDelay(RetryPolicy{.max_attempts = 1}, 1, "k"), std::nullopt);
}

TEST(NextRetryDelayTest, AttemptBelowOneCountsAsTheFirst) {
  const RetryPolicy policy;
  EXPECT_EQ(NextRetryDelay(policy, 0, "k"), NextRetryDelay(policy, 1, "k"));
  EXPECT_EQ(NextRetryDelay(policy, -5, "k"), NextRetryDelay(policy, 1, "k"));
}

TEST(NextRetryDelayTest, SameKeyGivesTheSameSchedule) {
  const RetryPolicy policy;
  EXPECT_EQ(Schedule(policy, "msg-0123"), Schedule(policy, "msg-0123"));
}

TEST(NextRetryDelayTest, DifferentKeysSpreadOut) {
  const RetryPolicy policy;
  const std::vector<absl::Duration> first = Schedule(policy, "msg-a");
  int differing_schedules = 0;
  for (int i = 0; i < 20; ++i) {
    if (Schedule(policy, absl::StrCat("msg-", i)) != first) ++differing_schedules;
  }
  EXPECT_GE(differing_schedules, 19);
}

TEST(NextRetryDelayTest, JitterUsesTheWholeRange) {
  // Over many keys the first wait lands in both halves of [15 s, 30 s].
  const RetryPolicy policy;
  int lower = 0;
  int upper = 0;
  for (int i = 0; i < 200; ++i) {
    const absl::Duration delay = *NextRetryDelay(policy, 1, absl::StrCat("msg-", i));
    ExpectWithinJitter(delay, absl::Seconds(30));
    ++(delay < absl::Milliseconds(22500) ? lower : upper);
  }
  EXPECT_GE(lower, 50);
  EXPECT_GE(upper, 50);
}

TEST(NextRetryDelayTest, PinnedScheduleForAKnownKey) {
  // The hash is spelled out in the source, so these values hold in every process and build
  // (cross-checked with a Python transcription of the hash).
  const RetryPolicy policy;
  const std::vector<absl::Duration> schedule = Schedule(policy, "msg-pinned");
  ASSERT_EQ(schedule.size(), 7u);
  EXPECT_EQ(absl::FormatDuration(schedule[0]), "16.0227620735s");
  EXPECT_EQ(absl::FormatDuration(schedule[6]), "28m8.7322580855s");
}

TEST(NextRetryDelayTest, LargeAttemptNumbersDoNotOverflow) {
  const RetryPolicy policy{.max_attempts = std::numeric_limits<int>::max()};
  ExpectWithinJitter(NextRetryDelay(policy, 1000, "k"), absl::Hours(1));
  ExpectWithinJitter(NextRetryDelay(policy, std::numeric_limits<int>::max() - 1, "k"),
                     absl::Hours(1));
  const RetryPolicy steep{.multiplier = 1e300, .max_attempts = 1'000'000};
  ExpectWithinJitter(NextRetryDelay(steep, 3, "k"), absl::Hours(1));
}

TEST(NextRetryDelayTest, MultiplierOfOneKeepsTheDelayFlat) {
  const RetryPolicy policy{.multiplier = 1.0};
  for (int attempt = 1; attempt < policy.max_attempts; ++attempt) {
    ExpectWithinJitter(NextRetryDelay(policy, attempt, "k"), absl::Seconds(30));
  }
}

TEST(ValidateRetryPolicyTest, AcceptsTheDefaults) { EXPECT_TRUE(ValidateRetryPolicy({}).ok()); }

TEST(ValidateRetryPolicyTest, NamesTheBadField) {
  struct Case {
    RetryPolicy policy;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{.initial_delay = absl::ZeroDuration()}, "retry_policy.initial_delay"},
      {{.initial_delay = -absl::Seconds(1)}, "retry_policy.initial_delay"},
      {{.initial_delay = absl::InfiniteDuration()}, "retry_policy.initial_delay"},
      {{.max_delay = absl::ZeroDuration()}, "retry_policy.max_delay"},
      {{.multiplier = 0.5}, "retry_policy.multiplier"},
      {{.multiplier = std::numeric_limits<double>::quiet_NaN()}, "retry_policy.multiplier"},
      {{.max_attempts = 0}, "retry_policy.max_attempts"},
  };
  for (const Case& c : cases) {
    const absl::Status status = ValidateRetryPolicy(c.policy);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field));
  }
}

}  // namespace
}  // namespace jobledger::notification
