// The engine under every load: issues calls from a workload closed- or open-loop and records
// their latencies and outcomes.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "jobledger/loadgen/loadgen.h"

namespace jobledger::loadgen::internal {

// Runs exactly once per call, possibly on a gRPC thread: the RPC's name and its outcome.
using Done = std::function<void(absl::string_view rpc, grpc::StatusCode code)>;

class Workload {
 public:
  virtual ~Workload() = default;
  // Starts one asynchronous call; must not block.
  virtual void Issue(std::mt19937_64& random, Done done) = 0;
};

// Channels to `target`, each its own TCP connection.
std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& target, int count);

// A client context with the bearer token and a deadline.
void PrepareContext(grpc::ClientContext& context, const LoadOptions& options);

LoadReport RunLoad(const LoadOptions& options, Workload& workload, std::string label,
                   std::string mix);

}  // namespace jobledger::loadgen::internal
