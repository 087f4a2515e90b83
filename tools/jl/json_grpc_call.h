// One call to any jobledger RPC with the request and replies as JSON, for `jl call`: the method
// is found in the descriptors compiled into `jl`, the request parsed from JSON (proto3 mapping),
// sent as raw bytes through gRPC's generic stub, and every reply (one, or each of a stream)
// handed back as JSON; CSV chunks of the export RPCs as their bytes.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace jobledger::cli {

// `name` is "Service/Method" with the service's full name ("jobledger.job.v1.JobService/ListJobs")
// or its short one ("JobService/ListJobs"), looked up in the jobledger packages. NOT_FOUND names
// what is missing.
absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(const std::string& name);

struct JsonCall {
  std::string address;  // host:port
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string request_json = "{}";
  std::string bearer_token;  // empty: no authorization header
  absl::Duration timeout = absl::Seconds(30);
};

// Each reply as it arrives: pretty JSON, or a CSV chunk's bytes. Returns the call's final status
// (INVALID_ARGUMENT when the request JSON does not fit the request message).
absl::Status CallWithJson(const JsonCall& call,
                          const std::function<void(const std::string&)>& on_reply);

}  // namespace jobledger::cli
