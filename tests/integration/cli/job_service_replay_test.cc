// The analyst commands on events the real job service wrote (through gRPC), next to a scheduling
// event about one of its jobs: every payload decodes, jq reads every line, the chains verify.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jl_run.h"
#include "job_test_env.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "nlohmann/json.hpp"

namespace jobledger::cli::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST(JobServiceReplayTest, ReplayAndVerifyReadWhatTheJobServiceWrote) {
  job::testing::JobServiceEnv env;
  const job::v1::Customer customer = env.CreateCustomer("Zoë O'Brien, \"ZOB\" Ltd");
  const std::string first = env.CreateJob(customer.customer_id(), "Leak, urgent").job().job_id();
  const std::string second = env.CreateJob(customer.customer_id(), "Boiler").job().job_id();
  scheduling::v1::AppointmentScheduled visit;
  visit.set_appointment_id("appt-1");
  visit.set_job_id(first);
  env.AppendScheduling("acme", "job_schedule", first, visit);
  const int64_t events = env.JobTopicEvents() + 1;
  const std::string log_dir = ShellQuote(env.log_dir());

  const JlRun parsed = RunShell(absl::StrCat("\"$JL\" replay --log-dir ", log_dir, " | jq -c ."));
  EXPECT_EQ(parsed.exit_code, 0);
  ASSERT_EQ(static_cast<int64_t>(parsed.lines.size()), events) << parsed.out;
  for (const std::string& line : parsed.lines) {
    const nlohmann::json json = nlohmann::json::parse(line);
    EXPECT_TRUE(json["payload"].is_object()) << "decoded by its type: " << line;
  }

  const JlRun customers =
      RunJl({"replay", "--log-dir", env.log_dir(), "--type", "CustomerCreated"});
  ASSERT_EQ(customers.lines.size(), 1u) << customers.out;
  EXPECT_EQ(nlohmann::json::parse(customers.lines[0])["payload"]["customer"]["name"],
            customer.name());

  const JlRun about_first = RunJl({"replay", "--log-dir", env.log_dir(), "--job", first});
  std::vector<std::string> types;
  for (const std::string& line : about_first.lines) {
    types.push_back(nlohmann::json::parse(line)["envelope"]["type"]);
  }
  EXPECT_THAT(types, Contains("jobledger.job.v1.JobCreated"));
  EXPECT_THAT(types, Contains("jobledger.scheduling.v1.AppointmentScheduled"));
  for (const std::string& line : about_first.lines) {
    EXPECT_EQ(line.find(second), std::string::npos) << "only the first job: " << line;
  }

  const JlRun verify = RunJl({"verify", "--log-dir", env.log_dir()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_THAT(verify.lines.back(), "OK: every aggregate's sequence and hash chain is intact");
}

}  // namespace
}  // namespace jobledger::cli::testing
