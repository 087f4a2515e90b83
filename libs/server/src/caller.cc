// Caller from the chassis' CallContext.
#include "jobledger/server/caller.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/server/call_context.h"

namespace jobledger::server {

Caller CallerOf(const server::CallContext& call) {
  Caller caller;
  caller.tenant = call.identity().tenant;
  caller.user_id = call.identity().subject;
  caller.role = call.acting_role();
  caller.actor = call.Actor();
  caller.traceparent = call.traceparent();
  caller.deadline = call.deadline();
  caller.call = &call;
  return caller;
}

Caller ServiceCaller(absl::string_view service_name, std::string tenant, std::string traceparent) {
  Caller caller;
  caller.tenant = std::move(tenant);
  caller.user_id = absl::StrCat("service:", service_name);
  caller.role = auth::Role::kService;
  caller.actor.set_user_id(caller.user_id);
  caller.actor.set_role("service");
  caller.actor.set_name(std::string(service_name));
  caller.traceparent = std::move(traceparent);
  return caller;
}

aggregate::CommandMeta CommandMetaOf(const Caller& caller, const common::v1::CommandMeta& meta) {
  aggregate::CommandMeta result;
  result.actor = caller.actor;
  result.traceparent = caller.traceparent;
  result.idempotency_key = meta.idempotency_key();
  if (meta.has_expected_version()) result.expected_version = meta.expected_version();
  if (meta.has_occurred_at()) {
    result.occurred_at = absl::FromUnixMicros(
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(meta.occurred_at()));
  }
  return result;
}

}  // namespace jobledger::server
