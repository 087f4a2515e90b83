// Keys and hand-made tokens for tests: RSA key pairs, and tokens with any header, payload and
// signature (to present what a correct minter never would).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace jobledger::auth::testing {

struct RsaKeyPair {
  std::string private_pem;  // PKCS#8 "-----BEGIN PRIVATE KEY-----"
  std::string public_pem;   // "-----BEGIN PUBLIC KEY-----"
};

// A fresh RSA key pair (aborts if OpenSSL cannot make one).
RsaKeyPair GenerateRsaKeyPair(int bits = 2048);

// A certificate with its key, PEM encoded.
struct CertifiedKey {
  std::string cert_pem;
  std::string key_pem;
};

// A self-signed CA certificate (CA:TRUE), valid for a day.
CertifiedKey MakeCa(absl::string_view common_name);
// A leaf certificate signed by `ca` for DNS "localhost" and IP 127.0.0.1 (server and client use).
CertifiedKey MakeLeaf(const CertifiedKey& ca, absl::string_view common_name);

std::string Base64Url(absl::string_view bytes);

// base64url(header).base64url(payload).signature — the signature as given (already encoded).
std::string RawToken(absl::string_view header_json, absl::string_view payload_json,
                     absl::string_view signature);

// The same, signed with HMAC-SHA256 over the first two parts.
std::string Hs256Token(absl::string_view header_json, absl::string_view payload_json,
                       absl::string_view key);

}  // namespace jobledger::auth::testing
