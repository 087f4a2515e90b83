// Role names and role sets.
#include "jobledger/auth/roles.h"

#include "absl/strings/str_join.h"

namespace jobledger::auth {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kDispatcher:
      return "dispatcher";
    case Role::kManager:
      return "manager";
    case Role::kTechnician:
      return "technician";
    case Role::kBilling:
      return "billing";
    case Role::kAnalyst:
      return "analyst";
    case Role::kService:
      return "service";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

RoleSet::RoleSet(std::initializer_list<Role> roles) {
  for (Role role : roles) Add(role);
}

RoleSet RoleSet::All() {
  RoleSet all;
  for (Role role : kAllRoles) all.Add(role);
  return all;
}

std::vector<Role> RoleSet::ToVector() const {
  std::vector<Role> roles;
  for (Role role : kAllRoles) {
    if (Contains(role)) roles.push_back(role);
  }
  return roles;
}

std::string RoleSet::ToString() const {
  std::vector<absl::string_view> names;
  for (Role role : ToVector()) names.push_back(RoleName(role));
  return absl::StrJoin(names, ",");
}

}  // namespace jobledger::auth
