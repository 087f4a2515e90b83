// The chassis as a process: SIGTERM drains an in-flight RPC and exits 0 after readiness went
// NOT_SERVING, a second signal exits at once, bad configuration exits non-zero naming the flag.
#include <grpcpp/client_context.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/v1/echo.grpc.pb.h"
#include "jobledger/testing/wait.h"
#include "nlohmann/json.hpp"
#include "test_clients.h"

namespace jobledger::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

constexpr absl::Duration kLineTimeout = absl::Seconds(20);

struct Child {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
  std::vector<nlohmann::json> lines;  // every JSON line read so far

  // Reads lines until one has msg == `msg`; false on timeout or end of output.
  bool ReadUntil(absl::string_view msg) {
    while (true) {
      const std::optional<std::string> line = process->ReadLine(kLineTimeout);
      if (!line.has_value()) return false;
      nlohmann::json parsed = nlohmann::json::parse(*line, nullptr, false);
      EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << *line;
      if (parsed.is_discarded()) continue;
      lines.push_back(parsed);
      if (parsed.value("msg", "") == msg) return true;
    }
  }

  // Position of the first line with msg == `msg` (lines.size() when absent).
  size_t IndexOf(absl::string_view msg) const {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].value("msg", "") == msg) return i;
    }
    return lines.size();
  }
};

Child StartChild(const TempDir& dir, const std::string& shutdown_grace = "15s") {
  const std::vector<std::string> argv = {JL_ECHO_SERVER_PATH, "--jwt-hs256-key", kDevKey,
                                         "--ready-file",      dir.Sub("ready"),  "--shutdown-grace",
                                         shutdown_grace};
  Child child;
  auto process = ChildProcess::Spawn(argv);
  EXPECT_TRUE(process.ok()) << process.status();
  if (!process.ok()) return child;
  child.process = *std::move(process);
  EXPECT_TRUE(child.ReadUntil("serving"));
  if (!child.lines.empty()) child.port = child.lines.back().value("port", 0);
  return child;
}

TEST(ServerProcess, SigtermDrainsTheInFlightRpcAfterReadinessGoesNotServingAndExitsZero) {
  TempDir dir;
  Child child = StartChild(dir);
  ASSERT_GT(child.port, 0);
  auto channel = Connect(child.port);
  EXPECT_EQ(*CheckHealth(*channel, "readiness"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(*CheckHealth(*channel, "liveness"), HealthCheckResponse::SERVING);
  std::ofstream(dir.Sub("ready")) << "caught up";
  ASSERT_TRUE(child.ReadUntil("readiness SERVING"));
  EXPECT_EQ(*CheckHealth(*channel, "readiness"), HealthCheckResponse::SERVING);

  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext watch_context;
  grpc::health::v1::HealthCheckRequest watch_request;
  watch_request.set_service("readiness");
  auto watch = health->Watch(&watch_context, watch_request);
  grpc::health::v1::HealthCheckResponse seen;
  ASSERT_TRUE(watch->Read(&seen));
  ASSERT_EQ(seen.status(), HealthCheckResponse::SERVING);

  // An RPC that takes 1.5 s is in flight when SIGTERM arrives.
  auto stub = v1::EchoService::NewStub(channel);
  std::atomic<bool> hold_done{false};
  grpc::Status hold_status;
  v1::HoldResponse hold_response;
  std::thread holder([&] {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", DevToken({auth::Role::kTechnician})));
    v1::HoldRequest request;
    request.set_hold_ms(1500);
    hold_status = stub->Hold(&context, request, &hold_response);
    hold_done = true;
  });
  ASSERT_TRUE(child.ReadUntil("hold started"));
  child.process->Signal(SIGTERM);

  ASSERT_TRUE(watch->Read(&seen));
  EXPECT_EQ(seen.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(hold_done.load());  // readiness went NOT_SERVING while the RPC was in flight
  watch_context.TryCancel();

  holder.join();
  EXPECT_TRUE(hold_status.ok()) << hold_status.error_message();
  EXPECT_FALSE(hold_response.released());  // it ran its full course
  EXPECT_EQ(child.process->Wait(), 0);
  ASSERT_TRUE(child.ReadUntil("stopped"));
  // The order the log tells: NOT_SERVING, drain, the held RPC finishing, hooks, stopped.
  const size_t not_serving = child.IndexOf("readiness NOT_SERVING");
  const size_t hold_finished = child.IndexOf("hold finished");
  const size_t drained = child.IndexOf("drained");
  const size_t hook = child.IndexOf("echo hook ran");
  ASSERT_LT(not_serving, child.lines.size());
  EXPECT_LT(not_serving, hold_finished);
  EXPECT_LT(hold_finished, drained);
  EXPECT_LT(drained, hook);
  EXPECT_LT(hook, child.lines.size());
  for (const nlohmann::json& line : child.lines) {
    EXPECT_EQ(line.value("service", ""), "echo");
    if (line.value("msg", "") == "hold started") {
      EXPECT_EQ(line.value("trace_id", "").size(), 32u);  // the handler's line carries the trace
    }
  }
}

TEST(ServerProcess, ASecondSignalExitsAtOnce) {
  TempDir dir;
  std::ofstream(dir.Sub("ready")) << "caught up";
  Child child = StartChild(dir, "5m");
  ASSERT_GT(child.port, 0);
  auto stub = v1::EchoService::NewStub(Connect(child.port));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", DevToken({auth::Role::kManager})));
  v1::HoldRequest request;
  request.set_hold_ms(120'000);  // would hold the drain for minutes
  v1::HoldResponse response;
  grpc::Status hold_status;
  std::thread holder([&] { hold_status = stub->Hold(&context, request, &response); });
  ASSERT_TRUE(child.ReadUntil("hold started"));
  child.process->Signal(SIGTERM);
  ASSERT_TRUE(child.ReadUntil("draining in-flight RPCs"));
  const absl::Time second = absl::Now();
  child.process->Signal(SIGINT);
  EXPECT_EQ(child.process->Wait(), 128 + SIGINT);
  EXPECT_LT(absl::Now() - second, absl::Seconds(10));
  holder.join();
  EXPECT_FALSE(hold_status.ok());
}

// Runs the server with `args`, stderr folded into stdout; returns the exit code and the output.
std::pair<int, std::string> RunToExit(const std::vector<std::string>& args) {
  std::string command = absl::StrCat("exec ", JL_ECHO_SERVER_PATH);
  for (const std::string& arg : args) absl::StrAppend(&command, " '", arg, "'");
  absl::StrAppend(&command, " 2>&1");
  auto process = ChildProcess::Spawn({"/bin/sh", "-c", command});
  EXPECT_TRUE(process.ok()) << process.status();
  std::string output;
  while (std::optional<std::string> line = (*process)->ReadLine(kLineTimeout)) {
    absl::StrAppend(&output, *line, "\n");
  }
  return {(*process)->Wait(), output};
}

TEST(ServerProcess, BadConfigurationExitsNonZeroNamingTheFlag) {
  TempDir dir;
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--jwt-hs256-key", kDevKey, "--listen", "bogus"}, "--listen: \"bogus\" is not host:port"},
      {{"--jwt-hs256-key", kDevKey, "--metrics-listen", "127.0.0.1:70000"}, "--metrics-listen:"},
      {{"--jwt-hs256-key", kDevKey, "--log-level", "loud"}, "--log-level: unknown level"},
      {{"--jwt-hs256-key", kDevKey, "--tls-cert", dir.Sub("none.pem"), "--tls-key",
        dir.Sub("none.key")},
       "--tls-cert: cannot read"},
      {{"--jwt-hs256-key-file", dir.Sub("missing.key")}, "--jwt-hs256-key-file: cannot read"},
      {{"--jwt-hs256-key", "short"}, "--jwt-hs256-key: the HS256 key has 5 bytes"},
      {{}, "--jwt-rs256-public-key-file: no token key"},
      {{"--jwt-hs256-key", kDevKey, "--shutdown-grace", "later"}, "--shutdown-grace:"},
      {{"--jwt-hs256-key", kDevKey, "--max-message-bytes", "lots"}, "--max-message-bytes"},
      {{"--jwt-hs256-key", kDevKey, "--no-such-flag"}, "--no-such-flag"},
  };
  for (const auto& c : cases) {
    const auto [code, output] = RunToExit(c.args);
    EXPECT_NE(code, 0) << output;
    EXPECT_THAT(output, HasSubstr(c.message));
  }
}

TEST(ServerProcess, EnvironmentVariablesConfigureAndHelpDocumentsThem) {
  const auto [help_code, help] = RunToExit({"--help"});
  EXPECT_EQ(help_code, 0);
  EXPECT_THAT(help, HasSubstr("--shutdown-grace"));
  EXPECT_THAT(help, HasSubstr("JOBLEDGER_LOG_LEVEL"));
  EXPECT_THAT(help, HasSubstr("--ready-file"));  // the service's own flag, same command line

  setenv("JOBLEDGER_LOG_LEVEL", "loud", 1);
  const auto [code, output] = RunToExit({"--jwt-hs256-key", kDevKey});
  unsetenv("JOBLEDGER_LOG_LEVEL");
  EXPECT_NE(code, 0);
  EXPECT_THAT(output, HasSubstr("--log-level: unknown level \"loud\""));
}

}  // namespace
}  // namespace jobledger::testing

namespace jobledger::testing {
namespace {

TEST(JlToken, MintsADevTokenTheServersAccept) {
  setenv("JOBLEDGER_JWT_HS256_KEY", kDevKey, 1);
  auto process =
      ChildProcess::Spawn({JL_CLI_PATH, "token", "--subject", "u-9", "--tenant", "acme", "--role",
                           "dispatcher", "--role", "billing", "--name", "Dee", "--ttl", "15m"});
  unsetenv("JOBLEDGER_JWT_HS256_KEY");
  ASSERT_TRUE(process.ok()) << process.status();
  const std::optional<std::string> token = (*process)->ReadLine(kLineTimeout);
  EXPECT_EQ((*process)->Wait(), 0);
  ASSERT_TRUE(token.has_value());
  auth::JwtVerifierOptions options;
  options.algorithm = auth::JwtAlgorithm::kHs256;
  options.key = kDevKey;
  const absl::StatusOr<auth::Identity> identity =
      (*auth::JwtVerifier::Create(options))->Verify(*token);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->subject, "u-9");
  EXPECT_EQ(identity->tenant, "acme");
  EXPECT_EQ(identity->name, "Dee");
  EXPECT_EQ(identity->roles, auth::RoleSet({auth::Role::kDispatcher, auth::Role::kBilling}));
  EXPECT_LE(identity->expires_at, absl::Now() + absl::Minutes(15));
  EXPECT_GT(identity->expires_at, absl::Now() + absl::Minutes(14));
}

TEST(JlToken, RefusesUnknownRolesAndMissingKeys) {
  const std::string cli = JL_CLI_PATH;
  const auto run = [&](const std::string& args) {
    auto process =
        ChildProcess::Spawn({"/bin/sh", "-c", absl::StrCat("exec ", cli, " ", args, " 2>&1")});
    std::string output;
    while (std::optional<std::string> line = (*process)->ReadLine(kLineTimeout)) {
      absl::StrAppend(&output, *line, "\n");
    }
    return std::make_pair((*process)->Wait(), output);
  };
  const auto [role_code, role_output] =
      run(absl::StrCat("token --subject u --tenant t --role admin --key ", kDevKey));
  EXPECT_NE(role_code, 0);
  EXPECT_THAT(role_output, HasSubstr("--role: unknown role \"admin\""));
  unsetenv("JOBLEDGER_JWT_HS256_KEY");
  const auto [key_code, key_output] = run("token --subject u --tenant t --role analyst");
  EXPECT_NE(key_code, 0);
  EXPECT_THAT(key_output, HasSubstr("JOBLEDGER_JWT_HS256_KEY"));
  const auto [short_code, short_output] =
      run("token --subject u --tenant t --role analyst --key short");
  EXPECT_NE(short_code, 0);
  EXPECT_THAT(short_output, HasSubstr("at least 32"));
}

}  // namespace
}  // namespace jobledger::testing
