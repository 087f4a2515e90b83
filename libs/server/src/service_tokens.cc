// Minting and renewing the service's own tokens.
#include "jobledger/server/service_tokens.h"

#include "absl/strings/str_cat.h"

namespace jobledger::server {
namespace {

constexpr absl::Duration kLifetime = absl::Minutes(15);
constexpr absl::Duration kRenewBefore = absl::Minutes(5);

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceTokens>> ServiceTokens::Create(const ServerConfig& config,
                                                                     const Clock* clock) {
  std::string key;
  if (config.jwt.algorithm == auth::JwtAlgorithm::kHs256) {
    key = config.jwt.key;
  } else if (!config.service_signing_key_pem.empty()) {
    key = config.service_signing_key_pem;
  } else {
    return absl::FailedPreconditionError(
        "--service-signing-key-file: required with RS256 tokens, for this service's calls to "
        "other services");
  }
  return std::unique_ptr<ServiceTokens>(new ServiceTokens(
      absl::StrCat("service:", config.service_name), config.jwt.algorithm, std::move(key), clock));
}

absl::StatusOr<std::string> ServiceTokens::TokenFor(const std::string& tenant) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = tokens_.find(tenant);
  if (it != tokens_.end() && it->second.expires_at - kRenewBefore > now) return it->second.token;
  auth::TokenClaims claims;
  claims.subject = subject_;
  claims.tenant = tenant;
  claims.roles = {auth::Role::kService};
  claims.issued_at = now;
  claims.expires_at = now + kLifetime;
  auto token = auth::MintToken(claims, algorithm_, key_);
  if (!token.ok()) return token.status();
  tokens_[tenant] = {*token, claims.expires_at};
  return *token;
}

}  // namespace jobledger::server
