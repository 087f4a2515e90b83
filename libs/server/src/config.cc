// Common service flags: CLI11 parsing, environment variables, validation.
#include "jobledger/server/config.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/status.h"

namespace jobledger::server {
namespace {

absl::Status Bad(absl::string_view flag, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(flag, ": ", why));
}

absl::StatusOr<std::string> ReadFile(absl::string_view flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Bad(flag, absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Bad(flag, absl::StrCat("cannot read ", path));
  return contents.str();
}

// OpenSSL parses the PEM so that a wrong file is reported here, by flag, rather than as a vague
// failure when gRPC starts.
absl::Status CheckTls(const TlsConfig& tls) {
  BIO* cert_bio =
      BIO_new_mem_buf(tls.cert_chain_pem.data(), static_cast<int>(tls.cert_chain_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  if (cert == nullptr) return Bad("--tls-cert", "not a PEM certificate");
  BIO* key_bio =
      BIO_new_mem_buf(tls.private_key_pem.data(), static_cast<int>(tls.private_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  if (key == nullptr) {
    X509_free(cert);
    return Bad("--tls-key", "not a PEM private key (or it is encrypted)");
  }
  const bool matches = X509_check_private_key(cert, key) == 1;
  EVP_PKEY_free(key);
  X509_free(cert);
  if (!matches) return Bad("--tls-key", "does not match the certificate in --tls-cert");
  if (!tls.client_ca_pem.empty()) {
    BIO* ca_bio =
        BIO_new_mem_buf(tls.client_ca_pem.data(), static_cast<int>(tls.client_ca_pem.size()));
    X509* ca = PEM_read_bio_X509(ca_bio, nullptr, nullptr, nullptr);
    BIO_free(ca_bio);
    if (ca == nullptr) return Bad("--tls-client-ca", "not a PEM certificate");
    X509_free(ca);
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> ParseDurationFlag(absl::string_view flag, const std::string& text,
                                                 absl::Duration min, absl::Duration max) {
  absl::Duration duration;
  if (!absl::ParseDuration(text, &duration)) {
    return Bad(flag, absl::StrCat("\"", text, "\" is not a duration (e.g. 30s, 2m)"));
  }
  if (duration < min || duration > max) {
    return Bad(flag, absl::StrCat("must be between ", absl::FormatDuration(min), " and ",
                                  absl::FormatDuration(max)));
  }
  return duration;
}

absl::Status CheckAddressFlag(absl::string_view flag, const std::string& address) {
  if (absl::Status status = CheckHostPort(address); !status.ok()) {
    return Bad(flag, status.message());
  }
  return absl::OkStatus();
}

absl::StatusOr<auth::JwtVerifierOptions> JwtOptions(const ServerFlags& flags) {
  const int given = !flags.jwt_hs256_key.empty() + !flags.jwt_hs256_key_file.empty() +
                    !flags.jwt_rs256_public_key_file.empty();
  if (given == 0) {
    return Bad("--jwt-rs256-public-key-file",
               "no token key: set --jwt-rs256-public-key-file (production) or "
               "--jwt-hs256-key / --jwt-hs256-key-file (development)");
  }
  if (given > 1) {
    return Bad("--jwt-hs256-key",
               "set only one of --jwt-hs256-key, --jwt-hs256-key-file and "
               "--jwt-rs256-public-key-file");
  }
  auth::JwtVerifierOptions options;
  JL_ASSIGN_OR_RETURN(options.leeway, ParseDurationFlag("--jwt-leeway", flags.jwt_leeway,
                                                        absl::ZeroDuration(), absl::Minutes(10)));
  absl::string_view flag;
  if (!flags.jwt_rs256_public_key_file.empty()) {
    flag = "--jwt-rs256-public-key-file";
    options.algorithm = auth::JwtAlgorithm::kRs256;
    JL_ASSIGN_OR_RETURN(options.key, ReadFile(flag, flags.jwt_rs256_public_key_file));
  } else {
    options.algorithm = auth::JwtAlgorithm::kHs256;
    if (!flags.jwt_hs256_key_file.empty()) {
      flag = "--jwt-hs256-key-file";
      JL_ASSIGN_OR_RETURN(std::string key, ReadFile(flag, flags.jwt_hs256_key_file));
      // Files made with `echo` end in a newline that is not part of the key.
      options.key = std::string(absl::StripTrailingAsciiWhitespace(key));
    } else {
      flag = "--jwt-hs256-key";
      options.key = flags.jwt_hs256_key;
    }
  }
  // The same checks the verifier makes, reported against the flag.
  if (absl::StatusOr<std::unique_ptr<auth::JwtVerifier>> verifier =
          auth::JwtVerifier::Create(options);
      !verifier.ok()) {
    return Bad(flag, verifier.status().message());
  }
  return options;
}

}  // namespace

void AddServerFlags(CLI::App& app, ServerFlags& flags) {
  app.add_option("--listen", flags.listen, "gRPC address, host:port (port 0: any free port)")
      ->envname("JOBLEDGER_LISTEN")
      ->capture_default_str();
  app.add_option("--metrics-listen", flags.metrics_listen,
                 "Prometheus /metrics HTTP address, host:port (port 0: any free port)")
      ->envname("JOBLEDGER_METRICS_LISTEN")
      ->capture_default_str();
  app.add_option("--tls-cert", flags.tls_cert, "PEM server certificate chain (enables TLS)")
      ->envname("JOBLEDGER_TLS_CERT");
  app.add_option("--tls-key", flags.tls_key, "PEM private key of --tls-cert")
      ->envname("JOBLEDGER_TLS_KEY");
  app.add_option("--tls-client-ca", flags.tls_client_ca,
                 "PEM CA bundle: require client certificates signed by it (mTLS)")
      ->envname("JOBLEDGER_TLS_CLIENT_CA");
  app.add_option("--jwt-hs256-key", flags.jwt_hs256_key,
                 "HS256 token key (development only; at least 32 bytes)")
      ->envname("JOBLEDGER_JWT_HS256_KEY");
  app.add_option("--jwt-hs256-key-file", flags.jwt_hs256_key_file,
                 "File holding the HS256 token key (development only)")
      ->envname("JOBLEDGER_JWT_HS256_KEY_FILE");
  app.add_option("--jwt-rs256-public-key-file", flags.jwt_rs256_public_key_file,
                 "PEM RSA public key that verifies RS256 tokens (production)")
      ->envname("JOBLEDGER_JWT_RS256_PUBLIC_KEY_FILE");
  app.add_option("--service-signing-key-file", flags.service_signing_key_file,
                 "PEM RSA private key for this service's own RS256 tokens (calls it makes on no "
                 "caller's behalf); its public key must verify in the called services")
      ->envname("JOBLEDGER_SERVICE_SIGNING_KEY_FILE");
  app.add_option("--jwt-leeway", flags.jwt_leeway, "Clock skew tolerated on token exp and nbf")
      ->envname("JOBLEDGER_JWT_LEEWAY")
      ->capture_default_str();
  app.add_option("--log-level", flags.log_level, "debug, info, warning or error")
      ->envname("JOBLEDGER_LOG_LEVEL")
      ->capture_default_str();
  app.add_option("--data-dir", flags.data_dir, "Directory for the service's data (created)")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  app.add_option("--shutdown-grace", flags.shutdown_grace,
                 "How long in-flight RPCs may take to finish after SIGTERM")
      ->envname("JOBLEDGER_SHUTDOWN_GRACE")
      ->capture_default_str();
  app.add_option("--max-message-bytes", flags.max_message_bytes,
                 "Largest gRPC message received or sent")
      ->envname("JOBLEDGER_MAX_MESSAGE_BYTES")
      ->capture_default_str();
}

absl::Status CheckHostPort(absl::string_view address) {
  absl::string_view host;
  absl::string_view port;
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find("]:");
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", address, "\" is not host:port ([v6 address]:port)"));
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    const size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos || address.find(':') != colon) {
      return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" is not host:port"));
    }
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" has no host"));
  }
  uint32_t number = 0;
  if (port.empty() || !absl::c_all_of(port, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &number) || number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", address, "\" has no valid port (0..65535)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerConfig> ValidateServerFlags(absl::string_view service_name,
                                                 const ServerFlags& flags) {
  ServerConfig config;
  config.service_name = std::string(service_name);
  JL_RETURN_IF_ERROR(CheckAddressFlag("--listen", flags.listen));
  config.listen = flags.listen;
  JL_RETURN_IF_ERROR(CheckAddressFlag("--metrics-listen", flags.metrics_listen));
  config.metrics_listen = flags.metrics_listen;

  if (flags.tls_cert.empty() != flags.tls_key.empty()) {
    return Bad(flags.tls_cert.empty() ? "--tls-cert" : "--tls-key",
               "--tls-cert and --tls-key go together");
  }
  if (!flags.tls_client_ca.empty() && flags.tls_cert.empty()) {
    return Bad("--tls-client-ca", "needs --tls-cert and --tls-key (mTLS is on top of TLS)");
  }
  if (!flags.tls_cert.empty()) {
    TlsConfig tls;
    JL_ASSIGN_OR_RETURN(tls.cert_chain_pem, ReadFile("--tls-cert", flags.tls_cert));
    JL_ASSIGN_OR_RETURN(tls.private_key_pem, ReadFile("--tls-key", flags.tls_key));
    if (!flags.tls_client_ca.empty()) {
      JL_ASSIGN_OR_RETURN(tls.client_ca_pem, ReadFile("--tls-client-ca", flags.tls_client_ca));
    }
    JL_RETURN_IF_ERROR(CheckTls(tls));
    config.tls = std::move(tls);
  }

  JL_ASSIGN_OR_RETURN(config.jwt, JwtOptions(flags));
  if (!flags.service_signing_key_file.empty()) {
    JL_ASSIGN_OR_RETURN(config.service_signing_key_pem,
                        ReadFile("--service-signing-key-file", flags.service_signing_key_file));
  }

  const std::optional<Level> level = ParseLevel(flags.log_level);
  if (!level.has_value()) {
    return Bad("--log-level", absl::StrCat("unknown level \"", flags.log_level,
                                           "\" (debug, info, warning or error)"));
  }
  config.log_level = *level;

  if (!flags.data_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(flags.data_dir, error);
    if (error || !std::filesystem::is_directory(flags.data_dir, error)) {
      return Bad("--data-dir", absl::StrCat("cannot create directory ", flags.data_dir,
                                            error ? ": " + error.message() : ""));
    }
    if (access(flags.data_dir.c_str(), W_OK) != 0) {
      return Bad("--data-dir", absl::StrCat(flags.data_dir, " is not writable"));
    }
    config.data_dir = flags.data_dir;
  }

  JL_ASSIGN_OR_RETURN(config.shutdown_grace,
                      ParseDurationFlag("--shutdown-grace", flags.shutdown_grace,
                                        absl::ZeroDuration(), absl::Minutes(10)));
  if (flags.max_message_bytes < 1024 || flags.max_message_bytes > (1 << 30)) {
    return Bad("--max-message-bytes",
               absl::StrCat(flags.max_message_bytes, " is outside 1024..1073741824"));
  }
  config.max_message_bytes = static_cast<int>(flags.max_message_bytes);
  return config;
}

ServerConfig ParseServerConfigOrExit(int argc, char** argv, absl::string_view service_name,
                                     ServerFlags defaults,
                                     const std::function<void(CLI::App&)>& add_service_flags) {
  const std::string program =
      argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string(service_name);
  CLI::App app{absl::StrCat("jobledger ", service_name, " service"), program};
  app.footer(
      "Every flag can also be set through the environment variable shown next to it.\n"
      "SIGTERM or SIGINT: readiness goes NOT_SERVING, in-flight RPCs drain within\n"
      "--shutdown-grace, shutdown hooks run, exit 0. A second signal exits at once.");
  ServerFlags flags = std::move(defaults);
  AddServerFlags(app, flags);
  if (add_service_flags) add_service_flags(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::exit(app.exit(error));  // prints help (exit 0) or the error (non-zero)
  }
  absl::StatusOr<ServerConfig> config = ValidateServerFlags(service_name, flags);
  if (!config.ok()) {
    std::cerr << program << ": " << config.status().message() << "\n";
    std::exit(2);
  }
  return *std::move(config);
}

}  // namespace jobledger::server
