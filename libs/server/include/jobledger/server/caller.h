// Who is calling, as services' commands and queries need it: tenant, user, role, and
// what their events carry. Built from the RPC's CallContext; tests build it directly.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/auth/roles.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::server {

class CallContext;

struct Caller {
  std::string tenant;
  std::string user_id;
  auth::Role role = auth::Role::kDispatcher;
  events::v1::Actor actor;
  std::string traceparent;
  absl::Time deadline = absl::InfiniteFuture();
  // The RPC being served, for calls to other services on the caller's behalf (may be null).
  const server::CallContext* call = nullptr;

  // Technicians see only their jobs (ARCHITECTURE.md §8); every other role sees the tenant's.
  bool sees_everything() const { return role != auth::Role::kTechnician; }
};

Caller CallerOf(const server::CallContext& call);

// The service itself as the caller, for work done on no RPC's behalf (reactions, planners):
// role service, user "service:<name>", in `tenant` and the trace of `traceparent`.
Caller ServiceCaller(absl::string_view service_name, std::string tenant, std::string traceparent);

// The writer's command metadata from the caller and the request's CommandMeta.
aggregate::CommandMeta CommandMetaOf(const Caller& caller, const common::v1::CommandMeta& meta);

}  // namespace jobledger::server
