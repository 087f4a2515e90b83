// The CloudEvents mapping of the envelope, malformed records, and the hash chain.
#include "jobledger/eventlog/envelope_codec.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace jobledger::eventlog {
namespace {

using events::v1::Envelope;
using events::v1::Event;

Event MakeEvent(int64_t sequence, const std::string& previous_hash, const std::string& payload) {
  Event event;
  Envelope& envelope = *event.mutable_envelope();
  envelope.set_event_id("01890a5d-ac96-774b-bcce-b302099a8057");
  envelope.set_type("jobledger.job.v1.JobCreated");
  envelope.set_source("/jobledger/job");
  envelope.set_tenant("acme-plumbing");
  envelope.set_aggregate_type("job");
  envelope.set_aggregate_id("0190f1c2-0000-7000-8000-000000000001");
  envelope.set_sequence(sequence);
  envelope.mutable_occurred_at()->set_seconds(1'795'000'000);
  envelope.mutable_occurred_at()->set_nanos(123'456'789);
  envelope.mutable_actor()->set_user_id("u-7");
  envelope.mutable_actor()->set_role("dispatcher");
  envelope.mutable_actor()->set_name("Dana Dispatcher");
  envelope.set_correlation_id("corr-1");
  envelope.set_causation_id("cmd-9");
  envelope.set_idempotency_key("idem-3");
  envelope.set_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  envelope.set_previous_hash(previous_hash);
  event.set_payload(payload);
  SealEvent(event);
  return event;
}

std::string Header(const Record& record, const std::string& name) {
  const std::string* value = record.FindHeader(name);
  return value == nullptr ? "<missing>" : *value;
}

Record WithHeader(Record record, const std::string& name, const std::string& value) {
  for (auto& header : record.headers) {
    if (header.key == name) header.value = value;
  }
  return record;
}

Record WithoutHeader(Record record, const std::string& name) {
  std::erase_if(record.headers, [&](const eventlog::Header& h) { return h.key == name; });
  return record;
}

TEST(EnvelopeCodec, MapsTheEnvelopeToCloudEventsHeaders) {
  const Record record = EncodeEvent(MakeEvent(1, "", std::string("\x08\x01\x00\xff", 4)));
  EXPECT_EQ(record.key, "0190f1c2-0000-7000-8000-000000000001");
  EXPECT_EQ(record.value, std::string("\x08\x01\x00\xff", 4));
  EXPECT_EQ(Header(record, "ce_specversion"), "1.0");
  EXPECT_EQ(Header(record, "ce_id"), "01890a5d-ac96-774b-bcce-b302099a8057");
  EXPECT_EQ(Header(record, "ce_type"), "jobledger.job.v1.JobCreated");
  EXPECT_EQ(Header(record, "ce_source"), "/jobledger/job");
  EXPECT_EQ(Header(record, "ce_subject"), record.key);
  EXPECT_EQ(Header(record, "ce_time"), "2026-11-18T11:06:40.123456789+00:00");
  EXPECT_EQ(Header(record, "content-type"), "application/protobuf");
  EXPECT_EQ(Header(record, "ce_sequence"), "1");
  EXPECT_EQ(Header(record, "ce_actorrole"), "dispatcher");
  EXPECT_EQ(Header(record, "traceparent"),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(Header(record, "ce_hash").size(), 64u);
  EXPECT_EQ(record.FindHeader("ce_prevhash"), nullptr);  // first event of its aggregate
}

TEST(EnvelopeCodec, RoundTripsEveryField) {
  const Event first = MakeEvent(1, "", "payload-1");
  const Event second = MakeEvent(2, first.envelope().hash(), "payload-2");
  auto decoded = DecodeEvent(EncodeEvent(second));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->SerializeAsString(), second.SerializeAsString());
}

TEST(EnvelopeCodec, HashCoversContentAndPreviousHash) {
  const Event a = MakeEvent(1, "", "payload");
  EXPECT_NE(a.envelope().hash(), MakeEvent(1, "", "payload!").envelope().hash());
  EXPECT_NE(a.envelope().hash(), MakeEvent(1, std::string(32, 'x'), "payload").envelope().hash());
  EXPECT_EQ(a.envelope().hash(), MakeEvent(1, "", "payload").envelope().hash());  // deterministic
}

TEST(EnvelopeCodec, DetectsTampering) {
  const Record good = EncodeEvent(MakeEvent(1, "", "amount=100"));
  Record altered_value = good;
  altered_value.value = "amount=999";
  for (const Record& tampered : {altered_value, WithHeader(good, "ce_actorid", "someone-else"),
                                 WithHeader(good, "ce_time", "2020-01-01T00:00:00+00:00")}) {
    const auto decoded = DecodeEvent(tampered);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_TRUE(absl::StrContains(decoded.status().message(), "altered")) << decoded.status();
  }
}

TEST(EnvelopeCodec, RefusesMalformedRecordsWithAClearError) {
  const Record good = EncodeEvent(MakeEvent(1, "", "p"));
  struct Case {
    Record record;
    absl::StatusCode code;
    std::string mentions;
  };
  Record wrong_key = good;
  wrong_key.key = "another-job";
  Record duplicated = good;
  duplicated.headers.push_back({"ce_type", "x"});
  const Case cases[] = {
      {WithHeader(good, "ce_specversion", "0.3"), absl::StatusCode::kInvalidArgument, "0.3"},
      {WithHeader(good, "content-type", "application/json"), absl::StatusCode::kInvalidArgument,
       "application/json"},
      {WithoutHeader(good, "ce_id"), absl::StatusCode::kDataLoss, "ce_id is missing"},
      {WithoutHeader(good, "ce_specversion"), absl::StatusCode::kDataLoss, "ce_specversion"},
      {WithHeader(good, "ce_sequence", "-4"), absl::StatusCode::kDataLoss, "ce_sequence"},
      {WithHeader(good, "ce_sequence", "abc"), absl::StatusCode::kDataLoss, "ce_sequence"},
      {WithHeader(good, "ce_time", "yesterday"), absl::StatusCode::kDataLoss, "ce_time"},
      // Found by event_record_fuzz: absl::ParseTime takes these, a Timestamp cannot hold them.
      {WithHeader(good, "ce_time", "infinite-future"), absl::StatusCode::kDataLoss, "ce_time"},
      {WithHeader(good, "ce_time", "infinite-past"), absl::StatusCode::kDataLoss, "ce_time"},
      {WithHeader(good, "ce_time", "10000-01-01T00:00:00+00:00"), absl::StatusCode::kDataLoss,
       "years 1 to 9999"},
      {WithHeader(good, "ce_hash", "zz"), absl::StatusCode::kDataLoss, "ce_hash"},
      {wrong_key, absl::StatusCode::kDataLoss, "key"},
      {duplicated, absl::StatusCode::kDataLoss, "twice"},
      {Record{}, absl::StatusCode::kDataLoss, "missing"},
  };
  for (const Case& c : cases) {
    const auto decoded = DecodeEvent(c.record);
    EXPECT_EQ(decoded.status().code(), c.code) << decoded.status();
    EXPECT_TRUE(absl::StrContains(decoded.status().message(), c.mentions)) << decoded.status();
  }
}

TEST(HashChainVerifier, AcceptsAnUnbrokenChain) {
  HashChainVerifier verifier;
  const Event first = MakeEvent(1, "", "a");
  const Event second = MakeEvent(2, first.envelope().hash(), "b");
  const Event third = MakeEvent(3, second.envelope().hash(), "c");
  EXPECT_TRUE(verifier.Check(first.envelope()).ok());
  EXPECT_TRUE(verifier.Check(second.envelope()).ok());
  EXPECT_TRUE(verifier.Check(third.envelope()).ok());
}

TEST(HashChainVerifier, DetectsGapsReplaysAndBrokenLinks) {
  const Event first = MakeEvent(1, "", "a");
  const Event second = MakeEvent(2, first.envelope().hash(), "b");
  {
    HashChainVerifier verifier;
    ASSERT_TRUE(verifier.Check(first.envelope()).ok());
    const Event gap = MakeEvent(3, second.envelope().hash(), "c");
    const absl::Status status = verifier.Check(gap.envelope());
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
    EXPECT_TRUE(absl::StrContains(status.message(), "expected 2")) << status;
    EXPECT_TRUE(verifier.Check(second.envelope()).ok());  // state unchanged by the refusal
  }
  {
    HashChainVerifier verifier;
    ASSERT_TRUE(verifier.Check(first.envelope()).ok());
    const Event forged = MakeEvent(2, std::string(32, '\0'), "b");
    EXPECT_EQ(verifier.Check(forged.envelope()).code(), absl::StatusCode::kDataLoss);
  }
  {
    HashChainVerifier verifier;
    EXPECT_EQ(verifier.Check(second.envelope()).code(), absl::StatusCode::kDataLoss);  // no start
  }
}

TEST(HashChainVerifier, KeepsAggregatesApart) {
  HashChainVerifier verifier;
  Event other = MakeEvent(1, "", "x");
  other.mutable_envelope()->set_aggregate_id("another-job");
  SealEvent(other);
  EXPECT_TRUE(verifier.Check(MakeEvent(1, "", "a").envelope()).ok());
  EXPECT_TRUE(verifier.Check(other.envelope()).ok());
}

}  // namespace
}  // namespace jobledger::eventlog
