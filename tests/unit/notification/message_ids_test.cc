// Deterministic message ids and provider idempotency keys.
#include "domain/message_ids.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::notification {
namespace {

using ::testing::MatchesRegex;

TEST(MessageIdTest, PinnedValues) {
  // Ids are stored in the log; changing how they are derived would duplicate messages on replay.
  // Computed once and cross-checked with Python hashlib over the same length-prefixed bytes.
  EXPECT_EQ(MessageIdForCause("t-1", "evt-1", "job-scheduled", "sms", "+15551234567"),
            "msg-b51072bc0a18e27979732ce30ca9502a");
  EXPECT_EQ(MessageIdForRequest("t-1", "idem-1", "email", "ana@example.com"),
            "msg-6dd40dd207639cba0301d54ae7484d04");
}

TEST(MessageIdTest, HasThePrefixAndLength) {
  for (const std::string& id :
       {MessageIdForCause("t", "e", "r", "sms", "+1"), MessageIdForRequest("", "", "", "")}) {
    EXPECT_EQ(id.size(), kMessageIdLength);
    EXPECT_THAT(id, MatchesRegex("msg-[0-9a-f]{32}"));
  }
}

TEST(MessageIdTest, SameInputsGiveTheSameId) {
  EXPECT_EQ(MessageIdForCause("t", "e", "r", "sms", "+1"),
            MessageIdForCause("t", "e", "r", "sms", "+1"));
  EXPECT_EQ(MessageIdForRequest("t", "k", "sms", "+1"), MessageIdForRequest("t", "k", "sms", "+1"));
}

TEST(MessageIdTest, EachPartMatters) {
  const std::set<std::string> ids = {
      MessageIdForCause("t", "e", "r", "sms", "+1"),  MessageIdForCause("u", "e", "r", "sms", "+1"),
      MessageIdForCause("t", "f", "r", "sms", "+1"),  MessageIdForCause("t", "e", "s", "sms", "+1"),
      MessageIdForCause("t", "e", "r", "mail", "+1"), MessageIdForCause("t", "e", "r", "sms", "+2"),
      MessageIdForRequest("t", "k", "sms", "+1"),     MessageIdForRequest("u", "k", "sms", "+1"),
      MessageIdForRequest("t", "l", "sms", "+1"),     MessageIdForRequest("t", "k", "mail", "+1"),
      MessageIdForRequest("t", "k", "sms", "+2"),
  };
  EXPECT_EQ(ids.size(), 11u);
}

TEST(MessageIdTest, PartBoundariesAreUnambiguous) {
  EXPECT_NE(MessageIdForCause("ab", "c", "r", "sms", "+1"),
            MessageIdForCause("a", "bc", "r", "sms", "+1"));
  EXPECT_NE(MessageIdForRequest("t", "k", "sm", "s+1"), MessageIdForRequest("t", "k", "sms", "+1"));
  // A separator inside a part cannot imitate a boundary either.
  EXPECT_NE(MessageIdForRequest("t", "1:k", "sms", "+1"),
            MessageIdForRequest("t1:", "k", "sms", "+1"));
}

TEST(MessageIdTest, CauseAndRequestIdsNeverCoincide) {
  // The same strings in the same order must not collide across the two kinds of id.
  EXPECT_NE(MessageIdForCause("t", "k", "sms", "+1", ""),
            MessageIdForRequest("t", "k", "sms", "+1"));
}

TEST(ProviderKeyTest, FirstRoundIsTheMessageId) {
  EXPECT_EQ(ProviderKey("msg-abc", 0), "msg-abc");
  EXPECT_EQ(ProviderKey("msg-abc", -1), "msg-abc");
}

TEST(ProviderKeyTest, ResendsGetTheirOwnKey) {
  EXPECT_EQ(ProviderKey("msg-abc", 1), "msg-abc-r1");
  EXPECT_EQ(ProviderKey("msg-abc", 12), "msg-abc-r12");
  EXPECT_EQ(ProviderKey("msg-abc", 2), ProviderKey("msg-abc", 2));
}

}  // namespace
}  // namespace jobledger::notification
