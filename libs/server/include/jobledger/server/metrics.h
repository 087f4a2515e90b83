// The Prometheus /metrics endpoint: one registry per process that the chassis, projections
// (RunnerOptions::metrics) and service code register into, served over HTTP on its own port.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace prometheus {
class Exposer;
class Registry;
}  // namespace prometheus

namespace jobledger::server {

class MetricsEndpoint {
 public:
  // Serves `registry` at http://<listen>/metrics. Port 0 picks a free port (see port()).
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, std::shared_ptr<prometheus::Registry> registry);
  ~MetricsEndpoint();

  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port);

  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace jobledger::server
