// `jl token`: mints a development bearer token (HS256 with the dev key) and prints it.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "commands.h"
#include "jobledger/auth/jwt.h"

namespace jobledger::cli {
namespace {

struct TokenFlags {
  std::string subject;
  std::string tenant;
  std::vector<std::string> roles;
  std::string name;
  std::string ttl = "1h";
  std::string key;
  std::string key_file;
};

int MintDevToken(const TokenFlags& flags) {
  auto fail = [](absl::string_view message) {
    std::cerr << "jl token: " << message << "\n";
    return EXIT_FAILURE;
  };
  auth::TokenClaims claims;
  claims.subject = flags.subject;
  claims.tenant = flags.tenant;
  claims.name = flags.name;
  for (const std::string& name : flags.roles) {
    const std::optional<auth::Role> role = auth::ParseRole(name);
    if (!role.has_value()) {
      return fail(absl::StrCat("--role: unknown role \"", name,
                               "\" (dispatcher, manager, technician, billing, analyst, service)"));
    }
    claims.roles.push_back(*role);
  }
  absl::Duration ttl;
  if (!absl::ParseDuration(flags.ttl, &ttl) || ttl <= absl::ZeroDuration()) {
    return fail(absl::StrCat("--ttl: \"", flags.ttl, "\" is not a positive duration (e.g. 1h)"));
  }
  std::string key = flags.key;
  if (!flags.key_file.empty()) {
    if (!key.empty()) return fail("--key-file: give either --key or --key-file, not both");
    std::ifstream in(flags.key_file, std::ios::binary);
    if (!in) return fail(absl::StrCat("--key-file: cannot read ", flags.key_file));
    std::ostringstream contents;
    contents << in.rdbuf();
    // Same rule as the services' --jwt-hs256-key-file: a trailing newline is not part of the key.
    key = std::string(absl::StripTrailingAsciiWhitespace(contents.str()));
  }
  if (key.empty()) {
    return fail("no key: pass --key, --key-file or set JOBLEDGER_JWT_HS256_KEY");
  }
  const absl::Time now = absl::Now();
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires_at = now + ttl;
  const absl::StatusOr<std::string> token =
      auth::MintToken(claims, auth::JwtAlgorithm::kHs256, key);
  if (!token.ok()) return fail(token.status().message());
  std::cout << *token << "\n";
  return EXIT_SUCCESS;
}

}  // namespace

void RegisterTokenCommand(CLI::App& app) {
  auto flags = std::make_shared<TokenFlags>();
  CLI::App* command = app.add_subcommand(
      "token", "Mint a development bearer token (HS256 with the dev key) and print it");
  command->footer(
      "For local runs only: services accept these tokens when started with the same key in\n"
      "--jwt-hs256-key / --jwt-hs256-key-file. Production tokens are RS256, from the identity\n"
      "provider.\n"
      "Example: grpcurl -H \"authorization: Bearer $(jl token --subject u1 --tenant t1 \\\n"
      "           --role dispatcher)\" ...");
  command->add_option("--subject", flags->subject, "User (or service) id: the sub claim")
      ->required();
  command->add_option("--tenant", flags->tenant, "Tenant id")->required();
  command
      ->add_option("--role", flags->roles,
                   "Role (repeatable): dispatcher, manager, technician, billing, analyst, service")
      ->required();
  command->add_option("--name", flags->name, "Display name (optional)");
  command->add_option("--ttl", flags->ttl, "Lifetime, e.g. 15m, 8h")->capture_default_str();
  command->add_option("--key", flags->key, "HS256 key (at least 32 bytes)")
      ->envname("JOBLEDGER_JWT_HS256_KEY");
  command->add_option("--key-file", flags->key_file, "File holding the HS256 key");
  command->callback([flags] {
    if (const int code = MintDevToken(*flags); code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
