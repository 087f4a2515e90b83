// The service chassis: gRPC server bootstrap, health, reflection, interceptors, shutdown.
#include "jobledger/server/server.h"

#include <grpc/grpc.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "internal/admission.h"
#include "internal/interceptors.h"
#include "jobledger/common/status.h"
#include "jobledger/server/log.h"
#include "jobledger/server/metrics.h"
#include "prometheus/registry.h"

namespace jobledger::server {

struct Server::Internals {
  std::unique_ptr<auth::JwtVerifier> verifier;
  std::unique_ptr<internal::RpcMetrics> rpc_metrics;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint;
  std::vector<std::unique_ptr<internal::GatedService>> gated_services;
  std::unique_ptr<grpc::Server> grpc_server;
};

namespace {

std::shared_ptr<grpc::ServerCredentials> Credentials(const ServerConfig& config) {
  if (!config.tls.has_value()) return grpc::InsecureServerCredentials();
  const TlsConfig& tls = *config.tls;
  grpc::SslServerCredentialsOptions options(
      tls.client_ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.client_ca_pem;
  options.pem_key_cert_pairs.push_back({tls.private_key_pem, tls.cert_chain_pem});
  return grpc::SslServerCredentials(options);
}

// Keepalive: detect dead peers (a node gone without a FIN) within about 80 s, let clients ping
// every 10 s or more even when idle, and end connections after 30 min (with 5 min to finish
// their RPCs) so that clients re-resolve and spread over new replicas.
void SetConnectionOptions(grpc::ServerBuilder& builder, const ServerConfig& config) {
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  builder.SetMaxSendMessageSize(config.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 30 * 60'000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 5 * 60'000);
}

// Every method in the table must be served (a typo would otherwise silently refuse a method);
// a served method missing from the table is refused for everyone, which is logged.
absl::Status CheckRoleTable(const auth::MethodRoles& roles,
                            const absl::flat_hash_set<std::string>& served) {
  for (const std::string& method : roles.Methods()) {
    if (!served.contains(method)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the role table names ", method, ", which no registered service serves"));
    }
  }
  std::vector<std::string> unlisted;
  for (const std::string& method : served) {
    if (!roles.Contains(method)) unlisted.push_back(method);
  }
  if (!unlisted.empty()) {
    std::sort(unlisted.begin(), unlisted.end());
    Log(Level::kWarning, "methods missing from the role table are refused for every caller",
        {{"methods", absl::StrJoin(unlisted, ",")}});
  }
  return absl::OkStatus();
}

}  // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)), internals_(std::make_unique<Internals>()) {}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  const ServerConfig& config = options.config;
  ConfigureLogging(config.service_name, config.log_level);
  if (!options.metrics) options.metrics = std::make_shared<prometheus::Registry>();
  std::unique_ptr<Server> server(new Server(std::move(options)));
  Internals& parts = *server->internals_;
  const ServerOptions& opts = server->options_;

  JL_ASSIGN_OR_RETURN(parts.verifier, auth::JwtVerifier::Create(opts.config.jwt));
  parts.rpc_metrics = std::make_unique<internal::RpcMetrics>(*opts.metrics);
  JL_ASSIGN_OR_RETURN(parts.metrics_endpoint,
                      MetricsEndpoint::Start(opts.config.metrics_listen, opts.metrics));

  absl::flat_hash_set<std::string> served;
  for (const ServiceRegistration& registration : opts.services) {
    JL_ASSIGN_OR_RETURN(
        std::unique_ptr<internal::GatedService> gated,
        internal::GatedService::Create(registration.service, registration.full_name));
    for (const std::string& method : gated->method_names()) served.insert(method);
    parts.gated_services.push_back(std::move(gated));
  }
  JL_RETURN_IF_ERROR(CheckRoleTable(opts.method_roles, served));

  // Process-wide switches; both must be set before the builder is made.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(opts.config.listen, Credentials(opts.config), &server->port_);
  SetConnectionOptions(builder, opts.config);
  internal::InterceptorDeps deps;
  deps.verifier = parts.verifier.get();
  deps.method_roles = &opts.method_roles;
  deps.metrics = parts.rpc_metrics.get();
  builder.experimental().SetInterceptorCreators(internal::MakeInterceptorFactories(deps));
  for (const auto& gated : parts.gated_services) builder.RegisterService(gated.get());
  parts.grpc_server = builder.BuildAndStart();
  if (parts.grpc_server == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("--listen: cannot serve gRPC on ", opts.config.listen));
  }
  // The default health service starts with "" SERVING; correct it at once.
  grpc::HealthCheckServiceInterface* health = parts.grpc_server->GetHealthCheckService();
  health->SetServingStatus("", false);
  health->SetServingStatus(kReadinessService, false);
  health->SetServingStatus(kLivenessService, true);

  Log(Level::kInfo, "serving",
      {{"port", server->port_},
       {"metrics_port", parts.metrics_endpoint->port()},
       {"tls", opts.config.tls.has_value()},
       {"mtls", opts.config.tls.has_value() && !opts.config.tls->client_ca_pem.empty()},
       {"token_algorithm", auth::AlgorithmName(opts.config.jwt.algorithm)}});
  server->readiness_thread_ = std::thread([s = server.get()] { s->ReadinessLoop(); });
  server->started_ = true;
  return server;
}

Server::~Server() {
  if (!started_) return;  // Start failed part-way: nothing is serving
  if (const absl::Status status = Shutdown(); !status.ok()) {
    Log(Level::kError, "shutdown hook failed", {{"error", status.message()}});
  }
}

int Server::metrics_port() const { return internals_->metrics_endpoint->port(); }

bool Server::ready() const {
  absl::MutexLock lock(&mu_);
  return ready_;
}

void Server::AddShutdownHook(std::string name, std::function<absl::Status()> hook) {
  absl::MutexLock lock(&mu_);
  hooks_.emplace_back(std::move(name), std::move(hook));
}

void Server::SetReady(bool ready, absl::string_view waiting_for) {
  {
    absl::MutexLock lock(&mu_);
    // Once stopping, readiness stays NOT_SERVING whatever the checks say.
    if (stopping_ && ready) return;
    if (ready_ == ready) return;
    ready_ = ready;
  }
  grpc::HealthCheckServiceInterface* health = internals_->grpc_server->GetHealthCheckService();
  health->SetServingStatus(kReadinessService, ready);
  health->SetServingStatus("", ready);
  if (ready) {
    Log(Level::kInfo, "readiness SERVING");
  } else {
    Log(Level::kInfo, "readiness NOT_SERVING", {{"waiting_for", waiting_for}});
  }
}

void Server::ReadinessLoop() {
  std::string last_waiting_for;
  while (true) {
    std::string waiting_for;
    for (const ReadinessCheck& check : options_.readiness_checks) {
      if (!check.ready()) {
        waiting_for = check.name;
        break;
      }
    }
    if (waiting_for.empty()) {
      SetReady(true, "");
    } else {
      if (waiting_for != last_waiting_for) {
        Log(Level::kInfo, "waiting for readiness", {{"waiting_for", waiting_for}});
      }
      SetReady(false, waiting_for);
    }
    last_waiting_for = waiting_for;
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.readiness_interval)) return;
  }
}

void Server::RequestShutdown() {
  absl::MutexLock lock(&mu_);
  shutdown_requested_ = true;
}

int Server::Run(ShutdownSignals& signals) {
  std::atomic<bool> done{false};
  std::thread watcher([this, &signals, &done] {
    int received = 0;
    while (!done.load()) {
      const int signal_number = signals.Wait(absl::Milliseconds(100));
      if (signal_number == 0) continue;
      const char* name = signal_number == SIGINT ? "SIGINT" : "SIGTERM";
      if (++received == 1) {
        Log(Level::kInfo, "shutdown requested", {{"signal", name}});
        RequestShutdown();
      } else {
        Log(Level::kError, "second signal: exiting at once without draining", {{"signal", name}});
        std::_Exit(128 + signal_number);
      }
    }
  });
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&shutdown_requested_));
  }
  const absl::Status status = Shutdown();
  done.store(true);
  watcher.join();
  return status.ok() ? EXIT_SUCCESS : EXIT_FAILURE;
}

absl::Status Server::Shutdown() {
  if (!started_) return absl::OkStatus();
  {
    absl::MutexLock lock(&mu_);
    if (shutdown_started_) {
      mu_.Await(absl::Condition(&shutdown_done_));
      return shutdown_result_;
    }
    shutdown_started_ = true;
    shutdown_requested_ = true;
    stopping_ = true;
  }
  if (readiness_thread_.joinable()) readiness_thread_.join();
  SetReady(false, "shutdown");
  const absl::Duration grace = options_.config.shutdown_grace;
  Log(Level::kInfo, "draining in-flight RPCs",
      {{"in_flight", internals_->rpc_metrics->in_flight()},
       {"grace_ms", absl::ToInt64Milliseconds(grace)}});
  const absl::Time started = absl::Now();
  // New RPCs are refused from here; in-flight ones may finish until the deadline and are
  // cancelled after it.
  internals_->grpc_server->Shutdown(absl::ToChronoTime(started + grace));
  internals_->grpc_server->Wait();
  Log(Level::kInfo, "drained",
      {{"duration_ms", absl::ToDoubleMilliseconds(absl::Now() - started)}});

  std::vector<std::pair<std::string, std::function<absl::Status()>>> hooks;
  {
    absl::MutexLock lock(&mu_);
    hooks = hooks_;
  }
  absl::Status result;
  for (const auto& [name, hook] : hooks) {
    absl::Status status = hook();
    if (status.ok()) {
      Log(Level::kInfo, "shutdown hook done", {{"hook", name}});
    } else {
      Log(Level::kError, "shutdown hook failed", {{"hook", name}, {"error", status.message()}});
      if (result.ok()) result = Annotate(status, name);
    }
  }
  internals_->metrics_endpoint.reset();
  Log(Level::kInfo, "stopped", {{"ok", result.ok()}});
  absl::MutexLock lock(&mu_);
  shutdown_result_ = result;
  shutdown_done_ = true;
  return result;
}

}  // namespace jobledger::server
