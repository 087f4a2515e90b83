// Events as JSON lines and CSV fields: the envelope with hex hashes, the payload decoded by type.
#include "event_json.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "event_csv.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/job/v1/events.pb.h"
#include "nlohmann/json.hpp"
#include "test_events.h"

namespace jobledger::cli {
namespace {

const absl::Time kNoon = absl::FromUnixSeconds(1'774'958'400) + absl::Milliseconds(250);

job::v1::JobCreated TrickyJob() {
  job::v1::JobCreated created;
  created.mutable_job()->set_job_id("job-1");
  created.mutable_job()->set_number(42);
  created.mutable_job()->set_title("Fix \"the\" leak, then\nsweep — Zoë's café ☕");
  return created;
}

LocatedEvent Located(events::v1::Event event) {
  return LocatedEvent{"jobledger.job.events", 3, 17, std::move(event)};
}

TEST(EventJsonTest, ALineHasTheLocationTheEnvelopeAndThePayloadByItsType) {
  testing::EventChains chains;
  chains.Next("acme", "job", "job-1", TrickyJob(), kNoon);  // so the second has a previous hash
  const LocatedEvent event = Located(chains.Next("acme", "job", "job-1", TrickyJob(), kNoon));
  PayloadDecoder decoder;

  const std::string line = EventToJsonLine(event, decoder);
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one event, one line";
  const nlohmann::json json = nlohmann::json::parse(line);
  EXPECT_EQ(json["topic"], "jobledger.job.events");
  EXPECT_EQ(json["partition"], 3);
  EXPECT_EQ(json["offset"], 17);

  const nlohmann::json& envelope = json["envelope"];
  const events::v1::Envelope& original = event.event.envelope();
  EXPECT_EQ(envelope["event_id"], original.event_id());
  EXPECT_EQ(envelope["type"], "jobledger.job.v1.JobCreated");
  EXPECT_EQ(envelope["tenant"], "acme");
  EXPECT_EQ(envelope["aggregate_type"], "job");
  EXPECT_EQ(envelope["aggregate_id"], "job-1");
  EXPECT_EQ(envelope["sequence"], 2) << "a number, not proto3 JSON's string";
  EXPECT_EQ(envelope["occurred_at"], "2026-03-31T12:00:00.25Z");
  EXPECT_EQ(envelope["actor"]["user_id"], "dispatcher-1");
  EXPECT_EQ(envelope["actor"]["role"], "dispatcher");
  EXPECT_EQ(envelope["hash"], absl::BytesToHexString(original.hash()));
  EXPECT_EQ(envelope["previous_hash"], absl::BytesToHexString(original.previous_hash()));
  EXPECT_EQ(envelope["hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(envelope["hash"].get<std::string>().find_first_not_of("0123456789abcdef"),
            std::string::npos)
      << "lower-case hex";

  const nlohmann::json& payload = json["payload"];
  EXPECT_EQ(payload["job"]["job_id"], "job-1");
  EXPECT_EQ(payload["job"]["title"], TrickyJob().job().title());
  EXPECT_EQ(payload["job"]["number"], "42") << "proto3 JSON: int64 as a string";
  EXPECT_FALSE(payload["job"].contains("description")) << "proto3 JSON leaves out default values";
}

TEST(EventJsonTest, TheFirstEventOfAnAggregateHasAnEmptyPreviousHash) {
  testing::EventChains chains;
  const LocatedEvent event = Located(chains.Next("acme", "job", "job-1", TrickyJob(), kNoon));
  PayloadDecoder decoder;
  EXPECT_EQ(nlohmann::json::parse(EventToJsonLine(event, decoder))["envelope"]["previous_hash"],
            "");
}

TEST(EventJsonTest, APayloadOfAnUnknownTypeIsKeptAsBase64WithTheReason) {
  testing::EventChains chains;
  LocatedEvent event = Located(chains.Next("acme", "job", "job-1", TrickyJob(), kNoon));
  event.event.mutable_envelope()->set_type("jobledger.future.v9.SomethingNew");
  PayloadDecoder decoder;

  const nlohmann::json json = nlohmann::json::parse(EventToJsonLine(event, decoder));
  EXPECT_TRUE(json["payload"].is_null());
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(json["payload_base64"].get<std::string>(), &bytes));
  EXPECT_EQ(bytes, event.event.payload());
  EXPECT_NE(json["payload_error"].get<std::string>().find("SomethingNew"), std::string::npos);
}

TEST(EventJsonTest, APayloadThatDoesNotParseIsKeptAsBase64) {
  testing::EventChains chains;
  LocatedEvent event = Located(chains.Next("acme", "job", "job-1", TrickyJob(), kNoon));
  event.event.set_payload("\xff\xff\xff");
  PayloadDecoder decoder;
  const nlohmann::json json = nlohmann::json::parse(EventToJsonLine(event, decoder));
  EXPECT_TRUE(json["payload"].is_null());
  EXPECT_NE(json["payload_error"].get<std::string>().find("does not parse"), std::string::npos);
}

TEST(EventJsonTest, TimesAreUtcWithTheFractionTheyHave) {
  EXPECT_EQ(FormatEventTime(ProtoFromTime(absl::FromUnixSeconds(0))), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatEventTime(ProtoFromTime(absl::FromUnixNanos(1'000'000'001))),
            "1970-01-01T00:00:01.000000001Z");
}

TEST(EventCsvTest, FieldsFollowTheHeaderWithThePayloadAsJson) {
  testing::EventChains chains;
  const LocatedEvent event = Located(chains.Next("acme", "job", "job-1", TrickyJob(), kNoon));
  PayloadDecoder decoder;

  const std::vector<std::string> fields = EventToCsvFields(event, decoder);
  ASSERT_EQ(fields.size(), EventCsvHeader().size());
  const std::vector<std::string> expected_start = {"jobledger.job.events",
                                                   "3",
                                                   "17",
                                                   event.event.envelope().event_id(),
                                                   "jobledger.job.v1.JobCreated",
                                                   "acme",
                                                   "job",
                                                   "job-1",
                                                   "1",
                                                   "2026-03-31T12:00:00.25Z",
                                                   "dispatcher-1",
                                                   "dispatcher"};
  EXPECT_EQ(std::vector<std::string>(fields.begin(), fields.end() - 1), expected_start);
  EXPECT_EQ(EventCsvHeader().back(), "payload_json");
  EXPECT_EQ(nlohmann::json::parse(fields.back())["job"]["title"], TrickyJob().job().title());
}

}  // namespace
}  // namespace jobledger::cli
