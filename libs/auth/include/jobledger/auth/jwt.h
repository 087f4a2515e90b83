// Bearer JWTs: verification (HS256 with a development key, RS256 public keys in production),
// claim validation, and minting (dev tokens for `jl token` and tests).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/auth/roles.h"
#include "jobledger/common/clock.h"

namespace jobledger::auth {

enum class JwtAlgorithm { kHs256, kRs256 };

// "HS256" or "RS256", as the token header spells it.
absl::string_view AlgorithmName(JwtAlgorithm algorithm);

// HS256 keys shorter than this are refused (RFC 7518 §3.2: at least the hash size).
inline constexpr size_t kMinHs256KeyBytes = 32;
// Longer tokens are refused before any decoding, which bounds the work an attacker can cause.
inline constexpr size_t kMaxTokenBytes = 8192;

struct JwtVerifierOptions {
  // The one algorithm accepted; a token naming any other (including "none") is refused.
  JwtAlgorithm algorithm = JwtAlgorithm::kRs256;
  // HS256: the shared secret. RS256: PEM public keys ("-----BEGIN PUBLIC KEY-----"), one or more
  // blocks one after the other: a token signed by any of them verifies, so the identity
  // provider's signing key is rotated by adding the new key before it signs, and removing the old
  // one once its tokens have expired.
  std::string key;
  // Clock skew tolerated on `exp` and `nbf`.
  absl::Duration leeway = absl::Seconds(30);
};

// Verifies bearer tokens. Thread-safe; immutable after Create.
class JwtVerifier {
 public:
  // INVALID_ARGUMENT for a key that cannot work: a short HS256 secret or a PEM that is not a
  // public RSA key.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtVerifierOptions options);

  // The caller's identity, or UNAUTHENTICATED saying why (malformed, wrong algorithm, bad
  // signature, expired, not yet valid, missing or invalid claims).
  absl::StatusOr<Identity> Verify(absl::string_view token) const;

  JwtAlgorithm algorithm() const { return options_.algorithm; }

 private:
  JwtVerifier(JwtVerifierOptions options, std::vector<std::string> keys)
      : options_(std::move(options)), keys_(std::move(keys)) {}

  const JwtVerifierOptions options_;
  const std::vector<std::string> keys_;  // RS256: one PEM block each; HS256: the secret
};

// Validates a token's claims (the decoded payload JSON) at time `now`. Pure: the verifier calls
// it after the signature checks out. Required: `sub` and `tenant` (non-empty strings), `roles`
// (an array of known role names), `exp` (a number); optional: `nbf` (a number), `name` (a string).
absl::StatusOr<Identity> ParseClaims(absl::string_view payload_json, absl::Time now,
                                     absl::Duration leeway);

// The token in an `authorization` header value "Bearer <token>" (scheme case-insensitive);
// UNAUTHENTICATED when the header is empty or not a bearer credential.
absl::StatusOr<std::string> ExtractBearerToken(absl::string_view authorization);

struct TokenClaims {
  std::string subject;
  std::string tenant;
  std::vector<Role> roles;
  std::string name;  // left out of the token when empty
  absl::Time issued_at = absl::InfinitePast();
  absl::Time not_before = absl::InfinitePast();  // left out when InfinitePast
  absl::Time expires_at = absl::InfinitePast();
};

// Signs `claims`. HS256: `key` is the shared secret (at least kMinHs256KeyBytes); RS256: a PEM
// private key. For development tokens (`jl token`) and tests; production tokens come from the
// identity provider.
absl::StatusOr<std::string> MintToken(const TokenClaims& claims, JwtAlgorithm algorithm,
                                      absl::string_view key);

}  // namespace jobledger::auth
