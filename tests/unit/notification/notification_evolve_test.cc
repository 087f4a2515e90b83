// Evolve for notification settings, templates and messages: state after each event.
#include "domain/notification_evolve.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace jobledger::notification {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kMessageId[] = "msg-0123456789abcdef0123456789abcdef";

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp at;
  at.set_seconds(seconds);
  return at;
}

events::v1::Envelope EnvelopeAt(int64_t sequence, int64_t occurred_seconds,
                                const std::string& user_id = "svc-notification") {
  events::v1::Envelope envelope;
  envelope.set_aggregate_id(kMessageId);
  envelope.set_sequence(sequence);
  *envelope.mutable_occurred_at() = At(occurred_seconds);
  envelope.mutable_actor()->set_user_id(user_id);
  return envelope;
}

v1::MessageQueued Queued() {
  v1::MessageQueued queued;
  v1::Message& message = *queued.mutable_message();
  message.set_channel(v1::CHANNEL_SMS);
  message.set_trigger(v1::TRIGGER_TECHNICIAN_EN_ROUTE);
  message.set_job_id("job-1");
  message.set_body("Acme: Sam is on the way.");
  message.set_status(v1::MESSAGE_STATUS_QUEUED);
  message.set_provider_key("key-round-0");
  *message.mutable_next_attempt_at() = At(1000);
  return queued;
}

v1::DeliveryAttempt Attempt(int number, v1::AttemptOutcome outcome, int64_t at_seconds,
                            const std::string& reason = "") {
  v1::DeliveryAttempt attempt;
  attempt.set_attempt(number);
  *attempt.mutable_at() = At(at_seconds);
  attempt.set_outcome(outcome);
  attempt.set_reason(reason);
  return attempt;
}

v1::MessageSent Sent(int number, int64_t at_seconds, const std::string& provider_message_id) {
  v1::MessageSent sent;
  *sent.mutable_attempt() = Attempt(number, v1::ATTEMPT_OUTCOME_ACCEPTED, at_seconds);
  sent.mutable_attempt()->set_provider_message_id(provider_message_id);
  sent.set_provider_key("key-round-0");
  return sent;
}

v1::MessageFailed TemporaryFailure(int number, int64_t at_seconds, int64_t retry_seconds) {
  v1::MessageFailed failed;
  *failed.mutable_attempt() =
      Attempt(number, v1::ATTEMPT_OUTCOME_TEMPORARY_FAILURE, at_seconds, "429 too many requests");
  failed.set_provider_key("key-round-0");
  *failed.mutable_next_attempt_at() = At(retry_seconds);
  return failed;
}

v1::MessageFailed PermanentFailure(int number, int64_t at_seconds) {
  v1::MessageFailed failed;
  *failed.mutable_attempt() =
      Attempt(number, v1::ATTEMPT_OUTCOME_PERMANENT_FAILURE, at_seconds, "unknown subscriber");
  failed.set_provider_key("key-round-0");
  failed.set_permanent(true);
  return failed;
}

// The message after its MessageQueued (sequence 1, at t=1000).
v1::Message QueuedMessage() {
  v1::Message message;
  const absl::Status status = EvolveMessage(message, EnvelopeAt(1, 1000), Queued());
  EXPECT_TRUE(status.ok()) << status;
  return message;
}

// ---------------------------------------------------------------- messages

TEST(EvolveMessageTest, QueuedRecordsTheMessageWithItsIdAndQueueTime) {
  const v1::Message message = QueuedMessage();
  EXPECT_EQ(message.message_id(), kMessageId);
  EXPECT_EQ(message.status(), v1::MESSAGE_STATUS_QUEUED);
  EXPECT_EQ(message.body(), "Acme: Sam is on the way.");
  EXPECT_EQ(message.queued_at().seconds(), 1000);
  EXPECT_EQ(message.next_attempt_at().seconds(), 1000);
  EXPECT_EQ(message.version(), 1);
  EXPECT_EQ(message.attempts_size(), 0);
}

TEST(EvolveMessageTest, SentAppendsTheAttemptAndClearsTheNextAttempt) {
  v1::Message message = QueuedMessage();
  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(2, 1005), Sent(1, 1004, "SM123")).ok());
  EXPECT_EQ(message.status(), v1::MESSAGE_STATUS_SENT);
  ASSERT_EQ(message.attempts_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(message.attempts(0), Sent(1, 1004, "SM123").attempt()));
  EXPECT_EQ(message.sent_at().seconds(), 1004);
  EXPECT_EQ(message.provider_message_id(), "SM123");
  EXPECT_EQ(message.provider_key(), "key-round-0");
  EXPECT_FALSE(message.has_next_attempt_at());
  EXPECT_EQ(message.version(), 2);
}

TEST(EvolveMessageTest, TemporaryFailureRetriesThenPermanentFailureFails) {
  v1::Message message = QueuedMessage();
  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(2, 1005), TemporaryFailure(1, 1004, 1064)).ok());
  EXPECT_EQ(message.status(), v1::MESSAGE_STATUS_RETRYING);
  EXPECT_EQ(message.next_attempt_at().seconds(), 1064);
  EXPECT_EQ(message.failure_reason(), "429 too many requests");
  EXPECT_EQ(message.attempts_size(), 1);

  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(3, 1070), PermanentFailure(2, 1065)).ok());
  EXPECT_EQ(message.status(), v1::MESSAGE_STATUS_FAILED);
  EXPECT_FALSE(message.has_next_attempt_at());
  EXPECT_EQ(message.failure_reason(), "unknown subscriber");
  ASSERT_EQ(message.attempts_size(), 2);
  EXPECT_EQ(message.attempts(0).attempt(), 1);
  EXPECT_EQ(message.attempts(1).attempt(), 2);
  EXPECT_EQ(message.attempts(1).outcome(), v1::ATTEMPT_OUTCOME_PERMANENT_FAILURE);
  EXPECT_FALSE(message.has_sent_at());
  EXPECT_EQ(message.version(), 3);
}

TEST(EvolveMessageTest, ResendStartsANewRoundRequestedByTheActor) {
  v1::Message message = QueuedMessage();
  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(2, 1005), PermanentFailure(1, 1004)).ok());
  v1::MessageResendRequested resend;
  resend.set_round(1);
  resend.set_provider_key("key-round-1");
  resend.set_reason("customer fixed their number");
  *resend.mutable_next_attempt_at() = At(2000);
  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(3, 1990, "user-dispatcher"), resend).ok());

  EXPECT_EQ(message.round(), 1);
  EXPECT_EQ(message.provider_key(), "key-round-1");
  EXPECT_EQ(message.status(), v1::MESSAGE_STATUS_QUEUED);
  EXPECT_EQ(message.requested_by(), "user-dispatcher");
  EXPECT_EQ(message.next_attempt_at().seconds(), 2000);
  EXPECT_EQ(message.attempts_size(), 1);  // the history stays
  EXPECT_EQ(message.version(), 3);
}

TEST(EvolveMessageTest, ASecondQueuedIsRefusedAndLeavesTheMessageAlone) {
  v1::Message message = QueuedMessage();
  const v1::Message before = message;
  v1::MessageQueued again = Queued();
  again.mutable_message()->set_body("Something else");
  const absl::Status status = EvolveMessage(message, EnvelopeAt(2, 1005), again);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(MessageDifferencer::Equals(message, before));
}

TEST(EvolveMessageTest, EventsOnAMessageThatDoesNotExistAreRefused) {
  v1::MessageResendRequested resend;
  resend.set_round(1);
  for (const MessageEvent& event :
       {MessageEvent(Sent(1, 1004, "SM123")), MessageEvent(TemporaryFailure(1, 1004, 1064)),
        MessageEvent(PermanentFailure(1, 1004)), MessageEvent(resend)}) {
    v1::Message message;
    const absl::Status status = EvolveMessage(message, EnvelopeAt(1, 1005), event);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << event.index();
    EXPECT_EQ(message.version(), 0);
    EXPECT_EQ(message.attempts_size(), 0);
  }
}

TEST(EvolveMessageTest, VersionIsTheEnvelopeSequence) {
  v1::Message message;
  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(7, 1000), Queued()).ok());
  EXPECT_EQ(message.version(), 7);
  ASSERT_TRUE(EvolveMessage(message, EnvelopeAt(12, 1005), Sent(1, 1004, "SM123")).ok());
  EXPECT_EQ(message.version(), 12);
}

// ---------------------------------------------------------------- templates and settings

TEST(EvolveTemplateTest, SavedTemplateIsTheTenantsWithTheEnvelopesVersionTimeAndAuthor) {
  v1::TemplateSaved saved;
  v1::Template& text = *saved.mutable_template_();
  text.set_trigger(v1::TRIGGER_TECHNICIAN_EN_ROUTE);
  text.set_channel(v1::CHANNEL_SMS);
  text.set_audience(v1::AUDIENCE_CUSTOMER);
  text.set_body("{{technician.name}} is on the way.");
  text.set_built_in(true);  // whatever the event says, a saved template is the tenant's

  v1::Template state;
  ASSERT_TRUE(EvolveTemplate(state, EnvelopeAt(4, 5000, "user-manager"), saved).ok());
  EXPECT_EQ(state.trigger(), v1::TRIGGER_TECHNICIAN_EN_ROUTE);
  EXPECT_EQ(state.channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(state.audience(), v1::AUDIENCE_CUSTOMER);
  EXPECT_EQ(state.body(), "{{technician.name}} is on the way.");
  EXPECT_FALSE(state.built_in());
  EXPECT_EQ(state.version(), 4);
  EXPECT_EQ(state.updated_at().seconds(), 5000);
  EXPECT_EQ(state.updated_by(), "user-manager");
}

TEST(EvolveTemplateTest, ASecondSaveReplacesTheFirst) {
  v1::TemplateSaved first;
  first.mutable_template_()->set_subject("First");
  first.mutable_template_()->set_body("First body");
  v1::TemplateSaved second;
  second.mutable_template_()->set_body("Second body");
  v1::Template state;
  ASSERT_TRUE(EvolveTemplate(state, EnvelopeAt(1, 5000, "user-a"), first).ok());
  ASSERT_TRUE(EvolveTemplate(state, EnvelopeAt(2, 6000, "user-b"), second).ok());
  EXPECT_EQ(state.subject(), "");
  EXPECT_EQ(state.body(), "Second body");
  EXPECT_EQ(state.version(), 2);
  EXPECT_EQ(state.updated_at().seconds(), 6000);
  EXPECT_EQ(state.updated_by(), "user-b");
}

TEST(EvolveSettingsTest, SettingsAreTheEventsWithTheEnvelopesVersion) {
  v1::NotificationSettingsChanged changed;
  v1::NotificationSettings& settings = *changed.mutable_settings();
  v1::Rule& rule = *settings.add_rules();
  rule.set_trigger(v1::TRIGGER_TECHNICIAN_ARRIVED);
  rule.set_channel(v1::CHANNEL_SMS);
  rule.set_audience(v1::AUDIENCE_CUSTOMER);
  rule.set_enabled(true);
  settings.mutable_quiet_hours()->set_start_minute(21 * 60);
  settings.mutable_quiet_hours()->set_end_minute(8 * 60);
  settings.set_sender_name("Acme Plumbing & Heating");
  changed.add_changed_fields("rules");

  v1::NotificationSettings state;
  state.set_reply_to("old@acme.example");  // replaced: the event carries the whole settings
  ASSERT_TRUE(EvolveSettings(state, EnvelopeAt(3, 5000), changed).ok());
  v1::NotificationSettings expected = settings;
  expected.set_version(3);
  EXPECT_TRUE(MessageDifferencer::Equals(state, expected)) << state.DebugString();
}

}  // namespace
}  // namespace jobledger::notification
