// Caller from the chassis' CallContext.
#include "jobledger/server/caller.h"

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
