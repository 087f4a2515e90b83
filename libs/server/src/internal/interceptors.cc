// Interceptors: trace context, authentication, metrics and the access log.
#include "internal/interceptors.h"

#include <grpcpp/server_context.h>

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "internal/call_tracker.h"
#include "jobledger/server/log.h"
#include "jobledger/server/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace jobledger::server::internal {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::Interceptor;
using grpc::experimental::InterceptorBatchMethods;
using grpc::experimental::ServerInterceptorFactoryInterface;
using grpc::experimental::ServerRpcInfo;

// A value of the received metadata ("" when absent).
absl::string_view Metadata(InterceptorBatchMethods* methods, absl::string_view key) {
  const std::multimap<grpc::string_ref, grpc::string_ref>* metadata =
      methods->GetRecvInitialMetadata();
  if (metadata == nullptr) return {};
  const auto it = metadata->find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata->end()) return {};
  return absl::string_view(it->second.data(), it->second.size());
}

// A request that does not parse (malformed bytes, or a string field holding invalid UTF-8, which
// protobuf refuses) never reaches a handler, and gRPC answers INTERNAL with no message: the
// caller's mistake reported as the server's. For methods taking one request message, that answer
// becomes INVALID_ARGUMENT saying so. Handlers' errors always carry a message (ToGrpcStatus), so
// an INTERNAL without one is gRPC's. First in the chain, so that metrics and the access log see
// the corrected code.
class MalformedRequestInterceptor final : public Interceptor {
 public:
  explicit MalformedRequestInterceptor(ServerRpcInfo* info)
      : method_(info->method()),
        one_request_(info->type() == ServerRpcInfo::Type::UNARY ||
                     info->type() == ServerRpcInfo::Type::SERVER_STREAMING) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      received_ = true;
    }
    if (one_request_ && received_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::INTERNAL && status.error_message().empty()) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("request: not a valid request message for ", method_,
                         " (malformed bytes, or a string field that is not valid UTF-8)")));
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  const bool one_request_;
  bool received_ = false;
};

// Creates the call's context; it lives as long as this interceptor, i.e. the whole RPC.
class TraceInterceptor final : public Interceptor {
 public:
  explicit TraceInterceptor(ServerRpcInfo* info)
      : server_context_(info->server_context()),
        call_(CallTracker::Register(server_context_, info->method())) {}
  ~TraceInterceptor() override { CallTracker::Unregister(server_context_); }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const std::optional<TraceContext> parent =
          TraceContext::Parse(Metadata(methods, "traceparent"));
      CallTracker::SetTrace(*call_, parent.has_value() ? parent->Child() : TraceContext::NewRoot());
      const auto deadline = server_context_->deadline();
      if (deadline != std::chrono::system_clock::time_point::max()) {
        CallTracker::SetDeadline(*call_, absl::FromChrono(deadline));
      }
    }
    methods->Proceed();
  }

 private:
  grpc::ServerContextBase* const server_context_;
  const std::shared_ptr<CallContext> call_;
};

// Verifies the bearer token and checks the method's role table; the admission gate acts on the
// verdict. Open methods are admitted without a token.
class AuthInterceptor final : public Interceptor {
 public:
  AuthInterceptor(ServerRpcInfo* info, const InterceptorDeps& deps)
      : deps_(deps), call_(CallTracker::Lookup(info->server_context())) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (call_ != nullptr &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Authenticate(methods);
    }
    methods->Proceed();
  }

 private:
  void Authenticate(InterceptorBatchMethods* methods) {
    const std::string& method = call_->method();
    if (IsOpenMethod(method)) {
      CallTracker::AdmitOpen(*call_);
      return;
    }
    absl::StatusOr<std::string> token =
        auth::ExtractBearerToken(Metadata(methods, "authorization"));
    if (!token.ok()) {
      CallTracker::Refuse(*call_, token.status());
      return;
    }
    absl::StatusOr<auth::Identity> identity = deps_.verifier->Verify(*token);
    if (!identity.ok()) {
      CallTracker::Refuse(*call_, identity.status());
      return;
    }
    if (absl::Status allowed = deps_.method_roles->Authorize(method, identity->roles);
        !allowed.ok()) {
      CallTracker::Refuse(*call_, std::move(allowed));
      return;
    }
    const auth::RoleSet allowed_roles = deps_.method_roles->RolesFor(method);
    auth::Role acting_role = auth::Role::kService;
    for (auth::Role role : identity->roles.ToVector()) {
      if (allowed_roles.Contains(role)) {
        acting_role = role;
        break;
      }
    }
    CallTracker::Admit(*call_, *std::move(identity), acting_role, *std::move(token));
  }

  const InterceptorDeps deps_;
  const std::shared_ptr<CallContext> call_;
};

// Counts every RPC by method and code and times it. An RPC that ends without sending a status
// (the client went away) counts as CANCELLED.
class MetricsInterceptor final : public Interceptor {
 public:
  MetricsInterceptor(ServerRpcInfo* info, RpcMetrics* metrics)
      : method_(info->method()), metrics_(metrics), started_(absl::Now()) {
    metrics_->Started();
  }
  ~MetricsInterceptor() override {
    if (!recorded_)
      metrics_->Finished(method_, grpc::StatusCode::CANCELLED, absl::Now() - started_);
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    // Recorded before the status leaves, so a client that has its answer sees it counted.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->Finished(method_, methods->GetSendStatus().error_code(), absl::Now() - started_);
      recorded_ = true;
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  RpcMetrics* const metrics_;
  const absl::Time started_;
  bool recorded_ = false;
};

// One line per RPC. Health and reflection are logged at debug level: probes would drown the rest.
class AccessLogInterceptor final : public Interceptor {
 public:
  explicit AccessLogInterceptor(ServerRpcInfo* info)
      : server_context_(info->server_context()), call_(CallTracker::Lookup(server_context_)) {}
  ~AccessLogInterceptor() override {
    if (!logged_) Write(grpc::StatusCode::CANCELLED, "the call ended before a status was sent");
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      // Taken now: the server context may be half torn down by the time the destructor runs.
      peer_ = server_context_->peer();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      Write(status.error_code(), status.error_message());
      logged_ = true;
    }
    methods->Proceed();
  }

 private:
  void Write(int code, absl::string_view message) {
    if (call_ == nullptr) return;
    const bool open = IsOpenMethod(call_->method());
    Level level = open ? Level::kDebug : Level::kInfo;
    if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
        code == grpc::StatusCode::DATA_LOSS) {
      level = Level::kError;
    }
    Logger& logger = DefaultLogger();
    if (!logger.Enabled(level)) return;
    const std::string trace_id = call_->trace().trace_id_hex();
    const double millis = absl::ToDoubleMilliseconds(absl::Now() - CallTracker::started(*call_));
    logger.Log(level, "rpc",
               {{"grpc_method", call_->method()},
                {"grpc_code", GrpcCodeName(code)},
                {"grpc_message", message},
                {"duration_ms", millis},
                {"peer", peer_},
                {"user_id", call_->identity().subject},
                {"tenant", call_->identity().tenant},
                {"trace_id", trace_id}});
  }

  grpc::ServerContextBase* const server_context_;
  const std::shared_ptr<CallContext> call_;
  std::string peer_;
  bool logged_ = false;
};

class MalformedRequestFactory final : public ServerInterceptorFactoryInterface {
 public:
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new MalformedRequestInterceptor(info);
  }
};

class TraceFactory final : public ServerInterceptorFactoryInterface {
 public:
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new TraceInterceptor(info);
  }
};

class AuthFactory final : public ServerInterceptorFactoryInterface {
 public:
  explicit AuthFactory(const InterceptorDeps& deps) : deps_(deps) {}
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new AuthInterceptor(info, deps_);
  }

 private:
  const InterceptorDeps deps_;
};

class MetricsFactory final : public ServerInterceptorFactoryInterface {
 public:
  explicit MetricsFactory(RpcMetrics* metrics) : metrics_(metrics) {}
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, metrics_);
  }

 private:
  RpcMetrics* const metrics_;
};

class AccessLogFactory final : public ServerInterceptorFactoryInterface {
 public:
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new AccessLogInterceptor(info);
  }
};

const std::vector<double>& LatencyBuckets() {
  // 0.5 ms to 10 s: a projection read is sub-millisecond, a command waits for an fsync.
  static const std::vector<double>* const buckets = new std::vector<double>{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

}  // namespace

bool IsOpenMethod(absl::string_view method) {
  return absl::StartsWith(method, "/grpc.health.v1.Health/") ||
         absl::StartsWith(method, "/grpc.reflection.v1alpha.ServerReflection/") ||
         absl::StartsWith(method, "/grpc.reflection.v1.ServerReflection/");
}

RpcMetrics::RpcMetrics(prometheus::Registry& registry)
    : handled_(prometheus::BuildCounter()
                   .Name("jobledger_grpc_server_handled_total")
                   .Help("RPCs completed on the server, by method and status code.")
                   .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("jobledger_grpc_server_handling_seconds")
                   .Help("Time from the start of an RPC to its status, by method.")
                   .Register(registry)),
      in_flight_(prometheus::BuildGauge()
                     .Name("jobledger_grpc_server_in_flight")
                     .Help("RPCs started and not yet finished.")
                     .Register(registry)
                     .Add({})) {}

void RpcMetrics::Started() { in_flight_.Increment(); }

int64_t RpcMetrics::in_flight() const { return static_cast<int64_t>(in_flight_.Value()); }

void RpcMetrics::Finished(absl::string_view method, int code, absl::Duration elapsed) {
  in_flight_.Decrement();
  const absl::string_view code_name = GrpcCodeName(code);
  // gRPC names start with '/', which Prometheus users do not expect in a label.
  const absl::string_view label = absl::StripPrefix(method, "/");
  prometheus::Counter* counter = nullptr;
  prometheus::Histogram* histogram = nullptr;
  {
    absl::MutexLock lock(&mu_);
    prometheus::Counter*& cached_counter = counters_[absl::StrCat(label, " ", code_name)];
    if (cached_counter == nullptr) {
      cached_counter = &handled_.Add(
          {{"grpc_method", std::string(label)}, {"grpc_code", std::string(code_name)}});
    }
    counter = cached_counter;
    prometheus::Histogram*& cached_histogram = histograms_[label];
    if (cached_histogram == nullptr) {
      cached_histogram = &latency_.Add({{"grpc_method", std::string(label)}}, LatencyBuckets());
    }
    histogram = cached_histogram;
  }
  counter->Increment();
  histogram->Observe(absl::ToDoubleSeconds(elapsed));
}

std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> MakeInterceptorFactories(
    const InterceptorDeps& deps) {
  std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<MalformedRequestFactory>());
  factories.push_back(std::make_unique<TraceFactory>());
  factories.push_back(std::make_unique<AuthFactory>(deps));
  factories.push_back(std::make_unique<MetricsFactory>(deps.metrics));
  factories.push_back(std::make_unique<AccessLogFactory>());
  return factories;
}

}  // namespace jobledger::server::internal
