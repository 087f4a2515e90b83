// Token verification, claim validation and minting.
#include "jobledger/auth/jwt.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/auth/test_keys.h"

namespace jobledger::auth {
namespace {

using testing::GenerateRsaKeyPair;
using ::testing::HasSubstr;
using testing::Hs256Token;
using testing::RawToken;
using testing::RsaKeyPair;

constexpr char kKey[] = "0123456789abcdef0123456789abcdef-dev";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

std::string Payload(int64_t exp, absl::string_view extra = "") {
  return absl::StrCat(R"({"sub":"u-1","tenant":"t-1","roles":["dispatcher","billing"],"exp":)", exp,
                      extra, "}");
}

TEST(ParseClaims, ReadsEveryClaim) {
  const absl::StatusOr<Identity> identity = ParseClaims(
      Payload(1'800'000'600, R"(,"nbf":1799999990,"name":"Ann Lee")"), kNow, absl::Seconds(30));
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->subject, "u-1");
  EXPECT_EQ(identity->tenant, "t-1");
  EXPECT_EQ(identity->roles, RoleSet({Role::kDispatcher, Role::kBilling}));
  EXPECT_EQ(identity->name, "Ann Lee");
  EXPECT_EQ(identity->expires_at, absl::FromUnixSeconds(1'800'000'600));
  EXPECT_EQ(identity->not_before, absl::FromUnixSeconds(1'799'999'990));
}

TEST(ParseClaims, ExpiryAndNotBeforeHonourTheLeeway) {
  const absl::Duration leeway = absl::Seconds(30);
  EXPECT_TRUE(ParseClaims(Payload(1'800'000'001), kNow, leeway).ok());
  EXPECT_TRUE(ParseClaims(Payload(1'799'999'980), kNow, leeway).ok());  // 20 s late: skew
  const absl::Status expired = ParseClaims(Payload(1'799'999'970), kNow, leeway).status();
  EXPECT_EQ(expired.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(expired.message(), HasSubstr("expired"));
  EXPECT_TRUE(ParseClaims(Payload(1'800'000'600, R"(,"nbf":1800000020)"), kNow, leeway).ok());
  const absl::Status early =
      ParseClaims(Payload(1'800'000'600, R"(,"nbf":1800000031)"), kNow, leeway).status();
  EXPECT_EQ(early.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(early.message(), HasSubstr("not valid before"));
}

TEST(ParseClaims, RefusesMissingOrBadClaims) {
  const struct {
    std::string payload;
    std::string message;
  } cases[] = {
      {R"({"tenant":"t","roles":[],"exp":1800000600})", "no sub"},
      {R"({"sub":"","tenant":"t","roles":[],"exp":1800000600})", "sub must be"},
      {R"({"sub":7,"tenant":"t","roles":[],"exp":1800000600})", "sub must be"},
      {R"({"sub":"u","roles":[],"exp":1800000600})", "no tenant"},
      {R"({"sub":"u","tenant":"t","exp":1800000600})", "no roles"},
      {R"({"sub":"u","tenant":"t","roles":"dispatcher","exp":1800000600})", "array"},
      {R"({"sub":"u","tenant":"t","roles":[1],"exp":1800000600})", "array"},
      {R"({"sub":"u","tenant":"t","roles":["admin"],"exp":1800000600})", "unknown role \"admin\""},
      {R"({"sub":"u","tenant":"t","roles":["Dispatcher"],"exp":1800000600})", "unknown role"},
      {R"({"sub":"u","tenant":"t","roles":[]})", "no exp"},
      {R"({"sub":"u","tenant":"t","roles":[],"exp":"1800000600"})", "exp is not a number"},
      {R"({"sub":"u","tenant":"t","roles":[],"exp":-5})", "out of range"},
      {R"({"sub":"u","tenant":"t","roles":[],"exp":1800000600,"nbf":"x"})", "nbf is not"},
      {R"({"sub":"u","tenant":"t","roles":[],"exp":1800000600,"name":3})", "name must be"},
      {R"(["sub"])", "not a JSON object"},
      {R"({"sub":)", "not a JSON object"},
  };
  for (const auto& c : cases) {
    const absl::Status status = ParseClaims(c.payload, kNow, absl::Seconds(30)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << c.payload;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.payload;
  }
}

TEST(ParseClaims, AcceptsFractionalDatesAndNoRoles) {
  const absl::StatusOr<Identity> identity = ParseClaims(
      R"({"sub":"u","tenant":"t","roles":[],"exp":1800000600.5})", kNow, absl::ZeroDuration());
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_TRUE(identity->roles.empty());
  EXPECT_EQ(identity->expires_at, absl::FromUnixMillis(1'800'000'600'500));
}

TEST(ExtractBearerToken, TakesTheTokenOfABearerCredential) {
  EXPECT_EQ(*ExtractBearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(*ExtractBearerToken("bearer abc"), "abc");
  for (absl::string_view bad : {"", "Bearer", "Bearer ", "Bearer   ", "Basic dXNlcg==", "abc"}) {
    EXPECT_EQ(ExtractBearerToken(bad).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

TokenClaims Claims(absl::Time expires_at = absl::Now() + absl::Hours(1)) {
  TokenClaims claims;
  claims.subject = "u-7";
  claims.tenant = "acme";
  claims.roles = {Role::kTechnician};
  claims.name = "Tess";
  claims.issued_at = absl::Now();
  claims.expires_at = expires_at;
  return claims;
}

std::unique_ptr<JwtVerifier> Hs256Verifier(std::string key = kKey) {
  JwtVerifierOptions options;
  options.algorithm = JwtAlgorithm::kHs256;
  options.key = std::move(key);
  auto verifier = JwtVerifier::Create(options);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return *std::move(verifier);
}

const RsaKeyPair& Keys() {
  static const RsaKeyPair* const keys = new RsaKeyPair(GenerateRsaKeyPair());
  return *keys;
}

std::unique_ptr<JwtVerifier> Rs256Verifier(const std::string& public_pem = Keys().public_pem) {
  JwtVerifierOptions options;
  options.algorithm = JwtAlgorithm::kRs256;
  options.key = public_pem;
  auto verifier = JwtVerifier::Create(options);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return *std::move(verifier);
}

void ExpectRefused(const JwtVerifier& verifier, const std::string& token,
                   absl::string_view message) {
  const absl::Status status = verifier.Verify(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << token;
  EXPECT_THAT(status.message(), HasSubstr(message)) << token;
}

TEST(JwtVerifier, Hs256MintedTokenVerifies) {
  const std::string token = *MintToken(Claims(), JwtAlgorithm::kHs256, kKey);
  const absl::StatusOr<Identity> identity = Hs256Verifier()->Verify(token);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->subject, "u-7");
  EXPECT_EQ(identity->tenant, "acme");
  EXPECT_EQ(identity->roles, RoleSet({Role::kTechnician}));
  EXPECT_EQ(identity->name, "Tess");
}

TEST(JwtVerifier, Hs256RefusesAnotherKeyOrATamperedPayload) {
  const std::string token = *MintToken(Claims(), JwtAlgorithm::kHs256, kKey);
  ExpectRefused(*Hs256Verifier("another-key-another-key-another-key"), token,
                "signature does not verify");
  // Same header and signature, payload naming another tenant.
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token.substr(first + 1, second - first - 1), &payload));
  const std::string forged = absl::StrCat(
      token.substr(0, first), ".",
      testing::Base64Url(absl::StrReplaceAll(payload, {{"acme", "evil"}})), token.substr(second));
  ExpectRefused(*Hs256Verifier(), forged, "signature does not verify");
}

TEST(JwtVerifier, RefusesExpiredAndNotYetValidTokens) {
  ExpectRefused(*Hs256Verifier(),
                *MintToken(Claims(absl::Now() - absl::Minutes(5)), JwtAlgorithm::kHs256, kKey),
                "expired");
  TokenClaims early = Claims();
  early.not_before = absl::Now() + absl::Minutes(5);
  ExpectRefused(*Hs256Verifier(), *MintToken(early, JwtAlgorithm::kHs256, kKey), "not valid");
}

TEST(JwtVerifier, RefusesTheNoneAlgorithmAndCaseVariants) {
  const std::string payload = Payload(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  ExpectRefused(*Hs256Verifier(), RawToken(R"({"alg":"none","typ":"JWT"})", payload, ""),
                "\"none\" is not accepted");
  ExpectRefused(*Hs256Verifier(), RawToken(R"({"alg":"none"})", payload, "c2ln"),
                "\"none\" is not accepted");
  ExpectRefused(*Rs256Verifier(), RawToken(R"({"alg":"NONE"})", payload, ""), "not accepted");
  // A correct HMAC under a differently spelt name: cpp-jwt alone would take it.
  ExpectRefused(*Hs256Verifier(), Hs256Token(R"({"alg":"hs256","typ":"JWT"})", payload, kKey),
                "not accepted");
  // The same token with the right name passes, so the refusal above is about the name only.
  EXPECT_TRUE(
      Hs256Verifier()->Verify(Hs256Token(R"({"alg":"HS256","typ":"JWT"})", payload, kKey)).ok());
}

TEST(JwtVerifier, RefusesMalformedTokens) {
  const auto verifier = Hs256Verifier();
  ExpectRefused(*verifier, "", "empty");
  ExpectRefused(*verifier, "abc", "header.payload.signature");
  ExpectRefused(*verifier, "a.b", "header.payload.signature");
  ExpectRefused(*verifier, "a.b.c.d", "header.payload.signature");
  ExpectRefused(*verifier, "!!!.e30.c2ln", "not base64url");
  ExpectRefused(*verifier, RawToken("[1]", "{}", "c2ln"), "not a JSON object");
  ExpectRefused(*verifier, RawToken(R"({"typ":"JWT"})", "{}", "c2ln"), "names no algorithm");
  ExpectRefused(*verifier, std::string(kMaxTokenBytes + 1, 'a'), "longer than");
  const std::string payload = Payload(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  ExpectRefused(*verifier, Hs256Token(R"({"alg":"HS256","crit":["exp"]})", payload, kKey),
                "critical");
  ExpectRefused(*verifier, RawToken(R"({"alg":"HS256"})", payload, ""), "not base64url");
}

TEST(JwtVerifier, Rs256MintedTokenVerifies) {
  const std::string token = *MintToken(Claims(), JwtAlgorithm::kRs256, Keys().private_pem);
  const absl::StatusOr<Identity> identity = Rs256Verifier()->Verify(token);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->subject, "u-7");
}

TEST(JwtVerifier, Rs256RefusesAnotherKeysSignature) {
  const RsaKeyPair other = GenerateRsaKeyPair();
  ExpectRefused(*Rs256Verifier(), *MintToken(Claims(), JwtAlgorithm::kRs256, other.private_pem),
                "signature does not verify");
}

// Rotating the identity provider's key: the file holds the current and the next public key, and
// tokens of either verify; a retired key's do not, and an accepted key's tokens still expire.
TEST(JwtVerifier, Rs256AcceptsEveryKeyOfAFileOfSeveral) {
  const RsaKeyPair next = GenerateRsaKeyPair();
  const RsaKeyPair retired = GenerateRsaKeyPair();
  const std::unique_ptr<JwtVerifier> verifier = Rs256Verifier(Keys().public_pem + next.public_pem);
  for (const RsaKeyPair* signer : {&Keys(), &next}) {
    const absl::StatusOr<Identity> identity =
        verifier->Verify(*MintToken(Claims(), JwtAlgorithm::kRs256, signer->private_pem));
    ASSERT_TRUE(identity.ok()) << identity.status();
    EXPECT_EQ(identity->subject, "u-7");
  }
  ExpectRefused(*verifier, *MintToken(Claims(), JwtAlgorithm::kRs256, retired.private_pem),
                "signature does not verify");
  ExpectRefused(
      *verifier,
      *MintToken(Claims(absl::Now() - absl::Minutes(5)), JwtAlgorithm::kRs256, next.private_pem),
      "expired");

  JwtVerifierOptions options;
  options.algorithm = JwtAlgorithm::kRs256;
  options.key = Keys().public_pem + GenerateRsaKeyPair(1024).public_pem;
  const absl::Status weak = JwtVerifier::Create(options).status();
  EXPECT_EQ(weak.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(weak.message(), HasSubstr("key 2: "));
  EXPECT_THAT(weak.message(), HasSubstr("at least 2048"));
}

TEST(JwtVerifier, RefusesAlgorithmConfusion) {
  // The classic attack: an HS256 token keyed with the (public) RSA key.
  const std::string confused = *MintToken(Claims(), JwtAlgorithm::kHs256, Keys().public_pem);
  ExpectRefused(*Rs256Verifier(), confused, "\"HS256\" is not accepted (expected RS256)");
  ExpectRefused(*Hs256Verifier(), *MintToken(Claims(), JwtAlgorithm::kRs256, Keys().private_pem),
                "\"RS256\" is not accepted (expected HS256)");
}

TEST(JwtVerifier, CreateRefusesUnusableKeys) {
  JwtVerifierOptions hs256;
  hs256.algorithm = JwtAlgorithm::kHs256;
  hs256.key = "short";
  EXPECT_THAT(JwtVerifier::Create(hs256).status().message(), HasSubstr("at least 32"));
  JwtVerifierOptions rs256;
  rs256.algorithm = JwtAlgorithm::kRs256;
  rs256.key = "not a pem";
  EXPECT_THAT(JwtVerifier::Create(rs256).status().message(), HasSubstr("not a PEM public key"));
  rs256.key = Keys().private_pem;
  EXPECT_EQ(JwtVerifier::Create(rs256).status().code(), absl::StatusCode::kInvalidArgument);
  rs256.key = GenerateRsaKeyPair(1024).public_pem;
  EXPECT_THAT(JwtVerifier::Create(rs256).status().message(), HasSubstr("at least 2048"));
}

TEST(MintToken, RefusesIncompleteClaimsAndShortKeys) {
  TokenClaims claims = Claims();
  claims.subject.clear();
  EXPECT_EQ(MintToken(claims, JwtAlgorithm::kHs256, kKey).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MintToken(Claims(), JwtAlgorithm::kHs256, "short").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MintToken(Claims(), JwtAlgorithm::kRs256, "not a pem").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jobledger::auth
