// The per-method role table.
#include "jobledger/auth/method_roles.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace jobledger::auth {

MethodRoles& MethodRoles::Allow(absl::string_view method, RoleSet roles) {
  RoleSet& allowed = table_[method];
  for (Role role : roles.ToVector()) allowed.Add(role);
  return *this;
}

absl::Status MethodRoles::Authorize(absl::string_view method, RoleSet roles) const {
  const auto it = table_.find(method);
  if (it == table_.end() || it->second.empty()) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, " is not open to any role (it is not in the service's role table)"));
  }
  if (it->second.Intersects(roles)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(method, " needs one of the roles [",
                                                  it->second.ToString(), "]; the caller has [",
                                                  roles.ToString(), "]"));
}

RoleSet MethodRoles::RolesFor(absl::string_view method) const {
  const auto it = table_.find(method);
  return it == table_.end() ? RoleSet() : it->second;
}

std::vector<std::string> MethodRoles::Methods() const {
  std::vector<std::string> methods;
  methods.reserve(table_.size());
  for (const auto& [method, roles] : table_) methods.push_back(method);
  std::sort(methods.begin(), methods.end());
  return methods;
}

}  // namespace jobledger::auth
