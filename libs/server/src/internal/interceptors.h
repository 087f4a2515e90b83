// The interceptors every RPC passes through, in this order: a request that does not parse reported
// as INVALID_ARGUMENT, trace context, authentication, metrics, access log.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/auth/method_roles.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace jobledger::server::internal {

// Health and reflection: open to everyone, everything else needs a token.
bool IsOpenMethod(absl::string_view method);

// "OK", "CANCELLED", ... as gRPC spells the codes.
absl::string_view CodeName(int code);

// Per-RPC metrics: jobledger_grpc_server_handled_total{grpc_method,grpc_code},
// jobledger_grpc_server_handling_seconds{grpc_method}, jobledger_grpc_server_in_flight.
class RpcMetrics {
 public:
  explicit RpcMetrics(prometheus::Registry& registry);
  void Started();
  void Finished(absl::string_view method, int code, absl::Duration elapsed)
      ABSL_LOCKS_EXCLUDED(mu_);
  int64_t in_flight() const;

 private:
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Gauge& in_flight_;
  absl::Mutex mu_;
  // Looked up once per method and code: Family::Add hashes all labels each time.
  absl::flat_hash_map<std::string, prometheus::Counter*> counters_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, prometheus::Histogram*> histograms_ ABSL_GUARDED_BY(mu_);
};

struct InterceptorDeps {
  const auth::JwtVerifier* verifier = nullptr;
  const auth::MethodRoles* method_roles = nullptr;
  RpcMetrics* metrics = nullptr;
};

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeInterceptorFactories(const InterceptorDeps& deps);

}  // namespace jobledger::server::internal
