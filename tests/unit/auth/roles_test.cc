// Roles, role sets and the per-method role table.
#include "jobledger/auth/roles.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/auth/method_roles.h"

namespace jobledger::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Roles, NamesRoundTripAndUnknownNamesAreRefused) {
  for (Role role : kAllRoles) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_EQ(ParseRole("admin"), std::nullopt);
  EXPECT_EQ(ParseRole("Manager"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
}

TEST(RoleSet, HoldsRolesInCanonicalOrder) {
  RoleSet roles{Role::kService, Role::kDispatcher};
  EXPECT_TRUE(roles.Contains(Role::kDispatcher));
  EXPECT_FALSE(roles.Contains(Role::kManager));
  EXPECT_EQ(roles.ToString(), "dispatcher,service");
  EXPECT_THAT(roles.ToVector(), ElementsAre(Role::kDispatcher, Role::kService));
  EXPECT_TRUE(roles.Intersects({Role::kService}));
  EXPECT_FALSE(roles.Intersects({Role::kBilling, Role::kAnalyst}));
  EXPECT_TRUE(RoleSet().empty());
  EXPECT_EQ(RoleSet::All().ToVector().size(), kAllRoles.size());
}

TEST(MethodRoles, AllowsListedRolesOnly) {
  MethodRoles table;
  table.Allow("/pkg.Jobs/Create", {Role::kDispatcher, Role::kManager})
      .Allow("/pkg.Jobs/Get", RoleSet::All());
  EXPECT_TRUE(table.Authorize("/pkg.Jobs/Create", {Role::kManager}).ok());
  EXPECT_TRUE(table.Authorize("/pkg.Jobs/Get", {Role::kAnalyst}).ok());
  const absl::Status denied = table.Authorize("/pkg.Jobs/Create", {Role::kTechnician});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("[dispatcher,manager]"));
  EXPECT_THAT(denied.message(), HasSubstr("[technician]"));
  EXPECT_EQ(table.Authorize("/pkg.Jobs/Create", RoleSet()).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(MethodRoles, RefusesMethodsNotInTheTable) {
  MethodRoles table;
  table.Allow("/pkg.Jobs/Create", {Role::kDispatcher});
  const absl::Status denied = table.Authorize("/pkg.Jobs/Delete", RoleSet::All());
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("not open to any role"));
  table.Allow("/pkg.Jobs/Nobody", RoleSet());
  EXPECT_EQ(table.Authorize("/pkg.Jobs/Nobody", RoleSet::All()).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(table.Methods(), ElementsAre("/pkg.Jobs/Create", "/pkg.Jobs/Nobody"));
}

TEST(MethodRoles, AllowAddsToExistingRoles) {
  MethodRoles table;
  table.Allow("/pkg.Jobs/Create", {Role::kDispatcher}).Allow("/pkg.Jobs/Create", {Role::kBilling});
  EXPECT_EQ(table.RolesFor("/pkg.Jobs/Create"), RoleSet({Role::kDispatcher, Role::kBilling}));
  EXPECT_TRUE(table.RolesFor("/pkg.Jobs/Other").empty());
}

}  // namespace
}  // namespace jobledger::auth
