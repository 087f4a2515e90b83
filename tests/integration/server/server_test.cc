// The chassis in one process: a real gRPC server on loopback port 0 serving the echo service.
#include "jobledger/server/server.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "echo_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/auth/test_keys.h"
#include "jobledger/server/log.h"
#include "jobledger/server/trace.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "nlohmann/json.hpp"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "test_clients.h"

namespace jobledger::testing {
namespace {

using auth::Role;
using grpc::StatusCode;
using grpc::health::v1::HealthCheckResponse;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kEcho[] = "/jobledger.testing.v1.EchoService/Echo";

std::unique_ptr<grpc::ClientContext> Context(const std::string& authorization,
                                             const std::string& traceparent = "",
                                             absl::Duration timeout = absl::Seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!authorization.empty()) context->AddMetadata("authorization", authorization);
  if (!traceparent.empty()) context->AddMetadata("traceparent", traceparent);
  return context;
}

std::string Bearer(const std::string& token) { return absl::StrCat("Bearer ", token); }

class ServerTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::unique_ptr<server::Server>> StartServer(
      const std::function<void(server::ServerOptions&)>& customize = nullptr) {
    server::ServerOptions options;
    options.config.service_name = "echo";
    options.config.jwt.algorithm = auth::JwtAlgorithm::kHs256;
    options.config.jwt.key = kDevKey;
    options.config.shutdown_grace = absl::Seconds(10);
    options.AddService<v1::EchoService>(&echo_);
    options.method_roles = EchoMethodRoles();
    options.AddReadinessCheck("test_projection", [this] { return ready_.load(); });
    if (customize) customize(options);
    return server::Server::Start(std::move(options));
  }

  std::unique_ptr<v1::EchoService::Stub> Stub(const server::Server& server) {
    return v1::EchoService::NewStub(Connect(server.port()));
  }

  grpc::Status Echo(v1::EchoService::Stub& stub, const std::string& authorization,
                    const std::string& traceparent = "") {
    v1::EchoRequest request;
    request.set_text("hi");
    v1::EchoResponse response;
    return stub.Echo(Context(authorization, traceparent).get(), request, &response);
  }

  EchoServiceImpl echo_;
  std::atomic<bool> ready_{true};
};

TEST_F(ServerTest, HealthGoesFromNotReadyToReadyToDrainingWithLivenessServing) {
  ready_ = false;
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = Connect((*server)->port());
  EXPECT_EQ(*CheckHealth(*channel, "liveness"), HealthCheckResponse::SERVING);
  EXPECT_EQ(*CheckHealth(*channel, "readiness"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(*CheckHealth(*channel, ""), HealthCheckResponse::NOT_SERVING);

  ready_ = true;  // the projection caught up
  ASSERT_TRUE(WaitUntil([&] {
    return CheckHealth(*channel, "readiness").value_or(HealthCheckResponse::UNKNOWN) ==
           HealthCheckResponse::SERVING;
  }));
  EXPECT_EQ(*CheckHealth(*channel, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(*CheckHealth(*channel, "liveness"), HealthCheckResponse::SERVING);

  // Draining: readiness turns NOT_SERVING while an RPC is still in flight, which then completes.
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext watch_context;
  grpc::health::v1::HealthCheckRequest watch_request;
  watch_request.set_service("readiness");
  auto watch = health->Watch(&watch_context, watch_request);
  grpc::health::v1::HealthCheckResponse seen;
  ASSERT_TRUE(watch->Read(&seen));
  EXPECT_EQ(seen.status(), HealthCheckResponse::SERVING);

  auto stub = Stub(**server);
  std::atomic<bool> hold_done{false};
  grpc::Status hold_status;
  v1::HoldResponse hold_response;
  std::thread holder([&] {
    v1::HoldRequest request;
    request.set_hold_ms(60'000);
    hold_status =
        stub->Hold(Context(Bearer(DevToken({Role::kTechnician}))).get(), request, &hold_response);
    hold_done = true;
  });
  ASSERT_TRUE(WaitUntil([&] { return echo_.holds_started() == 1; }));

  absl::Status shutdown_status;
  std::thread stopper([&] { shutdown_status = (*server)->Shutdown(); });
  ASSERT_TRUE(watch->Read(&seen));
  EXPECT_EQ(seen.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(hold_done.load());  // NOT_SERVING came first
  EXPECT_FALSE((*server)->ready());
  watch_context.TryCancel();  // a watch is an RPC too; it would hold the drain
  // New RPCs are refused while the old one drains.
  EXPECT_TRUE(WaitUntil([&] {
    return Echo(*Stub(**server), Bearer(DevToken({Role::kAnalyst}))).error_code() ==
           StatusCode::UNAVAILABLE;
  }));
  EXPECT_FALSE(hold_done.load());

  echo_.Release();
  holder.join();
  stopper.join();
  EXPECT_TRUE(hold_status.ok()) << hold_status.error_message();
  EXPECT_TRUE(hold_response.released());
  EXPECT_TRUE(shutdown_status.ok()) << shutdown_status;
}

TEST_F(ServerTest, ReflectionListsTheServicesWithoutAToken) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  const absl::StatusOr<std::vector<std::string>> services =
      ListServices(*Connect((*server)->port()));
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, IsSupersetOf({"jobledger.testing.v1.EchoService", "grpc.health.v1.Health",
                                       "grpc.reflection.v1alpha.ServerReflection"}));
}

TEST_F(ServerTest, RefusesCallsWithoutAValidTokenBeforeTheHandlerRuns) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  auth::TokenClaims expired;
  expired.subject = "u-1";
  expired.tenant = "acme";
  expired.roles = {Role::kDispatcher};
  expired.expires_at = absl::Now() - absl::Minutes(5);
  auth::TokenClaims early = expired;
  early.expires_at = absl::Now() + absl::Hours(1);
  early.not_before = absl::Now() + absl::Minutes(10);
  const std::string payload =
      absl::StrCat(R"({"sub":"u-1","tenant":"acme","roles":["dispatcher"],"exp":)",
                   absl::ToUnixSeconds(absl::Now() + absl::Hours(1)), "}");
  const struct {
    std::string authorization;
    std::string message;
  } cases[] = {
      {"", "no bearer token"},
      {"Basic dXNlcjpwYXNz", "not \"Bearer <token>\""},
      {"Bearer not-a-token", "malformed"},
      {Bearer(*auth::MintToken(expired, auth::JwtAlgorithm::kHs256, kDevKey)), "expired"},
      {Bearer(*auth::MintToken(early, auth::JwtAlgorithm::kHs256, kDevKey)), "not valid"},
      {Bearer(DevToken({Role::kDispatcher}, "acme", "another-key-another-key-another-key")),
       "signature does not verify"},
      {Bearer(auth::testing::RawToken(R"({"alg":"none"})", payload, "")),
       "\"none\" is not accepted"},
  };
  for (const auto& c : cases) {
    const grpc::Status status = Echo(*stub, c.authorization);
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << c.authorization;
    EXPECT_THAT(status.error_message(), HasSubstr(c.message)) << c.authorization;
  }
  EXPECT_EQ(echo_.handler_runs(), 0);
  EXPECT_TRUE(Echo(*stub, Bearer(DevToken({Role::kAnalyst}))).ok());
  EXPECT_EQ(echo_.handler_runs(), 1);
}

TEST_F(ServerTest, ARequestThatDoesNotParseIsInvalidArgumentNotInternal) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  grpc::GenericStub stub(Connect((*server)->port()));
  // EchoRequest.text (field 1) holding bytes that are not UTF-8, which protobuf refuses to parse
  // into a string field; and a field whose length runs past the end.
  const std::string invalid_utf8("\x0a\x02\xff\xfe", 4);
  const std::string truncated("\x0a\x09hi", 4);
  for (const std::string& wire : {invalid_utf8, truncated}) {
    grpc::Slice slice(wire);
    const grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    auto context = Context(Bearer(DevToken({Role::kAnalyst})));
    absl::Notification done;
    grpc::Status status;
    stub.UnaryCall(context.get(), kEcho, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("not a valid request message"));
    EXPECT_THAT(status.error_message(), HasSubstr(kEcho));
  }
  EXPECT_EQ(echo_.handler_runs(), 0);
  // A valid call on the same server is unaffected.
  auto echo = Stub(**server);
  EXPECT_TRUE(Echo(*echo, Bearer(DevToken({Role::kAnalyst}))).ok());
}

TEST_F(ServerTest, RefusesRolesTheMethodDoesNotAllow) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  v1::WhoAmIResponse response;
  const grpc::Status denied = stub->WhoAmI(Context(Bearer(DevToken({Role::kBilling}))).get(),
                                           v1::WhoAmIRequest(), &response);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.error_message(), HasSubstr("needs one of the roles"));
  EXPECT_EQ(echo_.handler_runs(), 0);
  EXPECT_TRUE(Echo(*stub, Bearer(DevToken({Role::kBilling}))).ok());  // Echo is open to billing
}

TEST_F(ServerTest, RefusesMethodsMissingFromTheRoleTable) {
  auto server = StartServer([](server::ServerOptions& options) {
    options.method_roles = auth::MethodRoles();
    options.method_roles.Allow(kEcho, auth::RoleSet::All());
  });
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  v1::WhoAmIResponse response;
  const grpc::Status denied =
      stub->WhoAmI(Context(Bearer(DevToken({Role::kDispatcher, Role::kManager}))).get(),
                   v1::WhoAmIRequest(), &response);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.error_message(), HasSubstr("not open to any role"));
  EXPECT_EQ(echo_.handler_runs(), 0);
}

TEST_F(ServerTest, HandlerSeesTheVerifiedIdentityAndTrace) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  const std::string token = DevToken({Role::kTechnician, Role::kDispatcher});
  v1::WhoAmIResponse response;
  ASSERT_TRUE(
      stub->WhoAmI(Context(Bearer(token), kTraceparent).get(), v1::WhoAmIRequest(), &response)
          .ok());
  EXPECT_EQ(response.subject(), "u-1");
  EXPECT_EQ(response.tenant(), "acme");
  EXPECT_EQ(response.name(), "Dana Dispatch");
  EXPECT_THAT(response.roles(), ::testing::ElementsAre("dispatcher", "technician"));
  EXPECT_EQ(response.acting_role(), "dispatcher");
  EXPECT_EQ(response.bearer_token(), token);
  EXPECT_GT(response.deadline_unix_ms(), absl::ToUnixMillis(absl::Now()));
  // The event traceparent continues the caller's trace with this server's own span.
  const std::optional<server::TraceContext> trace =
      server::TraceContext::Parse(response.traceparent());
  ASSERT_TRUE(trace.has_value()) << response.traceparent();
  EXPECT_EQ(trace->trace_id_hex(), kTraceId);
  EXPECT_NE(trace->span_id_hex(), "00f067aa0ba902b7");

  // No traceparent from the caller: a new trace.
  ASSERT_TRUE(stub->WhoAmI(Context(Bearer(token)).get(), v1::WhoAmIRequest(), &response).ok());
  const std::optional<server::TraceContext> fresh =
      server::TraceContext::Parse(response.traceparent());
  ASSERT_TRUE(fresh.has_value());
  EXPECT_NE(fresh->trace_id_hex(), kTraceId);

  // Another tenant's data: the service refuses with the identity the chassis gave it.
  v1::WhoAmIRequest other_tenant;
  other_tenant.set_tenant("globex");
  const grpc::Status denied = stub->WhoAmI(Context(Bearer(token)).get(), other_tenant, &response);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.error_message(), HasSubstr("tenant globex"));
}

TEST_F(ServerTest, StreamingMethodsAreGatedToo) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  v1::EchoRequest request;
  request.set_text("x");
  v1::EchoResponse response;
  for (const auto& [authorization, code] : std::vector<std::pair<std::string, StatusCode>>{
           {"", StatusCode::UNAUTHENTICATED},
           {Bearer(DevToken({Role::kTechnician})), StatusCode::PERMISSION_DENIED}}) {
    auto context = Context(authorization);
    auto reader = stub->EchoStream(context.get(), request);
    EXPECT_FALSE(reader->Read(&response));
    EXPECT_EQ(reader->Finish().error_code(), code);
    auto collect_context = Context(authorization);
    auto writer = stub->Collect(collect_context.get(), &response);
    writer->Write(request);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), code);
  }
  EXPECT_EQ(echo_.handler_runs(), 0);

  const std::string dispatcher = Bearer(DevToken({Role::kDispatcher}));
  auto context = Context(dispatcher);
  auto reader = stub->EchoStream(context.get(), request);
  std::vector<std::string> texts;
  while (reader->Read(&response)) texts.push_back(response.text());
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_THAT(texts, ::testing::ElementsAre("x0", "x1", "x2"));
  auto collect_context = Context(dispatcher);
  auto writer = stub->Collect(collect_context.get(), &response);
  request.set_text("a");
  writer->Write(request);
  request.set_text("b");
  writer->Write(request);
  writer->WritesDone();
  EXPECT_TRUE(writer->Finish().ok());
  EXPECT_EQ(response.text(), "ab");
}

TEST_F(ServerTest, Rs256ServerRefusesHs256Tokens) {
  const auth::testing::RsaKeyPair keys = auth::testing::GenerateRsaKeyPair();
  auto server = StartServer([&](server::ServerOptions& options) {
    options.config.jwt.algorithm = auth::JwtAlgorithm::kRs256;
    options.config.jwt.key = keys.public_pem;
  });
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  auth::TokenClaims claims;
  claims.subject = "svc-billing";
  claims.tenant = "acme";
  claims.roles = {Role::kService};
  claims.expires_at = absl::Now() + absl::Hours(1);
  EXPECT_TRUE(
      Echo(*stub, Bearer(*auth::MintToken(claims, auth::JwtAlgorithm::kRs256, keys.private_pem)))
          .ok());
  const grpc::Status dev = Echo(*stub, Bearer(DevToken({Role::kDispatcher})));
  EXPECT_EQ(dev.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(dev.error_message(), HasSubstr("\"HS256\" is not accepted"));
  // HS256 keyed with the public key, the algorithm-confusion attack.
  const grpc::Status confused =
      Echo(*stub, Bearer(*auth::MintToken(claims, auth::JwtAlgorithm::kHs256, keys.public_pem)));
  EXPECT_EQ(confused.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(echo_.handler_runs(), 1);
}

TEST_F(ServerTest, DownstreamCallsCarryTraceTokenAndDeadline) {
  auto upstream = StartServer();
  auto downstream = StartServer();
  ASSERT_TRUE(upstream.ok()) << upstream.status();
  ASSERT_TRUE(downstream.ok()) << downstream.status();
  auto stub = Stub(**upstream);
  const std::string token = DevToken({Role::kManager});
  v1::ForwardRequest request;
  request.set_target(absl::StrCat("127.0.0.1:", (*downstream)->port()));
  request.set_timeout_ms(5000);
  v1::WhoAmIResponse seen;
  const absl::Time before = absl::Now();
  const grpc::Status status =
      stub->Forward(Context(Bearer(token), kTraceparent, absl::Seconds(30)).get(), request, &seen);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(seen.subject(), "u-1");
  EXPECT_EQ(seen.bearer_token(), token);
  EXPECT_EQ(server::TraceContext::Parse(seen.traceparent())->trace_id_hex(), kTraceId);
  EXPECT_GT(seen.deadline_unix_ms(), absl::ToUnixMillis(before));
  // gRPC sends the deadline as a timeout, so the receiver's clock adds the transit time.
  const absl::Duration slack = absl::Milliseconds(500);
  EXPECT_LE(seen.deadline_unix_ms(), absl::ToUnixMillis(before + absl::Seconds(5) + slack));

  // The caller's own deadline is shorter than the timeout: it wins.
  request.set_timeout_ms(60'000);
  const absl::Time second_call = absl::Now();
  ASSERT_TRUE(
      stub->Forward(Context(Bearer(token), "", absl::Seconds(3)).get(), request, &seen).ok());
  EXPECT_LE(seen.deadline_unix_ms(), absl::ToUnixMillis(second_call + absl::Seconds(3) + slack));
}

TEST_F(ServerTest, MetricsAreServedOverHttpAndPassPromtool) {
  auto registry = std::make_shared<prometheus::Registry>();
  // Something else in the process (a projection, a service) registering into the same registry.
  prometheus::BuildCounter()
      .Name("jobledger_test_widgets_total")
      .Help("Widgets made by the test.")
      .Register(*registry)
      .Add({})
      .Increment();
  auto server = StartServer([&](server::ServerOptions& options) { options.metrics = registry; });
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->metrics_port(), 0);
  auto stub = Stub(**server);
  ASSERT_TRUE(Echo(*stub, Bearer(DevToken({Role::kAnalyst}))).ok());
  ASSERT_TRUE(Echo(*stub, Bearer(DevToken({Role::kAnalyst}))).ok());
  ASSERT_FALSE(Echo(*stub, "").ok());
  v1::WhoAmIResponse response;
  ASSERT_FALSE(stub->WhoAmI(Context(Bearer(DevToken({Role::kBilling}))).get(), v1::WhoAmIRequest(),
                            &response)
                   .ok());

  const absl::StatusOr<std::string> body = HttpGet((*server)->metrics_port(), "/metrics");
  ASSERT_TRUE(body.ok()) << body.status();
  const std::string method = "jobledger.testing.v1.EchoService/Echo";
  EXPECT_THAT(*body, HasSubstr(absl::StrCat("jobledger_grpc_server_handled_total{grpc_code=\"OK\","
                                            "grpc_method=\"",
                                            method, "\"} 2\n")));
  EXPECT_THAT(*body, HasSubstr(absl::StrCat(
                         "jobledger_grpc_server_handled_total{grpc_code=\"UNAUTHENTICATED\","
                         "grpc_method=\"",
                         method, "\"} 1\n")));
  EXPECT_THAT(*body, HasSubstr("jobledger_grpc_server_handled_total{grpc_code="
                               "\"PERMISSION_DENIED\",grpc_method=\"jobledger.testing.v1."
                               "EchoService/WhoAmI\"} 1\n"));
  EXPECT_THAT(*body, HasSubstr(absl::StrCat("jobledger_grpc_server_handling_seconds_count{"
                                            "grpc_method=\"",
                                            method, "\"} 3\n")));
  EXPECT_THAT(*body, HasSubstr("# TYPE jobledger_grpc_server_handling_seconds histogram"));
  EXPECT_THAT(*body, HasSubstr("jobledger_test_widgets_total 1"));

  TempDir dir;
  std::ofstream(dir.Sub("metrics.txt")) << *body;
  const std::string command =
      absl::StrCat(JL_PROMTOOL_PATH, " check metrics < ", dir.Sub("metrics.txt"), " > ",
                   dir.Sub("out.txt"), " 2>&1");
  const int exit_code = std::system(command.c_str());
  std::ostringstream output;
  output << std::ifstream(dir.Sub("out.txt")).rdbuf();
  EXPECT_EQ(exit_code, 0) << "promtool (" << JL_PROMTOOL_PATH << ") says: " << output.str()
                          << "\non:\n"
                          << *body;
}

TEST_F(ServerTest, AccessLogAndHandlerLinesAreJsonWithTheTraceId) {
  absl::Mutex mu;
  std::vector<std::string> lines;
  server::DefaultLogger().set_sink([&](absl::string_view line) {
    absl::MutexLock lock(&mu);
    lines.emplace_back(line);
  });
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE(Echo(*Stub(**server), Bearer(DevToken({Role::kDispatcher})), kTraceparent).ok());
  (*server)->Shutdown().IgnoreError();
  server::DefaultLogger().set_sink(server::Logger::StdoutSink());

  absl::MutexLock lock(&mu);
  bool saw_access = false;
  bool saw_handler = false;
  for (const std::string& line : lines) {
    const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << line;
    EXPECT_EQ(parsed["service"], "echo") << line;
    EXPECT_TRUE(parsed.contains("time") && parsed.contains("level")) << line;
    if (parsed["msg"] == "rpc" && parsed["grpc_method"] == kEcho) {
      saw_access = true;
      EXPECT_EQ(parsed["trace_id"], kTraceId);
      EXPECT_EQ(parsed["grpc_code"], "OK");
      EXPECT_EQ(parsed["user_id"], "u-1");
      EXPECT_EQ(parsed["tenant"], "acme");
      EXPECT_TRUE(parsed["duration_ms"].is_number());
    }
    if (parsed["msg"] == "echo handler") {
      saw_handler = true;
      EXPECT_EQ(parsed["trace_id"], kTraceId);
    }
  }
  EXPECT_TRUE(saw_access);
  EXPECT_TRUE(saw_handler);
}

TEST_F(ServerTest, MutualTlsAdmitsOnlyClientsWithACertificate) {
  const auth::testing::CertifiedKey ca = auth::testing::MakeCa("jobledger test ca");
  const auth::testing::CertifiedKey server_cert = auth::testing::MakeLeaf(ca, "localhost");
  const auth::testing::CertifiedKey client_cert = auth::testing::MakeLeaf(ca, "job-service");
  auto server = StartServer([&](server::ServerOptions& options) {
    options.config.tls = server::TlsConfig{server_cert.cert_pem, server_cert.key_pem, ca.cert_pem};
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string target = absl::StrCat("127.0.0.1:", (*server)->port());
  const std::string token = Bearer(DevToken({Role::kService}));

  grpc::SslCredentialsOptions with_cert;
  with_cert.pem_root_certs = ca.cert_pem;
  with_cert.pem_private_key = client_cert.key_pem;
  with_cert.pem_cert_chain = client_cert.cert_pem;
  auto good =
      v1::EchoService::NewStub(grpc::CreateChannel(target, grpc::SslCredentials(with_cert)));
  EXPECT_TRUE(Echo(*good, token).ok());

  grpc::SslCredentialsOptions without_cert;
  without_cert.pem_root_certs = ca.cert_pem;
  auto anonymous =
      v1::EchoService::NewStub(grpc::CreateChannel(target, grpc::SslCredentials(without_cert)));
  EXPECT_EQ(Echo(*anonymous, token).error_code(), StatusCode::UNAVAILABLE);
  auto plaintext =
      v1::EchoService::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  EXPECT_EQ(Echo(*plaintext, token).error_code(), StatusCode::UNAVAILABLE);
  EXPECT_EQ(echo_.handler_runs(), 1);
}

TEST_F(ServerTest, OversizedMessagesAreRefused) {
  auto server = StartServer(
      [](server::ServerOptions& options) { options.config.max_message_bytes = 64 << 10; });
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Stub(**server);
  v1::EchoRequest request;
  request.set_text(std::string(100 << 10, 'x'));
  v1::EchoResponse response;
  EXPECT_EQ(stub->Echo(Context(Bearer(DevToken({Role::kDispatcher}))).get(), request, &response)
                .error_code(),
            StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(echo_.handler_runs(), 0);
}

TEST_F(ServerTest, StartRefusesATableNamingUnservedMethodsAndAsyncServices) {
  auto typo = StartServer([](server::ServerOptions& options) {
    options.method_roles.Allow("/jobledger.testing.v1.EchoService/Ecoh", {Role::kDispatcher});
  });
  EXPECT_EQ(typo.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(typo.status().message(), HasSubstr("Ecoh"));

  v1::EchoService::AsyncService async_service;
  server::ServerOptions options;
  options.config.jwt.algorithm = auth::JwtAlgorithm::kHs256;
  options.config.jwt.key = kDevKey;
  options.AddService<v1::EchoService>(&async_service);
  const auto refused = server::Server::Start(std::move(options));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("not synchronous"));
}

TEST_F(ServerTest, ShutdownHooksRunInOrderAfterTheDrainAndFailuresAreReported) {
  auto server = StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  std::vector<std::string> ran;
  (*server)->AddShutdownHook("flush producer", [&] {
    ran.push_back("flush");
    return absl::OkStatus();
  });
  (*server)->AddShutdownHook("close projections", [&] {
    ran.push_back("close");
    return absl::DataLossError("store damaged");
  });
  (*server)->AddShutdownHook("last", [&] {
    ran.push_back("last");
    return absl::OkStatus();
  });
  const absl::Status status = (*server)->Shutdown();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("close projections: store damaged"));
  EXPECT_THAT(ran, ::testing::ElementsAre("flush", "close", "last"));
  EXPECT_EQ((*server)->Shutdown(), status);  // idempotent
}

}  // namespace
}  // namespace jobledger::testing
