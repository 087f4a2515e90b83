// Test keys and hand-made tokens on OpenSSL.
#include "jobledger/auth/test_keys.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace jobledger::auth::testing {
namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

EVP_PKEY* ReadKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) std::abort();
  return key;
}

X509* ReadCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) std::abort();
  return cert;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) std::abort();
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// Signs a new certificate for `key`; self-signed when `issuer` is null.
CertifiedKey Certify(absl::string_view common_name, const CertifiedKey* issuer, bool is_ca) {
  static long serial = 1;
  const RsaKeyPair pair = GenerateRsaKeyPair();
  EVP_PKEY* key = ReadKey(pair.private_pem);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  const std::string cn(common_name);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* issuer_cert = issuer == nullptr ? cert : ReadCert(issuer->cert_pem);
  EVP_PKEY* signing_key = issuer == nullptr ? key : ReadKey(issuer->key_pem);
  X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));
  if (is_ca) {
    AddExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert, issuer_cert, NID_basic_constraints, "CA:FALSE");
    AddExtension(cert, issuer_cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    AddExtension(cert, issuer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  if (X509_sign(cert, signing_key, EVP_sha256()) == 0) std::abort();
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  CertifiedKey result{BioText(bio), pair.private_pem};
  BIO_free(bio);
  if (issuer != nullptr) {
    X509_free(issuer_cert);
    EVP_PKEY_free(signing_key);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return result;
}

}  // namespace

CertifiedKey MakeCa(absl::string_view common_name) {
  return Certify(common_name, nullptr, /*is_ca=*/true);
}

CertifiedKey MakeLeaf(const CertifiedKey& ca, absl::string_view common_name) {
  return Certify(common_name, &ca, /*is_ca=*/false);
}

RsaKeyPair GenerateRsaKeyPair(int bits) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (key == nullptr) std::abort();
  BIO* private_bio = BIO_new(BIO_s_mem());
  BIO* public_bio = BIO_new(BIO_s_mem());
  if (PEM_write_bio_PrivateKey(private_bio, key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(public_bio, key) != 1) {
    std::abort();
  }
  RsaKeyPair pair{BioText(private_bio), BioText(public_bio)};
  BIO_free(private_bio);
  BIO_free(public_bio);
  EVP_PKEY_free(key);
  return pair;
}

std::string Base64Url(absl::string_view bytes) {
  std::string encoded;
  absl::WebSafeBase64Escape(bytes, &encoded);  // unpadded
  return encoded;
}

std::string RawToken(absl::string_view header_json, absl::string_view payload_json,
                     absl::string_view signature) {
  return absl::StrCat(Base64Url(header_json), ".", Base64Url(payload_json), ".", signature);
}

std::string Hs256Token(absl::string_view header_json, absl::string_view payload_json,
                       absl::string_view key) {
  const std::string signed_part =
      absl::StrCat(Base64Url(header_json), ".", Base64Url(payload_json));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
       &mac_length);
  return absl::StrCat(signed_part, ".",
                      Base64Url(absl::string_view(reinterpret_cast<const char*>(mac), mac_length)));
}

}  // namespace jobledger::auth::testing
