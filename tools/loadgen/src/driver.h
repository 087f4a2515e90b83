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
  // True when `code` from `rpc` is an answer the operation expects (a refused booking): the call
  // counts as completed, with its latency, and not as an error.
  virtual bool IsRefusal(absl::string_view /*rpc*/, grpc::StatusCode /*code*/) const {
    return false;
  }
};

// One asynchronous call's context, request and response, kept alive until its reaction ran.
template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// Channels to `target`, each its own TCP connection.
std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& target, int count);

// A client context with the bearer token and a deadline.
void PrepareContext(grpc::ClientContext& context, const LoadOptions& options);

LoadReport RunLoad(const LoadOptions& options, Workload& workload, std::string label,
                   std::string mix);

}  // namespace jobledger::loadgen::internal
