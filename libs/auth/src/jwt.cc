// Bearer JWT verification and minting on cpp-jwt.
//
// Why cpp-jwt (Debian's libcpp-jwt-dev) rather than libjwt: it is header-only and sits on the two
// libraries jobledger already links (OpenSSL and nlohmann-json), and its decode() takes the list
// of accepted algorithms up front, whereas Debian 12's libjwt (1.10) verifies with whatever
// algorithm the token's header names and leaves the algorithm-confusion check to each caller.
// Where cpp-jwt is loose we are strict before it runs: it matches algorithm names without regard
// to case, so the header's `alg` must be exactly the configured one; it compares HMACs with `==`,
// so an HS256 signature is first checked in constant time here; and its time checks read the
// system clock, so the claims are also validated by ParseClaims with our leeway.
// cpp-jwt reports through std::error_code but can still throw (allocation, JSON type errors):
// everything it does is wrapped so no exception leaves this file.
#include "jobledger/auth/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cmath>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "jobledger/common/status.h"
#include "jwt/jwt.hpp"
#include "nlohmann/json.hpp"

namespace jobledger::auth {
namespace {

absl::Status Unauthenticated(absl::string_view why) { return absl::UnauthenticatedError(why); }

absl::StatusOr<std::string> DecodeBase64Url(absl::string_view text, absl::string_view part) {
  std::string decoded;
  if (text.empty() || !absl::WebSafeBase64Unescape(text, &decoded)) {
    return Unauthenticated(absl::StrCat("malformed token: the ", part, " is not base64url"));
  }
  return decoded;
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

// A NumericDate (seconds since the epoch, possibly fractional) as absl::Time.
absl::StatusOr<absl::Time> NumericDate(const nlohmann::json& claims, const char* name) {
  const nlohmann::json& value = claims.at(name);
  if (!value.is_number()) {
    return Unauthenticated(absl::StrCat("claim ", name, " is not a number"));
  }
  const double seconds = value.get<double>();
  // Beyond year 33658 or before 1970 is not a date any issuer means.
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e12) {
    return Unauthenticated(absl::StrCat("claim ", name, " is out of range"));
  }
  return absl::FromUnixMicros(static_cast<int64_t>(std::llround(seconds * 1e6)));
}

absl::StatusOr<std::string> RequiredString(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return Unauthenticated(absl::StrCat("token has no ", name, " claim"));
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return Unauthenticated(absl::StrCat("claim ", name, " must be a non-empty string"));
  }
  return it->get<std::string>();
}

// Constant-time HMAC-SHA256 check (cpp-jwt's own comparison is not constant-time).
bool Hs256Matches(absl::string_view key, absl::string_view signed_part,
                  absl::string_view signature) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
           &mac_length) == nullptr) {
    return false;
  }
  return signature.size() == mac_length && CRYPTO_memcmp(mac, signature.data(), mac_length) == 0;
}

absl::Status CheckRsaPublicKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::ResourceExhaustedError("cannot allocate an OpenSSL BIO");
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "the RS256 key is not a PEM public key (expected \"-----BEGIN PUBLIC KEY-----\")");
  }
  const int type = EVP_PKEY_id(key);
  const int bits = EVP_PKEY_bits(key);
  EVP_PKEY_free(key);
  if (type != EVP_PKEY_RSA) return absl::InvalidArgumentError("the RS256 key is not an RSA key");
  if (bits < 2048) {
    return absl::InvalidArgumentError(
        absl::StrCat("the RS256 key has ", bits, " bits; at least 2048 are required"));
  }
  return absl::OkStatus();
}

// Each "-----BEGIN PUBLIC KEY-----" … "-----END PUBLIC KEY-----" block of `pem`, checked.
absl::StatusOr<std::vector<std::string>> RsaPublicKeys(const std::string& pem) {
  constexpr std::string_view kBegin = "-----BEGIN PUBLIC KEY-----";
  constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
  std::vector<std::string> keys;
  for (size_t begin = pem.find(kBegin); begin != std::string::npos;
       begin = pem.find(kBegin, begin + kBegin.size())) {
    const size_t end = pem.find(kEnd, begin);
    if (end == std::string::npos) break;
    keys.push_back(pem.substr(begin, end + kEnd.size() - begin) + "\n");
  }
  if (keys.empty()) keys.push_back(pem);  // for CheckRsaPublicKey's message
  for (size_t i = 0; i < keys.size(); ++i) {
    if (absl::Status s = CheckRsaPublicKey(keys[i]); !s.ok()) {
      if (keys.size() == 1) return s;
      return absl::InvalidArgumentError(absl::StrCat("key ", i + 1, ": ", s.message()));
    }
  }
  return keys;
}

bool SignatureFailed(const std::error_code& error) {
  return error == jwt::VerificationErrc::InvalidSignature ||
         error == jwt::AlgorithmErrc::VerificationErr;
}

absl::Status FromCppJwt(const std::error_code& error) {
  if (error == jwt::VerificationErrc::TokenExpired) return Unauthenticated("token expired");
  if (error == jwt::VerificationErrc::ImmatureSignature) {
    return Unauthenticated("token not valid yet (nbf is in the future)");
  }
  if (SignatureFailed(error)) return Unauthenticated("token signature does not verify");
  if (error == jwt::VerificationErrc::InvalidAlgorithm) {
    return Unauthenticated("token algorithm is not accepted");
  }
  return Unauthenticated(absl::StrCat("token rejected: ", error.message()));
}

}  // namespace

absl::string_view AlgorithmName(JwtAlgorithm algorithm) {
  return algorithm == JwtAlgorithm::kHs256 ? "HS256" : "RS256";
}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtVerifierOptions options) {
  if (options.leeway < absl::ZeroDuration() || options.leeway > absl::Hours(1)) {
    return absl::InvalidArgumentError("the token leeway must be between 0 and 1h");
  }
  std::vector<std::string> keys;
  if (options.algorithm == JwtAlgorithm::kHs256) {
    if (options.key.size() < kMinHs256KeyBytes) {
      return absl::InvalidArgumentError(absl::StrCat("the HS256 key has ", options.key.size(),
                                                     " bytes; at least ", kMinHs256KeyBytes,
                                                     " are required"));
    }
    keys.push_back(options.key);
  } else {
    JL_ASSIGN_OR_RETURN(keys, RsaPublicKeys(options.key));
  }
  return std::unique_ptr<JwtVerifier>(new JwtVerifier(std::move(options), std::move(keys)));
}

absl::StatusOr<Identity> JwtVerifier::Verify(absl::string_view token) const {
  if (token.empty()) return Unauthenticated("empty bearer token");
  if (token.size() > kMaxTokenBytes) {
    return Unauthenticated(absl::StrCat("token longer than ", kMaxTokenBytes, " bytes"));
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) {
    return Unauthenticated("malformed token: expected header.payload.signature");
  }
  JL_ASSIGN_OR_RETURN(const std::string header_json, DecodeBase64Url(parts[0], "header"));
  const nlohmann::json header = nlohmann::json::parse(header_json, nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    return Unauthenticated("malformed token: the header is not a JSON object");
  }
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    return Unauthenticated("token header names no algorithm");
  }
  const absl::string_view expected = AlgorithmName(options_.algorithm);
  if (alg->get_ref<const std::string&>() != expected) {
    return Unauthenticated(absl::StrCat("token algorithm \"", alg->get_ref<const std::string&>(),
                                        "\" is not accepted (expected ", expected, ")"));
  }
  if (header.contains("crit")) {
    return Unauthenticated("token header has critical extensions, which are not supported");
  }
  JL_ASSIGN_OR_RETURN(const std::string signature, DecodeBase64Url(parts[2], "signature"));
  const absl::string_view signed_part = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (options_.algorithm == JwtAlgorithm::kHs256 &&
      !Hs256Matches(options_.key, signed_part, signature)) {
    return Unauthenticated("token signature does not verify");
  }

  // Each accepted key in turn until one verifies the signature.
  std::error_code error;
  const std::string expected_name(expected);
  for (const std::string& key : keys_) {
    error.clear();
    try {
      jwt::decode(
          jwt::string_view(token.data(), token.size()),
          jwt::params::algorithms({jwt::string_view(expected_name)}), error,
          jwt::params::secret(jwt::string_view(key)), jwt::params::verify(true),
          jwt::params::leeway(static_cast<uint32_t>(absl::ToInt64Seconds(options_.leeway))));
    } catch (const std::exception& e) {
      return Unauthenticated(absl::StrCat("malformed token: ", e.what()));
    }
    if (!SignatureFailed(error)) break;
  }
  if (error) return FromCppJwt(error);

  JL_ASSIGN_OR_RETURN(const std::string payload_json, DecodeBase64Url(parts[1], "payload"));
  return ParseClaims(payload_json, absl::Now(), options_.leeway);
}

absl::StatusOr<Identity> ParseClaims(absl::string_view payload_json, absl::Time now,
                                     absl::Duration leeway) {
  const nlohmann::json claims =
      nlohmann::json::parse(payload_json.begin(), payload_json.end(), nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) {
    return Unauthenticated("malformed token: the payload is not a JSON object");
  }
  Identity identity;
  JL_ASSIGN_OR_RETURN(identity.subject, RequiredString(claims, "sub"));
  JL_ASSIGN_OR_RETURN(identity.tenant, RequiredString(claims, "tenant"));

  const auto roles = claims.find("roles");
  if (roles == claims.end()) return Unauthenticated("token has no roles claim");
  if (!roles->is_array()) return Unauthenticated("claim roles must be an array of role names");
  for (const nlohmann::json& role : *roles) {
    if (!role.is_string()) return Unauthenticated("claim roles must be an array of role names");
    const std::optional<Role> parsed = ParseRole(role.get_ref<const std::string&>());
    if (!parsed.has_value()) {
      return Unauthenticated(
          absl::StrCat("claim roles: unknown role \"", role.get_ref<const std::string&>(), "\""));
    }
    identity.roles.Add(*parsed);
  }

  if (!claims.contains("exp")) return Unauthenticated("token has no exp claim");
  JL_ASSIGN_OR_RETURN(identity.expires_at, NumericDate(claims, "exp"));
  if (now >= identity.expires_at + leeway) {
    return Unauthenticated(absl::StrCat("token expired at ", Rfc3339(identity.expires_at)));
  }
  if (claims.contains("nbf")) {
    JL_ASSIGN_OR_RETURN(identity.not_before, NumericDate(claims, "nbf"));
    if (now + leeway < identity.not_before) {
      return Unauthenticated(absl::StrCat("token not valid before ", Rfc3339(identity.not_before)));
    }
  }
  if (const auto name = claims.find("name"); name != claims.end()) {
    if (!name->is_string()) return Unauthenticated("claim name must be a string");
    identity.name = name->get<std::string>();
  }
  return identity;
}

absl::StatusOr<std::string> ExtractBearerToken(absl::string_view authorization) {
  if (authorization.empty()) return Unauthenticated("no bearer token (authorization metadata)");
  constexpr absl::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return Unauthenticated("authorization metadata is not \"Bearer <token>\"");
  }
  const absl::string_view token = absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
  if (token.empty()) return Unauthenticated("empty bearer token");
  return std::string(token);
}

absl::StatusOr<std::string> MintToken(const TokenClaims& claims, JwtAlgorithm algorithm,
                                      absl::string_view key) {
  if (claims.subject.empty()) return absl::InvalidArgumentError("subject: must not be empty");
  if (claims.tenant.empty()) return absl::InvalidArgumentError("tenant: must not be empty");
  if (claims.expires_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("expires_at: must be set");
  }
  if (algorithm == JwtAlgorithm::kHs256 && key.size() < kMinHs256KeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the HS256 key has ", key.size(), " bytes; at least ", kMinHs256KeyBytes, " are required"));
  }
  std::vector<std::string> roles;
  for (Role role : claims.roles) roles.emplace_back(RoleName(role));
  const std::string name(AlgorithmName(algorithm));
  try {
    jwt::jwt_object token{jwt::params::algorithm(jwt::string_view(name)),
                          jwt::params::secret(jwt::string_view(key.data(), key.size()))};
    token.add_claim("sub", claims.subject);
    token.add_claim("tenant", claims.tenant);
    token.add_claim("roles", roles);
    if (!claims.name.empty()) token.add_claim("name", claims.name);
    if (claims.issued_at != absl::InfinitePast()) {
      token.add_claim("iat", absl::ToUnixSeconds(claims.issued_at));
    }
    if (claims.not_before != absl::InfinitePast()) {
      token.add_claim("nbf", absl::ToUnixSeconds(claims.not_before));
    }
    token.add_claim("exp", absl::ToUnixSeconds(claims.expires_at));
    std::error_code error;
    std::string signed_token = token.signature(error);
    if (error) {
      return absl::InvalidArgumentError(absl::StrCat("cannot sign the token: ", error.message()));
    }
    return signed_token;
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("cannot sign the token: ", e.what()));
  }
}

}  // namespace jobledger::auth
