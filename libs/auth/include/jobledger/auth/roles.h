// Who a caller is: the roles jobledger knows, a small set of them, and the verified identity.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jobledger::auth {

enum class Role : uint8_t { kDispatcher, kManager, kTechnician, kBilling, kAnalyst, kService };

inline constexpr std::array<Role, 6> kAllRoles = {Role::kDispatcher, Role::kManager,
                                                  Role::kTechnician, Role::kBilling,
                                                  Role::kAnalyst,    Role::kService};

// The lower-case name used in tokens and events ("dispatcher", ...).
absl::string_view RoleName(Role role);
// nullopt for a name that is not exactly one of the role names.
std::optional<Role> ParseRole(absl::string_view name);

// A set of roles as a bit mask: cheap to copy and to test on every RPC.
class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles);
  static RoleSet All();

  void Add(Role role) { bits_ |= Bit(role); }
  bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  bool Intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  // In the order of kAllRoles.
  std::vector<Role> ToVector() const;
  // "dispatcher,manager" (kAllRoles order); "" when empty.
  std::string ToString() const;
  friend bool operator==(RoleSet a, RoleSet b) { return a.bits_ == b.bits_; }

 private:
  static uint8_t Bit(Role role) { return static_cast<uint8_t>(1u << static_cast<unsigned>(role)); }
  uint8_t bits_ = 0;
};

// A caller whose bearer token was verified. It becomes the actor of the events a command appends.
struct Identity {
  std::string subject;  // the user (or service) id: the `sub` claim
  std::string tenant;
  RoleSet roles;
  std::string name;  // display name, may be empty
  absl::Time expires_at = absl::InfinitePast();
  absl::Time not_before = absl::InfinitePast();
};

}  // namespace jobledger::auth
