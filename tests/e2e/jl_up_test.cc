// `jl up`, `jl status`, `jl call`, `jl logs` and `jl down` as a newcomer uses them: five service
// processes on the embedded log with the demo tenant, stopped and started again on the same data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "jl_run.h"
#include "jobledger/testing/temp_dir.h"
#include "nlohmann/json.hpp"

namespace jobledger::cli {
namespace {

using ::testing::HasSubstr;
using testing::JlRun;
using testing::RunJl;

int PortOffset() { return testing::ReservePortOffset(); }

class JlUpTest : public ::testing::Test {
 protected:
  void TearDown() override { RunJl({"down", "--data-dir", data_dir_}); }

  JlRun Jl(std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"--data-dir", data_dir_});
    return RunJl(args);
  }
  JlRun Up() {
    return Jl(
        {"up", "--port-offset", absl::StrCat(PortOffset()), "--ready-timeout-seconds", "600"});
  }
  static std::string TokenFrom(const JlRun& up) {
    for (const std::string& line : up.lines) {
      const size_t at = line.find("export JOBLEDGER_TOKEN=");
      if (at != std::string::npos)
        return line.substr(at + std::string("export JOBLEDGER_TOKEN=").size());
    }
    return "";
  }
  nlohmann::json Call(const std::string& token, const std::string& target,
                      const std::string& method, const std::string& request) {
    const JlRun call = Jl({"call", target, method, request, "--token", token});
    EXPECT_EQ(call.exit_code, 0) << call.out;
    return nlohmann::json::parse(call.out, nullptr, false);
  }

  jobledger::testing::TempDir temp_;
  std::string data_dir_ = temp_.path() + "/data";
};

TEST_F(JlUpTest, RunsTheWholeSystemWithTheDemoAndKeepsItsDataAcrossRestarts) {
  const JlRun up = Up();
  ASSERT_EQ(up.exit_code, 0) << up.out;
  EXPECT_THAT(up.out, HasSubstr("Seeded the demo tenant"));
  const std::string token = TokenFrom(up);
  ASSERT_FALSE(token.empty()) << up.out;

  const JlRun status = Jl({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out;
  for (const char* service : {"job", "scheduling", "billing", "notification", "reporting"}) {
    EXPECT_THAT(status.out, HasSubstr(absl::StrCat(service)));
  }
  EXPECT_THAT(status.out, ::testing::Not(HasSubstr("catching up"))) << status.out;

  // The demo day is visible through the public APIs, with a token `jl up` printed.
  const nlohmann::json counts =
      Call(token, "reporting", "ReportingService/GetDispatchCounts", "{}");
  ASSERT_TRUE(counts.is_object());
  EXPECT_FALSE(counts.empty()) << counts.dump();
  const nlohmann::json customers = Call(token, "job", "CustomerService/ListCustomers", "{}");
  ASSERT_TRUE(customers.contains("customers")) << customers.dump();
  const size_t customer_count = customers["customers"].size();
  EXPECT_GT(customer_count, 0u);
  const size_t job_count =
      Call(token, "job", "JobService/ListJobs", R"({"pageSize": 500})")["jobs"].size();
  EXPECT_GT(job_count, 0u);

  // Bad calls say what is wrong.
  const JlRun unknown = Jl({"call", "job", "JobService/NoSuchMethod", "{}", "--token", token});
  EXPECT_NE(unknown.exit_code, 0);
  const JlRun no_token = Jl({"call", "job", "CustomerService/ListCustomers", "{}"});
  EXPECT_NE(no_token.exit_code, 0);

  // A second `jl up` finds everything running and the demo there.
  const JlRun again = Up();
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_THAT(again.out, HasSubstr("already running"));
  EXPECT_THAT(again.out, HasSubstr("already there"));

  const JlRun logs = Jl({"logs", "job", "--lines", "5"});
  EXPECT_EQ(logs.exit_code, 0);
  EXPECT_FALSE(logs.out.empty());

  const JlRun down = Jl({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.out;
  EXPECT_FALSE(std::filesystem::exists(data_dir_ + "/run/system.json"));
  EXPECT_NE(Jl({"status"}).exit_code, 0);

  // Started again on the same data: nothing seeded twice, everything still there.
  const JlRun restarted = Up();
  ASSERT_EQ(restarted.exit_code, 0) << restarted.out;
  EXPECT_THAT(restarted.out, HasSubstr("already there"));
  const std::string new_token = TokenFrom(restarted);
  const nlohmann::json customers_after =
      Call(new_token, "job", "CustomerService/ListCustomers", "{}");
  EXPECT_EQ(customers_after["customers"].size(), customer_count);
  EXPECT_EQ(Call(new_token, "job", "JobService/ListJobs", R"({"pageSize": 500})")["jobs"].size(),
            job_count);
}

// A port of this system taken by another process is refused up front: the other process would
// answer the readiness probes in place of ours, and the demo would be seeded into it.
TEST_F(JlUpTest, RefusesPortsAnotherProcessListensOn) {
  const JlRun up = Jl({"up", "--no-demo", "--port-offset", absl::StrCat(PortOffset()),
                       "--ready-timeout-seconds", "600"});
  ASSERT_EQ(up.exit_code, 0) << up.out;
  jobledger::testing::TempDir other;
  const std::string other_dir = other.path() + "/data";
  const JlRun second = testing::RunShell(absl::StrCat("\"$JL\" up --no-demo --data-dir ",
                                                      testing::ShellQuote(other_dir),
                                                      " --port-offset ", PortOffset(), " 2>&1"));
  RunJl({"down", "--data-dir", other_dir});
  EXPECT_NE(second.exit_code, 0) << second.out;
  EXPECT_THAT(second.out, HasSubstr("is in use by another process")) << second.out;
  EXPECT_EQ(Jl({"status"}).exit_code, 0);  // the first system runs on, untouched
}

}  // namespace
}  // namespace jobledger::cli
