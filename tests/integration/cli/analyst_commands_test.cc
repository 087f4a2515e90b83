// `jl replay`, `jl export` and `jl verify` run as a user runs them, on an embedded log written
// with sealed events: output read back by jq and Python's csv module, filters, and a tampered log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jl_run.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/partitioner.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "jobledger/testing/temp_dir.h"
#include "nlohmann/json.hpp"
#include "test_events.h"

namespace jobledger::cli::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr int32_t kPartitions = eventlog::kDefaultPartitions;
const std::string kJobs(eventlog::kJobTopic);
const std::string kScheduling(eventlog::kSchedulingTopic);
// Everything CSV and JSON must carry through: a comma, quotes, a line break, non-ASCII text.
const std::string kTrickyTitle = "Leak under sink, \"urgent\"\nbring 2\" pipe — Zoë's café ☕";

absl::Time At(int day, int hour, int minute = 0) {  // day 30 or 31 of March 2026, UTC
  return absl::FromCivil(absl::CivilMinute(2026, 3, day, hour, minute), absl::UTCTimeZone());
}

job::v1::JobCreated Created(const std::string& job_id, const std::string& title) {
  job::v1::JobCreated created;
  created.mutable_job()->set_job_id(job_id);
  created.mutable_job()->set_title(title);
  return created;
}

job::v1::NoteAdded Note(const std::string& text) {
  job::v1::NoteAdded note;
  note.mutable_note()->set_text(text);
  return note;
}

scheduling::v1::AppointmentScheduled Visit(const std::string& job_id) {
  scheduling::v1::AppointmentScheduled visit;
  visit.set_appointment_id("appt-" + job_id);
  visit.set_job_id(job_id);
  return visit;
}

class AnalystCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    eventlog::EmbeddedLogOptions options;
    options.directory = dir_.Sub("log");
    options.owned_topics = {{kJobs, kPartitions}, {kScheduling, kPartitions}};
    auto log = eventlog::EmbeddedLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);

    job::v1::JobStatusChanged started;
    started.set_to(job::v1::JOB_STATUS_IN_PROGRESS);
    job::v1::CustomerRequestConverted converted;
    converted.set_job_id("job-2");
    // Nine events over two days, every one at its own minute, so their merged order is known.
    Append(kJobs, chains_.Next("acme", "job", "job-1", Created("job-1", kTrickyTitle), At(30, 8)));
    Append(kJobs, chains_.Next("acme", "customer_request", "req-1", converted, At(30, 8, 20)));
    Append(kJobs, chains_.Next("acme", "job", "job-2", Created("job-2", "Boiler"), At(30, 8, 30)));
    Append(kJobs, chains_.Next("acme", "job", "job-1", Note("gate code 4421"), At(30, 9)));
    Append(kScheduling, chains_.Next("acme", "job_schedule", "job-1", Visit("job-1"), At(30, 12)));
    Append(kScheduling, chains_.Next("acme", "job_schedule", "job-2", Visit("job-2"), At(31, 9)));
    Append(kJobs, chains_.Next("acme", "job", "job-1", started, At(31, 10)));
    Append(kJobs, chains_.Next("acme", "job", "job-2", Note("parts ordered"), At(31, 11)));
    Append(kJobs, chains_.Next("globex", "job", "job-9", Created("job-9", "Roof"), At(31, 12)));
  }

  void Append(const std::string& topic, const events::v1::Event& event) {
    ASSERT_TRUE(AppendEvent(*log_, topic, kPartitions, event).ok());
  }

  std::vector<std::string> Args(std::vector<std::string> args) {
    args.insert(args.end(), {"--log-dir", dir_.Sub("log")});
    return args;
  }

  // The short type names `jl replay` prints with these extra arguments, in order.
  std::vector<std::string> ReplayedTypes(std::vector<std::string> args) {
    const JlRun run = RunJl(Args(std::move(args)));
    EXPECT_EQ(run.exit_code, 0) << run.out;
    std::vector<std::string> types;
    for (const std::string& line : run.lines) {
      const std::string type = nlohmann::json::parse(line)["envelope"]["type"];
      types.push_back(type.substr(type.rfind('.') + 1));
    }
    return types;
  }

  jobledger::testing::TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedLog> log_;
  EventChains chains_;
};

TEST_F(AnalystCommandsTest, ReplayPrintsJsonLinesThatJqReadsMergedByOccurredAt) {
  const std::string replay = absl::StrCat("\"$JL\" replay --log-dir ", ShellQuote(dir_.Sub("log")));
  const JlRun parsed = RunShell(replay + " | jq -c .");
  EXPECT_EQ(parsed.exit_code, 0) << parsed.out;
  EXPECT_EQ(parsed.lines.size(), 9u) << parsed.out;

  const JlRun types = RunShell(replay + " | jq -r '.envelope.type | split(\".\") | last'");
  EXPECT_EQ(types.exit_code, 0);
  EXPECT_THAT(types.lines, ElementsAre("JobCreated", "CustomerRequestConverted", "JobCreated",
                                       "NoteAdded", "AppointmentScheduled", "AppointmentScheduled",
                                       "JobStatusChanged", "NoteAdded", "JobCreated"));

  const JlRun title = RunShell(replay +
                               " | jq -c 'select(.envelope.aggregate_type == \"job\" and "
                               ".envelope.aggregate_id == \"job-1\" and "
                               ".envelope.sequence == 1)"
                               " | .payload.job.title'");
  ASSERT_EQ(title.lines.size(), 1u) << title.out;
  EXPECT_EQ(nlohmann::json::parse(title.lines[0]), kTrickyTitle);

  const JlRun hashes = RunShell(replay + " | jq -r '.envelope.hash, .envelope.previous_hash'");
  ASSERT_EQ(hashes.lines.size(), 18u);
  for (size_t i = 0; i < hashes.lines.size(); i += 2) {
    EXPECT_THAT(hashes.lines[i], MatchesRegex("[0-9a-f]{64}"));
    EXPECT_THAT(hashes.lines[i + 1], MatchesRegex("([0-9a-f]{64})?"));
  }

  const JlRun sorted = RunShell(replay + " | jq -s 'map(.envelope.occurred_at) | . == sort'");
  EXPECT_THAT(sorted.lines, ElementsAre("true"));
}

TEST_F(AnalystCommandsTest, ReplayFiltersByJobTypeTenantTimeTopicAndLimit) {
  EXPECT_THAT(
      ReplayedTypes({"replay", "--job", "job-2"}),
      ElementsAre("CustomerRequestConverted", "JobCreated", "AppointmentScheduled", "NoteAdded"))
      << "its own events, its visit, and the request whose payload names it";
  EXPECT_THAT(ReplayedTypes({"replay", "--type", "JobCreated"}),
              ElementsAre("JobCreated", "JobCreated", "JobCreated"));
  EXPECT_THAT(ReplayedTypes(
                  {"replay", "--type", "jobledger.job.v1.NoteAdded", "--type", "JobStatusChanged"}),
              ElementsAre("NoteAdded", "JobStatusChanged", "NoteAdded"));
  EXPECT_THAT(ReplayedTypes({"replay", "--tenant", "globex"}), ElementsAre("JobCreated"));
  EXPECT_THAT(ReplayedTypes({"replay", "--from-time", "2026-03-31"}),
              ElementsAre("AppointmentScheduled", "JobStatusChanged", "NoteAdded", "JobCreated"));
  EXPECT_THAT(ReplayedTypes({"replay", "--from-time", "2026-03-30T09:00:00Z", "--until-time",
                             "2026-03-31T10:00:00+00:00"}),
              ElementsAre("NoteAdded", "AppointmentScheduled", "AppointmentScheduled"));
  EXPECT_THAT(ReplayedTypes({"replay", "--topic", kScheduling}),
              ElementsAre("AppointmentScheduled", "AppointmentScheduled"));
  EXPECT_THAT(ReplayedTypes({"replay", "--limit", "2"}),
              ElementsAre("JobCreated", "CustomerRequestConverted"));
  EXPECT_THAT(ReplayedTypes({"replay", "--from-offset", "100"}), ElementsAre());
}

TEST_F(AnalystCommandsTest, ExportCsvParsesBackWithPythonsCsvModule) {
  const std::string file = dir_.Sub("events.csv");
  const JlRun exported = RunJl(Args({"export", "--format", "csv", "-o", file}));
  ASSERT_EQ(exported.exit_code, 0) << exported.out;

  std::stringstream raw;
  raw << std::ifstream(file, std::ios::binary).rdbuf();
  EXPECT_THAT(raw.str(), HasSubstr("payload_json\r\n")) << "RFC 4180 rows end with CRLF";

  const JlRun parsed =
      RunShell(absl::StrCat("/usr/bin/python3 -c 'import csv, json, sys\n"
                            "with open(sys.argv[1], newline=\"\", encoding=\"utf-8\") as f:\n"
                            "    print(json.dumps(list(csv.reader(f))))' ",
                            ShellQuote(file)));
  ASSERT_EQ(parsed.exit_code, 0) << parsed.out;
  ASSERT_EQ(parsed.lines.size(), 1u) << parsed.out;
  const nlohmann::json rows = nlohmann::json::parse(parsed.lines[0]);
  ASSERT_EQ(rows.size(), 10u) << "a header and nine events";
  EXPECT_EQ(rows[0], nlohmann::json({"topic", "partition", "offset", "event_id", "type", "tenant",
                                     "aggregate_type", "aggregate_id", "sequence", "occurred_at",
                                     "actor_id", "actor_role", "payload_json"}));
  const nlohmann::json& first = rows[1];
  EXPECT_EQ(first[0], kJobs);
  EXPECT_EQ(first[1], absl::StrCat(eventlog::PartitionForKey("job-1", kPartitions)));
  EXPECT_EQ(first[4], "jobledger.job.v1.JobCreated");
  EXPECT_EQ(first[5], "acme");
  EXPECT_EQ(first[7], "job-1");
  EXPECT_EQ(first[8], "1");
  EXPECT_EQ(first[9], "2026-03-30T08:00:00Z");
  EXPECT_EQ(first[10], "dispatcher-1");
  EXPECT_EQ(nlohmann::json::parse(first[12].get<std::string>())["job"]["title"], kTrickyTitle);
}

TEST_F(AnalystCommandsTest, ExportAsJsonLinesIsWhatReplayPrints) {
  const JlRun replayed = RunJl(Args({"replay", "--job", "job-1"}));
  const JlRun exported = RunJl(Args({"export", "--format", "jsonl", "--job", "job-1"}));
  EXPECT_EQ(exported.exit_code, 0);
  EXPECT_EQ(exported.lines.size(), 4u);
  EXPECT_EQ(exported.out, replayed.out);
}

TEST_F(AnalystCommandsTest, VerifyPassesOnAnIntactLogAndNamesEachTamperedAggregate) {
  const JlRun clean = RunJl(Args({"verify"}));
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_THAT(clean.lines, ElementsAre("verified 2 topics: 9 events, 6 aggregates, 0 problems",
                                       "OK: every aggregate's sequence and hash chain is intact"));

  // job-1's next event links to a forged previous hash (its own hash recomputes); job-2's
  // sequence skips one.
  events::v1::Event forged = chains_.Next("acme", "job", "job-1", Note("forged"), At(31, 13));
  forged.mutable_envelope()->set_previous_hash(std::string(eventlog::kHashSize, '\x01'));
  eventlog::SealEvent(forged);
  auto forged_offset = AppendEvent(*log_, kJobs, kPartitions, forged);
  ASSERT_TRUE(forged_offset.ok());
  chains_.Next("acme", "job", "job-2", Note("never appended"), At(31, 13));
  auto gap_offset = AppendEvent(*log_, kJobs, kPartitions,
                                chains_.Next("acme", "job", "job-2", Note("after"), At(31, 14)));
  ASSERT_TRUE(gap_offset.ok());

  const JlRun tampered = RunJl(Args({"verify"}));
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out;
  EXPECT_THAT(tampered.out,
              HasSubstr(absl::StrCat("PROBLEM topic=", kJobs,
                                     " partition=", eventlog::PartitionForKey("job-1", kPartitions),
                                     " offset=", *forged_offset,
                                     " aggregate=acme/job/job-1: sequence 4: previous_hash does "
                                     "not equal the hash of sequence 3\n")));
  EXPECT_THAT(tampered.out,
              HasSubstr(absl::StrCat("PROBLEM topic=", kJobs,
                                     " partition=", eventlog::PartitionForKey("job-2", kPartitions),
                                     " offset=", *gap_offset,
                                     " aggregate=acme/job/job-2: sequence 4 follows 2: 1 event "
                                     "missing\n")));
  EXPECT_THAT(tampered.out, HasSubstr("verified 2 topics: 11 events, 6 aggregates, 2 problems\n"
                                      "FAILED"));

  const JlRun other_topic = RunJl(Args({"verify", "--topic", kScheduling}));
  EXPECT_EQ(other_topic.exit_code, 0) << other_topic.out;
}

TEST_F(AnalystCommandsTest, BadUsageAndAMissingLogAreRefused) {
  // Usage errors exit 2; a log that is not there, 1.
  EXPECT_EQ(RunJl(Args({"replay", "--from-time", "yesterday"})).exit_code, 2);
  EXPECT_EQ(RunJl(Args({"export", "--format", "xml"})).exit_code, 2);
  EXPECT_EQ(RunJl(Args({"replay", "--limit", "-1"})).exit_code, 2);
  EXPECT_EQ(RunJl(Args({"replay", "--no-such-flag"})).exit_code, 2);
  EXPECT_EQ(RunJl({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunJl({"replay", "--help"}).exit_code, 0);
  EXPECT_EQ(RunJl({"replay", "--log-dir", dir_.Sub("nowhere")}).exit_code, 1);
  EXPECT_EQ(RunJl({"verify", "--log-dir", dir_.Sub("nowhere")}).exit_code, 1);
  EXPECT_EQ(RunJl(Args({"replay", "--topic", "jobledger.nope.events"})).exit_code, 1);
}

}  // namespace
}  // namespace jobledger::cli::testing
