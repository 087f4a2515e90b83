// The configuration every service shares: flags with JOBLEDGER_* environment equivalents, parsed
// with CLI11 and validated at start with a message naming each bad flag.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/server/log.h"

namespace jobledger::server {

// The flags as given (strings, so that validation can name what was wrong). A service passes its
// own defaults, e.g. its port in `listen`.
struct ServerFlags {
  std::string listen = "127.0.0.1:0";
  std::string metrics_listen = "127.0.0.1:0";
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string jwt_hs256_key;
  std::string jwt_hs256_key_file;
  std::string jwt_rs256_public_key_file;
  std::string jwt_leeway = "30s";
  std::string service_signing_key_file;
  std::string log_level = "info";
  std::string data_dir;
  std::string shutdown_grace = "20s";
  int64_t max_message_bytes = 4 << 20;
};

// Adds the common flags (--listen, --metrics-listen, --tls-*, --jwt-*, --log-level, --data-dir,
// --shutdown-grace, --max-message-bytes), each with its JOBLEDGER_* variable, to `app`.
void AddServerFlags(CLI::App& app, ServerFlags& flags);

struct TlsConfig {
  std::string cert_chain_pem;
  std::string private_key_pem;
  std::string client_ca_pem;  // non-empty: clients must present a certificate signed by it
};

// The validated configuration the server starts from (files read, values parsed).
struct ServerConfig {
  std::string service_name;
  std::string listen = "127.0.0.1:0";
  std::string metrics_listen = "127.0.0.1:0";
  std::optional<TlsConfig> tls;
  auth::JwtVerifierOptions jwt;
  // PEM RSA private key this service signs its own RS256 tokens with, for calls it makes on no
  // caller's behalf (reactions); with HS256 the shared key signs them.
  std::string service_signing_key_pem;
  Level log_level = Level::kInfo;
  std::string data_dir;
  absl::Duration shutdown_grace = absl::Seconds(20);
  int max_message_bytes = 4 << 20;
};

// INVALID_ARGUMENT naming the flag, e.g. "--listen: \"x\" is not host:port".
absl::StatusOr<ServerConfig> ValidateServerFlags(absl::string_view service_name,
                                                 const ServerFlags& flags);

// Splits "host:port" / "[v6]:port"; INVALID_ARGUMENT unless the port is 0..65535.
absl::Status CheckHostPort(absl::string_view address);

// For a service's main(): parses argv and the environment, validates, and returns the config.
// `--help` prints every flag and exits 0; a bad flag prints "<program>: <message>" on stderr and
// exits 2. `add_service_flags` adds the service's own flags to the same command line.
ServerConfig ParseServerConfigOrExit(int argc, char** argv, absl::string_view service_name,
                                     ServerFlags defaults = {},
                                     const std::function<void(CLI::App&)>& add_service_flags = {});

}  // namespace jobledger::server
