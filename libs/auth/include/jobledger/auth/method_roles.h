// The per-method role table a service hands the chassis: which roles may call which RPC. A method
// that is not in the table is refused for everyone (secure by default).
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jobledger/auth/roles.h"

namespace jobledger::auth {

class MethodRoles {
 public:
  MethodRoles() = default;
  // `method` is the full gRPC name, "/package.Service/Method". Repeated calls add roles.
  MethodRoles& Allow(absl::string_view method, RoleSet roles);

  // OK when `roles` holds at least one role the method allows; PERMISSION_DENIED otherwise,
  // naming the method and the roles it needs (or saying it is not open to any role).
  absl::Status Authorize(absl::string_view method, RoleSet roles) const;

  // The roles allowed on `method` (empty when the method is not in the table).
  RoleSet RolesFor(absl::string_view method) const;
  bool Contains(absl::string_view method) const { return table_.contains(method); }
  std::vector<std::string> Methods() const;

 private:
  absl::flat_hash_map<std::string, RoleSet> table_;
};

}  // namespace jobledger::auth
