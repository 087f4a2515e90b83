// Common service flags: environment variables, help text and validation messages.
#include "jobledger/server/config.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/auth/test_keys.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::server {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kKey[] = "0123456789abcdef0123456789abcdef";

ServerFlags DevFlags() {
  ServerFlags flags;
  flags.jwt_hs256_key = kKey;
  return flags;
}

std::string Write(const jobledger::testing::TempDir& dir, const std::string& name,
                  const std::string& contents) {
  const std::string path = dir.Sub(name);
  std::ofstream(path) << contents;
  return path;
}

// The message of the validation error, which must name `flag` first.
std::string ErrorFor(const ServerFlags& flags) {
  const absl::StatusOr<ServerConfig> config = ValidateServerFlags("test", flags);
  EXPECT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(config.status().message());
}

TEST(ValidateServerFlags, AcceptsTheDefaultsWithADevKey) {
  const absl::StatusOr<ServerConfig> config = ValidateServerFlags("job", DevFlags());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->service_name, "job");
  EXPECT_EQ(config->listen, "127.0.0.1:0");
  EXPECT_FALSE(config->tls.has_value());
  EXPECT_EQ(config->jwt.algorithm, auth::JwtAlgorithm::kHs256);
  EXPECT_EQ(config->jwt.key, kKey);
  EXPECT_EQ(config->jwt.leeway, absl::Seconds(30));
  EXPECT_EQ(config->log_level, Level::kInfo);
  EXPECT_EQ(config->shutdown_grace, absl::Seconds(20));
  EXPECT_EQ(config->max_message_bytes, 4 << 20);
}

TEST(ValidateServerFlags, NamesABadListenAddress) {
  for (const char* bad : {"bogus", "host:99999", ":80", "host:", "host:8x", "[::1]", "a:b:c"}) {
    ServerFlags flags = DevFlags();
    flags.listen = bad;
    EXPECT_THAT(ErrorFor(flags), StartsWith("--listen: ")) << bad;
    flags = DevFlags();
    flags.metrics_listen = bad;
    EXPECT_THAT(ErrorFor(flags), StartsWith("--metrics-listen: ")) << bad;
  }
  for (const char* good : {"0.0.0.0:7001", "localhost:0", "[::1]:65535", "[::]:80"}) {
    EXPECT_TRUE(CheckHostPort(good).ok()) << good;
  }
}

TEST(ValidateServerFlags, NamesMissingAndMismatchedTlsFiles) {
  jobledger::testing::TempDir dir;
  const auth::testing::CertifiedKey ca = auth::testing::MakeCa("test ca");
  const auth::testing::CertifiedKey server = auth::testing::MakeLeaf(ca, "localhost");
  const auth::testing::CertifiedKey other = auth::testing::MakeLeaf(ca, "other");

  ServerFlags flags = DevFlags();
  flags.tls_cert = dir.Sub("missing.pem");
  flags.tls_key = Write(dir, "key.pem", server.key_pem);
  EXPECT_THAT(ErrorFor(flags), StartsWith("--tls-cert: cannot read "));

  flags.tls_cert = Write(dir, "cert.pem", server.cert_pem);
  flags.tls_key = "";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--tls-key: "));

  flags.tls_key = Write(dir, "other-key.pem", other.key_pem);
  EXPECT_THAT(ErrorFor(flags), StartsWith("--tls-key: does not match"));

  flags.tls_key = dir.Sub("key.pem");
  flags.tls_cert = Write(dir, "garbage.pem", "not a certificate");
  EXPECT_THAT(ErrorFor(flags), StartsWith("--tls-cert: not a PEM certificate"));

  flags.tls_cert = dir.Sub("cert.pem");
  flags.tls_client_ca = dir.Sub("no-ca.pem");
  EXPECT_THAT(ErrorFor(flags), StartsWith("--tls-client-ca: cannot read "));

  flags.tls_client_ca = Write(dir, "ca.pem", ca.cert_pem);
  const absl::StatusOr<ServerConfig> config = ValidateServerFlags("test", flags);
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->tls.has_value());
  EXPECT_EQ(config->tls->client_ca_pem, ca.cert_pem);

  ServerFlags ca_only = DevFlags();
  ca_only.tls_client_ca = dir.Sub("ca.pem");
  EXPECT_THAT(ErrorFor(ca_only), StartsWith("--tls-client-ca: needs --tls-cert"));
}

TEST(ValidateServerFlags, NamesBadTokenKeys) {
  jobledger::testing::TempDir dir;
  ServerFlags flags;
  EXPECT_THAT(ErrorFor(flags), StartsWith("--jwt-rs256-public-key-file: no token key"));

  flags.jwt_hs256_key = "short";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--jwt-hs256-key: the HS256 key has 5 bytes"));

  flags.jwt_hs256_key = kKey;
  flags.jwt_rs256_public_key_file = dir.Sub("x.pem");
  EXPECT_THAT(ErrorFor(flags), StartsWith("--jwt-hs256-key: set only one of"));

  flags = ServerFlags();
  flags.jwt_hs256_key_file = dir.Sub("missing.key");
  EXPECT_THAT(ErrorFor(flags), StartsWith("--jwt-hs256-key-file: cannot read "));
  flags.jwt_hs256_key_file = Write(dir, "dev.key", std::string(kKey) + "\n");
  const absl::StatusOr<ServerConfig> from_file = ValidateServerFlags("test", flags);
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->jwt.key, kKey);  // the newline is not part of the key

  flags = ServerFlags();
  flags.jwt_rs256_public_key_file = Write(dir, "bad.pem", "-----BEGIN NOTHING-----");
  EXPECT_THAT(ErrorFor(flags), StartsWith("--jwt-rs256-public-key-file: the RS256 key is not"));
  flags.jwt_rs256_public_key_file =
      Write(dir, "public.pem", auth::testing::GenerateRsaKeyPair().public_pem);
  const absl::StatusOr<ServerConfig> rs256 = ValidateServerFlags("test", flags);
  ASSERT_TRUE(rs256.ok()) << rs256.status();
  EXPECT_EQ(rs256->jwt.algorithm, auth::JwtAlgorithm::kRs256);

  flags.jwt_leeway = "forever";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--jwt-leeway: "));
}

TEST(ValidateServerFlags, NamesOtherBadValues) {
  ServerFlags flags = DevFlags();
  flags.log_level = "loud";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--log-level: unknown level \"loud\""));

  flags = DevFlags();
  flags.shutdown_grace = "soon";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--shutdown-grace: \"soon\" is not a duration"));
  flags.shutdown_grace = "-1s";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--shutdown-grace: must be between"));

  flags = DevFlags();
  flags.max_message_bytes = 10;
  EXPECT_THAT(ErrorFor(flags), StartsWith("--max-message-bytes: 10 is outside"));

  jobledger::testing::TempDir dir;
  flags = DevFlags();
  flags.data_dir = Write(dir, "a-file", "x") + "/below";
  EXPECT_THAT(ErrorFor(flags), StartsWith("--data-dir: cannot create directory"));
  flags.data_dir = dir.Sub("new/nested");
  ASSERT_TRUE(ValidateServerFlags("test", flags).ok());
  EXPECT_TRUE(std::ifstream(dir.Sub("new/nested")).good());
}

TEST(AddServerFlags, ReadsFlagsAndEnvironmentVariables) {
  setenv("JOBLEDGER_LOG_LEVEL", "debug", 1);
  setenv("JOBLEDGER_SHUTDOWN_GRACE", "5s", 1);
  setenv("JOBLEDGER_JWT_HS256_KEY", kKey, 1);
  CLI::App app;
  ServerFlags flags;
  AddServerFlags(app, flags);
  app.parse("--listen 0.0.0.0:7001 --shutdown-grace 7s --max-message-bytes 65536", false);
  unsetenv("JOBLEDGER_LOG_LEVEL");
  unsetenv("JOBLEDGER_SHUTDOWN_GRACE");
  unsetenv("JOBLEDGER_JWT_HS256_KEY");
  EXPECT_EQ(flags.listen, "0.0.0.0:7001");
  EXPECT_EQ(flags.log_level, "debug");    // from the environment
  EXPECT_EQ(flags.shutdown_grace, "7s");  // the flag wins over the environment
  EXPECT_EQ(flags.jwt_hs256_key, kKey);
  EXPECT_EQ(flags.max_message_bytes, 65536);
  const absl::StatusOr<ServerConfig> config = ValidateServerFlags("test", flags);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->log_level, Level::kDebug);
  EXPECT_EQ(config->shutdown_grace, absl::Seconds(7));
}

TEST(AddServerFlags, HelpDocumentsEveryFlagAndItsVariable) {
  CLI::App app;
  ServerFlags flags;
  AddServerFlags(app, flags);
  const std::string help = app.help();
  for (const char* flag :
       {"--listen", "--metrics-listen", "--tls-cert", "--tls-key", "--tls-client-ca",
        "--jwt-hs256-key", "--jwt-hs256-key-file", "--jwt-rs256-public-key-file", "--jwt-leeway",
        "--log-level", "--data-dir", "--shutdown-grace", "--max-message-bytes"}) {
    EXPECT_THAT(help, HasSubstr(flag));
  }
  for (const char* variable :
       {"JOBLEDGER_LISTEN", "JOBLEDGER_METRICS_LISTEN", "JOBLEDGER_TLS_CERT", "JOBLEDGER_TLS_KEY",
        "JOBLEDGER_TLS_CLIENT_CA", "JOBLEDGER_JWT_HS256_KEY", "JOBLEDGER_JWT_HS256_KEY_FILE",
        "JOBLEDGER_JWT_RS256_PUBLIC_KEY_FILE", "JOBLEDGER_JWT_LEEWAY", "JOBLEDGER_LOG_LEVEL",
        "JOBLEDGER_DATA_DIR", "JOBLEDGER_SHUTDOWN_GRACE", "JOBLEDGER_MAX_MESSAGE_BYTES"}) {
    EXPECT_THAT(help, HasSubstr(variable));
  }
}

}  // namespace
}  // namespace jobledger::server
